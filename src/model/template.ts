/**
 * Signal templates from simulation (docs/spec.md, "Signal templates"): simulated events at several
 * true masses, one smoothed histogram per mass, and between two simulated masses Read's
 * interpolation (A. L. Read, NIM A425 (1999) 357): the quantile functions of the two bracketing
 * masses' shapes interpolated linearly in the mass, Q_m(p) = (1 − w)·Q_a(p) + w·Q_b(p) with
 * w = (m − m_a)/(m_b − m_a), and the result binned again. No extrapolation: a mass outside the
 * simulated ones is an error naming it.
 *
 * A histogram's shape is its bins' contents spread evenly over each bin, so its CDF is piecewise
 * linear through (edge_k, C_k) and its quantile function piecewise linear through (C_k, edge_k);
 * the morph's quantile function is then piecewise linear too (knots at both histograms' C_k), and
 * it is binned again exactly. The template PDF (assembly/pdf/template.ts) draws the binned
 * contents linearly between bin centres. Smoothing: each mass's event counts are convolved with
 * the binomial kernel (1, 4, 6, 4, 1)/16 (a discrete Gaussian of one bin's width; at the ends the
 * kernel is cut and renormalised, so no event leaves the histogram). Pure: io/data.ts reads the
 * events (loadSpecTemplates) and puts the histograms into the spec (`signal.loaded`).
 */
import { BumpscanError } from "../errors.js";
import type { MassFunction } from "./mass-function.js";

/** One simulated mass's smoothed histogram. */
export interface TemplateHistogram {
  /** The histogram's range (its events' smallest and largest values), split into equal bins. */
  range: [number, number];
  /** Each bin's share of the events, smoothed (they sum to 1). */
  contents: number[];
  /** Simulated events it was made of. */
  events: number;
}

/** A template as loaded: the simulated masses, increasing, and each one's histogram. */
export interface TemplateHistograms {
  masses: number[];
  histograms: TemplateHistogram[];
}

/** Histogram bins when the spec gives no `bins`. */
export const DEFAULT_TEMPLATE_BINS = 100;

/** A simulated mass needs at least this many events (in the observable range) to make a histogram. */
export const TEMPLATE_MIN_EVENTS = 10;

/** The smoothing kernel over bins −2 … 2. */
const KERNEL = [1, 4, 6, 4, 1].map((k) => k / 16);

/** The central 68.27% of a Gaussian lies within ±1σ: (Q(½ + P1) − Q(½ − P1))/2 is a template's σ. */
const P1 = 0.3413447460685429;

/**
 * The smoothed histogram of one simulated mass's events: `bins` equal bins over [min, max] of the
 * events, the counts convolved with (1, 4, 6, 4, 1)/16, normalised to 1.
 */
export function templateHistogram(events: ArrayLike<number>, bins: number, what = "template"): TemplateHistogram {
  const n = events.length;
  if (n < TEMPLATE_MIN_EVENTS)
    throw new BumpscanError(`${what}: ${n} events; a template needs at least ${TEMPLATE_MIN_EVENTS} per mass`);
  if (!(Number.isInteger(bins) && bins >= 2)) throw new BumpscanError(`${what}: bins must be an integer ≥ 2`);
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = events[i];
    if (!Number.isFinite(x)) throw new BumpscanError(`${what}: event ${i} is ${x}, not a finite number`);
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  if (!(hi > lo)) throw new BumpscanError(`${what}: all ${n} events have the value ${lo}; a template needs a spread`);
  const counts = new Float64Array(bins);
  const h = (hi - lo) / bins;
  for (let i = 0; i < n; i++) counts[Math.min(bins - 1, Math.floor((events[i] - lo) / h))]++;
  const smooth = new Float64Array(bins);
  for (let k = 0; k < bins; k++) {
    if (counts[k] === 0) continue;
    let norm = 0;
    for (let j = -2; j <= 2; j++) if (k + j >= 0 && k + j < bins) norm += KERNEL[j + 2];
    for (let j = -2; j <= 2; j++) if (k + j >= 0 && k + j < bins) smooth[k + j] += (counts[k] * KERNEL[j + 2]) / norm;
  }
  return { range: [lo, hi], contents: Array.from(smooth, (c) => c / n), events: n };
}

