/**
 * The toy engine on one core instance: a copy of the model over event buffers sized for any
 * plausible toy, the generation grids, and runBatch, which calls the core's toy loop. A ToyRunner
 * lives wherever toys run: in the calling thread, or one per worker of a pool.
 */
import * as abi from "../core/abi.js";
import { boundsTable, checkCoreLimits, CompiledModel, type LoadedData } from "../core/compile.js";
import { type CoreExports, viewF64, writeF64 } from "../core/wasm.js";
import type { Model } from "../model/model.js";
import { BumpscanError } from "../errors.js";

/** Everything a runner needs; plain data, so it can be posted to a worker. */
export interface ToyRunnerConfig {
  model: Model;
  /** Event capacity per sample. */
  capacity: number[];
  /** Generation cell edges per sample. */
  grids: number[][];
  seed: number;
  massIndex: number;
  maxCalls: number;
  /** Lowest start value of the POI in the free fit (about half the POI's error). */
  poiStart: number;
}

/**
 * The test statistic of a toy run: q̃μ (0 when μ̂ > μ), the discovery q0, or Feldman–Cousins' t_μ
 * (2(NLL(μ) − NLL(μ̂)) with μ̂ ≥ 0, two-sided).
 */
export type ToyStatistic = "qmu" | "q0" | "fc";

/**
 * One batch of toys of one stream; plain data, so it can be posted to a worker. Every toy's random
 * numbers derive from (seed, mass index, hypothesis, grid, toy index), so any split of the toys
 * over batches gives the same toys.
 */
export interface ToyRequest {
  /** Parameter values to generate at, in model order. */
  gen: ArrayLike<number>;
  /** Keys the stream: TOY_HYPOTHESIS_SB (1) or TOY_HYPOTHESIS_B (0) of src/core/abi.ts. */
  hypothesis: number;
  /** Keys the stream: the index of the POI grid point the toys are generated at. */
  grid: number;
  /** POI values each toy is tested at (one fixed-POI fit each). */
  muTests: number[];
  /** Index of the first toy in the stream. */
  first: number;
  count: number;
  statistic: ToyStatistic;
}

/** One batch's results: test statistics and fitted POI of the good toys, in toy order. */
export interface ToyBatch {
  q: Float64Array;
  muHat: Float64Array;
  failed: number;
  /** Generated points where the density exceeded its envelope (should be 0). */
  violations: number;
}

/** The core's code of each statistic. */
const STATISTICS: Record<ToyStatistic, number> = {
  qmu: abi.TOY_STATISTIC_QMU,
  q0: abi.TOY_STATISTIC_Q0,
  fc: abi.TOY_STATISTIC_FC,
};

/** The fit accuracy of toy fits: Minuit's EDM goal 0.002 · tolerance 0.1 · errordef 0.5. */
const TOY_EDM_MAX = 0.002 * 0.1 * 0.5;

/**
 * The toy engine on one core.
 */
export class ToyRunner {
  private readonly toyModel: CompiledModel;
  private readonly poiIndex: number;
  private readonly ptr: {
    bounds: number;
    boundsFree: number;
    maskFree: number;
    maskFixed: number;
    gen: number;
    block: number;
  };
  private readonly grids: { edges: number; n: number; work: number; capacity: number }[];
  private readonly buffers: LoadedData;

  /**
   * Set up the toy engine of `config.model` on `core` (refused if the core cannot hold the model).
   */
  constructor(
    readonly core: CoreExports,
    readonly config: ToyRunnerConfig,
  ) {
    const model = config.model;
    checkCoreLimits(model); // before the event buffers are written, too
    // the buffers start at each sample's lower end (an allowed point, whatever its vetoes) until toys fill them
    const loaded: LoadedData = {
      ptrs: config.capacity.map((cap, k) => ({
        data: writeF64(core, new Float64Array(cap).fill(model.samples[k].range[0])),
        weights: 0,
        n: cap,
      })),
    };
    this.toyModel = new CompiledModel(core, model, loaded);
    this.buffers = loaded;
    this.grids = config.grids.map((edges, k) => ({
      edges: writeF64(core, edges),
      n: edges.length,
      work: writeF64(core, new Float64Array(abi.GRID_WORK_PER_CELL * edges.length)),
      capacity: config.capacity[k],
    }));
    this.poiIndex = model.parameters.findIndex((p) => p.name === model.poi);
    const lo = model.parameters.map((p) => p.lo),
      hi = model.parameters.map((p) => p.hi);
    this.ptr = {
      bounds: writeF64(core, boundsTable(lo.map((l, i) => [l, hi[i]]))),
      // the free fit keeps the POI ≥ 0
      boundsFree: writeF64(core, boundsTable(lo.map((l, i) => [i === this.poiIndex ? Math.max(l, 0) : l, hi[i]]))),
      maskFree: writeF64(
        core,
        model.parameters.map((p) => (p.fixed ? 0 : 1)),
      ),
      maskFixed: writeF64(
        core,
        model.parameters.map((p, i) => (p.fixed || i === this.poiIndex ? 0 : 1)),
      ),
      gen: writeF64(core, new Float64Array(model.parameters.length)),
      block: writeF64(core, new Float64Array(abi.RUN_WORDS)),
    };
  }

