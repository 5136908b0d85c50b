// Fit times and passes per fit for the models of issue 14 (items 1, 2, 5), and NLL ns/event per
// shape: `node bench/models.js [--sizes 1e5,1e6] [--runs 9] [--nll]` after `npm run build`.
//   morefit      Gaussian signal with free mean and width + exponential (λ fixed), 4 free
//                parameters (nsig, nbkg, mean, sigma), extended, HESSE (MoreFit's benchmark model)
//   morefit5     the same with λ free as well (5 free parameters)
//   exponential  CB signal at a fixed mass (cached) + exponential, nsig, nbkg, λ free
//   expPoly1     the same background written as expPoly order 1
// Cases run interleaved (one run of each case, then again); medians. Fused = the fused kernel
// allowed (default), scalar = forbidden (setFastPath(0)), in the same run.
// --nll: per-event time of one NLL evaluation at 1e6 events for each shape as the signal (cached)
// over an expPoly(2) background, and each shape as the background.
import { instantiateCore } from "../dist/core/wasm.js";
import { CompiledModel, loadData } from "../dist/core/compile.js";
import { ModelBuilder } from "../dist/model/model.js";
import { generate } from "../dist/core/generate.js";
import { fit } from "../dist/infer/fit.js";

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const sizes = opt("--sizes", "1e4,1e5,1e6").split(",").map(Number);
const runs = Number(opt("--runs", "9"));
const core = await instantiateCore();

const MODELS = {
  morefit: (N) =>
    new ModelBuilder("m", [0, 10])
      .parameter("nsig", 0.1 * N)
      .parameter("nbkg", 0.9 * N, { lo: 0 })
      .parameter("mean", 5)
      .parameter("sigma", 0.5, { lo: 0.01 })
      .component("sig", "gaussian", ["mean", "sigma"], "nsig")
      .component("bkg", "exponential", [-0.3], "nbkg")
      .build("nsig"),
  morefit5: (N) =>
    new ModelBuilder("m", [0, 10])
      .parameter("nsig", 0.1 * N)
      .parameter("nbkg", 0.9 * N, { lo: 0 })
      .parameter("mean", 5)
      .parameter("sigma", 0.5, { lo: 0.01 })
      .parameter("lambda", -0.3)
      .component("sig", "gaussian", ["mean", "sigma"], "nsig")
      .component("bkg", "exponential", ["lambda"], "nbkg")
      .build("nsig"),
  exponential: (N) =>
    new ModelBuilder("m", [0, 10])
      .parameter("nsig", 0.006 * N)
      .parameter("nbkg", N, { lo: 0 })
      .parameter("lambda", -0.3)
      .component("sig", "crystalBall", [4.2, 0.05, 1.5, 3], "nsig")
      .component("bkg", "exponential", ["lambda"], "nbkg")
      .build("nsig"),
  expPoly1: (N) =>
    new ModelBuilder("m", [0, 10])
      .parameter("nsig", 0.006 * N)
      .parameter("nbkg", N, { lo: 0 })
      .parameter("c1", -1.5)
      .component("sig", "crystalBall", [4.2, 0.05, 1.5, 3], "nsig")
      .component("bkg", "expPoly", [0, 10, "c1"], "nbkg")
      .build("nsig"),
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One fit from a start away from the truth (the yields at N/2, shapes moved), in ms. */
function timedFit(cm, start) {
  cm.values = start;
  const t0 = performance.now();
  const r = fit(cm, { start: Object.fromEntries(cm.names.map((n, i) => [n, start[i]])) });
  return { ms: performance.now() - t0, nfcn: r.nfcn, status: r.status, r };
}

function fits() {
  const rows = [];
  for (const N of sizes) {
    const cases = [];
    for (const [name, build] of Object.entries(MODELS)) {
      const model = build(N);
      const [values] = generate(model, {}, 3);
      const cm = new CompiledModel(core, model, loadData(core, [{ values }]));
      const truth = model.parameters.map((p) => p.value);
      const start = truth.map((v, i) => (model.parameters[i].name.startsWith("n") ? v * 0.8 + 1 : v * 0.9));
      for (const fused of [1, 0]) cases.push({ name, fused, cm, start, times: [], nfcn: 0, status: "" });
    }
    for (let k = 0; k < runs; k++) {
      for (const c of cases) {
        core.setFastPath(c.fused);
        const t = timedFit(c.cm, c.start);
        c.times.push(t.ms);
        c.nfcn = t.nfcn;
        c.status = t.status;
      }
    }
    core.setFastPath(1);
    for (const c of cases) {
      rows.push({
        N,
        model: c.name,
        path: c.fused ? "fused" : "scalar",
        ms: median(c.times),
        nfcn: c.nfcn,
        status: c.status,
      });
      if (!c.fused) c.cm.dispose();
    }
  }
  console.log("| events | model | path | fit incl. HESSE, median | calls |");
  console.log("|---:|---|---|---:|---:|");
  for (const r of rows)
    console.log(`| ${r.N} | ${r.model} | ${r.path} | ${r.ms.toFixed(2)} ms | ${r.nfcn} (${r.status}) |`);
}

fits();
