// Native C reference for issue 14's NLL target (item 5: every shape ≤ 1.5× the native fast-math C of the same
// model): `node bench/native.js [--runs 9]` after `npm run build`. For each model of `bench/models.js --nll`
// (plus a template background and a 3-component model) it times bumpscan's NLL and NLL+gradient per event at
// 1e6 events, writes the same events and the cached components' normalised per-event densities to a file,
// and times bench/native/nll.c on them, compiled with gcc -O3 -march=native (strict IEEE) and with
// -ffast-math (vectorised exp/log from glibc's libmvec when gcc finds them), native width and SSE4.2 only
// (-march=x86-64-v2: 2 doubles per vector, WebAssembly SIMD's width). Each C result is checked against
// bumpscan's cm.nll / cm.nllGrad at the same parameter values. Binaries and data go to a temporary directory.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CompiledModel, loadData } from "../dist/core/compile.js";
import { generate } from "../dist/core/generate.js";
import { ModelBuilder } from "../dist/model/model.js";
import { core, nllCases, perEvent } from "./models.js";

const args = process.argv.slice(2);
const runs = Number(args.includes("--runs") ? args[args.indexOf("--runs") + 1] : "9");
const N = 1e6;
const source = fileURLToPath(new URL("native/nll.c", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "bumpscan-native-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));

/** Compile nll.c with the flags; the loops gcc vectorised and the libmvec functions the binary calls. */
function compile(name, flags) {
  const bin = join(dir, name);
  const cc = spawnSync("gcc", [...flags, "-fopt-info-vec-optimized", "-o", bin, source, "-lm"], { encoding: "utf8" });
  if (cc.status !== 0) throw new Error(`gcc ${flags.join(" ")} failed:\n${cc.stderr}`);
  const loops = new Set(cc.stderr.match(/:\d+:\d+(?=: optimized: loop vectorized)/g)).size;
  const nm = spawnSync("nm", ["-D", bin], { encoding: "utf8" });
  const mvec = nm.status === 0 ? [...new Set(nm.stdout.match(/_ZGV\w+/g) ?? [])] : ["(nm missing)"];
  return { bin, flags, loops, mvec };
}

// C kinds (enum of nll.c) and the parameter layout each expects
const KIND = { expPoly: 0, exponential: 1, chebyshev: 2, polynomial: 3, argus: 4, gaussExp: 5, template: 6, cheb3: 7 };
const LAYOUT = {
  0: "nsig nbkg b1 b2",
  1: "nsig nbkg b1",
  2: "nsig nbkg b1 b2",
  3: "nsig nbkg b1 b2",
  4: "nsig nbkg b1",
  5: "nsig nbkg mean sigma lambda",
  6: "nsig nbkg",
  7: "nsig nbkg b1 b2 ngaus",
};

/** The C kind, constants and cached components (indices) of one model. */
function nativeSpec(model) {
  const comps = model.samples[0].components;
  const bkg = comps[comps.length - 1];
  let kind = KIND[bkg.shape];
  if (comps.length === 3) kind = KIND.cheb3;
  else if (comps[0].shape === "gaussian" && typeof comps[0].args[0] === "string") kind = KIND.gaussExp;
  if (model.parameters.map((p) => p.name).join(" ") !== LAYOUT[kind]) throw new Error(`layout of ${kind}`);
  const consts = bkg.shape === "argus" ? [0, 0, bkg.args[0], bkg.args[2]] : [bkg.args[0], bkg.args[1], 0, 0];
  const cached = kind === KIND.gaussExp ? [] : kind === KIND.template || kind === KIND.cheb3 ? [0, 1] : [0];
  return { kind, consts, cached };
}

/** Component j's normalised density at the events: the total density with its yield 1 and the others 0. */
function componentDensity(cm, model, v, j, values) {
  const yields = model.samples[0].components.map((c) => c.yieldFactors[0].param);
  cm.values = model.parameters.map((p, i) => (yields.includes(p.name) ? (p.name === yields[j] ? 1 : 0) : v[i]));
  const d = cm.density(0, values);
  cm.values = v;
  return d;
}

/** The extra models: a template background (cached like the signal), and CB + Gaussian (cached) + chebyshev2. */
function extraCases() {
  const bins = Array.from({ length: 50 }, (_, k) => Math.exp(-0.25 * (k + 0.5) * 0.2) * (1 + 0.05 * Math.sin(k)));
  const template = new ModelBuilder("m", [0, 10])
    .parameter("nsig", 0.006 * N)
    .parameter("nbkg", N, { lo: 0 })
    .component("sig", "crystalBall", [4.2, 0.05, 1.5, 3], "nsig")
    .component("bkg", "template", [0, 10, ...bins], "nbkg")
    .build("nsig");
  const three = new ModelBuilder("m", [0, 10])
    .parameter("nsig", 0.006 * N)
    .parameter("nbkg", N, { lo: 0 })
    .parameter("b1", -0.3)
    .parameter("b2", 0.05)
    .parameter("ngaus", 0.01 * N)
    .component("sig", "crystalBall", [4.2, 0.05, 1.5, 3], "nsig")
    .component("peak", "gaussian", [6.5, 0.1], "ngaus")
    .component("bkg", "chebyshev", [0, 10, "b1", "b2"], "nbkg")
    .build("nsig");
  return [
    ["crystalBall (cached) + template (50 bins, cached)", template],
    ["crystalBall (cached) + gaussian (cached) + chebyshev2", three],
  ];
}

/** Time one C build on the case file; its NLL and gradient at v. */
function runC(build, file) {
  const r = spawnSync(build.bin, [file], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${build.bin} ${file}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const gcc = spawnSync("gcc", ["--version"], { encoding: "utf8" });
if (gcc.status !== 0) {
  console.log("bench/native.js: gcc not found, no native C reference (install gcc to run it).");
  process.exit(0);
}
const builds = {
  strict: compile("strict", ["-O3", "-march=native"]),
  fast: compile("fast", ["-O3", "-march=native", "-ffast-math"]),
  // the same width as WebAssembly's SIMD (2 doubles): SSE4.2, no AVX
  fast2: compile("fast2", ["-O3", "-march=x86-64-v2", "-ffast-math"]),
};

const rows = [];
const checks = [];
const file = join(dir, "case.bin");
const relDiff = (a, b) => Math.abs(a - b) / Math.abs(b);
const gradDiff = (g, ref) => Math.max(...ref.map((x, j) => Math.abs(g[j] - x) / Math.max(1, Math.abs(x))));
for (const [label, model] of [...nllCases(N), ...extraCases()]) {
  const mark = core.mark();
  const [values] = generate(model, {}, 4);
  const cm = new CompiledModel(core, model, loadData(core, [{ values }]));
  const v = model.parameters.map((p) => p.value);
  cm.setFree(v.map(() => true));
  const path = core.fusedComponent(0) >= 0 ? "fused" : "general";
  const k = Math.min(2, v.length - 1); // the first shape parameter (nbkg when there is none)
  const t = perEvent(cm, v, k, values.length, runs);
  const ref = cm.nllGrad(v);
  const nll = cm.nll(v);
  const spec = nativeSpec(model);
  const buffers = spec.cached.map((j) => componentDensity(cm, model, v, j, values));
  const header = new Float64Array(16); // nll.c's header
  header.set([spec.kind, values.length, v.length, k, runs, ...model.observable.range, ...spec.consts]);
  writeFileSync(file, new Float64Array([...header, ...v, ...values, ...buffers.flatMap((b) => [...b])]));
  cm.dispose();
  core.release(mark);
  const c = { strict: runC(builds.strict, file), fast: runC(builds.fast, file), fast2: runC(builds.fast2, file) };
  rows.push({ label, path, t, c });
  checks.push({
    label,
    nll,
    strict: relDiff(c.strict.nll, nll),
    fast: relDiff(c.fast.nll, nll),
    gStrict: gradDiff(c.strict.grad, ref.grad),
    gFast: gradDiff(c.fast.grad, ref.grad),
  });
}

const ns = (x) => `${x.toFixed(2)} ns`;
console.log(
  `| model (1e6 events, shape parameters free) | bumpscan NLL | bumpscan NLL+grad | C strict NLL | C strict NLL+grad ` +
    "| C fast-math NLL | C fast-math NLL+grad | C fast-math 2-wide NLL | C fast-math 2-wide NLL+grad " +
    "| bumpscan / C fast-math (NLL, NLL+grad) | bumpscan / C fast-math 2-wide (NLL, NLL+grad) |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const { label, path, t, c } of rows) {
  const cells = [t.nll, t.grad, c.strict.nllNs, c.strict.gradNs, c.fast.nllNs, c.fast.gradNs, c.fast2.nllNs];
  cells.push(c.fast2.gradNs);
  const x = (a, b) => `${(a / b).toFixed(2)}×`;
  const ratios = [
    `${x(t.nll, c.fast.nllNs)}, ${x(t.grad, c.fast.gradNs)}`,
    `${x(t.nll, c.fast2.nllNs)}, ${x(t.grad, c.fast2.gradNs)}`,
  ];
  console.log(`| ${label} (${path}) | ${[...cells.map(ns), ...ratios].join(" | ")} |`);
}
console.log("\nChecks at the model's parameter values (C against bumpscan's cm.nll and cm.nllGrad):\n");
console.log("| model | NLL | C strict rel. diff | C fast-math rel. diff | gradient diff strict | fast-math |");
console.log("|---|---:|---:|---:|---:|---:|");
const e = (x) => x.toExponential(1);
for (const r of checks) {
  const ok = r.strict <= 1e-9 ? "" : " ✗ (> 1e-9)";
  console.log(
    `| ${r.label} | ${r.nll.toFixed(3)} | ${e(r.strict)}${ok} | ${e(r.fast)} | ${e(r.gStrict)} | ${e(r.gFast)} |`,
  );
}
console.log("\n(gradient diff: max over parameters of |Δg| / max(1, |g|))\n");
for (const b of Object.values(builds)) {
  const mvec = b.mvec.length ? b.mvec.join(", ") : "none";
  console.log(`gcc ${b.flags.join(" ")}: ${b.loops} loops vectorised; libmvec calls: ${mvec}`);
}
console.log(`gcc: ${gcc.stdout.split("\n")[0]}`);
