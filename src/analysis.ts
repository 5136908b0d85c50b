/**
 * Spec-level jobs: a spec and its events in, the numbers of docs/spec.md (Outputs) out. The CLI and the
 * library's users call these; they compose model → compiled model → fit → test statistic.
 */
import { CompiledModel, loadData, Dataset, FitStatus, LoadedData } from "./core/compile.js";
import { CoreExports, instantiateCore } from "./core/wasm.js";
import { discovery } from "./infer/significance.js";
import { buildModel, Spec } from "./model/spec.js";
import { BumpscanError } from "./errors.js";
import { AsymptoticCalculator } from "./infer/asymptotic.js";
import { bayesianLimit } from "./infer/bayes.js";
import { ToyCalculator } from "./infer/toys.js";
import type { WorkerPool } from "./scan/pool.js";
import { upperLimit, adaptiveUpperLimit, LimitResult } from "./infer/limits.js";
import { Model } from "./model/model.js";
import { FitResult } from "./infer/fit.js";
import { resolutionAt } from "./model/resolution.js";
import { fitPlot } from "./plot/fit-plot.js";
import { shapeIntegral } from "./core/oracle.js";
import { fitRange } from "./model/window.js";
import { ErrorMode, isWeighted, nllScales, weightedErrors } from "./infer/weights.js";
import { ShapeName } from "./model/shapes.js";

export interface FitReport {
  mass: number;
  status: FitStatus;
  valid: boolean;
  nll: number;
  edm: number;
  nfcn: number;
  parameters: Record<string, { value: number; error: number }>;
  covarianceForced: boolean;
  /** Free parameters at (or within a tenth of their error of) a bound: their errors do not apply. */
  atLimit: string[];
  /** How the errors were computed: "hesse" for unweighted events, else the weighted treatment. */
  errors: ErrorMode;
  /** q0, p0 and z are NaN (null in JSON) unless both fits converged. */
  q0: number;
  p0: number;
  z: number;
  background: { status: FitStatus; nll: number; parameters: Record<string, number> };
  /** The fit range: the observable range, or the window around the mass. */
  range: [number, number];
  /** Events in the fit range (used), and events given outside it (not used). */
  events: number;
  eventsOutside: number;
  /** Background components left out of this fit (a window without events of theirs). */
  droppedComponents?: string[];
  /** Weighted events: Σw/Σw² per sample, the factor each sample's NLL carries. */
  nllScales?: number[];
  timing: { fitMs: number };
}

/** Which events a fit at one mass uses. */
export interface PointEvents {
  /** Per sample: the events in the fit range. */
  data: Dataset[];
  range: [number, number];
  events: number;
  eventsOutside: number;
  /** Weighted events: each sample's NLL scale Σw/Σw² (see infer/weights.ts). */
  nllScales?: number[];
}

/** The fit-range options of fitAtMass, limitAtMass and fitPlotAtMass. */
export interface RangeOptions {
  /** A window of this many resolutions around the mass (default: the spec's scan.window); false: the whole range. */
  window?: number | false;
}

/**
 * The events a fit at `mass` uses: each sample's events inside the fit range (the window around
 * the mass, or the observable range), counted; for weighted events each sample's NLL scale.
 * Throws on a weights array of the wrong length or a value that is not finite.
 * @example
 * pointEvents(spec, [{ values }], 4.2).events; // events in the fit range
 */
export function pointEvents(spec: Spec, events: Dataset | Dataset[], mass: number, window?: number | false): PointEvents {
  const list = Array.isArray(events) ? events : [events];
  list.forEach((d, k) => checkDataset(d, list.length > 1 ? `sample ${k + 1}` : "the events"));
  const range = fitRange(spec, mass, window);
  const data = list.map((d) => inside(d, range));
  const used = data.reduce((n, d) => n + d.values.length, 0);
  const total = list.reduce((n, d) => n + d.values.length, 0);
  const out: PointEvents = { data, range, events: used, eventsOutside: total - used };
  if (isWeighted(data)) out.nllScales = nllScales(data);
  return out;
}

function checkDataset(d: Dataset, what: string): void {
  if (!(d.values instanceof Float64Array)) throw new BumpscanError(`${what}: values must be a Float64Array`);
  if (d.weights && d.weights.length !== d.values.length) throw new BumpscanError(`${what}: ${d.weights.length} weights for ${d.values.length} events`);
  const bad = d.values.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) throw new BumpscanError(`${what}: event ${bad} is ${d.values[bad]}, not a finite number`);
  const badW = d.weights ? d.weights.findIndex((x) => !Number.isFinite(x)) : -1;
  if (badW >= 0) throw new BumpscanError(`${what}: the weight of event ${badW} is ${d.weights![badW]}, not a finite number`);
}

/** The events with lo ≤ m ≤ hi, and their weights. */
function inside(d: Dataset, [lo, hi]: [number, number]): Dataset {
  let n = 0;
  for (const x of d.values) if (x >= lo && x <= hi) n++;
  if (n === d.values.length) return d;
  const values = new Float64Array(n), weights = d.weights ? new Float64Array(n) : undefined;
  let j = 0;
  d.values.forEach((x, i) => {
    if (x < lo || x > hi) return;
    values[j] = x;
    if (weights) weights[j] = d.weights![i];
    j++;
  });
  return weights ? { values, weights } : { values };
}

