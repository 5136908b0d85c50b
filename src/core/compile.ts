/**
 * A model compiled into the WASM core: the flat table of assembly/model.ts, the events, and the
 * value vector (parameters, then constants) in the instance's memory. Everything the fit needs
 * from here on runs inside WASM; JS only writes parameter values and reads results.
 */
import { BumpscanError } from "../errors.js";
import { Model } from "../model/model.js";
import { SHAPES } from "../model/shapes.js";
import { CoreExports, viewF64, writeF64 } from "./wasm.js";

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
 * const loaded = loadData(core, [{ values: new Float64Array([1, 2, 3]) }]);
 */
export function loadData(core: CoreExports, data: Dataset[]): LoadedData {
  return {
    ptrs: data.map((d) => ({ data: writeF64(core, d.values), weights: d.weights ? writeF64(core, d.weights) : 0, n: d.values.length })),
  };
}

/**
 * Fit status codes of the core's minimizer, indexed by the code it returns.
 * @example
 * STATUS[0]; // "converged"
 */
export const STATUS = ["converged", "call limit", "edm above max", "failed"] as const;
export type FitStatus = (typeof STATUS)[number];

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
 * const cm = new CompiledModel(core, model, loadData(core, [{ values }]));
 * const { nll, grad } = cm.nllGrad([10, 1000, -1.2, 0.3]);
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
   * const cm = new CompiledModel(core, model, loadData(core, [{ values }]));
   * cm.nll([0, 1000, 0]); // the NLL at nsig = 0, nbkg = 1000, c1 = 0
   */
  constructor(readonly core: CoreExports, readonly model: Model, data: LoadedData, options: { scales?: number[] } = {}) {
    if (data.ptrs.length !== model.samples.length) {
      throw new BumpscanError(`model has ${model.samples.length} samples but ${data.ptrs.length} datasets were given`);
    }
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
    this.boundsPtr = writeF64(core, model.parameters.flatMap((p) => [p.lo, p.hi]));
    this.scratchPtr = writeF64(core, new Float64Array(Math.max(this.nParams * this.nParams, 4 + this.nParams, 16)));
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
   * cm.setLowerBound("nsig", -120);
   */
  setLowerBound(name: string, lo: number): void {
    const i = this.names.indexOf(name);
    if (i < 0) throw new BumpscanError(`no parameter named "${name}"`);
    this.model.parameters[i].lo = lo;
    viewF64(this.core, this.boundsPtr + 16 * i, 1)[0] = lo;
  }

  /** Run the core's minimizer from the current values; see infer/fit.ts for the public API. */
  minimize(maxCalls: number, edmMax: number): MinimizeResult {
    this.activate();
    const code = this.core.minimize(this.boundsPtr, maxCalls, edmMax, this.scratchPtr);
    const nFree = this.free.filter(Boolean).length;
    const out = viewF64(this.core, this.scratchPtr, 4 + nFree);
    return { status: STATUS[code], fval: out[0], edm: out[1], nfcn: out[2], iterations: out[3], errorGuess: Array.from(out.subarray(4)) };
  }

  /** Hessian over the free parameters by central differences of the gradient with the given steps. */
  hessian(steps: number[]): { matrix: number[][]; nfcn: number } | undefined {
    this.activate();
    const n = steps.length;
    const mark = this.core.mark();
    const sPtr = writeF64(this.core, steps);
    const outPtr = writeF64(this.core, new Float64Array(n * n));
    const evals = this.core.hesse(sPtr, outPtr);
    const flat = viewF64(this.core, outPtr, n * n).slice();
    this.core.release(mark);
    if (evals < 0) return undefined;
    return { matrix: Array.from({ length: n }, (_, i) => Array.from(flat.subarray(i * n, (i + 1) * n))), nfcn: evals };
  }

  /**
   * Total expected density Σ ν_c f_c(m) of one sample at the current values, at arbitrary points.
   * @example
   * cm.density(0, [4.2, 5]); // events per unit of m at those masses
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

  /** Free the core memory this model took (its tables and caches; not the shared data). */
  dispose(): void {
    this.core.release(this.arenaMark);
  }
}

/** The flat f64 table and initial value vector of assembly/model.ts's layout. */
function flatten(model: Model, data: LoadedData, scales: number[]): { table: number[]; values: number[] } {
  const index = new Map(model.parameters.map((p, i) => [p.name, i]));
  const values = model.parameters.map((p) => p.value);
  const valueIndex = (a: number | string) => {
    if (typeof a === "string") return index.get(a)!;
    values.push(a);
    return values.length - 1;
  };
  const table: number[] = [model.parameters.length, 0, model.samples.length, model.constraints.length, 0];
  const sampleSlots = table.length;
  table.push(...model.samples.map(() => 0));
  table[4] = table.length;
  for (const k of model.constraints) table.push(index.get(k.param)!, k.mean, k.sigma);
  model.samples.forEach((s, si) => {
    const d = data.ptrs[si];
    table[sampleSlots + si] = table.length;
    const start = table.length;
    table.push(d.data, d.weights, d.n, s.range[0], s.range[1], s.components.length, 0, 0, -1, s.guards.length, 0, 0, scales[si]);
    table.push(...s.components.map(() => 0));
    table[start + 10] = table.length;
    table.push(...s.guards);
    s.components.forEach((c, ci) => {
      table[start + 13 + ci] = table.length;
      const args = c.args.map(valueIndex);
      table.push(SHAPES[c.shape].kind, args.length, c.yieldConstant, c.yieldFactors.length, 0, 0, 0, 0, ...args);
      for (const f of c.yieldFactors) table.push(index.get(f.param)!, f.kappa ?? 0);
    });
  });
  table[1] = values.length;
  return { table, values };
}
