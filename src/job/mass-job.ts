/**
 * The per-mass job: a spec and its events in, the fit (values, errors, local significance) or the
 * limit at one mass out, as the CLI, the scan and the web app report them (docs/spec.md, Outputs).
 * It composes model → compiled model → fit → test statistic → limit; the limit method is chosen
 * here and only here.
 */
import type { CompiledModel, Dataset, FitStatus } from "../core/compile.js";
import { type CoreExports, instantiateCore } from "../core/wasm.js";
import { BumpscanError } from "../errors.js";
import { AsymptoticCalculator } from "../infer/asymptotic.js";
import { bayesianLimit } from "../infer/bayes.js";
import { bayesianExpected } from "../infer/bayes-expected.js";
import { feldmanCousins } from "../infer/feldman-cousins.js";
import type { ToyExecutor } from "../infer/executor.js";
import type { OnProgress } from "../infer/progress.js";
import { fit, type FitResult } from "../infer/fit.js";
import { adaptiveUpperLimit, type LimitResult, upperLimit } from "../infer/limits.js";
import { discovery } from "../infer/significance.js";
import { DEFAULT_SEED, ToyCalculator } from "../infer/toys.js";
import { type ErrorMode, weightedErrors } from "../infer/weights.js";
import type { Spec } from "../model/spec.js";
import { couplingLimits } from "../model/interpret.js";
import { type CountingSummary, countingSummary } from "../model/counting.js";
import { compileAt, pointEvents, type PointEvents, type RangeOptions } from "./events.js";

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
  /** Events in the fit range (used), and events given outside it or in a veto (not used). */
  events: number;
  eventsOutside: number;
  /** Of those, the events in a veto. */
  eventsVetoed?: number;
  /** Samples with no event in their fit range although their model expects some (a wrong file or range?). */
  emptySamples?: string[];
  /** With several samples: those whose signal takes part at this mass (the peak in range, outside vetoes). */
  samples?: string[];
  /** Background components left out of this fit (a window without events of theirs). */
  droppedComponents?: string[];
  /** Weighted events: Σw/Σw² per sample, the factor each sample's NLL carries. */
  nllScales?: number[];
  timing: { fitMs: number };
}

/** CLs asymptotic or with toys, Bayesian, or Feldman–Cousins (an interval: its upper end is the limit). */
export type LimitMethod = "asymptotic" | "toys" | "bayes" | "fc";

export interface LimitOptions extends RangeOptions {
  method?: LimitMethod;
  cl?: number;
  /** CLs (default) or CLs+b limits (CLs methods only). */
  statistic?: "cls" | "clsb";
  /** Bayesian: marginalise the nuisances (Laplace) instead of profiling them. */
  marginalise?: boolean;
  /** Toys: s+b toys per POI value (b-only: twice as many; Feldman–Cousins: as many) and the seed. */
  toys?: number;
  seed?: number;
  /** Toys: index of the mass point in a scan (keys the random streams). */
  massIndex?: number;
  /** Toys: run them elsewhere (a WorkerPool). */
  pool?: ToyExecutor;
  /** Compute the expected band (default true); toys spend most of their time on it. */
  expected?: boolean;
  /** Toys, adaptive: double the toys until the observed limit's toy error is below this. */
  targetError?: number;
  /** Bayesian: background-only pseudo-experiments for the expected band (default 100; 0: none). */
  expectedToys?: number;
  /** Progress of the long parts: toys (toy CLs, Feldman–Cousins), pseudo-experiments (Bayesian band). */
  onProgress?: OnProgress;
}

export interface LimitReport {
  mass: number;
  /** The fit range, and the events in it. */
  range: [number, number];
  events: number;
  /** With several samples: those whose signal takes part at this mass. */
  samples?: string[];
  method: LimitMethod;
  cl: number;
  poi: string;
  /** The upper limit; Feldman–Cousins: the interval's upper end. */
  observed: number;
  /** Feldman–Cousins: the interval [lo, hi] (an upper limit when lo = 0). */
  interval?: [number, number];
  /** Feldman–Cousins: "exact" (a counting model, constructed over n) or "toys". */
  construction?: "exact" | "toys";
  /** The expected limits (Feldman–Cousins: the upper end's) under the background-only hypothesis. */
  expected?: LimitResult["expected"];
  statistic?: "cls" | "clsb";
  nuisances?: "profiled" | "marginalised";
  curve?: LimitResult["curve"];
  observedError?: number;
  toys?: { sb: number; b: number; failed: number };
  /** Bayesian: the background-only pseudo-experiments behind the expected band. */
  expectedToys?: number;
  /** With `interpret`: the limit (and band) on the coupling, (limit / poi1(m))^(1/power). */
  coupling?: { observed: number; expected?: LimitResult["expected"] };
  /** A counting model (uniform shapes, unweighted events): the observed and expected counts. */
  counting?: CountingSummary;
  timing: { limitMs: number };
}

