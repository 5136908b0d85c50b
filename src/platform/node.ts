/**
 * What differs under Node (package.json maps `#platform` here under the "node" condition, and to
 * ./browser.js everywhere else, so a browser bundle never sees a Node built-in).
 */
import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import type { SpawnedWorker } from "../scan/pool.js";

/**
 * The bytes of the built core.
 * @example
 * await loadBytes(new URL("../../build/bumpscan.wasm", import.meta.url));
 */
export async function loadBytes(url: URL): Promise<Uint8Array<ArrayBuffer>> {
  return (await readFile(url)) as Uint8Array<ArrayBuffer>; // a Buffer of its own, never shared
}

/**
 * Start a pool worker: a worker_threads Worker on the built worker script, through comlink's node adapter.
 * @example
 * const w = spawnWorker(); … w.terminate();
 */
export function spawnWorker(): SpawnedWorker {
  // the built worker (Node 20 cannot start one from TypeScript): the same path from src/ and dist/
  const w = new Worker(new URL("../../dist/scan/worker.js", import.meta.url));
  return { endpoint: nodeEndpoint(w), terminate: () => w.terminate() };
}

/**
 * How many workers to start by default.
 * @example
 * cores(); // 2 on this machine
 */
export function cores(): number {
  return availableParallelism();
}
