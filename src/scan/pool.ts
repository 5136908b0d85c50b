/**
 * A pool of workers (Node worker_threads or browser Web Workers, driven through comlink), each holding one core instance
 * instantiated from the one compiled module. Toy batches are split into consecutive chunks, one per
 * worker; as every toy's random numbers depend only on its own index, the joined result is the
 * same for any number of workers.
 */
import * as Comlink from "comlink";
import { coreModule, inNode } from "../core/wasm.js";
import { joinBatches, ToyBatch, ToyRunnerConfig } from "../infer/toy-runner.js";
import type { WorkerApi } from "./worker-api.js";
import { BumpscanError } from "../errors.js";
import { Spec } from "../model/spec.js";
import { GridPoint } from "./grid.js";
import { PointResult, ScanOptions } from "./point.js";

/**
 * Workers holding a core each.
 * @example
 * const pool = await WorkerPool.start(2); … await pool.close();
 */
/** A started worker: where comlink talks to it, and how to stop it. */
export interface SpawnedWorker {
  endpoint: Comlink.Endpoint;
  terminate(): unknown;
}

/** Node: a worker_threads Worker on the built worker script, through comlink's node adapter. */
async function spawnNode(): Promise<() => SpawnedWorker> {
  const { Worker } = await import("node:worker_threads");
  const { default: nodeEndpoint } = await import("comlink/dist/esm/node-adapter.mjs");
  // the built worker (Node 20 cannot start one from TypeScript): the same path from src/ and dist/
  const script = new URL("../../dist/scan/worker.js", import.meta.url);
  return () => {
    const w = new Worker(script);
    return { endpoint: nodeEndpoint(w), terminate: () => w.terminate() };
  };
}

/** Browser: a module Web Worker on web-worker.js (a Worker is a comlink endpoint as it is). */
function spawnWeb(): SpawnedWorker {
  const w = new Worker(new URL("./web-worker.js", import.meta.url), { type: "module" });
  return { endpoint: w as unknown as Comlink.Endpoint, terminate: () => w.terminate() };
}

async function cores(): Promise<number> {
  if (inNode()) return (await import("node:os")).availableParallelism();
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 2;
}

export class WorkerPool {
  private constructor(private readonly workers: SpawnedWorker[], private readonly remotes: Comlink.Remote<WorkerApi>[]) {}

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
    const spawn = options.spawn ?? (inNode() ? await spawnNode() : spawnWeb);
    const workers = Array.from({ length: Math.max(1, size ?? (await cores())) }, () => spawn());
    const remotes = workers.map((w) => Comlink.wrap<WorkerApi>(w.endpoint));
    await Promise.all(remotes.map((r) => r.init(module)));
    return new WorkerPool(workers, remotes);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Give every worker the toy engine of one model. */
  async configureToys(config: ToyRunnerConfig): Promise<void> {
    await Promise.all(this.remotes.map((r) => r.configureToys(config)));
  }

  /** Toys first … first+n−1 split over the workers in consecutive chunks, joined in order. */
  async runBatch(gen: number[], hypothesis: number, poiIndex: number, muTests: number[], first: number, n: number, mode = 0): Promise<ToyBatch[]> {
    const k = Math.min(this.size, n);
    const chunks = await Promise.all(Array.from({ length: k }, (_, i) => {
      const a = first + Math.floor((i * n) / k), b = first + Math.floor(((i + 1) * n) / k);
      return this.remotes[i].runBatch(gen, hypothesis, poiIndex, muTests, a, b - a, mode);
    }));
    return muTests.map((_, j) => joinBatches(chunks.map((c) => c[j])));
  }

  /**
   * Scan points as tasks: each worker takes the next point when it is free. The events go to each
   * worker once. Cancelling stops handing out points (those under way finish).
   */
  async runScan(spec: Spec, sorted: Float64Array[], points: GridPoint[], options: ScanOptions, done: () => void, signal?: AbortSignal,
    start?: Record<string, number>): Promise<PointResult[]> {
    await Promise.all(this.remotes.map((r) => r.configureScan(spec, sorted, start)));
    const out: PointResult[] = [];
    let next = 0;
    const work = async (remote: Comlink.Remote<WorkerApi>) => {
      while (next < points.length) {
        if (signal?.aborted) throw new BumpscanError("scan cancelled");
        const g = points[next++];
        out.push(await remote.scanPoint(g, options));
        done();
      }
    };
    await Promise.all(this.remotes.map(work));
    return out;
  }

  /** Stop the workers (the process can then exit). */
  async close(): Promise<void> {
    for (const r of this.remotes) r[Comlink.releaseProxy]();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
