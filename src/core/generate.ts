/**
 * Deterministic pseudo-data from a model: Poisson counts per component, each component's events
 * drawn by inverting its tabulated CDF (2^16 cells, linear within a cell) over the sample's range
 * less its vetoes (no event inside a vetoed interval; the expected count is the yield, the PDF
 * being normalised over the allowed region). Serves the demo and the tests; the toy machinery of
 * the limit calculators lives in the WASM core.
 */
import { xoroshiro128plusFromState } from "pure-rand/generator/xoroshiro128plus";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { allowedPieces, type Arg, argParts, factorValue, type Model } from "../model/model.js";
import { BumpscanError } from "../errors.js";
import { shapeDensity } from "./oracle.js";
import { templateKnots } from "../model/template.js";

type Rng = () => number;

/** murmur3's 32-bit finaliser: every input bit moves every output bit. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A seeded uniform generator on [0, 1), one independent stream per (seed, stream). The state is
 * hashed from both (pure-rand's own xoroshiro128plus(seed) puts the seed into the state as it is,
 * so neighbouring seeds would start correlated), and the first outputs are discarded.
 */
export function seededUniform(seed: number, stream = 0): Rng {
  const base = fmix32((seed >>> 0) ^ fmix32(Math.floor(seed / 2 ** 32) >>> 0));
  const words: number[] = [1, 2, 3, 4].map((k) => fmix32(base ^ fmix32((stream >>> 0) + Math.imul(k, 0x9e3779b9))) | 0);
  if (!words.some((w) => w !== 0)) words[0] = 1; // the all-zero state is the one xoroshiro cannot leave
  const rng = xoroshiro128plusFromState(words);
  for (let i = 0; i < 16; i++) rng.next();
  return () => uniformFloat64(rng);
}

/**
 * A Poisson deviate: multiplication method below 30, otherwise the sum of independent Poisson
 * pieces of mean ≤ 30 (exact, and fast enough for test and demo sizes).
 */
export function poisson(u: Rng, mean: number): number {
  let n = 0;
  let rest = mean;
  while (rest > 0) {
    const m = Math.min(rest, 30);
    rest -= m;
    const L = Math.exp(-m);
    let p = u();
    while (p > L) {
      n++;
      p *= u();
    }
  }
  return n;
}

/** The tabulated CDF of g over [lo, hi] (Simpson per cell) and its inverse. */
function cdfTable(g: (m: number) => number, lo: number, hi: number, cells: number) {
  const h = (hi - lo) / cells;
  const cdf = new Float64Array(cells + 1);
  let prev = g(lo);
  for (let i = 1; i <= cells; i++) {
    const mid = g(lo + (i - 0.5) * h);
    const next = g(lo + i * h);
    cdf[i] = cdf[i - 1] + (h * (prev + 4 * mid + next)) / 6;
    prev = next;
  }
  const invert = (target: number) => {
    let a = 0,
      b = cells;
    while (b - a > 1) {
      const c = (a + b) >> 1;
      if (cdf[c] <= target) a = c;
      else b = c;
    }
    const frac = (target - cdf[a]) / (cdf[b] - cdf[a] || 1);
    return Math.min(hi, lo + (a + frac) * h);
  };
  return { total: cdf[cells], invert };
}

/**
 * Sampler for one shape over the allowed pieces of a range (the range itself without vetoes) by
 * inverse tabulated CDF: 2^16 cells shared by the pieces in proportion to their widths (at least
 * 64 each), so that no event falls inside a vetoed interval.
 */
function shapeSampler(
  shape: Parameters<typeof shapeDensity>[0],
  args: number[],
  pieces: [number, number][],
): (u: number) => number {
  if (shape === "template") return templateSampler(args, pieces);
  const cells = 1 << 16;
  const g = shapeDensity(shape, args);
  const width = pieces.reduce((w, [lo, hi]) => w + (hi - lo), 0);
  const tables = pieces.map(([lo, hi]) =>
    cdfTable(g, lo, hi, pieces.length === 1 ? cells : Math.max(64, Math.round((cells * (hi - lo)) / width))),
  );
  const start = [0];
  for (const t of tables) start.push(start[start.length - 1] + t.total);
  const total = start[tables.length];
  return (u) => {
    const target = u * total;
    let k = 0;
    while (k + 1 < tables.length && target >= start[k + 1]) k++;
    return tables[k].invert(target - start[k]);
  };
}

