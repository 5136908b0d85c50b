/** What differs in a browser (and in its workers): fetch, module Web Workers, navigator. */
import type { Endpoint } from "comlink";
import { onWebWorkerFailure, type SpawnedWorker } from "./worker.js";

/**
 * The bytes of the built core, fetched.
 */
export async function loadBytes(url: URL): Promise<ArrayBuffer> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`cannot load the bumpscan core from ${url}: HTTP ${r.status}`);
  return r.arrayBuffer();
}

/**
 * Start a pool worker: a module Web Worker on web-worker.js (a Worker is a comlink endpoint as
 * it is); its `error`/`messageerror` events reach the pool, which then stops waiting for it.
 */
export function spawnWorker(): SpawnedWorker {
  // the literal `new Worker(new URL(…, import.meta.url))` is what bundlers (Vite, webpack) rewrite:
  // the script's final URL is theirs to choose, so messages name it only when the event does
  const w = new Worker(new URL("../scan/web-worker.js", import.meta.url), { type: "module" });
  return {
    endpoint: w as unknown as Endpoint,
    terminate: () => w.terminate(),
    onFailure: (listener) => onWebWorkerFailure(w, undefined, listener),
  };
}

/**
 * How many workers to start by default.
 */
export function cores(): number {
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 2;
}
