/**
 * Maximum-likelihood fits, shaped like iminuit: values, errors, covariance, fmin-like status.
 * The minimisation runs inside WASM; HESSE's Hessian comes from the core (analytic on fused
 * models, else differences of the analytic gradient) and is inverted here with ml-matrix.
 */
import { CholeskyDecomposition, EigenvalueDecomposition, Matrix } from "ml-matrix";
import type { CompiledModel, FitStatus } from "../core/compile.js";
import { BumpscanError } from "../errors.js";

export interface FitOptions {
  /** Parameters held at the given values (e.g. { nsig: 0 } for the background-only fit). */
  fixed?: Record<string, number>;
  /** Start values, or an earlier result to warm-start from. */
  start?: Record<string, number> | FitResult;
  /** Minuit-style tolerance: converged when EDM < 0.002 · tol · up (up = 0.5). Default 0.1. */
  tol?: number;
  /** Call limit of the minimizer (NLL + gradient evaluations). Default 1000. */
  maxCalls?: number;
  /** Compute the HESSE covariance (default true). */
  hesse?: boolean;
  /**
   * A series of similar fits (0 or 1): start from the metric the previous fit in this slot
   * converged with instead of differencing the gradient again (core.forgetMetrics() empties both).
   */
  metricSlot?: number;
}

export interface FitResult {
  status: FitStatus;
  /** Converged and, if computed, a positive-definite Hessian without fix-up. */
  valid: boolean;
  values: Record<string, number>;
  /**
   * HESSE errors (0 for fixed parameters; NaN if HESSE failed or was skipped, and for parameters
   * along a direction without curvature, e.g. a yield at its bound with no events).
   */
  errors: Record<string, number>;
  /** Covariance over the free parameters, in `covarianceNames` order. */
  covariance?: number[][];
  covarianceNames: string[];
  /** True if the Hessian was not positive definite and had to be fixed up. */
  covarianceForced: boolean;
  /**
   * Free parameters closer to a bound than a tenth of their error (or at it with no error): their
   * HESSE error does not describe the likelihood there (Minuit's "at limit"), and the fit is not valid.
   */
  atLimit: string[];
  nll: number;
  edm: number;
  nfcn: number;
  fixed: string[];
  timing: { ms: number };
}

const UP = 0.5;

/**
 * Fit a compiled model to its data.
 * @example
 * import { readFileSync } from "node:fs";
 * import { parseSpec, readColumn } from "bumpscan";
 * import { compileAt, instantiateCore } from "bumpscan/core";
 * import { fit } from "bumpscan/infer";
 * const spec = parseSpec(JSON.parse(readFileSync("spec.json", "utf8")), "spec.json");
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * const { cm } = compileAt(await instantiateCore(), spec, { values }, 4.2); // the reference model at 4.2
 * const r = fit(cm); // all parameters free
 * [r.values.nsig, r.errors.nsig]; // => [47.85, 15.49]
 * const b = fit(cm, { fixed: { nsig: 0 }, start: r }); // the background-only fit, warm-started
 * b.nll - r.nll; // => 5.66
 */
