/**
 * A model compiled into the WASM core: the flat table of assembly/model.ts, the events, and the
 * value vector (parameters, then constants) in the instance's memory. Everything the fit needs
 * from here on runs inside WASM; JS only writes parameter values and reads results.
 */
import { BumpscanError } from "../errors.js";
import { argParts, type Component, type Factor, isExcluded, type Model, type Sample } from "../model/model.js";
import { SHAPES } from "../model/shapes.js";
import { type CoreExports, viewF64, writeF64 } from "./wasm.js";
import * as abi from "./abi.js";

/** Events of one sample; weights are optional (Asimov and binned data use them). */
export interface Dataset {
  values: Float64Array;
  weights?: Float64Array;
}

/** Where each sample's events live in core memory (written once, shared by compiled models). */
export interface LoadedData {
  ptrs: { data: number; weights: number; n: number }[];
}

/**
 * Copy datasets into core memory (once per dataset; many compiled models may share them).
 * @example
 * import { instantiateCore, loadData } from "bumpscan/core";
 * const loaded = loadData(await instantiateCore(), [{ values: new Float64Array([1, 2, 3]) }]);
 * loaded.ptrs[0].n; // => 3
 */
export function loadData(core: CoreExports, data: Dataset[]): LoadedData {
  return {
    ptrs: data.map((d) => ({
      data: writeF64(core, d.values),
      weights: d.weights ? writeF64(core, d.weights) : 0,
      n: d.values.length,
    })),
  };
}

/** How a minimisation ended. */
export type FitStatus = "converged" | "call limit" | "edm above max" | "failed";

/**
 * Fit status names, indexed by the STATUS_* code the core's minimizer returns (src/core/abi.ts).
 * @example
 * import { STATUS } from "bumpscan/core";
 * STATUS; // => ["converged", "call limit", "edm above max", "failed"]
 */
export const STATUS: readonly FitStatus[] = statusNames();

function statusNames(): FitStatus[] {
  const names: FitStatus[] = [];
  names[abi.STATUS_CONVERGED] = "converged";
  names[abi.STATUS_CALL_LIMIT] = "call limit";
  names[abi.STATUS_EDM_ABOVE_MAX] = "edm above max";
  names[abi.STATUS_FAILED] = "failed";
  return names;
}

/**
 * Refuse a model the core's static tables cannot hold (src/core/abi.ts's MAX_*), before any of
 * it is written to core memory; the message names the limit.
 */
export function checkCoreLimits(model: Model): void {
  const limit = (have: number, max: number, what: string) => {
    if (have > max) throw new BumpscanError(`${what}: the core holds at most ${max} (the model has ${have})`);
  };
  limit(model.parameters.length, abi.MAX_PARAMS, "too many parameters");
  limit(model.parameters.filter((p) => !p.fixed).length, abi.MAX_FREE, "too many free parameters");
  limit(model.samples.length, abi.MAX_SAMPLES, "too many samples");
  limit(model.constraints.length, abi.MAX_CONSTRAINTS, "too many constraints");
  for (const s of model.samples) {
    const name = s.name || "(default)";
    limit(s.components.length, abi.MAX_COMPONENTS, `too many components in sample ${name}`);
    limit(s.exclude?.length ?? 0, abi.MAX_HOLES, `too many vetoes in sample ${name}`);
    for (const c of s.components) {
      const n = c.yieldFactors.length + c.args.reduce((k: number, a) => k + argParts(a).factors.length, 0);
      limit(n, abi.MAX_FACTORS, `too many factors in component ${c.name}`);
      if (c.shape === "template")
        limit(c.args.length - 2, abi.MAX_TEMPLATE_BINS, `too many template bins in component ${c.name}`);
    }
  }
}

/**
 * Refuse events inside a sample's vetoes: the model gives them no density (drop them before the
 * fit, as events outside the range are dropped).
 */
function checkVetoedEvents(core: CoreExports, model: Model, data: LoadedData): void {
  model.samples.forEach((s, k) => {
    if (!s.exclude?.length) return;
    const events = viewF64(core, data.ptrs[k].data, data.ptrs[k].n);
    const i = events.findIndex((x) => isExcluded(s.exclude, x));
    if (i < 0) return;
    const [a, b] = s.exclude.find(([a, b]) => events[i] > a && events[i] < b)!;
    throw new BumpscanError(
      `sample ${s.name || "(default)"}: event ${i} (${events[i]}) lies inside the excluded interval (${a}, ${b}); ` +
        `drop events inside vetoes before the fit`,
    );
  });
}