/**
 * A template from simulated events: each distinct true mass's events inside `range` (the
 * observable's) make one histogram. Masses with no event in the range are left out; one with
 * fewer than TEMPLATE_MIN_EVENTS there is an error naming it.
 */
export function templateFromEvents(
  values: ArrayLike<number>,
  trueMasses: ArrayLike<number>,
  bins: number,
  range: [number, number],
  what = "template",
): TemplateHistograms {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < values.length; i++) {
    const m = trueMasses[i];
    if (!Number.isFinite(m)) throw new BumpscanError(`${what}: the true mass of event ${i} is ${m}`);
    const x = values[i];
    if (!(x >= range[0] && x <= range[1])) continue;
    let g = groups.get(m);
    if (!g) groups.set(m, (g = []));
    g.push(x);
  }
  if (groups.size === 0)
    throw new BumpscanError(`${what}: no simulated event lies in the observable range [${range[0]}, ${range[1]}]`);
  const masses = [...groups.keys()].sort((a, b) => a - b);
  return {
    masses,
    histograms: masses.map((m) => {
      const events = groups.get(m)!;
      if (events.length < TEMPLATE_MIN_EVENTS)
        throw new BumpscanError(
          `${what}: the simulated mass ${m} has ${events.length} events in the observable range ` +
            `[${range[0]}, ${range[1]}]; a template needs at least ${TEMPLATE_MIN_EVENTS} per mass`,
        );
      return templateHistogram(events, bins, `${what} at mass ${m}`);
    }),
  };
}

/** A histogram's quantile function as knots (u, x): cumulative share u at the bin edges x (u ends at exactly 1). */
function quantileKnots(h: TemplateHistogram): { u: number[]; x: number[] } {
  const n = h.contents.length;
  const [lo, hi] = h.range;
  const u = [0],
    x = [lo];
  for (let k = 0; k < n; k++) {
    u.push(u[k] + h.contents[k]);
    x.push(k + 1 === n ? hi : lo + ((k + 1) * (hi - lo)) / n);
  }
  const total = u[n];
  if (!(total > 0)) throw new BumpscanError("a template histogram has no content");
  for (let k = 1; k < n; k++) u[k] = Math.min(1, u[k] / total);
  u[n] = 1;
  return { u, x };
}

/** Q(p) from quantile knots; on a vertical step (an empty bin) the step's lower end. */
function quantile(k: { u: number[]; x: number[] }, p: number): number {
  const { u, x } = k;
  let j = 1;
  while (j < u.length - 1 && u[j] < p) j++;
  const du = u[j] - u[j - 1];
  return du > 0 ? x[j - 1] + ((x[j] - x[j - 1]) * (p - u[j - 1])) / du : x[j - 1];
}

/**
 * The quantile knots of Read's morph (1 − w)·Q_a + w·Q_b: the two knot lists merged by u (each
 * interpolated at the other's knots; a vertical step of either stays a step).
 */
function morphKnots(
  a: { u: number[]; x: number[] },
  b: { u: number[]; x: number[] },
  w: number,
): { u: number[]; x: number[] } {
  const u: number[] = [],
    x: number[] = [];
  const at = (k: { u: number[]; x: number[] }, j: number, p: number) =>
    k.x[j - 1] + ((k.x[j] - k.x[j - 1]) * (p - k.u[j - 1])) / (k.u[j] - k.u[j - 1]);
  let i = 0,
    j = 0;
  while (i < a.u.length && j < b.u.length) {
    const ua = a.u[i],
      ub = b.u[j];
    if (ua === ub) {
      u.push(ua), x.push((1 - w) * a.x[i] + w * b.x[j]);
      i++, j++;
    } else if (ua < ub) {
      u.push(ua), x.push((1 - w) * a.x[i] + w * at(b, j, ua));
      i++;
    } else {
      u.push(ub), x.push((1 - w) * at(a, i, ub) + w * b.x[j]);
      j++;
    }
  }
  // both end at u = 1; knots left over sit there (steps at the top)
  for (; i < a.u.length; i++) u.push(a.u[i]), x.push((1 - w) * a.x[i] + w * b.x[b.x.length - 1]);
  for (; j < b.u.length; j++) u.push(b.u[j]), x.push((1 - w) * a.x[a.x.length - 1] + w * b.x[j]);
  return { u, x };
}

