// A minimal page built against the published package ("bumpscan" resolves to dist/browser.js
// through the "browser" export condition), bundled by esbuild for the browser with no Node built-ins.
import { decodeColumn, fit, parseSpec, scan, WorkerPool } from "bumpscan";
import { CompiledModel, instantiateCore, loadData } from "bumpscan/core";
import { ToyCalculator } from "bumpscan/infer";
import { buildModel } from "bumpscan/model";

declare global {
  interface Window {
    runToys: (values: number[]) => Promise<{ q: number[]; workers: number }>;
    fitAndScan: (csv: string) => Promise<{ events: number; fit: unknown; scan: unknown }>;
    startBroken: (script: string) => Promise<{ message: string; ms: number }>;
  }
}

/** A bundler that does not rewrite worker URLs (esbuild) names the worker bundle itself. */
const spawn = () => {
  const w = new Worker(new URL("./web-worker.js", import.meta.url), { type: "module" });
  return { endpoint: w, terminate: () => w.terminate() };
};

const spec = parseSpec({
  observable: { range: [0, 10] },
  signal: { shape: "crystalBall", sigma: 0.05, alpha: 1.5, n: 3 },
  background: { shape: "expPoly", order: 2 },
  scan: { masses: [3.9, 4.0, 4.1, 4.2, 4.3, 4.4] },
});

window.runToys = async (values: number[]) => {
  const core = await instantiateCore();
  const data = Float64Array.from(values);
  const cm = new CompiledModel(
    core,
    buildModel(spec, { mass: 4.2, nEvents: data.length }),
    loadData(core, [{ values: data }]),
  );
  const pool = await WorkerPool.start(2, { spawn });
  try {
    const calc = new ToyCalculator(cm, { toys: 1, seed: 42, pool });
    const batch = await calc.runBatch({ nsig: 50, nbkg: 10000, c1: -1.2, c2: 0.3 }, 1, 3, 60, 0, 13);
    return { q: Array.from(batch.q), workers: pool.size };
  } finally {
    await pool.close();
  }
};

window.fitAndScan = async (csv: string) => {
  const { values } = await decodeColumn("events.csv", new TextEncoder().encode(csv), { column: "m" });
  const fitted = await fit(spec, { values }, 4.2);
  const pool = await WorkerPool.start(2, { spawn });
  const scanned = await scan(spec, values, { pool }).finally(() => pool.close());
  return { events: values.length, fit: fitted, scan: scanned };
};

/** WorkerPool.start on a worker script that dies on load: how start ends, and after how long. */
window.startBroken = async (script: string) => {
  const t0 = performance.now();
  const spawnBroken = () => {
    const w = new Worker(new URL(script, location.href), { type: "module" });
    return { endpoint: w, terminate: () => w.terminate() };
  };
  const message = await WorkerPool.start(2, { spawn: spawnBroken }).then(
    async (pool) => (await pool.close(), "started"),
    (e: Error) => e.message,
  );
  return { message, ms: performance.now() - t0 };
};