/** What the core's minimizer reports; `errorGuess` are √(V_kk) of its metric for the free parameters. */
export interface MinimizeResult {
  status: FitStatus;
  fval: number;
  edm: number;
  nfcn: number;
  iterations: number;
  errorGuess: number[];
}

/**
 * A model compiled into one core instance over loaded data.
 * @example
 * import { ModelBuilder } from "bumpscan/model";
 * import { CompiledModel, instantiateCore, loadData } from "bumpscan/core";
 * const model = new ModelBuilder("m", [0, 10])
 *   .parameter("nsig", 10).parameter("nbkg", 90, { lo: 0 })
 *   .component("sig", "gaussian", [5, 0.5], "nsig")
 *   .component("bkg", "uniform", [], "nbkg")
 *   .build("nsig");
 * const core = await instantiateCore();
 * const cm = new CompiledModel(core, model, loadData(core, [{ values: new Float64Array([4.8, 5.1, 7.5]) }]));
 * const { nll, grad } = cm.nllGrad([10, 90]); // extended NLL and ∂NLL/∂(nsig, nbkg)
 * nll; // => 92.18498
 */
export class CompiledModel {
  /** Parameter names in value-vector order. */
  readonly names: string[];
  private readonly nParams: number;
  private readonly valuesPtr: number;
  private readonly tablePtr: number;
  private readonly scratchPtr: number;
  private readonly boundsPtr: number;
  private readonly maskPtr: number;
  private readonly arenaMark: number;
  /** Events in each sample, as loaded. */
  readonly eventCounts: number[];
  /**
   * Per sample, the factor its NLL is multiplied by (1, or Σw/Σw² for weighted events: see
   * infer/weights.ts); models over other data of the same events (Asimov) take the same.
   */
  readonly scales: number[];
  /** Which parameters float (set by setFree). */
  free: boolean[] = [];

  /**
   * Compile `model` over `data` (one dataset per sample, in order) into `core`.
   * @example
   * import { ModelBuilder } from "bumpscan/model";
   * import { CompiledModel, instantiateCore, loadData } from "bumpscan/core";
   * const model = new ModelBuilder("m", [0, 10])
   *   .parameter("nsig", 10).parameter("nbkg", 90, { lo: 0 })
   *   .component("sig", "gaussian", [5, 0.5], "nsig")
   *   .component("bkg", "uniform", [], "nbkg")
   *   .build("nsig");
   * const core = await instantiateCore();
   * const cm = new CompiledModel(core, model, loadData(core, [{ values: new Float64Array([4.8, 5.1, 7.5]) }]));
   * cm.nll([0, 100]); // => 93.09224
   */
  constructor(
    readonly core: CoreExports,
    readonly model: Model,
    data: LoadedData,
    options: { scales?: number[] } = {},
  ) {
    checkCoreLimits(model);
    if (data.ptrs.length !== model.samples.length) {
      throw new BumpscanError(`model has ${model.samples.length} samples but ${data.ptrs.length} datasets were given`);
    }
    checkVetoedEvents(core, model, data);
    this.arenaMark = core.mark();
    this.eventCounts = data.ptrs.map((p) => p.n);
    this.names = model.parameters.map((p) => p.name);
    this.nParams = this.names.length;
    this.scales = options.scales ?? model.samples.map(() => 1);
    if (this.scales.length !== model.samples.length || !this.scales.every((x) => x > 0 && Number.isFinite(x))) {
      throw new BumpscanError(`one positive NLL scale per sample is needed (got ${this.scales})`);
    }
    const { table, values } = flatten(model, data, this.scales);
    this.tablePtr = writeF64(core, table);
    this.valuesPtr = writeF64(core, values);
    this.boundsPtr = writeF64(core, boundsTable(model.parameters.map((p) => [p.lo, p.hi])));
    this.scratchPtr = writeF64(
      core,
      new Float64Array(Math.max(this.nParams * this.nParams, abi.MINIMIZE_ERRORS + this.nParams, 16)),
    );
    this.maskPtr = writeF64(core, new Float64Array(this.nParams));
    core.setModel(this.tablePtr, this.valuesPtr);
    core.prepareModel();
    this.setFree(model.parameters.map((p) => !p.fixed));
  }

  /** Make this model the core's current one (several may share a core), with its own free mask. */
  activate(): void {
    this.core.setModel(this.tablePtr, this.valuesPtr);
    this.core.setFree(this.maskPtr);
  }

  /** Current parameter values (a copy). */
  get values(): Float64Array {
    return viewF64(this.core, this.valuesPtr, this.nParams).slice();
  }

  /** Overwrite parameter values (all of them, in `names` order). */
  set values(v: ArrayLike<number>) {
    viewF64(this.core, this.valuesPtr, this.nParams).set(v);
  }

