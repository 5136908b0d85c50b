// Test page: the library's toy engine on a pool of module Web Workers, in a real browser.
import { WorkerPool } from "../../src/scan/pool.js";
import { ToyCalculator } from "../../src/infer/toys.js";
import { CompiledModel, loadData } from "../../src/core/compile.js";
import { instantiateCore } from "../../src/core/wasm.js";
import { buildModel, parseSpec } from "../../src/model/spec.js";

declare global {
  interface Window { runToys: (values: number[]) => Promise<{ q: number[]; workers: number }> }
}

window.runToys = async (values: number[]) => {
  const spec = parseSpec({
    observable: { range: [0, 10] },
    signal: { shape: "crystalBall", sigma: 0.05, alpha: 1.5, n: 3 },
    background: { shape: "expPoly", order: 2 },
  });
  const core = await instantiateCore();
  const data = Float64Array.from(values);
  const cm = new CompiledModel(core, buildModel(spec, { mass: 4.2, nEvents: data.length }), loadData(core, [{ values: data }]));
  const pool = await WorkerPool.start(2);
  try {
    const calc = new ToyCalculator(cm, { toys: 1, seed: 42, pool });
    const batch = await calc.runBatch({ nsig: 50, nbkg: 10000, c1: -1.2, c2: 0.3 }, 1, 3, 60, 0, 13);
    return { q: Array.from(batch.q), workers: pool.size };
  } finally {
    await pool.close();
  }
};
