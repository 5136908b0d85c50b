/**
 * A pool of workers (Node worker_threads or browser Web Workers, driven through comlink), each holding one core
 * instance
 * instantiated from the one compiled module. Toy batches are split into consecutive chunks, one per
 * worker; as every toy's random numbers depend only on its own index, the joined result is the
 * same for any number of workers.
 */
import * as Comlink from "comlink";
import { coreModule } from "../core/wasm.js";
import { cores, spawnWorker } from "#platform";
import { joinBatches, type ToyBatch, type ToyRequest, type ToyRunnerConfig } from "../infer/toy-runner.js";
import type { WorkerApi } from "./worker-api.js";
import { BumpscanError } from "../errors.js";
import { type FailureListener, onWebWorkerFailure, type SpawnedWorker } from "../platform/worker.js";

export type { SpawnedWorker };
import type { Spec } from "../model/spec.js";
import type { Dataset } from "../core/compile.js";
import type { GridPoint } from "./grid.js";
import type { PointResult, ScanOptions } from "./point.js";
import type { LeeJob, ToyScan } from "./lee-toys.js";

/** How `WorkerPool.start` starts its workers. */
export interface PoolOptions {
  /** Start one worker (default: the platform's: worker_threads under Node, module Web Workers in a browser). */
  spawn?: () => SpawnedWorker;
  /** How long the workers may take to load and set up the core before `start` gives up (ms, default 30 000). */
  startTimeoutMs?: number;
}

/** The default start-up timeout: loading a script and instantiating the core take well under a second. */
export const START_TIMEOUT_MS = 30_000;

/**
 * Workers holding a core each.
 * @example
 * import { readFileSync } from "node:fs";
 * import { parseSpec, readColumn, scan } from "bumpscan";
 * const spec = parseSpec({ ...JSON.parse(readFileSync("spec.json", "utf8")), scan: { from: 4, to: 4.4, step: 2 } });
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * import { WorkerPool } from "bumpscan";
 * const pool = await WorkerPool.start(2); // two workers; the scan's points are shared among them
 * const result = await scan(spec, values, { pool });
 * await pool.close();
 * result.points.length; // => 5
 */
export class WorkerPool {
  /**
   * The reject functions of the calls under way. A call removes its own when it settles, so a
   * finished call leaves nothing behind (racing every call against one never-settling promise
   * kept a reaction per call for the pool's lifetime); closing or a failed worker rejects them all.
   */
  private readonly pending = new Set<(e: Error) => void>();
  /** Why the pool takes no more work: closed, or a worker failed. */
  private broken?: Error;
  private started = false;
  private closed = false;

  private constructor(
    private readonly workers: SpawnedWorker[],
    private readonly remotes: Comlink.Remote<WorkerApi>[],
  ) {
    workers.forEach((w, i) =>
      watch(w, (e) =>
        this.fail(
          new BumpscanError(
            `worker ${i + 1} of the pool ${this.started ? "stopped" : "failed to start"}: ${e.message}`,
          ),
        ),
      ),
    );
  }