  /** Choose which parameters float in the next minimisation. */
  setFree(free: boolean[]): void {
    const n = free.filter(Boolean).length;
    if (n > abi.MAX_FREE)
      throw new BumpscanError(`too many free parameters: the core holds at most ${abi.MAX_FREE} (asked for ${n})`);
    this.free = [...free];
    const mask = viewF64(this.core, this.maskPtr, this.nParams);
    free.forEach((f, i) => (mask[i] = f ? 1 : 0));
    this.activate();
  }

  /** The NLL at `values` (or the current values); +∞ where the density is ≤ 0 at an event. */
  nll(values?: ArrayLike<number>): number {
    if (values) this.values = values;
    this.activate();
    return this.core.nll();
  }

  /** The NLL and its gradient over all parameters (0 for fixed ones). */
  nllGrad(values?: ArrayLike<number>): { nll: number; grad: Float64Array } {
    if (values) this.values = values;
    this.activate();
    const f = this.core.nllGrad(this.scratchPtr);
    return { nll: f, grad: viewF64(this.core, this.scratchPtr, this.nParams).slice() };
  }

  /**
   * Move a parameter's lower bound (in the model and in the core's bounds table), e.g. the POI's
   * floor where the total density would turn negative.
   * @example
   * import { readFileSync } from "node:fs";
   * import { parseSpec, readColumn } from "bumpscan";
   * import { compileAt, instantiateCore } from "bumpscan/core";
   * const spec = parseSpec(JSON.parse(readFileSync("spec.json", "utf8")), "spec.json");
   * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
   * const { cm } = compileAt(await instantiateCore(), spec, { values }, 4.2); // the reference model at 4.2
   * cm.setLowerBound("nsig", -120); // let the fit take nsig down to −120 events
   * cm.model.parameters[0].lo; // => -120
   */
  setLowerBound(name: string, lo: number): void {
    const i = this.names.indexOf(name);
    if (i < 0) throw new BumpscanError(`no parameter named "${name}"`);
    this.model.parameters[i].lo = lo;
    viewF64(this.core, this.boundsPtr, this.nParams * abi.BOUND_WORDS)[i * abi.BOUND_WORDS + abi.BOUND_LO] = lo;
  }

  /** Run the core's minimizer from the current values; see infer/fit.ts for the public API. */
  minimize(maxCalls: number, edmMax: number): MinimizeResult {
    this.activate();
    const code = this.core.minimize(this.boundsPtr, maxCalls, edmMax, this.scratchPtr);
    const nFree = this.free.filter(Boolean).length;
    const out = viewF64(this.core, this.scratchPtr, abi.MINIMIZE_ERRORS + nFree);
    return {
      status: STATUS[code],
      fval: out[abi.MINIMIZE_FVAL],
      edm: out[abi.MINIMIZE_EDM],
      nfcn: out[abi.MINIMIZE_NFCN],
      iterations: out[abi.MINIMIZE_ITERATIONS],
      errorGuess: Array.from(out.subarray(abi.MINIMIZE_ERRORS)),
    };
  }

  /**
   * Hessian over the free parameters: analytic in one pass (nfcn 1) on fused models, with the NLL
   * and gradient at the point (`at`), else central differences of the gradient with the given steps.
   */
  hessian(steps: number[]): { matrix: number[][]; nfcn: number; at?: { nll: number; grad: Float64Array } } | undefined {
    this.activate();
    const n = steps.length;
    const mark = this.core.mark();
    const sPtr = writeF64(this.core, steps);
    // room for the analytic path's gradient and NLL after the matrix
    const outPtr = writeF64(this.core, new Float64Array(n * n + this.nParams + 1));
    const evals = this.core.hesse(sPtr, outPtr);
    const flat = viewF64(this.core, outPtr, n * n + this.nParams + 1).slice();
    this.core.release(mark);
    if (evals < 0) return undefined;
    const matrix = Array.from({ length: n }, (_, i) => Array.from(flat.subarray(i * n, (i + 1) * n)));
    if (evals !== 1) return { matrix, nfcn: evals };
    return { matrix, nfcn: 1, at: { grad: flat.slice(n * n, n * n + this.nParams), nll: flat[n * n + this.nParams] } };
  }