/**
 * The share of a background of constant shape in the fit range, out of its share of the
 * observable range (1 when the fit range is the observable range).
 */
function shareIn(spec: Spec, range: [number, number]): (shape: ShapeName, args: number[]) => number {
  const [lo, hi] = spec.observable.range;
  return (shape, args) => {
    const whole = shapeIntegral(shape, args, lo, hi);
    return whole > 0 ? shapeIntegral(shape, args, range[0], range[1]) / whole : 0;
  };
}

/**
 * Build and compile the spec's model at one mass over events (a Dataset, or events already in
 * core memory), refusing start values where the density is ≤ 0 at some event.
 * @example
 * const { cm } = compileAt(core, spec, { values }, 4.2);
 */
export function compileAt(core: CoreExports, spec: Spec, events: Dataset | Dataset[] | LoadedData, mass: number, range?: [number, number], scales?: number[]): { model: Model; cm: CompiledModel } {
  const loaded = "ptrs" in events ? events : loadData(core, Array.isArray(events) ? events : [events]);
  const [lo, hi] = spec.observable.range;
  const windowed = range !== undefined && (range[0] !== lo || range[1] !== hi);
  const model = buildModel(spec, { mass, nEvents: loaded.ptrs.map((p) => p.n), range, share: windowed ? shareIn(spec, range) : undefined });
  const cm = new CompiledModel(core, model, loaded, { scales });
  const start = cm.nll(model.parameters.map((p) => p.value));
  if (!Number.isFinite(start)) {
    throw new BumpscanError(`the model density is ≤ 0 at some event for the start values (${model.parameters.map((p) => `${p.name} = ${p.value}`).join(", ")}); set other start values under "parameters"`);
  }
  return { model, cm };
}

export type LimitMethod = "asymptotic" | "toys" | "bayes";

export interface LimitOptions extends RangeOptions {
  method?: LimitMethod;
  cl?: number;
  /** CLs (default) or CLs+b limits (CLs methods only). */
  statistic?: "cls" | "clsb";
  /** Bayesian: marginalise the nuisances (Laplace) instead of profiling them. */
  marginalise?: boolean;
  /** Toys: s+b toys per POI value (b-only: twice as many) and the seed. */
  toys?: number;
  seed?: number;
  /** Toys: index of the mass point in a scan (keys the random streams). */
  massIndex?: number;
  /** Toys: run them on these workers. */
  pool?: WorkerPool;
  /** Compute the expected band (default true); toys spend most of their time on it. */
  expected?: boolean;
  /** Toys, adaptive: double the toys until the observed limit's toy error is below this. */
  targetError?: number;
}

export interface LimitReport {
  mass: number;
  /** The fit range, and the events in it. */
  range: [number, number];
  events: number;
  method: LimitMethod;
  cl: number;
  poi: string;
  observed: number;
  expected?: LimitResult["expected"];
  statistic?: "cls" | "clsb";
  nuisances?: "profiled" | "marginalised";
  curve?: LimitResult["curve"];
  observedError?: number;
  toys?: { sb: number; b: number; failed: number };
  timing: { limitMs: number };
}

/**
 * The upper limit on the signal yield at one mass.
 * @example
 * const r = await limitAtMass(spec, { values }, 4.2, { method: "asymptotic", cl: 0.9 });
 * r.observed; // 68.34 on bump-1e4; r.expected["0"] = 23.37
 */
export async function limitAtMass(spec: Spec, events: Dataset | Dataset[], mass: number, options: LimitOptions = {}, core?: CoreExports): Promise<LimitReport> {
  const method = options.method ?? spec.limit?.method ?? "asymptotic";
  if (!LIMIT_METHODS.includes(method)) throw new BumpscanError(`unknown limit method "${method}" (have ${LIMIT_METHODS.join(", ")})`);
  const cl = options.cl ?? spec.limit?.cl ?? 0.9;
  if (!(cl > 0 && cl < 1)) throw new BumpscanError(`the confidence level must lie between 0 and 1 (got ${cl})`);
  const point = pointEvents(spec, events, mass, options.window);
  if (method === "toys" && point.nllScales) throw new BumpscanError("toy limits on weighted events are not supported (the toys would be unweighted): use the asymptotic or Bayesian method");
  const c = core ?? (await instantiateCore());
  const mark = c.mark();
  try {
    const t0 = performance.now();
    const { model, cm } = compileAt(c, spec, point.data, mass, point.range, point.nllScales);
    const base = { mass, range: point.range, events: point.events, method, cl, poi: model.poi };
    if (method === "bayes") {
      const b = await bayesianLimit(cm, { cl, marginalise: options.marginalise });
      return { ...base, observed: b.observed, nuisances: b.nuisances, timing: { limitMs: performance.now() - t0 } };
    }
    if (method === "toys") {
      const calc = new ToyCalculator(cm, { toys: options.toys ?? spec.limit?.toys, seed: options.seed ?? spec.limit?.seed, massIndex: options.massIndex, pool: options.pool });
      const settings = { cl, statistic: options.statistic, expected: options.expected };
      if (options.targetError !== undefined && !(options.targetError > 0)) throw new BumpscanError(`targetError must be > 0 (got ${options.targetError})`);
      const lim = options.targetError
        ? await adaptiveUpperLimit(calc.guessFor(cl), { ...settings, targetError: options.targetError })
        : await upperLimit(calc.guessFor(cl), settings);
      return {
        ...base, observed: lim.observed, observedError: lim.observedError, expected: options.expected === false ? undefined : lim.expected, statistic: lim.statistic,
        curve: lim.curve, toys: calc.counts(), timing: { limitMs: performance.now() - t0 },
      };
    }
    const lim = await upperLimit(new AsymptoticCalculator(cm), { cl, statistic: options.statistic });
    return { ...base, observed: lim.observed, expected: lim.expected, statistic: lim.statistic, curve: lim.curve, timing: { limitMs: performance.now() - t0 } };
  } finally {
    c.release(mark);
  }
}

