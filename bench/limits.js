// bumpscan limit benchmarks: `node bench/limits.js` (after a build; `npm run bench` runs it).
//   1. Toys per second on one thread (generation + two fits, inside WASM), CB + expPoly(2),
//      at 40, 2000 and 10 000 expected events per toy.
//   2. One asymptotic limit (observed + ±1σ, ±2σ band) on 1e5 events, including the fits.
// Options: --quick
import Benchmark from "benchmark";
import { instantiateCore } from "../dist/core/wasm.js";
import { CompiledModel, loadData } from "../dist/core/compile.js";
import { buildModel } from "../dist/model/spec.js";
import { parseSpec } from "../dist/model/parse.js";
import { generate } from "../dist/core/generate.js";
import { ToyCalculator } from "../dist/infer/toys.js";
import { AsymptoticCalculator } from "../dist/infer/asymptotic.js";
import { upperLimit } from "../dist/infer/limits.js";

const quick = process.argv.includes("--quick");
const spec = parseSpec({
  observable: { range: [0, 10] },
  signal: { shape: "crystalBall", sigma: 0.05, alpha: 1.5, n: 3 },
  background: { shape: "expPoly", order: 2 },
});
const core = await instantiateCore();

function compiled(nbkg, nsig, seed) {
  const model = buildModel(spec, { mass: 4.2, nEvents: nbkg });
  const [values] = generate(model, { nsig, nbkg, c1: -1.2, c2: 0.3 }, seed);
  return new CompiledModel(core, model, loadData(core, [{ values }]));
}

const lines = ["| events per toy | toys/s (one thread) | ms per toy | failed |", "|---:|---:|---:|---:|"];
for (const n of [40, 2000, 10000]) {
  const cm = compiled(n, 0.006 * n, 3);
  const calc = new ToyCalculator(cm, { toys: 1, seed: 1 });
  const gen = { nsig: Math.max(1, 0.006 * n), nbkg: n, c1: -1.2, c2: 0.3 };
  const batch = Math.max(20, Math.round((quick ? 2e5 : 1e6) / n));
  await calc.runBatch(gen, 1, 1, gen.nsig, 0, 10); // warm-up
  const t0 = performance.now();
  const set = await calc.runBatch(gen, 1, 1, gen.nsig, 0, batch);
  const ms = performance.now() - t0;
  lines.push(`| ${n} | ${((1000 * batch) / ms).toFixed(0)} | ${(ms / batch).toFixed(3)} | ${set.failed} of ${batch} |`);
  calc.dispose();
  cm.dispose();
}
console.log(lines.join("\n"));

const cm = compiled(1e5, 0, 2);
const suite = new Benchmark.Suite("asymptotic");
suite.add("asymptotic limit, 1e5 events (observed + band, incl. fits)", {
  defer: true, // the limit search is async (toys may run on workers): time until it resolves
  fn: (deferred) => {
    const calc = new AsymptoticCalculator(cm);
    upperLimit(calc).then(() => (calc.dispose(), deferred.resolve()));
  },
  maxTime: quick ? 1 : 4,
  minSamples: 5,
});
suite.on("cycle", (e) =>
  console.log(
    `\n${e.target.name}: ${(e.target.stats.mean * 1e3).toFixed(1)} ms ±${e.target.stats.rme.toFixed(1)}% ` +
      `(${e.target.stats.sample.length} runs)`,
  ),
);
suite.run();