  /**
   * Run the toys of `request`: each generated at `gen`, fitted free once and tested at each of
   * `muTests`; one batch per tested value.
   */
  runBatch(request: ToyRequest): ToyBatch[] {
    const core = this.core;
    this.toyModel.activate();
    this.grids.forEach((g, k) => core.setToyGrid(k, g.edges, g.n, g.work, g.capacity));
    viewF64(core, this.ptr.gen, request.gen.length).set(request.gen);
    const mark = core.mark();
    const stride = abi.TOY_TESTS + abi.TEST_WORDS * request.muTests.length;
    const mus = writeF64(core, request.muTests);
    const results = writeF64(core, new Float64Array(stride * request.count));
    this.writeBlock(request, mus, results);
    core.runToys(this.ptr.block);
    const out = viewF64(core, results, stride * request.count).slice();
    core.release(mark);
    const violations = core.takeEnvelopeViolations();
    return request.muTests.map((_, j) => ({
      ...collect(out, stride, request.count, j),
      violations: j === 0 ? violations : 0,
    }));
  }

  /**
   * Toy `toy` of the stream keyed by (seed, mass index, `hypothesis`, `grid`) drawn at `gen`, no
   * fits: one dataset per sample (the toy spectra of background-only toy scans), unsorted.
   */
  generate(gen: ArrayLike<number>, toy: number, grid: number, hypothesis: number): Float64Array[] {
    const core = this.core;
    this.toyModel.activate();
    this.grids.forEach((g, k) => core.setToyGrid(k, g.edges, g.n, g.work, g.capacity));
    viewF64(core, this.ptr.gen, gen.length).set(gen);
    const mark = core.mark();
    const counts = writeF64(core, new Float64Array(this.grids.length));
    const { seed, massIndex } = this.config;
    const seedHi = Math.floor(seed / 2 ** 32) >>> 0;
    const massHyp = ((massIndex << 8) | hypothesis) >>> 0;
    const status = core.generateToy(this.ptr.gen, seed >>> 0, seedHi, toy >>> 0, grid >>> 0, massHyp, counts);
    const n = viewF64(core, counts, this.grids.length).slice();
    core.release(mark);
    if (status < 0) throw new BumpscanError(`toy ${toy} overflowed its event buffer (${n.join(", ")} events)`);
    return this.buffers.ptrs.map((p, k) => viewF64(core, p.data, n[k]).slice());
  }

  /** Fill the core's RUN_* parameter block for one runToys call. */
  private writeBlock(request: ToyRequest, mus: number, results: number): void {
    const { seed, massIndex, maxCalls, poiStart } = this.config;
    const block = viewF64(this.core, this.ptr.block, abi.RUN_WORDS);
    block[abi.RUN_GEN] = this.ptr.gen;
    block[abi.RUN_COUNT] = request.count;
    block[abi.RUN_FIRST] = request.first;
    block[abi.RUN_SEED_LO] = seed >>> 0;
    block[abi.RUN_SEED_HI] = Math.floor(seed / 2 ** 32) >>> 0;
    block[abi.RUN_GRID] = request.grid >>> 0;
    block[abi.RUN_MASS_INDEX] = massIndex >>> 0;
    block[abi.RUN_HYPOTHESIS] = request.hypothesis >>> 0;
    block[abi.RUN_POI] = this.poiIndex;
    block[abi.RUN_MU_TESTS] = mus;
    block[abi.RUN_N_MU] = request.muTests.length;
    block[abi.RUN_STATISTIC] = STATISTICS[request.statistic];
    block[abi.RUN_BOUNDS] = this.ptr.bounds;
    block[abi.RUN_BOUNDS_FREE] = this.ptr.boundsFree;
    block[abi.RUN_MASK_FREE] = this.ptr.maskFree;
    block[abi.RUN_MASK_FIXED] = this.ptr.maskFixed;
    block[abi.RUN_MAX_CALLS] = maxCalls;
    block[abi.RUN_EDM_MAX] = TOY_EDM_MAX;
    block[abi.RUN_POI_START] = poiStart;
    block[abi.RUN_RESULTS] = results;
  }

  dispose(): void {
    this.toyModel.dispose();
  }
}

/** The good toys' q and μ̂ at tested value j from runToys's results (stride words per toy). */
function collect(out: Float64Array, stride: number, count: number, j: number): Omit<ToyBatch, "violations"> {
  const q: number[] = [],
    muHat: number[] = [];
  let failed = 0;
  const test = abi.TOY_TESTS + abi.TEST_WORDS * j;
  for (let t = 0; t < count; t++) {
    const r = t * stride;
    const qj = out[r + test + abi.TEST_Q];
    const ok =
      out[r + abi.TOY_STATUS] === abi.STATUS_CONVERGED && out[r + test + abi.TEST_STATUS] === abi.STATUS_CONVERGED;
    if (!ok || !Number.isFinite(qj)) failed++;
    else q.push(qj), muHat.push(out[r + abi.TOY_MU_HAT]);
  }
  return { q: Float64Array.from(q), muHat: Float64Array.from(muHat), failed };
}

/**
 * Concatenate batches of consecutive toys (in order): the same result as one batch over all of them.
 */
export function joinBatches(parts: ToyBatch[]): ToyBatch {
  const cat = (key: "q" | "muHat") => {
    const out = new Float64Array(parts.reduce((s, p) => s + p[key].length, 0));
    let o = 0;
    for (const p of parts) out.set(p[key], o), (o += p[key].length);
    return out;
  };
  return {
    q: cat("q"),
    muHat: cat("muHat"),
    failed: parts.reduce((s, p) => s + p.failed, 0),
    violations: parts.reduce((s, p) => s + p.violations, 0),
  };
}
