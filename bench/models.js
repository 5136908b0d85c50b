// Fit times and passes per fit for the models of issue 14 (items 1, 2, 5), and NLL ns/event per
// shape: `node bench/models.js [--sizes 1e5,1e6] [--runs 9] [--nll]` after `npm run build`.
//   morefit      Gaussian signal with free mean and width + exponential (λ fixed), 4 free
//                parameters (nsig, nbkg, mean, sigma), extended, HESSE (MoreFit's benchmark model)
//   morefit5     the same with λ free as well (5 free parameters)
//   exponential  CB signal at a fixed mass (cached) + exponential, nsig, nbkg, λ free
//   expPoly1     the same background written as expPoly order 1
//   chebyshev2   CB (cached) + chebyshev order 2; argus: CB (cached) + ARGUS with c free
//   cbFree       CB with free mean and width (tail fixed) + chebyshev order 2: the general passes only
//   cbTail       the same with the tail's α and n free too
//   dcbFree      double-sided CB with all seven arguments free + chebyshev order 2
// Cases run interleaved (one run of each case, then again); medians. Variants: default (the fused
// kernel where the model takes it), the general passes (setFastPath(0)), and the general passes with
// the analytic Hessian forbidden (setAnalyticHessian(0): start metric and HESSE by differences).
// --nll: per-event time of one NLL evaluation at 1e6 events for each shape as the signal (cached)
// over an expPoly(2) background, and each shape as the background. bench/native.js imports the --nll cases
// (nllCases, perEvent) to set them against native C.
import { pathToFileURL } from "node:url";
import { instantiateCore } from "../dist/core/wasm.js";
import { CompiledModel, loadData } from "../dist/core/compile.js";
import { ModelBuilder } from "../dist/model/model.js";
import { generate } from "../dist/core/generate.js";
import { fit } from "../dist/infer/fit.js";

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const sizes = opt("--sizes", "1e4,1e5,1e6").split(",").map(Number);
const runs = Number(opt("--runs", "9"));
export const core = await instantiateCore();