/**
 * Sampler for a template over the allowed pieces of a range, exact: its density is linear between
 * its knots (bin centres and ends), so within each linear segment the CDF is a quadratic, inverted
 * in closed form.
 */
function templateSampler(args: number[], pieces: [number, number][]): (u: number) => number {
  const { x, v } = templateKnots(args);
  const segments: { a: number; b: number; fa: number; slope: number }[] = [];
  const cumulative = [0];
  for (const [lo, hi] of pieces)
    for (let k = 0; k + 1 < x.length; k++) {
      const a = Math.max(lo, x[k]),
        b = Math.min(hi, x[k + 1]);
      if (!(b > a)) continue;
      const slope = (v[k + 1] - v[k]) / (x[k + 1] - x[k]);
      const fa = v[k] + slope * (a - x[k]);
      segments.push({ a, b, fa, slope });
      cumulative.push(cumulative[cumulative.length - 1] + (b - a) * (fa + 0.5 * slope * (b - a)));
    }
  const total = cumulative[segments.length];
  if (!(total > 0)) throw new BumpscanError("cannot generate from a template with no density in the range");
  return (u) => {
    const target = u * total;
    let lo = 0,
      hi = segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (cumulative[mid] <= target) lo = mid;
      else hi = mid - 1;
    }
    const { a, b, fa, slope } = segments[lo];
    const r = target - cumulative[lo];
    // fa·t + slope·t²/2 = r, in the form without cancellation
    const root = Math.sqrt(Math.max(0, fa * fa + 2 * slope * r));
    const t = fa + root > 0 ? (2 * r) / (fa + root) : 0;
    return Math.min(b, a + Math.max(0, t));
  };
}

/**
 * Generate one dataset per sample at parameter values `values` (by name; others at their start),
 * from the random stream (seed, stream).
 * @example
 * import { generate } from "bumpscan/core";
 * import { buildModel, parseSpec } from "bumpscan/model";
 * const spec = parseSpec({ observable: { range: [0, 10] }, signal: { shape: "gaussian", sigma: 0.05 },
 *   background: { shape: "expPoly", order: 2 } });
 * const model = buildModel(spec, { mass: 4.2, nEvents: 1e4 });
 * const [events] = generate(model, { nsig: 60, nbkg: 1e4, c1: -1.2, c2: 0.3 }, 20240001); // Poisson N
 * events.length; // => 10036
 */
export function generate(model: Model, values: Record<string, number>, seed: number, stream = 0): Float64Array[] {
  const u = seededUniform(seed, stream);
  const v = new Map(model.parameters.map((p) => [p.name, values[p.name] ?? p.value]));
  const arg = (a: Arg) => {
    const { base, factors } = argParts(a);
    return factors.reduce(
      (x, f) => x * factorValue(f, v.get(f.param)!),
      typeof base === "number" ? base : v.get(base)!,
    );
  };
  return model.samples.map((s) => {
    const out: number[] = [];
    for (const c of s.components) {
      const nu = c.yieldFactors.reduce((y, f) => y * factorValue(f, v.get(f.param)!), c.yieldConstant);
      if (!(nu >= 0)) throw new BumpscanError(`cannot generate component ${c.name} with yield ${nu}`);
      const draw = shapeSampler(c.shape, c.args.map(arg), allowedPieces(s.range, s.exclude));
      const n = poisson(u, nu);
      for (let i = 0; i < n; i++) out.push(draw(u()));
    }
    // shuffle so the file does not list components in blocks
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(u() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return Float64Array.from(out);
  });
}
