// Scan benchmarks: `node bench/scan.js [--points 200] [--workers 1,2] [--events 50000] [--sigma 0.0321]
//   [--method asymptotic|toys|bayes] [--toys 200]`
// A 5e4-event spectrum (expPoly(2) background, no signal), a full-range scan with asymptotic
// limits at every point (fit, local Z, observed and expected band), with 1 and 2 workers.
import { buildModel } from "../dist/model/spec.js";
import { parseSpec } from "../dist/model/parse.js";
import { generate } from "../dist/core/generate.js";
import { runScan } from "../dist/scan/scan.js";
import { WorkerPool } from "../dist/scan/pool.js";

const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : def;
};
const nPoints = Number(arg("--points", 200));
const workerCounts = arg("--workers", "1,2").split(",").map(Number);
const nEvents = Number(arg("--events", 5e4));
const method = arg("--method", "asymptotic");
const toys = Number(arg("--toys", 200));
// with step σ/2 from 0.3 to 9.7: σ = 0.0321 gives 586 points, σ = 0.00847 gives 2219
const sigma = Number(arg("--sigma", 0.0321));
const to = Math.min(9.7, 0.3 + (nPoints - 0.5) * 0.5 * sigma);
const spec = parseSpec({
  observable: { name: "m", unit: "GeV", range: [0, 10] },
  signal: { shape: "crystalBall", sigma, alpha: 1.5, n: 3 },
  background: { shape: "expPoly", order: 2 },
  scan: { from: 0.3, to, step: 0.5 },
  limit: { cl: 0.9, method, toys, seed: 1 },
});
const [values] = generate(buildModel(spec, { mass: 5, nEvents }), { nsig: 0, nbkg: nEvents, c1: -1.2, c2: 0.3 }, 5);
const rows = [];
for (const workers of workerCounts) {
  const pool = workers > 1 ? await WorkerPool.start(workers) : undefined;
  const t0 = performance.now();
  const r = await runScan(spec, values, { pool });
  const s = (performance.now() - t0) / 1000;
  await pool?.close();
  rows.push({ workers, s, points: r.points.length, failed: r.points.filter((p) => p.status !== "converged").length });
  console.error(`${workers} worker(s): ${r.points.length} points in ${s.toFixed(2)} s`);
}
console.log(
  `| method | points | events | workers | wall | ms per point per worker | not converged ` +
    `|\n|---|---:|---:|---:|---:|---:|---:|`,
);
for (const r of rows)
  console.log(
    `| ${method}${method === "toys" ? ` (${toys} s+b toys/POI)` : ""} | ${r.points} | ${values.length} | ` +
      `${r.workers} | ${r.s.toFixed(2)} s | ${((1000 * r.s * r.workers) / r.points).toFixed(1)} | ${r.failed} |`,
  );
if (rows.length === 2)
  console.log(`\nspeed-up ${rows[0].workers} → ${rows[1].workers} workers: ${(rows[0].s / rows[1].s).toFixed(2)}×`);