  /**
   * Start `size` workers (default: the available cores) — worker_threads under Node, module Web
   * Workers in a browser, or whatever `options.spawn` starts (a bundler's worker URL, say).
   * Rejects with a BumpscanError when a worker fails to load (naming its error and script) or
   * the workers are not ready within `options.startTimeoutMs`; the workers started are then
   * terminated. A size that is not a whole number ≥ 1 is refused.
   * @example
   * import { WorkerPool } from "bumpscan";
   * const pool = await WorkerPool.start(); // one worker per core
   * pool.size > 0; // => true
   * await pool.close();
   */
  static async start(size?: number, options: PoolOptions = {}): Promise<WorkerPool> {
    const n = poolSize(size);
    const timeout = startTimeout(options.startTimeoutMs);
    const module = await coreModule();
    const workers = spawnAll(options.spawn ?? spawnWorker, n);
    const pool = new WorkerPool(
      workers,
      workers.map((w) => Comlink.wrap<WorkerApi>(w.endpoint)),
    );
    const timer = setTimeout(
      () =>
        pool.fail(
          new BumpscanError(
            `the pool's workers did not start within ${timeout / 1000} s ` +
              "(a worker script that does not load or never answers)",
          ),
        ),
      timeout,
    );
    try {
      await pool.each((r) => r.init(module));
      pool.started = true;
      return pool;
    } catch (e) {
      const error = pool.broken ?? new BumpscanError(`a worker of the pool failed to start: ${messageOf(e)}`);
      await pool.close();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** A call to a worker, cut short when the pool is closed or a worker fails. */
  private call<T>(work: Promise<T>): Promise<T> {
    if (this.broken) {
      work.catch(() => {}); // nobody waits for it any more
      return Promise.reject(this.broken);
    }
    return new Promise<T>((resolve, reject) => {
      this.pending.add(reject);
      work.then(
        (v) => {
          this.pending.delete(reject);
          resolve(v);
        },
        (e) => {
          this.pending.delete(reject);
          reject(e);
        },
      );
    });
  }

  /** Stop taking work and reject every call under way with `error` (the first reason stands). */
  private fail(error: Error): void {
    if (this.broken) return;
    this.broken = error;
    for (const reject of this.pending) reject(error);
    this.pending.clear();
  }

  private each<T>(f: (r: Comlink.Remote<WorkerApi>) => Promise<T>): Promise<T[]> {
    return this.call(Promise.all(this.remotes.map(f)));
  }

  /** Give every worker the toy engine of one model. */
  async configureToys(config: ToyRunnerConfig): Promise<void> {
    await this.each((r) => r.configureToys(config));
  }

  /** Toys first … first+n−1 split over the workers in consecutive chunks, joined in order. */
  async runBatch(request: ToyRequest): Promise<ToyBatch[]> {
    const { first, count: n } = request;
    const k = Math.min(this.size, n);
    const chunks = await this.call(
      Promise.all(
        Array.from({ length: k }, (_, i) => {
          const a = first + Math.floor((i * n) / k),
            b = first + Math.floor(((i + 1) * n) / k);
          return this.remotes[i].runBatch({ ...request, first: a, count: b - a });
        }),
      ),
    );
    return request.muTests.map((_, j) => joinBatches(chunks.map((c) => c[j])));
  }

  /**
   * Scan points as tasks: each worker takes the next point when it is free, and `done` hears of
   * each result as it comes. The events go to each worker once. An aborted signal stops handing
   * out points; closing the pool stops the points under way too, at once.
   */
  async runScan(
    spec: Spec,
    sorted: Dataset[],
    points: GridPoint[],
    options: ScanOptions,
    done: (p: PointResult) => void,
    signal?: AbortSignal,
    start?: Record<string, number>,
  ): Promise<PointResult[]> {
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
    // every worker finishes (or fails) its point before the scan stops: a stopped scan keeps them all
    const settled = await this.call(Promise.allSettled(this.remotes.map(work)));
    const failure = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failure) throw failure.reason;
    return out;
  }

  /**
   * Background-only toy scans of a LEE job as tasks, one toy scan each: each worker takes the next
   * toy when it is free. The results come back in the order of `toys`, whichever worker ran them.
   */
  async runToyScans(job: LeeJob, toys: number[], done: () => void, signal?: AbortSignal): Promise<ToyScan[]> {
    await this.each((r) => r.configureLee(job));
    const out: ToyScan[] = new Array(toys.length);
    let next = 0;
    const work = async (remote: Comlink.Remote<WorkerApi>) => {
      while (next < toys.length) {
        if (signal?.aborted) throw new BumpscanError("scan cancelled");
        const i = next++;
        out[i] = await this.call(remote.leeToyScan(toys[i]));
        done();
      }
    };
    const settled = await this.call(Promise.allSettled(this.remotes.map(work)));
    const failure = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failure) throw failure.reason;
    return out;
  }

  /**
   * Stop the workers at once (terminated mid-computation if need be); pending calls reject.
   * @example
   * import { WorkerPool } from "bumpscan";
   * const pool = await WorkerPool.start(1);
   * await pool.close(); // the workers end: the process can then exit
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.fail(new BumpscanError("the worker pool was closed"));
    for (const r of this.remotes) r[Comlink.releaseProxy]();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** The number of workers to start: the cores when not given, else a whole number ≥ 1. */
function poolSize(size: number | undefined): number {
  if (size === undefined) return Math.max(1, cores());
  if (!Number.isInteger(size) || size < 1)
    throw new BumpscanError(`a worker pool needs a whole number of workers ≥ 1, not ${size}`);
  return size;
}

function startTimeout(ms = START_TIMEOUT_MS): number {
  if (!(ms > 0)) throw new BumpscanError(`the pool's start-up timeout must be a positive number of ms, not ${ms}`);
  return ms;
}

/** `n` workers from `spawn`; if one cannot even be created, the ones before it are terminated. */
function spawnAll(spawn: () => SpawnedWorker, n: number): SpawnedWorker[] {
  const workers: SpawnedWorker[] = [];
  try {
    for (let i = 0; i < n; i++) workers.push(spawn());
    return workers;
  } catch (e) {
    for (const w of workers) w.terminate();
    throw new BumpscanError(`a worker of the pool failed to start: ${messageOf(e)}`);
  }
}

/** Hear of a worker's failure: through its own hook, or the events of a Web Worker endpoint. */
function watch(w: SpawnedWorker, listener: FailureListener): void {
  if (w.onFailure) w.onFailure(listener);
  else if ("onerror" in w.endpoint) onWebWorkerFailure(w.endpoint as unknown as EventTarget, undefined, listener);
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
