/**
 * A pool of workers (Node worker_threads or browser Web Workers, driven through comlink), each holding one core instance
 * instantiated from the one compiled module. Toy batches are split into consecutive chunks, one per
 * worker; as every toy's random numbers depend only on its own index, the joined result is the
 * same for any number of workers.
 */
import * as Comlink from "comlink";
import { coreModule } from "../core/wasm.js";
import { cores, spawnWorker } from "#platform";
import { joinBatches, ToyBatch, ToyRunnerConfig } from "../infer/toy-runner.js";
import type { WorkerApi } from "./worker-api.js";
import { BumpscanError } from "../errors.js";
import { Spec } from "../model/spec.js";
import { GridPoint } from "./grid.js";
import { PointResult, ScanOptions } from "./point.js";

/** A started worker: where comlink talks to it, and how to stop it. */
export interface SpawnedWorker {
  endpoint: Comlink.Endpoint;
  terminate(): unknown;
}

/**
 * Workers holding a core each.
 * @example
 * const pool = await WorkerPool.start(2); … await pool.close();
 */
export class WorkerPool {
  private closing?: () => void;
  /** Rejects once the pool is closed: every pending call races it, so closing stops them at once. */
  private readonly closed = new Promise<never>((_, reject) => {
    this.closing = () => reject(new BumpscanError("the worker pool was closed"));
  });

  private constructor(private readonly workers: SpawnedWorker[], private readonly remotes: Comlink.Remote<WorkerApi>[]) {
    this.closed.catch(() => {}); // nobody may be waiting
  }

  /**
   * Start `size` workers (default: the available cores) — worker_threads under Node, module Web
   * Workers in a browser, or whatever `spawn` starts (a bundler's worker URL, say).
   * @example
   * const pool = await WorkerPool.start(2);
   * // … new ToyCalculator(cm, { pool }) …
   * await pool.close();
   */
  static async start(size?: number, options: { spawn?: () => SpawnedWorker } = {}): Promise<WorkerPool> {
    const module = await coreModule();
    const spawn = options.spawn ?? spawnWorker;
    const workers = Array.from({ length: Math.max(1, size ?? cores()) }, () => spawn());
    const remotes = workers.map((w) => Comlink.wrap<WorkerApi>(w.endpoint));
    const pool = new WorkerPool(workers, remotes);
    await pool.each((r) => r.init(module));
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  /** A call to a worker, cut short when the pool is closed. */
  private call<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.closed]);
  }

  private each<T>(f: (r: Comlink.Remote<WorkerApi>) => Promise<T>): Promise<T[]> {
    return this.call(Promise.all(this.remotes.map(f)));
  }

  /** Give every worker the toy engine of one model. */
  async configureToys(config: ToyRunnerConfig): Promise<void> {
    await this.each((r) => r.configureToys(config));
  }

  /** Toys first … first+n−1 split over the workers in consecutive chunks, joined in order. */
  async runBatch(gen: number[], hypothesis: number, poiIndex: number, muTests: number[], first: number, n: number, mode = 0): Promise<ToyBatch[]> {
    const k = Math.min(this.size, n);
    const chunks = await this.call(Promise.all(Array.from({ length: k }, (_, i) => {
      const a = first + Math.floor((i * n) / k), b = first + Math.floor(((i + 1) * n) / k);
      return this.remotes[i].runBatch(gen, hypothesis, poiIndex, muTests, a, b - a, mode);
    })));
    return muTests.map((_, j) => joinBatches(chunks.map((c) => c[j])));
  }

  /**
   * Scan points as tasks: each worker takes the next point when it is free, and `done` hears of
   * each result as it comes. The events go to each worker once. An aborted signal stops handing
   * out points; closing the pool stops the points under way too, at once.
   */
  async runScan(spec: Spec, sorted: Float64Array[], points: GridPoint[], options: ScanOptions, done: (p: PointResult) => void, signal?: AbortSignal,
    start?: Record<string, number>): Promise<PointResult[]> {
    await this.each((r) => r.configureScan(spec, sorted, start));
    const out: PointResult[] = [];
    let next = 0;
    const work = async (remote: Comlink.Remote<WorkerApi>) => {
      while (next < points.length) {
        if (signal?.aborted) throw new BumpscanError("scan cancelled");
        const g = points[next++];
        const r = await this.call(remote.scanPoint(g, options));
        out.push(r);
        done(r);
      }
    };
    await this.call(Promise.all(this.remotes.map(work)));
    return out;
  }

  /**
   * Stop the workers at once (terminated mid-computation if need be); pending calls reject.
   * @example
   * await pool.close(); // the process can then exit
   */
  async close(): Promise<void> {
    if (!this.closing) return;
    this.closing();
    this.closing = undefined;
    for (const r of this.remotes) r[Comlink.releaseProxy]();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
