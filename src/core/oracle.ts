/**
 * A pure-TypeScript NLL of the same models: the tests' independent oracle and the benchmark's
 * baseline. Densities are written straight from their definitions; normalisations come from
 * adaptive Gauss–Kronrod quadrature split at the peaks (not from the core's closed forms), so an error in
 * either implementation shows up as a disagreement.
 */
import { adaptiveIntegral } from "./quadrature.js";
import {
  allowedPieces,
  type Arg,
  argParts,
  type Component,
  factorValue,
  isExcluded,
  type Model,
} from "../model/model.js";
import { SHAPES, type ShapeName, shapeKnots } from "../model/shapes.js";
import type { Dataset } from "./compile.js";

type Density = (m: number) => number;

/**
 * The unnormalised density of a shape with numeric arguments (in `shapeArgs` order).
 * @example
 * import { shapeDensity } from "bumpscan/oracle";
 * shapeDensity("gaussian", [0, 1])(1); // => Math.exp(-0.5)
 */
export function shapeDensity(shape: ShapeName, a: number[]): Density {
  const mapX = (m: number) => (2 * (m - a[0])) / (a[1] - a[0]) - 1;
  const coeffs = a.slice(2);
  switch (shape) {
    case "uniform":
      return () => 1;
    case "gaussian":
      return (m) => Math.exp(-0.5 * ((m - a[0]) / a[1]) ** 2);
    case "crystalBall":
      return (m) => crystalBall(m, a[0], a[1], a[1], a[2], a[3], Infinity, 1);
    case "doubleCrystalBall":
      return (m) => crystalBall(m, a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
    case "exponential":
      return (m) => Math.exp(a[0] * m);
    case "chebyshev":
      return (m) => {
        const x = mapX(m);
        return 1 + coeffs.reduce((s, c, k) => s + c * Math.cos((k + 1) * Math.acos(Math.max(-1, Math.min(1, x)))), 0);
      };
    case "polynomial":
      return (m) => 1 + horner(coeffs, mapX(m));
    case "expPoly":
      return (m) => Math.exp(horner(coeffs, mapX(m)));
    case "argus":
      return (m) => {
        if (m >= a[0]) return 0;
        const u = 1 - (m / a[0]) ** 2;
        return m * u ** a[2] * Math.exp(a[1] * u);
      };
    case "template":
      // bin contents a[2 …] over [a[0], a[1]], linear between bin centres, flat in the outer half bins
      return (m) => {
        if (!(m >= a[0] && m <= a[1])) return 0;
        const d = coeffs;
        const u = ((m - a[0]) / (a[1] - a[0])) * d.length - 0.5;
        if (u <= 0) return d[0];
        if (u >= d.length - 1) return d[d.length - 1];
        const j = Math.floor(u);
        return d[j] + (d[j + 1] - d[j]) * (u - j);
      };
  }
}

/** c1·x + c2·x² + … */
function horner(c: number[], x: number): number {
  let s = 0;
  for (let k = c.length - 1; k >= 0; k--) s = (s + c[k]) * x;
  return s;
}

/**
 * Crystal Ball from its textbook definition, A(B − t)^−n below −α (and above α_R on the right),
 * with A = (n/α)^n e^{−α²/2}, B = n/α − α, written as e^{−α²/2 − n·ln(1 + α(|t| − α)/n)} so that
 * a large n (A overflows beyond n ≈ 150) keeps its exponential-tail limit.
 */
function crystalBall(
  m: number,
  mean: number,
  sL: number,
  sR: number,
  aL: number,
  nL: number,
  aR: number,
  nR: number,
): number {
  const t = m < mean ? (m - mean) / sL : (m - mean) / sR;
  const tail = (a: number, n: number, u: number) => Math.exp(-0.5 * a * a - n * Math.log1p((a * (u - a)) / n));
  if (t < -aL) return tail(aL, nL, -t);
  if (t > aR) return tail(aR, nR, t);
  return Math.exp(-0.5 * t * t);
}

/** Where a shape changes fast: breakpoints that keep adaptive quadrature from stepping over a peak. */
function breakpoints(shape: ShapeName, a: number[]): number[] {
  if (shape === "gaussian" || shape === "crystalBall") return [-20, -5, -2, 0, 2, 5, 20].map((k) => a[0] + k * a[1]);
  if (shape === "doubleCrystalBall") return [-20, -5, -2, 0, 2, 5, 20].map((k) => a[0] + k * (k < 0 ? a[1] : a[2]));
  if (shape === "argus") return [a[0] * 0.99, a[0] * 0.999, a[0]];
  // a template is linear between its bin centres (and 0 outside its ends)
  if (shape === "template") return shapeKnots(shape, a);
  return [];
}

/**
 * ∫ g dm over [lo, hi] by adaptive Gauss–Kronrod quadrature on the pieces between breakpoints;
 * with `exclude` (vetoed open intervals inside [lo, hi]) over the allowed pieces only, each
 * integrated on its own.
 * @example
 * import { shapeIntegral } from "bumpscan/oracle";
 * shapeIntegral("gaussian", [0, 1], -50, 50); // => Math.sqrt(2 * Math.PI)
 * shapeIntegral("uniform", [], 0, 10, 1e-13, [[3, 3.5], [6, 7]]); // => 8.5
 */
export function shapeIntegral(
  shape: ShapeName,
  a: number[],
  lo: number,
  hi: number,
  tol = 1e-13,
  exclude: [number, number][] = [],
): number {
  if (exclude.length > 0) {
    return allowedPieces([lo, hi], exclude).reduce((sum, [l, h]) => sum + shapeIntegral(shape, a, l, h, tol), 0);
  }
  const f = shapeDensity(shape, a);
  const cuts = [
    lo,
    ...breakpoints(shape, a)
      .filter((x) => x > lo && x < hi)
      .sort((x, y) => x - y),
    hi,
  ];
  // a peak's share sets the scale: tails far below it need no relative precision of their own
  const scale = Math.max(...cuts.map(f).map(Math.abs), f(0.5 * (lo + hi))) * (hi - lo);
  let sum = 0;
  for (let i = 0; i + 1 < cuts.length; i++) sum += adaptiveIntegral(f, cuts[i], cuts[i + 1], tol, 1e-3 * tol * scale);
  return sum;
}

/**
 * The extended NLL of a model over datasets, in plain TypeScript (no WASM). Components whose
 * arguments did not change since the last call keep their per-event values, as the core does.
 * Factored arguments are base × Π factors; each PDF is normalised over its sample's range less
 * its vetoes and is 0 inside them; a gauss factor 1 + r·θ ≤ 0 makes the NLL +∞.
 * @example
 * import { OracleNll } from "bumpscan/oracle";
 * import { ModelBuilder } from "bumpscan/model";
 * const model = new ModelBuilder("m", [0, 10])
 *   .parameter("nsig", 10).parameter("nbkg", 90, { lo: 0 })
 *   .component("sig", "gaussian", [5, 0.5], "nsig")
 *   .component("bkg", "uniform", [], "nbkg")
 *   .build("nsig");
 * new OracleNll(model, [{ values: new Float64Array([4.8, 5.1, 7.5]) }]).nll([10, 90]); // => 92.18498
 */
export class OracleNll {
  private readonly index: Map<string, number>;
  private readonly cache = new Map<Component, { key: string; values: Float64Array }>();

  constructor(
    readonly model: Model,
    readonly data: Dataset[],
  ) {
    this.index = new Map(model.parameters.map((p, i) => [p.name, i]));
  }

  private param(name: string, v: ArrayLike<number>): number {
    return v[this.index.get(name)!];
  }

  /** An argument's value: its base times each factor at its parameter's value. */
  private arg(a: Arg, v: ArrayLike<number>): number {
    const { base, factors } = argParts(a);
    let x = typeof base === "number" ? base : this.param(base, v);
    for (const f of factors) x *= factorValue(f, this.param(f.param, v));
    return x;
  }

  /** Per-event normalised density of a component (cached while its arguments are unchanged). */
  private component(
    c: Component,
    range: [number, number],
    exclude: [number, number][] | undefined,
    events: Float64Array,
    v: ArrayLike<number>,
  ): Float64Array {
    const args = c.args.map((a) => this.arg(a, v));
    const key = args.join(",");
    const hit = this.cache.get(c);
    if (hit && hit.key === key) return hit.values;
    const g = shapeDensity(c.shape, args);
    const norm = shapeIntegral(c.shape, args, range[0], range[1], 1e-13, exclude);
    const values = events.map((m) => (isExcluded(exclude, m) ? 0 : g(m) / norm));
    this.cache.set(c, { key, values });
    return values;
  }

  private yieldOf(c: Component, v: ArrayLike<number>): number {
    return c.yieldFactors.reduce((y, f) => y * factorValue(f, this.param(f.param, v)), c.yieldConstant);
  }

  /**
   * The gradient of the NLL at `v` from its formula, ∂NLL/∂p = Σ_c ∂ν_c/∂p − Σ_i w_i ∂d_i/∂p / d_i
   * (+ the constraints' (θ − mean)/σ²), with every derivative of the model numerical: each event's
   * ∂g_c(m_i)/∂p and ∂ν_c/∂p by central differences of step 1e-7·(|p| + 1) (per event, so no
   * cancellation across the sum, and a kink of the shape — a Crystal Ball's tail, a double-sided
   * one's mean — spoils only the events within that step of it), each normalisation's ∂I_c/∂p by
   * Richardson-extrapolated differences of steps 1e-3·(|p| + 1) and half that (I_c is smooth in p).
   * The independent reference for the core's analytic gradient.
   */
  gradient(v: ArrayLike<number>): number[] {
    const grad = Array.from(v, () => 0);
    for (const k of this.model.constraints) {
      const i = this.index.get(k.param)!;
      grad[i] += (v[i] - k.mean) / k.sigma ** 2;
    }
    const at = (i: number, x: number) => {
      const u = Array.from(v);
      u[i] = x;
      return u;
    };
    this.model.samples.forEach((s, si) => {
      const { values: events, weights } = this.data[si];
      const parts = (u: ArrayLike<number>) =>
        s.components.map((c) => {
          const args = c.args.map((a) => this.arg(a, u));
          const g = shapeDensity(c.shape, args);
          return { args, nu: this.yieldOf(c, u), g: events.map((m) => (isExcluded(s.exclude, m) ? 0 : g(m))) };
        });
      const norm = (c: Component, u: ArrayLike<number>) =>
        shapeIntegral(
          c.shape,
          c.args.map((a) => this.arg(a, u)),
          s.range[0],
          s.range[1],
          1e-13,
          s.exclude,
        );
      const here = parts(v);
      const I = s.components.map((c) => norm(c, v));
      const d = events.map((_, e) => here.reduce((sum, p, c) => sum + (p.nu * p.g[e]) / I[c], 0));
      Array.from(v).forEach((x, i) => {
        const hs = 1e-7 * (Math.abs(x) + 1),
          hb = 1e-3 * (Math.abs(x) + 1);
        const up = parts(at(i, x + hs)),
          dn = parts(at(i, x - hs));
        s.components.forEach((c, ci) => {
          const moves = up[ci].args.some((a, k) => a !== dn[ci].args[k]);
          const dnu = (up[ci].nu - dn[ci].nu) / (2 * hs);
          if (!moves && dnu === 0) return;
          const diff = (h: number) => (norm(c, at(i, x + h)) - norm(c, at(i, x - h))) / (2 * h);
          const dI = moves ? (4 * diff(hb / 2) - diff(hb)) / 3 : 0;
          const { nu, g } = here[ci];
          let sum = 0;
          for (let e = 0; e < events.length; e++) {
            const dg = (up[ci].g[e] - dn[ci].g[e]) / (2 * hs);
            const dd = (dnu * g[e] + nu * dg) / I[ci] - (nu * g[e] * dI) / I[ci] ** 2;
            sum += ((weights ? weights[e] : 1) * dd) / d[e];
          }
          grad[i] += dnu - sum;
        });
      });
    });
    return grad;
  }

  /** The NLL at parameter values `v` (model order); +∞ where a density is ≤ 0. */
  nll(v: ArrayLike<number>): number {
    // a gauss factor 1 + r·θ ≤ 0 (NaN from factorValue): no valid model there
    for (const s of this.model.samples)
      for (const c of s.components)
        if (Number.isNaN(this.yieldOf(c, v)) || c.args.some((a) => Number.isNaN(this.arg(a, v)))) return Infinity;
    let total = 0;
    for (const k of this.model.constraints) total += 0.5 * ((v[this.index.get(k.param)!] - k.mean) / k.sigma) ** 2;
    this.model.samples.forEach((s, si) => {
      const { values: events, weights } = this.data[si];
      const f = s.components.map((c) => this.component(c, s.range, s.exclude, events, v));
      const nu = s.components.map((c) => this.yieldOf(c, v));
      for (const y of nu) total += y;
      const nc = f.length;
      for (let i = 0; i < events.length; i++) {
        let d = 0;
        for (let c = 0; c < nc; c++) d += nu[c] * f[c][i];
        total -= (weights ? weights[i] : 1) * (d > 0 ? Math.log(d) : -Infinity);
      }
    });
    return total;
  }
}

/**
 * The shape's kind code (for tests that call the core's PDF exports directly).
 */
export const kindOf = (shape: ShapeName) => SHAPES[shape].kind;
