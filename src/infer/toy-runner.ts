/**
 * The toy engine on one core instance: a copy of the model over event buffers sized for any
 * plausible toy, the generation grids, and runBatch, which calls the core's toy loop. A ToyRunner
 * lives wherever toys run: in the calling thread, or one per worker of a pool.
 */
import { CompiledModel, LoadedData } from "../core/compile.js";
import { CoreExports, viewF64, writeF64 } from "../core/wasm.js";
import { Model } from "../model/model.js";

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

/** One batch's results: test statistics and fitted POI of the good toys, in toy order. */
export interface ToyBatch {
  q: Float64Array;
  muHat: Float64Array;
  failed: number;
  /** Generated points where the density exceeded its envelope (should be 0). */
  violations: number;
}

/**
 * The toy engine on one core.
 * @example
 * new ToyRunner(core, config).runBatch(gen, 0, 0, [10, 20], 0, 100); // b-only toys tested at μ = 10, 20
 */
export class ToyRunner {
  private readonly toyModel: CompiledModel;
  private readonly poiIndex: number;
  private readonly ptr: { bounds: number; boundsFree: number; maskFree: number; maskFixed: number; gen: number };
  private readonly grids: { edges: number; n: number; work: number; capacity: number }[];

  /**
   * @example
   * const runner = new ToyRunner(core, config);
   * runner.runBatch([40, 1e4, -1.2, 0.3], 1, 3, [40], 0, 100); // 100 s+b toys tested at μ = 40
   */
  constructor(readonly core: CoreExports, readonly config: ToyRunnerConfig) {
    const model = config.model;
    const loaded: LoadedData = { ptrs: config.capacity.map((cap) => ({ data: writeF64(core, new Float64Array(cap)), weights: 0, n: cap })) };
    this.toyModel = new CompiledModel(core, model, loaded);
    this.grids = config.grids.map((edges, k) => ({
      edges: writeF64(core, edges), n: edges.length, work: writeF64(core, new Float64Array(6 * edges.length)), capacity: config.capacity[k],
    }));
    this.poiIndex = model.parameters.findIndex((p) => p.name === model.poi);
    const lo = model.parameters.map((p) => p.lo), hi = model.parameters.map((p) => p.hi);
    this.ptr = {
      bounds: writeF64(core, lo.flatMap((l, i) => [l, hi[i]])),
      boundsFree: writeF64(core, lo.flatMap((l, i) => [i === this.poiIndex ? Math.max(l, 0) : l, hi[i]])),
      maskFree: writeF64(core, model.parameters.map((p) => (p.fixed ? 0 : 1))),
      maskFixed: writeF64(core, model.parameters.map((p, i) => (p.fixed || i === this.poiIndex ? 0 : 1))),
      gen: writeF64(core, new Float64Array(model.parameters.length)),
    };
  }

  /**
   * Toys first … first+n−1 of the stream (seed, mass, hypothesis, poiIndex), generated at `gen`
   * (parameter values in model order), fitted free once and tested at each of `muTests`; one batch
   * per tested value. mode 0 q̃μ, mode 1 q0.
   */
  runBatch(gen: ArrayLike<number>, hypothesis: number, poiIndex: number, muTests: number[], first: number, n: number, mode = 0): ToyBatch[] {
    const core = this.core;
    this.toyModel.activate();
    this.grids.forEach((g, k) => core.setToyGrid(k, g.edges, g.n, g.work, g.capacity));
    viewF64(core, this.ptr.gen, gen.length).set(gen);
    const mark = core.mark();
    const stride = 3 + 2 * muTests.length;
    const mus = writeF64(core, muTests);
    const results = writeF64(core, new Float64Array(stride * n));
    const { seed, massIndex, maxCalls, poiStart } = this.config;
    core.runToys(this.ptr.gen, n, first, seed >>> 0, Math.floor(seed / 2 ** 32) >>> 0, poiIndex, ((massIndex << 8) | hypothesis) >>> 0,
      this.poiIndex, mus, muTests.length, mode, this.ptr.bounds, this.ptr.boundsFree, this.ptr.maskFree, this.ptr.maskFixed,
      maxCalls, 0.002 * 0.1 * 0.5, poiStart, results);
    const out = viewF64(core, results, stride * n).slice();
    core.release(mark);
    const violations = core.takeEnvelopeViolations();
    return muTests.map((_, j) => {
      const q: number[] = [], muHat: number[] = [];
      let failed = 0;
      for (let t = 0; t < n; t++) {
        const r = t * stride;
        const qj = out[r + 3 + 2 * j];
        if (out[r + 1] !== 0 || out[r + 4 + 2 * j] !== 0 || !Number.isFinite(qj)) failed++;
        else q.push(qj), muHat.push(out[r]);
      }
      return { q: Float64Array.from(q), muHat: Float64Array.from(muHat), failed, violations: j === 0 ? violations : 0 };
    });
  }

  dispose(): void {
    this.toyModel.dispose();
  }
}

/**
 * Concatenate batches of consecutive toys (in order): the same result as one batch over all of them.
 * @example
 * joinBatches([runner.runBatch(g, 1, 3, 40, 0, 50), runner.runBatch(g, 1, 3, 40, 50, 50)]);
 */
export function joinBatches(parts: ToyBatch[]): ToyBatch {
  const cat = (key: "q" | "muHat") => {
    const out = new Float64Array(parts.reduce((s, p) => s + p[key].length, 0));
    let o = 0;
    for (const p of parts) out.set(p[key], o), (o += p[key].length);
    return out;
  };
  return { q: cat("q"), muHat: cat("muHat"), failed: parts.reduce((s, p) => s + p.failed, 0), violations: parts.reduce((s, p) => s + p.violations, 0) };
}