/** What a limit of one compiled model gives, by whichever method. */
export type LimitOutcome = Pick<
  LimitReport,
  | "observed"
  | "interval"
  | "construction"
  | "expected"
  | "statistic"
  | "nuisances"
  | "curve"
  | "observedError"
  | "toys"
  | "expectedToys"
>;

/** Background-only pseudo-experiments behind an expected Bayesian band, unless told otherwise. */
export const DEFAULT_EXPECTED_TOYS = 100;

/**
 * The spec's limit settings with the options over them, resolved once (method, CL, toys, seed),
 * and checked.
 */
export function limitSettings(
  spec: Spec,
  options: LimitOptions = {},
): LimitOptions & { method: LimitMethod; cl: number } {
  const method = options.method ?? spec.limit?.method ?? "asymptotic";
  if (!LIMIT_METHODS.includes(method))
    throw new BumpscanError(`unknown limit method "${method}" (have ${LIMIT_METHODS.join(", ")})`);
  const cl = options.cl ?? spec.limit?.cl ?? 0.9;
  if (!(cl > 0 && cl < 1)) throw new BumpscanError(`the confidence level must lie between 0 and 1 (got ${cl})`);
  if (options.targetError !== undefined && !(options.targetError > 0))
    throw new BumpscanError(`targetError must be > 0 (got ${options.targetError})`);
  return { ...options, method, cl, toys: options.toys ?? spec.limit?.toys, seed: options.seed ?? spec.limit?.seed };
}

/**
 * The limit of one compiled model by the method of `settings`: the one place a limit method is
 * chosen (`limitAtMass` and every scan point come here). `fits` are the data's free and
 * background-only fits where the caller has them.
 */
export async function limitOf(
  cm: CompiledModel,
  settings: LimitOptions & { method: LimitMethod; cl: number },
  fits?: { free: FitResult; background: FitResult },
): Promise<LimitOutcome> {
  const { cl, statistic } = settings;
  if (settings.method === "bayes") {
    const b = await bayesianLimit(cm, { cl, marginalise: settings.marginalise });
    const out: LimitOutcome = { observed: b.observed, nuisances: b.nuisances };
    const toys = settings.expectedToys ?? DEFAULT_EXPECTED_TOYS;
    if (settings.expected !== false && toys > 0 && !cm.scales.some((x) => x !== 1)) {
      const background = fits?.background.values ?? fit(cm, { fixed: { [cm.model.poi]: 0 }, hesse: false }).values;
      out.expected = await bayesianExpected(cm, background, {
        cl,
        marginalise: settings.marginalise,
        toys,
        seed: settings.seed ?? DEFAULT_SEED,
        massIndex: settings.massIndex,
        onProgress: settings.onProgress,
      });
      out.expectedToys = toys;
    }
    return out;
  }
  if (settings.method === "fc") {
    const fc = await feldmanCousins(cm, {
      cl,
      toys: settings.toys,
      seed: settings.seed,
      massIndex: settings.massIndex,
      pool: settings.pool,
      expected: settings.expected,
      onProgress: settings.onProgress,
    });
    return {
      observed: fc.hi,
      interval: [fc.lo, fc.hi],
      construction: fc.construction,
      ...(fc.expected ? { expected: fc.expected } : {}),
      ...(fc.hiError !== undefined ? { observedError: fc.hiError } : {}),
      ...(fc.toys ? { toys: fc.toys } : {}),
    };
  }
  if (settings.method === "toys") {
    const calc = new ToyCalculator(cm, {
      toys: settings.toys,
      seed: settings.seed,
      massIndex: settings.massIndex,
      pool: settings.pool,
      onProgress: settings.onProgress,
    }).guessFor(cl);
    const options = { cl, statistic, expected: settings.expected };
    const lim = settings.targetError
      ? await adaptiveUpperLimit(calc, { ...options, targetError: settings.targetError })
      : await upperLimit(calc, options);
    return {
      observed: lim.observed,
      observedError: lim.observedError,
      expected: settings.expected === false ? undefined : lim.expected,
      statistic: lim.statistic,
      curve: lim.curve,
      toys: calc.counts(),
    };
  }
  const lim = await upperLimit(new AsymptoticCalculator(cm, fits ?? {}), { cl, statistic });
  return { observed: lim.observed, expected: lim.expected, statistic: lim.statistic, curve: lim.curve };
}

/**
 * The upper limit on the signal yield at one mass.
 * @example
 * import { readFileSync } from "node:fs";
 * import { limit, parseSpec, readColumn } from "bumpscan";
 * const spec = parseSpec(JSON.parse(readFileSync("spec.json", "utf8")), "spec.json");
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * const r = await limit(spec, { values }, 4.2, { method: "asymptotic", cl: 0.9 });
 * r.observed; // => 68.34
 * r.expected["0"]; // => 23.37
 */