/** The histogram of `bins` equal bins over the knots' x span whose CDF is the knots' (exact). */
function binKnots(k: { u: number[]; x: number[] }, bins: number, events: number): TemplateHistogram {
  const lo = k.x[0],
    hi = k.x[k.x.length - 1];
  let j = 0; // the knot at or below the last edge asked for (edges come in increasing order)
  const cdf = (e: number) => {
    while (j < k.x.length - 1 && k.x[j + 1] <= e) j++;
    if (j >= k.x.length - 1) return 1;
    const dx = k.x[j + 1] - k.x[j];
    return dx > 0 ? k.u[j] + ((k.u[j + 1] - k.u[j]) * (e - k.x[j])) / dx : k.u[j + 1];
  };
  const contents: number[] = [];
  let prev = 0;
  for (let b = 1; b <= bins; b++) {
    const next = b === bins ? 1 : cdf(lo + (b * (hi - lo)) / bins);
    contents.push(Math.max(0, next - prev));
    prev = next;
  }
  return { range: [lo, hi], contents, events };
}

/**
 * Read's interpolation between two histograms at weight w ∈ [0, 1] (0: `a`, 1: `b`): the
 * distribution whose quantile function is (1 − w)·Q_a + w·Q_b, binned into `bins` equal bins over
 * its support.
 */
export function morphHistograms(
  a: TemplateHistogram,
  b: TemplateHistogram,
  w: number,
  bins = a.contents.length,
): TemplateHistogram {
  const knots = morphKnots(quantileKnots(a), quantileKnots(b), w);
  return binKnots(knots, bins, Math.round((1 - w) * a.events + w * b.events));
}

/** Mass m within a table's masses, a hair of tolerance at the ends (grid masses carry rounding). */
function bracket(masses: number[], m: number, what: string): { i: number; w: number } {
  const first = masses[0],
    last = masses[masses.length - 1];
  const eps = 1e-12 * Math.max(1, Math.abs(first), Math.abs(last));
  if (!(m >= first - eps && m <= last + eps))
    throw new BumpscanError(
      `${what}: mass ${m} is outside its simulated masses [${first}, ${last}] (no extrapolation)`,
    );
  if (masses.length === 1) return { i: 0, w: 0 };
  let i = 0;
  while (i < masses.length - 2 && masses[i + 1] < m) i++;
  const w = (Math.min(Math.max(m, masses[i]), masses[i + 1]) - masses[i]) / (masses[i + 1] - masses[i]);
  return { i, w };
}

/**
 * The template at hypothesis mass m: the histogram of a simulated mass, or Read's morph between
 * the two bracketing it. `what` names the template in errors (a mass outside the simulated ones).
 */
export function templateAt(t: TemplateHistograms, m: number, what = "signal template"): TemplateHistogram {
  const { i, w } = bracket(t.masses, m, what);
  if (w === 0) return t.histograms[i];
  if (w === 1) return t.histograms[i + 1];
  return morphHistograms(t.histograms[i], t.histograms[i + 1], w);
}

/** The template PDF's arguments for a histogram: [xlo, xhi, d_1 … d_n], the bins' densities. */
export function templatePdfArgs(h: TemplateHistogram): number[] {
  const [lo, hi] = h.range;
  const width = (hi - lo) / h.contents.length;
  return [lo, hi, ...h.contents.map((c) => c / width)];
}

/** A histogram's width σ: half its central 68.27% interval (a Gaussian's σ). */
export function histogramWidth(h: TemplateHistogram): number {
  const k = quantileKnots(h);
  return 0.5 * (quantile(k, 0.5 + P1) - quantile(k, 0.5 - P1));
}