export const MODELS = {
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
  chebyshev2: (N) =>
    new ModelBuilder("m", [0, 10])
      .parameter("nsig", 0.006 * N)
      .parameter("nbkg", N, { lo: 0 })
      .parameter("a1", -0.3)
      .parameter("a2", 0.05)
      .component("sig", "crystalBall", [4.2, 0.05, 1.5, 3], "nsig")
      .component("bkg", "chebyshev", [0, 10, "a1", "a2"], "nbkg")
      .build("nsig"),
  argus: (N) =>
    new ModelBuilder("m", [0, 10])
      .parameter("nsig", 0.006 * N)
      .parameter("nbkg", N, { lo: 0 })
      .parameter("c", -2)
      .component("sig", "crystalBall", [4.2, 0.05, 1.5, 3], "nsig")
      .component("bkg", "argus", [10.5, "c", 0.5], "nbkg")
      .build("nsig"),
  cbFree: (N) =>
    new ModelBuilder("m", [0, 10])
      .parameter("nsig", 0.05 * N)
      .parameter("nbkg", N, { lo: 0 })
      .parameter("mean", 4.2)
      .parameter("sigma", 0.1, { lo: 0.01 })
      .parameter("a1", -0.3)
      .parameter("a2", 0.05)
      .component("sig", "crystalBall", ["mean", "sigma", 1.5, 3], "nsig")
      .component("bkg", "chebyshev", [0, 10, "a1", "a2"], "nbkg")
      .build("nsig"),
  cbTail: (N) =>
    new ModelBuilder("m", [0, 10])
      .parameter("nsig", 0.05 * N)
      .parameter("nbkg", N, { lo: 0 })
      .parameter("mean", 4.2)
      .parameter("sigma", 0.1, { lo: 0.01 })
      .parameter("alpha", 1.2, { lo: 0.1 })
      .parameter("n", 3, { lo: 0.5 })
      .parameter("a1", -0.3)
      .parameter("a2", 0.05)
      .component("sig", "crystalBall", ["mean", "sigma", "alpha", "n"], "nsig")
      .component("bkg", "chebyshev", [0, 10, "a1", "a2"], "nbkg")
      .build("nsig"),
  dcbFree: (N) =>
    new ModelBuilder("m", [0, 10])
      .parameter("nsig", 0.05 * N)
      .parameter("nbkg", N, { lo: 0 })
      .parameter("mean", 4.2)
      .parameter("sigmaL", 0.1, { lo: 0.01 })
      .parameter("sigmaR", 0.12, { lo: 0.01 })
      .parameter("alphaL", 1.2, { lo: 0.1 })
      .parameter("nL", 3, { lo: 0.5 })
      .parameter("alphaR", 1.5, { lo: 0.1 })
      .parameter("nR", 2, { lo: 0.5 })
      .parameter("a1", -0.3)
      .parameter("a2", 0.05)
      .component("sig", "doubleCrystalBall", ["mean", "sigmaL", "sigmaR", "alphaL", "nL", "alphaR", "nR"], "nsig")
      .component("bkg", "chebyshev", [0, 10, "a1", "a2"], "nbkg")
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

// [fused kernel allowed, analytic Hessian allowed]: the default, the general passes, and the general
// passes with HESSE and the start metric by differences of the gradient
const VARIANTS = [
  [1, 1],
  [0, 1],
  [0, 0],
];
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One fit from a start away from the truth, in ms. */
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
      // yields 10% low, shape parameters 2% off (a start 1σ_peak off the peak sends the first Newton step
      // out of the range at 1e5: the minimizer has no trust region)
      const start = truth.map((v, i) => (model.parameters[i].name.startsWith("n") ? v * 0.9 + 1 : v * 0.98));
      for (const [fused, hessian] of VARIANTS) {
        cases.push({ name, fused, hessian, cm, start, times: [], nfcn: 0, status: "" });
      }
    }
    for (let k = 0; k < runs; k++) {
      for (const c of cases) {
        core.setFastPath(c.fused);
        core.setAnalyticHessian(c.hessian);
        const t = timedFit(c.cm, c.start);
        c.times.push(t.ms);
        c.nfcn = t.nfcn;
        c.status = t.status;
      }
    }
    core.setFastPath(1);
    core.setAnalyticHessian(1);
    for (const c of cases) {
      rows.push({
        N,
        model: c.name,
        path: c.fused ? "default" : c.hessian ? "general passes" : "general passes, differenced HESSE",
        ms: median(c.times),
        nfcn: c.nfcn,
        status: c.status,
      });
      if (!c.fused && !c.hessian) c.cm.dispose();
    }
  }
  console.log("| events | model | path | fit incl. HESSE, median | calls |");
  console.log("|---:|---|---|---:|---:|");
  for (const r of rows)
    console.log(`| ${r.N} | ${r.model} | ${r.path} | ${r.ms.toFixed(2)} ms | ${r.nfcn} (${r.status}) |`);
}

/** ns/event of one NLL (and NLL+gradient) evaluation, parameter k moved every call (nothing stays cached). */
export function perEvent(cm, v, k, n, nRuns = runs) {
  const w = [...v];
  let tick = 0;
  const next = () => ((w[k] = v[k] * (1 + 1e-9 * (tick++ % 1000))), w);
  const time = (fn) => {
    for (let i = 0; i < 5; i++) fn(); // warm-up (the engine's optimising tier)
    const ts = [];
    for (let r = 0; r < nRuns; r++) {
      const t0 = performance.now();
      for (let i = 0; i < 5; i++) fn();
      ts.push((performance.now() - t0) / 5);
    }
    return (median(ts) * 1e6) / n;
  };
  return { nll: time(() => cm.nll(next())), grad: time(() => cm.nllGrad(next())) };
}

/** The --nll cases at N events: each shape as the cached signal over a free expPoly(2), each background free. */
export function nllCases(N = 1e6) {
  const signals = {
    gaussian: [4.2, 0.05],
    crystalBall: [4.2, 0.05, 1.5, 3],
    doubleCrystalBall: [4.2, 0.05, 0.06, 1.5, 3, 2, 4],
    uniform: [],
  };
  const backgrounds = {
    expPoly2: ["expPoly", [0, 10, "b1", "b2"], [-1.2, 0.3]],
    exponential: ["exponential", ["b1"], [-0.3]],
    chebyshev2: ["chebyshev", [0, 10, "b1", "b2"], [-0.3, 0.05]],
    polynomial2: ["polynomial", [0, 10, "b1", "b2"], [-0.3, 0.05]],
    argus: ["argus", [10.5, "b1", 0.5], [-2]],
  };
  const build = (sig, sigArgs, [shape, args, b]) => {
    const mb = new ModelBuilder("m", [0, 10]).parameter("nsig", 0.006 * N).parameter("nbkg", N, { lo: 0 });
    b.forEach((x, i) => mb.parameter(`b${i + 1}`, x));
    return mb.component("sig", sig, sigArgs, "nsig").component("bkg", shape, args, "nbkg").build("nsig");
  };
  return [
    ...Object.entries(signals).map(([name, a]) => [
      `signal ${name} (cached) + expPoly2`,
      build(name, a, backgrounds.expPoly2),
    ]),
    ...Object.entries(backgrounds).map(([name, b]) => [
      `crystalBall (cached) + ${name}`,
      build("crystalBall", signals.crystalBall, b),
    ]),
    ["MoreFit: gaussian (mean, σ free, in the kernel) + exponential", MODELS.morefit5(N)],
  ];
}

