/**
 * What a pool worker does, independent of the transport (Node worker_threads or browser Web
 * Workers): one core instance from the shared compiled module; jobs arrive as plain data.
 */
import * as Comlink from "comlink";
import { instantiateCore, type CoreExports } from "../core/wasm.js";
import { ToyRunner, type ToyRunnerConfig, type ToyBatch, type ToyRequest } from "../infer/toy-runner.js";
import type { Spec } from "../model/spec.js";
import type { Dataset } from "../core/compile.js";
import type { GridPoint } from "./grid.js";
import { type PointResult, type ScanOptions, ScanWorkspace } from "./point.js";
import { type LeeJob, LeeScanner } from "./lee-toys.js";

/**
 * The worker's API object, to hand to Comlink.expose.
 */
export function workerApi() {
  let core: CoreExports | undefined;
  let runner: ToyRunner | undefined;
  let workspace: ScanWorkspace | undefined;
  let lee: LeeScanner | undefined;
  let base = 0;
  const ready = () => {
    if (!core) throw new Error("worker not initialised");
    core.release(base);
    runner = undefined;
    workspace = undefined;
    lee = undefined;
    return core;
  };
  return {
    /** Instantiate the shared module (compiled once by the parent). */
    async init(module: WebAssembly.Module): Promise<void> {
      core = await instantiateCore(module);
      base = core.mark();
    },
    /** Set up the toy engine for a model (replacing any earlier job). */
    configureToys(config: ToyRunnerConfig): void {
      runner = new ToyRunner(ready(), config);
    },
    /** Take a scan's events (each sample sorted) and spec; points then arrive one by one. */
    configureScan(spec: Spec, sorted: Dataset[], start?: Record<string, number>): void {
      workspace = new ScanWorkspace(ready(), spec, sorted, start);
    },
    async scanPoint(point: GridPoint, options: ScanOptions): Promise<PointResult> {
      if (!workspace) throw new Error("scan not configured");
      return workspace.point(point, options);
    },
    /** Take a LEE job; its toy scans then arrive one by one. */
    configureLee(job: LeeJob): void {
      lee = new LeeScanner(ready(), job);
    },
    async leeToyScan(t: number) {
      if (!lee) throw new Error("LEE toy scans not configured");
      return lee.scan(t);
    },
    runBatch(request: ToyRequest): ToyBatch[] {
      if (!runner) throw new Error("toys not configured");
      const r = runner.runBatch(request);
      return Comlink.transfer(
        r,
        r.flatMap((b) => [b.q.buffer, b.muHat.buffer]),
      );
    },
  };
}

export type WorkerApi = ReturnType<typeof workerApi>;