export async function limitAtMass(
  spec: Spec,
  events: Dataset | Dataset[],
  mass: number,
  options: LimitOptions = {},
  core?: CoreExports,
): Promise<LimitReport> {
  const settings = limitSettings(spec, options);
  const point = pointEvents(spec, events, mass, options.window);
  if ((settings.method === "toys" || settings.method === "fc") && point.nllScales)
    throw new BumpscanError(
      `${settings.method === "fc" ? "Feldman–Cousins intervals" : "toy limits"} on weighted events are not ` +
        "supported (the toys would be unweighted): use the asymptotic or Bayesian method",
    );
  const c = core ?? (await instantiateCore());
  const mark = c.mark();
  try {
    const t0 = performance.now();
    const { model, cm } = compileAt(c, spec, point.data, mass, point.layout, point.nllScales);
    const outcome = await limitOf(cm, settings);
    const counting = point.nllScales
      ? undefined
      : countingSummary(
          model,
          point.data.map((d) => d.values.length),
        );
    return {
      mass,
      range: point.range,
      events: point.events,
      ...(spec.samples ? { samples: signalSamples(point) } : {}),
      method: settings.method,
      cl: settings.cl,
      poi: model.poi,
      ...outcome,
      ...withCoupling(spec, mass, outcome),
      ...(counting ? { counting } : {}),
      timing: { limitMs: performance.now() - t0 },
    };
  } finally {
    c.release(mark);
  }
}

/** With `interpret`: the limit and its band on the coupling, under `coupling`. */
export function withCoupling(
  spec: Spec,
  mass: number,
  lim: { observed?: number; expected?: LimitResult["expected"] },
): { coupling?: { observed: number; expected?: LimitResult["expected"] } } {
  const coupling = lim.observed === undefined ? undefined : couplingLimits(spec, mass, lim.observed, lim.expected);
  return coupling ? { coupling } : {};
}

/** The samples whose signal takes part in a fit at one mass. */
const signalSamples = (point: PointEvents) => point.layout.samples.filter((w) => w.signal).map((w) => w.name);

/** The limit methods. */
export const LIMIT_METHODS: readonly LimitMethod[] = ["asymptotic", "toys", "bayes", "fc"];

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
 * import { readFileSync } from "node:fs";
 * import { fit, parseSpec, readColumn } from "bumpscan";
 * const spec = parseSpec(JSON.parse(readFileSync("spec.json", "utf8")), "spec.json");
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * const report = await fit(spec, { values }, 4.2);
 * report.parameters.nsig; // => { value: 47.85, error: 15.49 }
 * report.z; // => 3.365
 */
export async function fitAtMass(
  spec: Spec,
  events: Dataset | Dataset[],
  mass: number,
  options: FitAtMassOptions = {},
  core?: CoreExports,
): Promise<FitReport> {
  return (await fitWith(spec, events, mass, options, core, () => undefined)).report;
}

/**
 * One discovery fit at a mass, its report, and whatever `more` makes of the compiled model and
 * free fit before the core is released (a plot's histogram, say).
 */
export async function fitWith<T>(
  spec: Spec,
  events: Dataset | Dataset[],
  mass: number,
  options: FitAtMassOptions,
  core: CoreExports | undefined,
  more: (cm: CompiledModel, free: FitResult, point: PointEvents) => T,
): Promise<{ report: FitReport; extra: T }> {
  const point = pointEvents(spec, events, mass, options.window);
  const c = core ?? (await instantiateCore());
  const mark = c.mark();
  try {
    const t0 = performance.now();
    const { cm, model } = compileAt(c, spec, point.data, mass, point.layout, point.nllScales);
    const d = discovery(cm);
    let f = d.free;
    const mode: ErrorMode = point.nllScales ? (options.errors ?? "asymptotic") : "hesse";
    if (point.nllScales) f = { ...f, ...weightedErrors(cm, f, point.data, mode) };
    const fitMs = performance.now() - t0;
    const report: FitReport = {
      mass,
      status: f.status,
      valid: f.valid,
      nll: f.nll,
      edm: f.edm,
      nfcn: f.nfcn + d.background.nfcn,
      parameters: Object.fromEntries(cm.names.map((n) => [n, { value: f.values[n], error: f.errors[n] }])),
      covarianceForced: f.covarianceForced,
      atLimit: f.atLimit,
      errors: mode,
      q0: d.q0,
      p0: d.p0,
      z: d.z,
      background: { status: d.background.status, nll: d.background.nll, parameters: d.background.values },
      range: point.range,
      events: point.events,
      eventsOutside: point.eventsOutside,
      timing: { fitMs },
    };
    if (point.eventsVetoed) report.eventsVetoed = point.eventsVetoed;
    if (point.emptySamples.length) report.emptySamples = point.emptySamples;
    if (spec.samples) report.samples = signalSamples(point);
    if (model.dropped) report.droppedComponents = model.dropped;
    if (point.nllScales) report.nllScales = point.nllScales;
    return { report, extra: more(cm, f, point) };
  } finally {
    c.release(mark);
  }
}