  /**
   * Each component's normalisation in one sample at the current values: ∫ g over the sample's range
   * less its vetoes (the sum of the closed-form integrals over the allowed pieces).
   * @example
   * import { ModelBuilder } from "bumpscan/model";
   * import { CompiledModel, instantiateCore, loadData } from "bumpscan/core";
   * const model = new ModelBuilder("m", [0, 10]).exclude([[3, 3.5], [6, 7]])
   *   .parameter("nbkg", 90, { lo: 0 }).component("bkg", "uniform", [], "nbkg").build("nbkg");
   * const core = await instantiateCore();
   * const cm = new CompiledModel(core, model, loadData(core, [{ values: new Float64Array([1, 5]) }]));
   * cm.normalisations(0); // => [8.5]
   */
  normalisations(sample: number): Float64Array {
    this.activate();
    const mark = this.core.mark();
    const nc = this.model.samples[sample].components.length;
    const out = writeF64(this.core, new Float64Array(nc));
    this.core.sampleNorms(sample, out);
    const result = viewF64(this.core, out, nc).slice();
    this.core.release(mark);
    return result;
  }

  /**
   * Total expected density Σ ν_c f_c(m) of one sample at the current values, at arbitrary points
   * (0 inside a veto: the PDFs are normalised over the range less the vetoes).
   * @example
   * import { readFileSync } from "node:fs";
   * import { parseSpec, readColumn } from "bumpscan";
   * import { compileAt, instantiateCore } from "bumpscan/core";
   * import { fit } from "bumpscan/infer";
   * const spec = parseSpec(JSON.parse(readFileSync("spec.json", "utf8")), "spec.json");
   * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
   * const { cm } = compileAt(await instantiateCore(), spec, { values }, 4.2); // the reference model at 4.2
   * fit(cm); // the current values are now the best fit's
   * cm.density(0, [4.2, 5]); // => [1231.19, 712.69]
   */
  density(sample: number, points: ArrayLike<number>): Float64Array {
    this.activate();
    const mark = this.core.mark();
    const xs = writeF64(this.core, points);
    const out = writeF64(this.core, new Float64Array(points.length));
    this.core.sampleDensity(sample, xs, points.length, out);
    const result = viewF64(this.core, out, points.length).slice();
    this.core.release(mark);
    return result;
  }

  /**
   * Expected events of one sample in each bin between consecutive `edges`, at the current values,
   * from each component's closed-form integral (exact, no quadrature) over the bin less the vetoes
   * (a bin inside a veto expects 0 events).
   * @example
   * import { readFileSync } from "node:fs";
   * import { parseSpec, readColumn } from "bumpscan";
   * import { compileAt, instantiateCore } from "bumpscan/core";
   * import { fit } from "bumpscan/infer";
   * const spec = parseSpec(JSON.parse(readFileSync("spec.json", "utf8")), "spec.json");
   * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
   * const { cm } = compileAt(await instantiateCore(), spec, { values }, 4.2); // the reference model at 4.2
   * fit(cm); // the current values are now the best fit's
   * cm.binYields(0, [4.0, 4.1, 4.2]); // => [93.276, 109.947]
   */
  binYields(sample: number, edges: ArrayLike<number>): Float64Array {
    this.activate();
    const mark = this.core.mark();
    const e = writeF64(this.core, edges);
    const n = Math.max(0, edges.length - 1);
    const out = writeF64(this.core, new Float64Array(n));
    this.core.sampleBinYields(sample, e, n, out);
    const result = viewF64(this.core, out, n).slice();
    this.core.release(mark);
    return result;
  }

  /** Free the core memory this model took (its tables and caches; not the shared data). */
  dispose(): void {
    this.core.release(this.arenaMark);
  }
}

/**
 * A bounds table (BOUND records of src/core/abi.ts) from each parameter's [lo, hi].
 */
export function boundsTable(bounds: [number, number][]): number[] {
  return bounds.flatMap(([lo, hi]) =>
    record(abi.BOUND_WORDS, [
      [abi.BOUND_LO, lo],
      [abi.BOUND_HI, hi],
    ]),
  );
}

/** A record of `words` zero words with the given fields set (word index → value). */
function record(words: number, fields: [number, number][]): number[] {
  const r = new Array<number>(words).fill(0);
  for (const [i, v] of fields) r[i] = v;
  return r;
}

