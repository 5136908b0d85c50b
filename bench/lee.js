// Look-elsewhere toy scans: `node bench/lee.js [--toys 4] [--workers 1,2] [--events 50000]`
// The reference work of the LEE target: background-only toy scans of a 586-point full-range scan
// (CB signal σ = 0.0321, step σ/2 from 0.3 to 9.7) of a 5e4-event expPoly(2) spectrum; each toy
// spectrum is drawn from the data's background-only fit and scanned for q0 at every mass. Reports
// the wall time per toy scan with 1 and N workers: (scan with N toys − the same scan without) / N.
import { buildModel } from "../dist/model/spec.js";
import { parseSpec } from "../dist/model/parse.js";
import { generate } from "../dist/core/generate.js";
import { runScan } from "../dist/scan/scan.js";
import { WorkerPool } from "../dist/scan/pool.js";

const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : def;
};
const toys = Number(arg("--toys", 4));
const workerCounts = arg("--workers", "1,2").split(",").map(Number);
const nEvents = Number(arg("--events", 5e4));
const sigma = 0.0321;
const spec = parseSpec({
  observable: { name: "m", unit: "GeV", range: [0, 10] },
  signal: { shape: "crystalBall", sigma, alpha: 1.5, n: 3 },
  background: { shape: "expPoly", order: 2 },
  scan: { from: 0.3, to: 9.7, step: 0.5 },
  limit: { cl: 0.9, method: "asymptotic", seed: 1 },
});
const [values] = generate(buildModel(spec, { mass: 5, nEvents }), { nsig: 0, nbkg: nEvents, c1: -1.2, c2: 0.3 }, 5);
const rows = [];
for (const workers of workerCounts) {
  const pool = workers > 1 ? await WorkerPool.start(workers) : undefined;
  const timed = async (leeToys) => {
    const t0 = performance.now();
    const r = await runScan(spec, values, { pool, method: "none", leeToys });
    return { r, ms: performance.now() - t0 };
  };
  await timed(0); // warm
  const plain = await timed(0);
  const lee = await timed(toys);
  await pool?.close();
  const perToy = (lee.ms - plain.ms) / toys;
  rows.push({ workers, perToy, points: lee.r.points.length, global: lee.r.lee });
  console.error(`${workers} worker(s): ${lee.r.points.length} points, ${(perToy / 1000).toFixed(3)} s per toy scan`);
}
console.log(`| points | events | workers | s per toy scan |\n|---:|---:|---:|---:|`);
for (const r of rows)
  console.log(`| ${r.points} | ${values.length} | ${r.workers} | ${(r.perToy / 1000).toFixed(3)} |`);
console.log(`\nglobal from toys: ${JSON.stringify(rows[0].global)}`);