/**
 * The template's resolution as a mass function: each simulated mass's width (histogramWidth),
 * interpolated linearly (exactly the morph's width, quantiles being linear in the mass). It sets
 * the scan's step and window.
 */
export function templateResolution(t: TemplateHistograms): MassFunction {
  return { table: t.masses.map((m, i): [number, number] => [m, histogramWidth(t.histograms[i])]) };
}

/** The template's width σ at mass m (an error naming the mass outside the simulated ones). */
export function templateWidthAt(t: TemplateHistograms, m: number, what = "signal template"): number {
  const { i, w } = bracket(t.masses, m, what);
  const a = histogramWidth(t.histograms[i]);
  return w === 0 ? a : (1 - w) * a + w * histogramWidth(t.histograms[i + 1]);
}

/** The knots and values of the template PDF (linear between them): ends and bin centres. */
export function templateKnots(args: number[]): { x: number[]; v: number[] } {
  const [lo, hi] = args;
  const d = args.slice(2);
  const n = d.length;
  const h = (hi - lo) / n;
  return {
    x: [lo, ...d.map((_, k) => lo + (k + 0.5) * h), hi],
    v: [d[0], ...d, d[n - 1]],
  };
}

/** ∫ of the template PDF over [a, b] in closed form (the trapezoids of its linear pieces). */
export function templatePdfIntegral(args: number[], a: number, b: number): number {
  const { x, v } = templateKnots(args);
  let sum = 0;
  for (let k = 0; k + 1 < x.length; k++) {
    const p = Math.max(a, x[k]),
      q = Math.min(b, x[k + 1]);
    if (!(q > p)) continue;
    const slope = (v[k + 1] - v[k]) / (x[k + 1] - x[k]);
    sum += (q - p) * (v[k] + slope * (0.5 * (p + q) - x[k]));
  }
  return sum;
}

/** The error of a template whose events were never read. */
export const templateNotLoaded = (where: string) =>
  `${where}: the template's simulated events are not loaded: read them with loadSpecTemplates(spec, folder) ` +
  `(the command line does)`;

/**
 * A spec's template signal at mass m as PDF arguments, refusing one not loaded (its events are
 * read by the I/O layer) and one with no density in the fit range.
 */
export function templateArgsAt(
  loaded: TemplateHistograms | undefined,
  m: number,
  range: [number, number],
  where: string,
): number[] {
  if (!loaded) throw new BumpscanError(templateNotLoaded(where));
  const args = templatePdfArgs(templateAt(loaded, m, `${where} template`));
  if (!(templatePdfIntegral(args, range[0], range[1]) > 0))
    throw new BumpscanError(
      `${where} template at mass ${m} lies outside the fit range [${range[0]}, ${range[1]}] ` +
        `(it spans [${args[0]}, ${args[1]}])`,
    );
  return args;
}

/** The first problem of a loaded template as written (a spec or a result may carry one), or undefined. */
export function templateProblem(t: TemplateHistograms, bins: number): string | undefined {
  if (t.masses.length === 0) return "loaded.masses is empty";
  if (t.histograms.length !== t.masses.length)
    return `loaded has ${t.masses.length} masses but ${t.histograms.length} histograms`;
  for (let i = 1; i < t.masses.length; i++)
    if (!(t.masses[i] > t.masses[i - 1]))
      return `loaded.masses must increase (${t.masses[i]} after ${t.masses[i - 1]})`;
  for (const [i, h] of t.histograms.entries()) {
    if (!(h.range[0] < h.range[1])) return `loaded.histograms[${i}].range [${h.range}] must have lo < hi`;
    if (h.contents.length !== bins)
      return `loaded.histograms[${i}] has ${h.contents.length} bins, not ${bins} (load the template again)`;
    if (!h.contents.every((c) => c >= 0 && Number.isFinite(c)) || !h.contents.some((c) => c > 0))
      return `loaded.histograms[${i}].contents must be finite, ≥ 0 and not all 0`;
  }
  return undefined;
}