export function fit(cm: CompiledModel, options: FitOptions = {}): FitResult {
  const t0 = performance.now();
  const names = cm.names;
  const start = startValues(cm, options);
  const fixed = new Set(cm.model.parameters.filter((p) => p.fixed).map((p) => p.name));
  for (const [name, v] of Object.entries(options.fixed ?? {})) {
    const i = names.indexOf(name);
    if (i < 0) throw new BumpscanError(`cannot fix unknown parameter "${name}"`);
    start[i] = v;
    fixed.add(name);
  }
  offBounds(cm, start, fixed);
  cm.values = start;
  cm.setFree(names.map((n) => !fixed.has(n)));
  const tol = options.tol ?? 0.1;
  if (options.metricSlot !== undefined) cm.core.useMetricSlot(options.metricSlot);
  const m = cm.minimize(options.maxCalls ?? 1000, 0.002 * tol * UP);
  if (options.metricSlot !== undefined) cm.core.useMetricSlot(-1);
  let values = cm.values;
  const freeNames = names.filter((n) => !fixed.has(n));
  let nfcn = m.nfcn;
  let nll = m.fval;
  let edm = m.edm;
  const errors = Object.fromEntries(names.map((n) => [n, fixed.has(n) ? 0 : NaN]));
  let covariance: number[][] | undefined;
  let forced = false;
  if ((options.hesse ?? true) && m.status !== "failed" && freeNames.length > 0) {
    const h = hesse(cm, freeNames, values, m.errorGuess);
    if (h) {
      nfcn += h.nfcn;
      covariance = h.covariance;
      forced = h.forced;
      freeNames.forEach((n, k) => (errors[n] = Math.sqrt(h.covariance[k][k])));
      if (m.status === "converged" && !forced) {
        const polished = newtonPolish(cm, freeNames, values, h.covariance, h.at);
        nfcn += polished.nfcn;
        if (polished.accepted) ({ values, nll, edm } = polished);
      }
    }
  }
  const atLimit = freeNames.filter((n) =>
    nearBound(cm.model.parameters[names.indexOf(n)], values[names.indexOf(n)], errors[n]),
  );
  return {
    status: m.status,
    valid:
      m.status === "converged" &&
      !forced &&
      atLimit.length === 0 &&
      (covariance !== undefined || options.hesse === false),
    values: Object.fromEntries(names.map((n, i) => [n, values[i]])),
    errors,
    covariance,
    covarianceNames: freeNames,
    covarianceForced: forced,
    atLimit,
    nll,
    edm,
    nfcn,
    fixed: [...fixed],
    timing: { ms: performance.now() - t0 },
  };
}

/** Within a tenth of its error of a finite bound (errors NaN: within 1e-6 of its scale). */
function nearBound(p: { lo: number; hi: number }, v: number, error: number): boolean {
  const reach = Number.isFinite(error) ? 0.1 * error : 1e-6 * Math.max(1, Math.abs(v));
  return v - p.lo < reach || p.hi - v < reach;
}

/**
 * One Newton step δ = −H⁻¹∇ from the converged point with HESSE's Hessian (H⁻¹ = cov/(2·up)): it
 * takes the minimum from MIGRAD's EDM tolerance to machine precision for one gradient call.
 * Kept only if it stays inside the bounds and lowers the NLL.
 */
function newtonPolish(
  cm: CompiledModel,
  freeNames: string[],
  values: Float64Array,
  cov: number[][],
  at?: { nll: number; grad: Float64Array },
): { accepted: boolean; values: Float64Array; nll: number; edm: number; nfcn: number } {
  const idx = freeNames.map((n) => cm.names.indexOf(n));
  const before = at ?? cm.nllGrad(values); // the analytic HESSE's pass gave them at this point
  const next = values.slice();
  idx.forEach((i, k) => (next[i] -= idx.reduce((s, j, l) => s + (cov[k][l] / (2 * UP)) * before.grad[j], 0)));
  const inside = idx.every((i) => next[i] >= cm.model.parameters[i].lo && next[i] <= cm.model.parameters[i].hi);
  const after = inside ? cm.nllGrad(next) : before;
  const accepted = inside && after.nll <= before.nll;
  const final = accepted ? after : cm.nllGrad(values);
  const edm =
    0.5 *
    idx.reduce(
      (s, i, k) => s + final.grad[i] * idx.reduce((t, j, l) => t + (cov[k][l] / (2 * UP)) * final.grad[j], 0),
      0,
    );
  const nfcn = (at ? 0 : 1) + (inside ? 1 : 0) + (accepted ? 0 : 1);
  return { accepted, values: accepted ? next : values, nll: final.nll, edm, nfcn };
}

/**
 * Free parameters that start on (or a hair from) a bound start just inside it: Minuit's bound
 * transform has zero slope at the bound, so a fit started there cannot leave it (a free fit
 * warm-started from the background-only fit, with the signal yield's floor at 0, would stop at once).
 */
function offBounds(cm: CompiledModel, start: number[], fixed: Set<string>): void {
  cm.model.parameters.forEach((p, i) => {
    if (fixed.has(p.name)) return;
    const nudge = Math.min(1e-3 * Math.max(1, Math.abs(start[i])), 0.1 * (p.hi - p.lo));
    if (start[i] - p.lo < nudge) start[i] = p.lo + nudge;
    else if (p.hi - start[i] < nudge) start[i] = p.hi - nudge;
  });
}