/** The flat f64 table and initial value vector in src/core/abi.ts's layout (MODEL, SAMPLE, ...). */
function flatten(model: Model, data: LoadedData, scales: number[]): { table: number[]; values: number[] } {
  const index = new Map(model.parameters.map((p, i) => [p.name, i]));
  const values = model.parameters.map((p) => p.value);
  const valueIndex = (a: number | string) => {
    if (typeof a === "string") return index.get(a)!;
    values.push(a);
    return values.length - 1;
  };
  const table = record(abi.MODEL_SAMPLES + model.samples.length, [
    [abi.MODEL_N_PARAMS, model.parameters.length],
    [abi.MODEL_N_SAMPLES, model.samples.length],
    [abi.MODEL_N_CONSTRAINTS, model.constraints.length],
  ]);
  table[abi.MODEL_CONSTRAINTS] = table.length;
  for (const k of model.constraints) {
    table.push(
      ...record(abi.CONSTRAINT_WORDS, [
        [abi.CONSTRAINT_PARAM, index.get(k.param)!],
        [abi.CONSTRAINT_MEAN, k.mean],
        [abi.CONSTRAINT_SIGMA, k.sigma],
      ]),
    );
  }
  model.samples.forEach((s, si) => {
    table[abi.MODEL_SAMPLES + si] = table.length;
    const start = table.length;
    const holes = s.exclude ?? [];
    const guards = guardPoints(s.guards, holes);
    table.push(...sampleRecord(s, data.ptrs[si], scales[si], guards.length));
    table[start + abi.SAMPLE_GUARDS] = table.length;
    table.push(...guards);
    table[start + abi.SAMPLE_HOLES] = table.length;
    for (const [a, b] of holes) table.push(a, b);
    s.components.forEach((c, ci) => {
      table[start + abi.SAMPLE_COMPONENTS + ci] = table.length;
      const parts = c.args.map(argParts);
      table.push(
        ...componentRecord(
          c,
          parts,
          parts.map((p) => valueIndex(p.base)),
          index,
        ),
      );
    });
  });
  table[abi.MODEL_N_VALUES] = values.length;
  return { table, values };
}

/**
 * The guard points: a guard inside a veto (a peak in a vetoed interval) is replaced by the veto's
 * two ends, the allowed points nearest to it, where the density is largest if it peaks inside.
 */
function guardPoints(guards: number[], holes: [number, number][]): number[] {
  return guards.flatMap((g) => {
    const h = holes.find(([a, b]) => g > a && g < b);
    return h ? [h[0], h[1]] : [g];
  });
}

/** A SAMPLE record with room for its component offsets (filled in by flatten, as the guards' offset). */
function sampleRecord(s: Sample, d: LoadedData["ptrs"][number], scale: number, nGuards: number): number[] {
  return record(abi.SAMPLE_COMPONENTS + s.components.length, [
    [abi.SAMPLE_DATA, d.data],
    [abi.SAMPLE_WEIGHTS, d.weights],
    [abi.SAMPLE_EVENTS, d.n],
    [abi.SAMPLE_LO, s.range[0]],
    [abi.SAMPLE_HI, s.range[1]],
    [abi.SAMPLE_N_COMPONENTS, s.components.length],
    [abi.SAMPLE_FAST_COMPONENT, -1],
    [abi.SAMPLE_N_GUARDS, nGuards],
    [abi.SAMPLE_NLL_SCALE, scale],
    [abi.SAMPLE_N_HOLES, s.exclude?.length ?? 0],
  ]);
}

/** A FACTOR record: parameter, form (θ, κ^θ, 1 + r·θ), coefficient, and the argument it multiplies (−1: the yield). */
function factorRecord(f: Factor, index: Map<string, number>, arg: number): number[] {
  const form = f.kappa !== undefined ? abi.FORM_LOG_NORMAL : f.gauss !== undefined ? abi.FORM_GAUSS : abi.FORM_PARAM;
  return record(abi.FACTOR_WORDS, [
    [abi.FACTOR_PARAM, index.get(f.param)!],
    [abi.FACTOR_FORM, form],
    [abi.FACTOR_COEF, f.kappa ?? f.gauss ?? 0],
    [abi.FACTOR_ARG, arg],
  ]);
}

/**
 * A COMPONENT record: header, each argument's base (an index into the value vector), the yield's
 * FACTOR records, then the FACTOR records on arguments.
 */
function componentRecord(
  c: Component,
  parts: { factors: Factor[] }[],
  bases: number[],
  index: Map<string, number>,
): number[] {
  const argFactors = parts.flatMap((p, a) => p.factors.map((f) => factorRecord(f, index, a)));
  const r = record(abi.COMPONENT_ARGS, [
    [abi.COMPONENT_KIND, SHAPES[c.shape].kind],
    [abi.COMPONENT_N_ARGS, bases.length],
    [abi.COMPONENT_YIELD_CONSTANT, c.yieldConstant],
    [abi.COMPONENT_N_FACTORS, c.yieldFactors.length],
    [abi.COMPONENT_N_ARG_FACTORS, argFactors.length],
  ]);
  r.push(...bases);
  for (const f of c.yieldFactors) r.push(...factorRecord(f, index, -1));
  for (const f of argFactors) r.push(...f);
  return r;
}
