// bumpscan benchmarks (benchmark.js): `npm run bench` (builds first).
//   1. One NLL evaluation on the reference model (CB signal at a fixed mass, cached; expPoly(2)
//      background free), per event, N = 1e4, 1e5, 1e6: WASM fused f64x2 kernel, WASM general passes
//      (the fused kernel forbidden),
//      and the pure-TypeScript oracle NLL of the same model, measured in the same run.
//   2. A full fit (MIGRAD-like minimisation + HESSE + Newton polish) of the same model, N = 1e4, 1e5, 1e6.
// Options: --quick (shorter timing runs), --sizes 1e4,1e5
import Benchmark from "benchmark";
import { mkdirSync, writeFileSync } from "node:fs";
import { instantiateCore } from "../dist/core/wasm.js";
import { CompiledModel, loadData } from "../dist/core/compile.js";
import { buildModel } from "../dist/model/spec.js";
import { parseSpec } from "../dist/model/parse.js";
import { generate } from "../dist/core/generate.js";
import { fit } from "../dist/infer/fit.js";
import { OracleNll } from "../dist/core/oracle.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const sizesArg = args.indexOf("--sizes");
const sizes = sizesArg >= 0 ? args[sizesArg + 1].split(",").map(Number) : [1e4, 1e5, 1e6];
const maxTime = quick ? 0.5 : 2;

const spec = parseSpec({
  observable: { range: [0, 10] },
  signal: { shape: "crystalBall", sigma: 0.05, alpha: 1.5, n: 3 },
  background: { shape: "expPoly", order: 2 },
});
const core = await instantiateCore();

function run(name, cases) {
  return new Promise((resolve) => {
    const suite = new Benchmark.Suite(name);
    for (const [label, fn] of cases) suite.add(label, fn, { maxTime, minSamples: 5 });
    const results = {};
    suite.on("cycle", (e) => {
      const b = e.target;
      results[b.name] = { mean: b.stats.mean, rme: b.stats.rme, samples: b.stats.sample.length };
      console.error(`  ${String(b)}`);
    });
    suite.on("complete", () => resolve(results));
    suite.run({ async: false });
  });
}

const rows = [];
for (const N of sizes) {
  const model = buildModel(spec, { mass: 4.2, nEvents: N });
  const [values] = generate(model, { nsig: 0.006 * N, nbkg: N, c1: -1.2, c2: 0.3 }, 1);
  const cm = new CompiledModel(core, model, loadData(core, [{ values }]));
  const oracle = new OracleNll(model, [{ values }]);
  const v = [0.006 * N, N, -1.2, 0.3];
  let tick = 0;
  // every evaluation moves c1 slightly, so nothing can be served from a cache
  const next = () => ((v[2] = -1.2 + 1e-9 * (tick++ % 1000)), v);
  const simd = () => {
    core.setFastPath(1);
    cm.setFree([true, true, true, true]);
  };
  const general = () => {
    core.setFastPath(0);
    cm.setFree([true, true, true, true]);
  };
  console.error(`N = ${N} (${values.length} events)`);
  simd();
  const r1 = await run(`nll simd ${N}`, [
    ["wasm simd nll", () => cm.nll(next())],
    ["wasm simd nll+grad", () => cm.nllGrad(next())],
  ]);
  general();
  const r2 = await run(`nll general ${N}`, [
    ["wasm general nll", () => cm.nll(next())],
    ["wasm general nll+grad", () => cm.nllGrad(next())],
  ]);
  simd();
  const r3 = await run(`nll ts ${N}`, [["ts nll", () => oracle.nll(next())]]);
  const r4 = await run(`fit ${N}`, [["fit incl. hesse", () => fit(cm)]]);
  const f = fit(cm);
  const perEvent = (r) => (r.mean * 1e9) / values.length;
  const row = {
    N: values.length,
    simdNll: perEvent(r1["wasm simd nll"]),
    simdNllGrad: perEvent(r1["wasm simd nll+grad"]),
    generalNll: perEvent(r2["wasm general nll"]),
    generalNllGrad: perEvent(r2["wasm general nll+grad"]),
    tsNll: perEvent(r3["ts nll"]),
    fitMs: r4["fit incl. hesse"].mean * 1e3,
    fitRme: r4["fit incl. hesse"].rme,
    nfcn: f.nfcn,
    status: f.status,
  };
  rows.push(row);
  cm.dispose();
}

const fmt = (x, d = 2) => x.toFixed(d);
const lines = [
  "| events | WASM SIMD NLL | WASM SIMD NLL+grad | WASM general NLL | WASM general NLL+grad | pure TS NLL | SIMD vs " +
    "TS | fit incl. HESSE | calls |",
  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ...rows.map(
    (r) =>
      `| ${r.N} | ${fmt(r.simdNll)} ns | ${fmt(r.simdNllGrad)} ns | ${fmt(r.generalNll)} ns | ` +
      `${fmt(r.generalNllGrad)} ns | ${fmt(r.tsNll)} ns | ${fmt(r.tsNll / r.simdNll, 1)}× | ${fmt(r.fitMs, 1)} ms ` +
      `±${fmt(r.fitRme, 1)}% | ${r.nfcn} (${r.status}) |`,
  ),
];
console.log(lines.join("\n"));
mkdirSync("bench/out", { recursive: true });
writeFileSync(
  "bench/out/fit.json",
  JSON.stringify({ node: process.version, date: new Date().toISOString(), rows }, null, 2),
);