function startValues(cm: CompiledModel, options: FitOptions): number[] {
  const start = cm.model.parameters.map((p) => p.value);
  const given =
    options.start && "values" in options.start ? (options.start.values as Record<string, number>) : options.start;
  for (const [name, v] of Object.entries(given ?? {})) {
    const i = cm.names.indexOf(name);
    if (i < 0) throw new BumpscanError(`start value for unknown parameter "${name}"`);
    const p = cm.model.parameters[i];
    if (Number.isFinite(v)) start[i] = Math.min(Math.max(v, p.lo), p.hi);
  }
  return start;
}

/**
 * Positive definite beyond rounding: the Hessian scaled to unit diagonal (so yields of 10⁴ and
 * shape parameters of 10⁻² compare) has no eigenvalue below 1e-10. Two identical components give
 * an exactly singular Hessian that differencing noise may leave barely positive.
 */
function wellConditioned(H: Matrix): boolean {
  const d = H.diag().map((x) => 1 / Math.sqrt(x));
  const R = new Matrix(H.rows, H.columns);
  for (let i = 0; i < H.rows; i++) for (let j = 0; j < H.columns; j++) R.set(i, j, H.get(i, j) * d[i] * d[j]);
  return Math.min(...new EigenvalueDecomposition(R).realEigenvalues) > 1e-10;
}

/**
 * The covariance 2·up·H⁻¹ from the core's Hessian. A Hessian that is not positive definite is
 * made so by raising its eigenvalues to a small positive floor (flagged as forced).
 */
function hesse(
  cm: CompiledModel,
  freeNames: string[],
  values: Float64Array,
  guess: number[],
): { covariance: number[][]; forced: boolean; nfcn: number; at?: { nll: number; grad: Float64Array } } | undefined {
  const steps = freeNames.map((n, k) => {
    const v = values[cm.names.indexOf(n)];
    const g = guess[k];
    return Number.isFinite(g) && g > 0 ? 0.01 * g : 1e-4 * (Math.abs(v) + 1e-3);
  });
  const h = cm.hessian(steps);
  if (!h || h.matrix.flat().some((x) => !Number.isFinite(x))) return undefined;
  const n = freeNames.length;
  const H = new Matrix(h.matrix);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) {
      const s = 0.5 * (H.get(i, j) + H.get(j, i));
      H.set(i, j, s);
      H.set(j, i, s);
    }
  let forced = false;
  let inverse: Matrix;
  const chol = new CholeskyDecomposition(H);
  if (chol.isPositiveDefinite() && wellConditioned(H)) inverse = chol.solve(Matrix.eye(n));
  else {
    forced = true;
    const eig = new EigenvalueDecomposition(H);
    const lambda = eig.realEigenvalues;
    const top = Math.max(...lambda);
    // no curvature at all (e.g. a yield at its bound with no events): the errors are undefined
    if (!(top > 0)) return { covariance: lambda.map(() => lambda.map(() => NaN)), forced, nfcn: h.nfcn, at: h.at };
    const floor = 1e-8 * top;
    const V = eig.eigenvectorMatrix;
    const D = Matrix.diag(lambda.map((l) => 1 / Math.max(l, floor)));
    inverse = V.mmul(D).mmul(V.transpose());
    // a parameter that moves along a direction without curvature has no error: NaN, not 1/floor
    const flat = lambda.map((l) => l <= floor);
    const covariance = inverse.mul(2 * UP).to2DArray();
    for (let i = 0; i < n; i++) {
      if (lambda.some((_, k) => flat[k] && V.get(i, k) ** 2 > 1e-6)) covariance[i][i] = NaN;
    }
    return { covariance, forced, nfcn: h.nfcn, at: h.at };
  }
  const covariance = inverse.mul(2 * UP).to2DArray();
  // The analytic Hessian is exact where differences were noise: a parameter with no curvature to
  // speak of (a yield at its floor with no events under its peak: the NLL is linear in it) gets a
  // tiny positive one. Over its would-be error the linear term dwarfs the quadratic: no error.
  if (h.at) {
    const idx = freeNames.map((name) => cm.names.indexOf(name));
    idx.forEach((p, k) => {
      if (Math.abs(h.at!.grad[p]) * Math.sqrt(covariance[k][k]) > 1e6) {
        covariance[k][k] = NaN;
        forced = true;
      }
    });
  }
  return { covariance, forced, nfcn: h.nfcn, at: h.at };
}