/** The limit methods. */
export const LIMIT_METHODS: readonly LimitMethod[] = ["asymptotic", "toys", "bayes"];

/** Options of fitAtMass: the fit range, and the error treatment of weighted events. */
export interface FitAtMassOptions extends RangeOptions {
  /** Weighted events: "asymptotic" (default), "sumw2" or "hesse" (see infer/weights.ts). */
  errors?: ErrorMode;
}

/**
 * Fit the spec's model at one signal mass: the free fit with HESSE errors (weighted events: the
 * sandwich errors by default), the background-only fit, q0 and the signed local Z. Only the
 * events in the fit range (the observable range, or the spec's scan window around the mass) are
 * used; the report counts them and those outside.
 * @example
 * const report = await fitAtMass(spec, { values }, 4.2);
 * report.parameters.nsig; // { value: 47.8, error: 15.5 } on bump-1e4
 */
export async function fitAtMass(spec: Spec, events: Dataset | Dataset[], mass: number, options: FitAtMassOptions = {}, core?: CoreExports): Promise<FitReport> {
  return (await fitWith(spec, events, mass, options, core, () => undefined)).report;
}

/**
 * The fit at one mass (as fitAtMass reports it) and its SVG plot over a histogram of the data (one dataset).
 * @example
 * const { report, svg } = await fitPlotAtMass(spec, { values }, 5.1, { zoom: 15, bins: 60 });
 */
export async function fitPlotAtMass(spec: Spec, events: Dataset, mass: number, view: { zoom?: number; bins?: number } & FitAtMassOptions = {}, core?: CoreExports):
  Promise<{ report: FitReport; fit: FitResult; poi: string; svg: string }> {
  const { report, extra } = await fitWith(spec, events, mass, view, core, (cm, free, point) => {
    const sigma = resolutionAt(spec.signal.sigma ?? spec.signal.sigmaL ?? 0.01 * (spec.observable.range[1] - spec.observable.range[0]), mass);
    return { fit: free, poi: cm.model.poi, svg: fitPlot({ cm, fit: free, events: point.data[0].values, mass, sigma, unit: spec.observable.unit, name: spec.observable.name, ...view }) };
  });
  return { report, ...extra };
}

/** One discovery fit at a mass, its report, and whatever `more` makes of the compiled model and free fit before the core is released. */
async function fitWith<T>(spec: Spec, events: Dataset | Dataset[], mass: number, options: FitAtMassOptions, core: CoreExports | undefined,
  more: (cm: CompiledModel, free: FitResult, point: PointEvents) => T): Promise<{ report: FitReport; extra: T }> {
  const point = pointEvents(spec, events, mass, options.window);
  const c = core ?? (await instantiateCore());
  const mark = c.mark();
  try {
    const t0 = performance.now();
    const { cm, model } = compileAt(c, spec, point.data, mass, point.range, point.nllScales);
    const d = discovery(cm);
    let f = d.free;
    const mode: ErrorMode = point.nllScales ? options.errors ?? "asymptotic" : "hesse";
    if (point.nllScales) f = { ...f, ...weightedErrors(cm, f, point.data, mode) };
    const fitMs = performance.now() - t0;
    const report: FitReport = {
      mass, status: f.status, valid: f.valid, nll: f.nll, edm: f.edm, nfcn: f.nfcn + d.background.nfcn,
      parameters: Object.fromEntries(cm.names.map((n) => [n, { value: f.values[n], error: f.errors[n] }])),
      covarianceForced: f.covarianceForced, atLimit: f.atLimit, errors: mode, q0: d.q0, p0: d.p0, z: d.z,
      background: { status: d.background.status, nll: d.background.nll, parameters: d.background.values },
      range: point.range, events: point.events, eventsOutside: point.eventsOutside,
      timing: { fitMs },
    };
    if (model.dropped) report.droppedComponents = model.dropped;
    if (point.nllScales) report.nllScales = point.nllScales;
    return { report, extra: more(cm, f, point) };
  } finally {
    c.release(mark);
  }
}
