/**
 * What differs under Node (package.json maps `#platform` here under the "node" condition, and to
 * ./browser.js everywhere else, so a browser bundle never sees a Node built-in).
 */
import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import type { FailureListener, SpawnedWorker } from "./worker.js";

/**
 * The bytes of the built core.
 */
export async function loadBytes(url: URL): Promise<Uint8Array<ArrayBuffer>> {
  return (await readFile(url)) as Uint8Array<ArrayBuffer>; // a Buffer of its own, never shared
}

/** The built worker script (Node 20 cannot start one from TypeScript): the same path from src/ and dist/. */
const WORKER_SCRIPT = new URL("../../dist/scan/worker.js", import.meta.url);

/**
 * Start a pool worker: a worker_threads Worker on the built worker script, through comlink's node adapter.
 */
export function spawnWorker(): SpawnedWorker {
  return spawnNodeWorker(WORKER_SCRIPT);
}

/**
 * A worker_threads Worker on `script` as a pool worker, its failures (a throw at load or later,
 * an unreadable message, an exit) reported to the pool with the script's URL.
 */
export function spawnNodeWorker(script: URL): SpawnedWorker {
  // a worker inherits the parent's execArgv, and `--input-type` (a parent run by `node -e`) makes
  // Node refuse a worker started from a file
  const w = new Worker(script, { execArgv: process.execArgv.filter((a) => !a.startsWith("--input-type")) });
  return {
    endpoint: nodeEndpoint(w),
    terminate: () => w.terminate(),
    onFailure: (listener) => onNodeWorkerFailure(w, String(script), listener),
  };
}

/**
 * Call `listener` when a worker_threads Worker fails: comlink's node adapter forwards only its
 * messages, so an error or an exit would otherwise leave the pool waiting forever.
 */
export function onNodeWorkerFailure(w: Worker, script: string, listener: FailureListener): void {
  w.on("error", (e: unknown) => listener(new Error(`${e instanceof Error ? e.message : String(e)} (${script})`)));
  w.on("messageerror", () => listener(new Error(`a message from the worker could not be deserialised (${script})`)));
  w.on("exit", (code: number) => listener(new Error(`the worker exited with code ${code} (${script})`)));
}

/**
 * How many workers to start by default.
 */
export function cores(): number {
  return availableParallelism();
}
