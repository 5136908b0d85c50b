/**
 * A pool worker (Node worker_threads): one core instance from the shared compiled module, exposed
 * through comlink. Jobs arrive as plain data; results go back as typed arrays.
 */
import { parentPort } from "node:worker_threads";
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { instantiateCore, CoreExports } from "../core/wasm.js";
import { ToyRunner, ToyRunnerConfig, ToyBatch } from "../infer/toy-runner.js";
import { Spec } from "../model/spec.js";
import { GridPoint } from "./grid.js";
import { PointResult, ScanOptions, ScanWorkspace } from "./point.js";

let core: CoreExports | undefined;
let runner: ToyRunner | undefined;
let base = 0;
let workspace: ScanWorkspace | undefined;

const api = {
  /** Instantiate the shared module (compiled once by the parent). */
  async init(module: WebAssembly.Module): Promise<void> {
    core = await instantiateCore(module);
    base = core.mark();
  },
  /** Set up the toy engine for a model (replacing any earlier one). */
  configureToys(config: ToyRunnerConfig): void {
    if (!core) throw new Error("worker not initialised");
    core.release(base);
    workspace = undefined;
    runner = new ToyRunner(core, config);
  },
  /** Take the scan's events (sorted) and spec; points then arrive one by one. */
  configureScan(spec: Spec, sorted: Float64Array[], start?: Record<string, number>): void {
    if (!core) throw new Error("worker not initialised");
    core.release(base);
    runner = undefined;
    workspace = new ScanWorkspace(core, spec, sorted, start);
  },
  async scanPoint(point: GridPoint, options: ScanOptions): Promise<PointResult> {
    if (!workspace) throw new Error("scan not configured");
    return workspace.point(point, options);
  },
  runBatch(gen: number[], hypothesis: number, poiIndex: number, muTests: number[], first: number, n: number, mode: number): ToyBatch[] {
    if (!runner) throw new Error("toys not configured");
    const r = runner.runBatch(gen, hypothesis, poiIndex, muTests, first, n, mode);
    return Comlink.transfer(r, r.flatMap((b) => [b.q.buffer, b.muHat.buffer]));
  },
};

export type WorkerApi = typeof api;
Comlink.expose(api, nodeEndpoint(parentPort));