/** Models beyond the shape table: free peak parameters, weighted events (the general passes). */
function generalCases(N = 1e6) {
  const cbCheb = (peakFree) => {
    const mb = new ModelBuilder("m", [0, 10])
      .parameter("nsig", 0.006 * N)
      .parameter("nbkg", N, { lo: 0 })
      .parameter("b1", -0.3)
      .parameter("b2", 0.05);
    if (peakFree) mb.parameter("mean", 4.2).parameter("sigma", 0.05, { lo: 0.01 });
    if (peakFree === "tail") mb.parameter("alpha", 1.5, { lo: 0.1 }).parameter("n", 3, { lo: 0.5 });
    const peak = peakFree ? ["mean", "sigma"] : [4.2, 0.05];
    const tail = peakFree === "tail" ? ["alpha", "n"] : [1.5, 3];
    return mb
      .component("sig", "crystalBall", [...peak, ...tail], "nsig")
      .component("bkg", "chebyshev", [0, 10, "b1", "b2"], "nbkg")
      .build("nsig");
  };
  const dcb = (free) => {
    const mb = new ModelBuilder("m", [0, 10]).parameter("nsig", 0.006 * N).parameter("nbkg", N, { lo: 0 });
    const names = ["mean", "sigmaL", "sigmaR", "alphaL", "nL", "alphaR", "nR"];
    const values = [4.2, 0.05, 0.06, 1.5, 3, 2, 4];
    names.forEach((name, i) => i < free && mb.parameter(name, values[i], { lo: i === 0 ? undefined : 0.01 }));
    return mb
      .parameter("b1", -0.3)
      .parameter("b2", 0.05)
      .component(
        "sig",
        "doubleCrystalBall",
        names.map((name, i) => (i < free ? name : values[i])),
        "nsig",
      )
      .component("bkg", "chebyshev", [0, 10, "b1", "b2"], "nbkg")
      .build("nsig");
  };
  return [
    ["crystalBall (mean, σ free) + chebyshev2", cbCheb(true), false],
    ["crystalBall (mean, σ, α, n free) + chebyshev2", cbCheb("tail"), false],
    ["doubleCrystalBall (mean, σ_L, σ_R free) + chebyshev2", dcb(3), false],
    ["doubleCrystalBall (all 7 free) + chebyshev2", dcb(7), false],
    ["crystalBall (cached) + chebyshev2, weighted events", cbCheb(false), true],
    ["crystalBall (cached) + expPoly2, weighted events", nllCases(N)[4][1], true],
  ];
}

/** Each shape as the cached signal over a free expPoly(2), each background shape free, and the general cases. */
function nllPerShape() {
  const rows = [];
  for (const [label, model, weighted] of [...nllCases(), ...generalCases()]) {
    const [values] = generate(model, {}, 4);
    const weights = weighted ? Float64Array.from(values, (_, i) => 0.5 + (i % 4) * 0.25) : undefined;
    const cm = new CompiledModel(core, model, loadData(core, [{ values, weights }]));
    const v = model.parameters.map((p) => p.value);
    cm.setFree(v.map(() => true));
    const path = core.fusedComponent(0) >= 0 ? "fused" : "general";
    const t = perEvent(cm, v, 2, values.length);
    rows.push(`| ${label} | ${path} | ${t.nll.toFixed(2)} ns | ${t.grad.toFixed(2)} ns |`);
    cm.dispose();
  }
  console.log("| model (1e6 events, shape parameters free) | path | NLL per event | NLL+gradient per event |");
  console.log("|---|---|---:|---:|");
  for (const r of rows) console.log(r);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (args.includes("--nll")) nllPerShape();
  else fits();
}
