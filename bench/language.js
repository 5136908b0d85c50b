// The cost of the search language: `node bench/language.js` (after a build).
//   1. One free fit of the reference model (CB + expPoly(2), 1e5 events) plain, with two vetoes
//      beside the peak, and as two samples with their own ranges: interleaved runs, medians.
//   2. The BABAR invisible dark-photon worked example (two regions, three samples each) scanned
//      on 1 and 2 workers (its data written by its own run.mjs into a temp folder first).
// Options: --quick (fewer runs)
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { instantiateCore } from "../dist/core/wasm.js";
import { compileAt, pointEvents } from "../dist/job/events.js";
import { fit } from "../dist/infer/fit.js";
import { buildModel } from "../dist/model/spec.js";
import { parseSpec } from "../dist/model/parse.js";
import { generate } from "../dist/core/generate.js";
import { loadScanEvents } from "../dist/io/data.js";
import { runScan } from "../dist/scan/scan.js";
import { WorkerPool } from "../dist/scan/pool.js";

const quick = process.argv.includes("--quick");
const runs = quick ? 5 : 15;
const base = {
  observable: { name: "m", range: [0, 10] },
  signal: { shape: "crystalBall", sigma: 0.05, alpha: 1.5, n: 3 },
  background: { shape: "expPoly", order: 2 },
};
const plain = parseSpec(base);
const [values] = generate(
  buildModel(plain, { mass: 4.2, nEvents: 1e5 }),
  { nsig: 100, nbkg: 1e5, c1: -1.2, c2: 0.3 },
  9,
);
const variants = {
  plain: [plain, [{ values }]],
  "two vetoes": [
    parseSpec({
      ...base,
      observable: {
        ...base.observable,
        exclude: [
          [3.0, 3.2],
          [5.6, 5.75],
        ],
      },
    }),
    [{ values }],
  ],
  "two samples": [
    parseSpec({
      ...base,
      samples: [
        { name: "A", data: { path: "a" } },
        { name: "B", data: { path: "b" } },
      ],
    }),
    [{ values: values.filter((_, i) => i % 2 === 0) }, { values: values.filter((x, i) => i % 2 === 1 && x <= 8) }],
  ],
  "two samples, B's own range [0, 8]": [
    parseSpec({
      ...base,
      samples: [
        { name: "A", data: { path: "a" } },
        { name: "B", data: { path: "b" }, range: [0, 8] },
      ],
    }),
    [{ values: values.filter((_, i) => i % 2 === 0) }, { values: values.filter((x, i) => i % 2 === 1 && x <= 8) }],
  ],
};
const core = await instantiateCore();
const times = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (let r = 0; r < runs; r++)
  for (const [name, [spec, data]] of Object.entries(variants)) {
    const point = pointEvents(spec, data, 4.2, false);
    const mark = core.mark();
    const { cm } = compileAt(core, spec, point.data, 4.2, point.layout);
    const t0 = performance.now();
    fit(cm);
    times[name].push(performance.now() - t0);
    core.release(mark);
  }
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
// each variant against the one it adds to: vetoes to the plain model, own ranges to two samples
const against = { "two vetoes": "plain", "two samples, B's own range [0, 8]": "two samples" };
const lines = ["| model (1e5 events) | free fit, median | ratio |", "|---|---:|---:|"];
for (const [name, t] of Object.entries(times)) {
  const ref = against[name];
  const ratio = ref ? `${(median(t) / median(times[ref])).toFixed(2)} vs ${ref}` : "";
  lines.push(`| ${name} | ${median(t).toFixed(1)} ms | ${ratio} |`);
}
console.log(lines.join("\n"));

// the worked example: its own data, then the scan on 1 and 2 workers
const dir = mkdtempSync(join(tmpdir(), "bumpscan-bench-"));
execFileSync(process.execPath, ["examples/babar-invisible-dark-photon/run.mjs", "--out", dir, "--quick"], {
  stdio: "ignore",
});
const spec = parseSpec(JSON.parse(readFileSync(join(dir, "spec.json"), "utf8")));
const full = { ...spec, scan: JSON.parse(readFileSync("examples/babar-invisible-dark-photon/spec.json", "utf8")).scan };
const events = await loadScanEvents(full, dir);
const rows = ["| BABAR invisible dark photon scan | points | workers | wall |", "|---|---:|---:|---:|"];
for (const workers of [1, 2]) {
  const pool = workers > 1 ? await WorkerPool.start(workers) : undefined;
  const t0 = performance.now();
  const result = await runScan(full, events, { pool });
  const s = (performance.now() - t0) / 1000;
  await pool?.close();
  rows.push(`| two regions, three samples each | ${result.points.length} | ${workers} | ${s.toFixed(2)} s |`);
}
console.log(rows.join("\n"));
