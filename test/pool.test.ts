// The worker pool's failure paths (issue 10, items 8 and 16): a worker that fails to load, never
// answers or dies later rejects the pool's calls with its error instead of hanging them; bad
// sizes are refused; a finished call leaves nothing on the heap.
import { afterAll, describe, expect, test } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Worker } from "node:worker_threads";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { type SpawnedWorker, WorkerPool } from "../src/scan/pool.js";
import { onNodeWorkerFailure, spawnNodeWorker } from "../src/platform/node.js";
import { BumpscanError } from "../src/errors.js";
import type { ToyRunnerConfig } from "../src/infer/toy-runner.js";

const dir = mkdtempSync(join(tmpdir(), "bumpscan-pool-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const comlink = pathToFileURL(resolve("node_modules/comlink/dist/esm/comlink.mjs")).href;
const adapter = pathToFileURL(resolve("node_modules/comlink/dist/esm/node-adapter.mjs")).href;

/** A worker script of our own in a temporary .mjs file. */
function script(name: string, source: string): URL {
  const path = join(dir, name);
  writeFileSync(path, source);
  return pathToFileURL(path);
}

/** A comlink worker exposing `api` (the source of an object literal): init answers, the rest as given. */
const tinyWorker = (name: string, api: string) =>
  script(
    name,
    `
import { parentPort } from "node:worker_threads";
import * as Comlink from "${comlink}";
import nodeEndpoint from "${adapter}";
Comlink.expose({ init() {}, ${api} }, nodeEndpoint(parentPort));
`,
  );

/** `spawn` that counts how many of its workers were terminated. */
function counting(spawn: () => SpawnedWorker) {
  const stats = { spawned: 0, terminated: 0 };
  return {
    stats,
    spawn: (): SpawnedWorker => {
      const w = spawn();
      stats.spawned++;
      return { ...w, onFailure: w.onFailure?.bind(w), terminate: () => (stats.terminated++, w.terminate()) };
    },
  };
}

describe("WorkerPool.start fails fast and cleanly", () => {
  test.each([NaN, 0, -1, 1.5, Infinity])("a size of %s is refused with a BumpscanError", async (size) => {
    await expect(WorkerPool.start(size)).rejects.toThrow(BumpscanError);
    await expect(WorkerPool.start(size)).rejects.toThrow(/whole number of workers ≥ 1/);
  });

  test(
    "a worker script that throws at load rejects start with its message and URL, and the workers are " + "terminated",
    async () => {
      const url = script("throws.mjs", "throw new Error('boom at load');\n");
      const { stats, spawn } = counting(() => spawnNodeWorker(url));
      const t0 = performance.now();
      const error = await WorkerPool.start(2, { spawn }).catch((e: Error) => e);
      expect(error).toBeInstanceOf(BumpscanError);
      expect((error as Error).message).toMatch(
        /^worker \d of the pool failed to start: boom at load \(file:.*throws\.mjs\)$/,
      );
      expect(performance.now() - t0).toBeLessThan(5000);
      expect(stats).toEqual({ spawned: 2, terminated: 2 });
    },
  );

  test("a missing worker script names the script", async () => {
    const url = pathToFileURL(join(dir, "missing.mjs"));
    await expect(WorkerPool.start(1, { spawn: () => spawnNodeWorker(url) })).rejects.toThrow(
      /failed to start: .*missing\.mjs/,
    );
  });

  test(
    "an eval'd worker wrapped through comlink's node adapter: its error is heard through " + "onNodeWorkerFailure",
    async () => {
      const spawn = (): SpawnedWorker => {
        const w = new Worker("throw new Error('boom')", { eval: true });
        return {
          endpoint: nodeEndpoint(w),
          terminate: () => w.terminate(),
          onFailure: (l) => onNodeWorkerFailure(w, "inline", l),
        };
      };
      await expect(WorkerPool.start(1, { spawn })).rejects.toThrow(/failed to start: boom \(inline\)/);
    },
  );

  test("a worker that never answers rejects start after the configured timeout, and is terminated", async () => {
    const url = script(
      "silent.mjs",
      "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => {});\n",
    );
    const { stats, spawn } = counting(() => spawnNodeWorker(url));
    const t0 = performance.now();
    await expect(WorkerPool.start(2, { spawn, startTimeoutMs: 500 })).rejects.toThrow(
      /the pool's workers did not start within 0\.5 s/,
    );
    const ms = performance.now() - t0;
    expect(ms).toBeGreaterThanOrEqual(450);
    expect(ms).toBeLessThan(3000);
    expect(stats).toEqual({ spawned: 2, terminated: 2 });
  });

  test("a start-up timeout that is not a positive number is refused", async () => {
    await expect(WorkerPool.start(1, { startTimeoutMs: 0 })).rejects.toThrow(BumpscanError);
    await expect(WorkerPool.start(1, { startTimeoutMs: NaN })).rejects.toThrow(/start-up timeout/);
  });

  test(
    "a Web Worker endpoint's error event (a 404: a plain Event, no message) rejects start, as does a script " + "error",
    async () => {
      /** A stand-in for a browser Worker: an EventTarget with `onerror`, whose messages go nowhere. */
      class FakeWebWorker extends EventTarget {
        onerror = null;
        postMessage() {}
        terminate() {}
      }
      const fakes: FakeWebWorker[] = [];
      const spawn = () => {
        const w = new FakeWebWorker();
        fakes.push(w);
        return { endpoint: w as unknown as SpawnedWorker["endpoint"], terminate: () => w.terminate() };
      };
      const notLoaded = WorkerPool.start(1, { spawn });
      await new Promise((ok) => setTimeout(ok, 50));
      fakes[0].dispatchEvent(new Event("error"));
      await expect(notLoaded).rejects.toThrow(
        /^worker 1 of the pool failed to start: its script .* could not be loaded/,
      );
      const threw = WorkerPool.start(1, { spawn });
      await new Promise((ok) => setTimeout(ok, 50));
      fakes[1].dispatchEvent(
        Object.assign(new Event("error"), { message: "Uncaught SyntaxError: x", filename: "http://h/w.js", lineno: 3 }),
      );
      await expect(threw).rejects.toThrow(
        "worker 1 of the pool failed to start: Uncaught SyntaxError: x (http://h/w.js:3)",
      );
    },
  );
});

describe("a worker that dies after start", () => {
  test("rejects the pending calls with the reason instead of hanging them; close still works", async () => {
    const url = tinyWorker(
      "dies.mjs",
      "configureToys() { setTimeout(() => process.exit(3), 50); return new Promise(() => {}); }",
    );
    const pool = await WorkerPool.start(2, { spawn: () => spawnNodeWorker(url) });
    const t0 = performance.now();
    await expect(pool.configureToys({} as ToyRunnerConfig)).rejects.toThrow(
      /^worker \d of the pool stopped: the worker exited with code 3 \(file:.*dies\.mjs\)$/,
    );
    expect(performance.now() - t0).toBeLessThan(3000);
    await expect(pool.configureToys({} as ToyRunnerConfig)).rejects.toThrow(/stopped/); // and no more work
    await pool.close();
  });
});

describe("the pool's heap per call (item 16)", () => {
  test("200 000 calls through the pool leave < 5 MB on the heap", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const url = tinyWorker("quick.mjs", "configureToys() {}");
    const pool = await WorkerPool.start(1, { spawn: () => spawnNodeWorker(url) });
    try {
      const heap = () => {
        gc();
        gc();
        return process.memoryUsage().heapUsed;
      };
      // the pool's own call path, each settling at once: what every worker call goes through
      const call = (pool as unknown as { call<T>(p: Promise<T>): Promise<T> }).call.bind(pool);
      for (let i = 0; i < 1000; i++) await call(Promise.resolve(i)); // warm up
      await pool.configureToys({} as ToyRunnerConfig);
      const before = heap();
      for (let i = 0; i < 200_000; i++) await call(Promise.resolve(i));
      for (let i = 0; i < 2000; i++) await pool.configureToys({} as ToyRunnerConfig); // and real round trips
      const grown = heap() - before;
      console.log(`heap growth over 200 000 calls: ${(grown / 1e6).toFixed(2)} MB`);
      expect(grown).toBeLessThan(5e6);
    } finally {
      await pool.close();
    }
  });
});

test("a pool starts from a parent run as `node --input-type=module -e` (its execArgv is not passed on)", () => {
  const pool = resolve("dist/scan/pool.js");
  const script =
    `const { WorkerPool } = await import(${JSON.stringify(pool)}); const p = await ` +
    `WorkerPool.start(1); await p.close(); console.log("ok")`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 30_000 });
  expect(r.stderr).toBe("");
  expect(r.stdout.trim()).toBe("ok");
});
