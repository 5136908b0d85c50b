/**
 * Spec-level jobs: a spec and its events in, the numbers of DESIGN.md §6 out. The CLI and the
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

export interface FitReport {
  mass: number;
  status: FitStatus;
  valid: boolean;
  nll: number;
  edm: number;
  nfcn: number;
  parameters: Record<string, { value: number; error: number }>;
  covarianceForced: boolean;
  q0: number;
  p0: number;
  z: number;
  background: { status: FitStatus; nll: number; parameters: Record<string, number> };
  events: number;
  timing: { fitMs: number };
}

/**
 * Build and compile the spec's model at one mass over events (a Dataset, or events already in
 * core memory), refusing start values where the density is ≤ 0 at some event.
 * @example
 * const { cm } = compileAt(core, spec, { values }, 4.2);
 */
export function compileAt(core: CoreExports, spec: Spec, events: Dataset | Dataset[] | LoadedData, mass: number, range?: [number, number]): { model: Model; cm: CompiledModel } {
  const loaded = "ptrs" in events ? events : loadData(core, Array.isArray(events) ? events : [events]);
  const model = buildModel(spec, { mass, nEvents: loaded.ptrs.map((p) => p.n), range });
  const cm = new CompiledModel(core, model, loaded);
  const start = cm.nll(model.parameters.map((p) => p.value));
  if (!Number.isFinite(start)) {
    throw new BumpscanError(`the model density is ≤ 0 at some event for the start values (${model.parameters.map((p) => `${p.name} = ${p.value}`).join(", ")}); set other start values under "parameters"`);
  }
  return { model, cm };
}

export type LimitMethod = "asymptotic" | "toys" | "bayes";

export interface LimitOptions {
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
 * The upper limit on the signal yield at one mass (DESIGN.md §6 limit output).
 * @example
 * const r = await limitAtMass(spec, { values }, 4.2, { method: "asymptotic", cl: 0.9 });
 * r.observed; // 68.34 on bump-1e4; r.expected["0"] = 23.37
 */
export async function limitAtMass(spec: Spec, events: Dataset | Dataset[], mass: number, options: LimitOptions = {}, core?: CoreExports): Promise<LimitReport> {
  const c = core ?? (await instantiateCore());
  const mark = c.mark();
  const method = options.method ?? spec.limit?.method ?? "asymptotic";
  const cl = options.cl ?? spec.limit?.cl ?? 0.9;
  try {
    const t0 = performance.now();
    const { model, cm } = compileAt(c, spec, events, mass);
    const base = { mass, method, cl, poi: model.poi };
    if (method === "bayes") {
      const b = await bayesianLimit(cm, { cl, marginalise: options.marginalise });
      return { ...base, observed: b.observed, nuisances: b.nuisances, timing: { limitMs: performance.now() - t0 } };
    }
    if (method === "toys") {
      const calc = new ToyCalculator(cm, { toys: options.toys ?? spec.limit?.toys, seed: options.seed ?? spec.limit?.seed, massIndex: options.massIndex, pool: options.pool });
      const settings = { cl, statistic: options.statistic, expected: options.expected };
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

/**
 * Fit the spec's model at one signal mass: the free fit with HESSE errors, the background-only
 * fit, q0 and the signed local Z.
 * @example
 * const report = await fitAtMass(spec, { values }, 4.2);
 * report.parameters.nsig; // { value: 47.8, error: 15.5 } on bump-1e4
 */
export async function fitAtMass(spec: Spec, events: Dataset | Dataset[], mass: number, core?: CoreExports): Promise<FitReport> {
  return (await fitWith(spec, events, mass, core, () => undefined)).report;
}

/**
 * The fit at one mass (as fitAtMass reports it) and its SVG plot over a histogram of the data (one dataset).
 * @example
 * const { report, svg } = await fitPlotAtMass(spec, { values }, 5.1, { zoom: 15, bins: 60 });
 */
export async function fitPlotAtMass(spec: Spec, events: Dataset, mass: number, view: { zoom?: number; bins?: number } = {}, core?: CoreExports):
  Promise<{ report: FitReport; fit: FitResult; poi: string; svg: string }> {
  const { report, extra } = await fitWith(spec, events, mass, core, (cm, free) => {
    const sigma = resolutionAt(spec.signal.sigma ?? spec.signal.sigmaL ?? 0.01 * (spec.observable.range[1] - spec.observable.range[0]), mass);
    return { fit: free, poi: cm.model.poi, svg: fitPlot({ cm, fit: free, events: events.values, mass, sigma, unit: spec.observable.unit, name: spec.observable.name, ...view }) };
  });
  return { report, ...extra };
}

/** One discovery fit at a mass, its report, and whatever `more` makes of the compiled model and free fit before the core is released. */
async function fitWith<T>(spec: Spec, events: Dataset | Dataset[], mass: number, core: CoreExports | undefined,
  more: (cm: CompiledModel, free: FitResult) => T): Promise<{ report: FitReport; extra: T }> {
  const c = core ?? (await instantiateCore());
  const mark = c.mark();
  try {
    const t0 = performance.now();
    const { cm } = compileAt(c, spec, events, mass);
    const d = discovery(cm);
    const fitMs = performance.now() - t0;
    const f = d.free;
    const report: FitReport = {
      mass, status: f.status, valid: f.valid, nll: f.nll, edm: f.edm, nfcn: f.nfcn + d.background.nfcn,
      parameters: Object.fromEntries(cm.names.map((n) => [n, { value: f.values[n], error: f.errors[n] }])),
      covarianceForced: f.covarianceForced, q0: d.q0, p0: d.p0, z: d.z,
      background: { status: d.background.status, nll: d.background.nll, parameters: d.background.values },
      events: (Array.isArray(events) ? events : [events]).reduce((n, e) => n + e.values.length, 0),
      timing: { fitMs },
    };
    return { report, extra: more(cm, f) };
  } finally {
    c.release(mark);
  }
}
