// Side by side with MoreFit (arXiv:2505.12414; issue 14, item 5): the `morefit` model of bench/models.js
// (Gaussian mean, σ free + exponential λ = -0.3 fixed on [0, 10], nsig, nbkg free, extended, HESSE), fitted by
// bumpscan and by MoreFit on the SAME events, from the same start (yields 10% low, shape parameters 2% off).
//   MOREFIT_BENCH=/tmp/morefit_bench node bench/morefit.js [--sizes 1e4,1e5,1e6] [--runs 9]
// after `npm run build`. Events come from bumpscan's generator (seed 3, as bench/models.js), written to a temp
// file of little-endian f64 that the MoreFit binary reads. Rounds interleave one bumpscan fit with one MoreFit
// process (3 warm fits each: its kernels are JIT-compiled once per process, outside the timing); medians.
// MoreFit is not part of this repository: bench/RESULTS.md ("MoreFit side by side") tells how to build it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { endianness, tmpdir } from "node:os";
import { join } from "node:path";
import { CompiledModel, loadData } from "../dist/core/compile.js";
import { generate } from "../dist/core/generate.js";
import { fit } from "../dist/infer/fit.js";
import { core, MODELS, median } from "./models.js";

const bin = process.env.MOREFIT_BENCH;
if (!bin) {
  console.log("MOREFIT_BENCH is not set: nothing to compare against. Build MoreFit as bench/RESULTS.md tells");
  console.log('("## MoreFit side by side"), build its bench program with `sh bench/morefit/build.sh`, then run');
  console.log("MOREFIT_BENCH=/tmp/morefit_bench node bench/morefit.js");
  process.exit(0);
}
if (endianness() !== "LE") throw new Error("the events file is written in the machine's byte order: LE expected");

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const sizes = opt("--sizes", "1e4,1e5,1e6").split(",").map(Number);
const runs = Number(opt("--runs", "9"));
const dir = mkdtempSync(join(tmpdir(), "bumpscan-morefit-"));
const rows = [];
const fmt = (ms) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));

try {
  for (const N of sizes) {
    const model = MODELS.morefit(N);
    const [values] = generate(model, {}, 3);
    const file = join(dir, `events-${N}.f64`);
    writeFileSync(file, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    const cm = new CompiledModel(core, model, loadData(core, [{ values }]));
    const names = model.parameters.map((p) => p.name);
    const start = model.parameters.map((p) => (p.name.startsWith("n") ? p.value * 0.9 + 1 : p.value * 0.98));
    const bumpscanFit = () => {
      cm.values = start;
      const t0 = performance.now();
      const r = fit(cm, { start: Object.fromEntries(names.map((n, i) => [n, start[i]])) });
      return { ms: performance.now() - t0, r };
    };
    const moreFit = () => {
      const out = execFileSync(bin, [file, "3", ...start.map(String)], { encoding: "utf8" });
      const line = out.split("\n").find((l) => l.startsWith("RESULT "));
      if (!line) throw new Error(`no RESULT line from ${bin}:\n${out}`);
      return JSON.parse(line.slice(7));
    };
    bumpscanFit(); // warm-up (the engine's optimising tier)
    const bs = [];
    const mf = [];
    let last;
    let lastMf;
    for (let k = 0; k < runs; k++) {
      last = bumpscanFit();
      bs.push(last.ms);
      lastMf = moreFit();
      mf.push(...lastMf.ms);
    }
    cm.dispose();
    // agreement: |Δ value| in units of the larger HESSE error
    const dev = Math.max(
      ...lastMf.names.map((n, i) => {
        const sigma = Math.max(last.r.errors[n], lastMf.errors[i]);
        return Math.abs(last.r.values[n] - lastMf.values[i]) / sigma;
      }),
    );
    rows.push({ N, bs: median(bs), calls: last.r.nfcn, mf: median(mf), mfr: lastMf, r: last.r, dev });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  "| events | bumpscan fit ms (calls) | MoreFit fit ms (FCN, grad, Hessian calls) | ratio bumpscan/MoreFit |",
);
console.log("|---:|---:|---:|---:|");
for (const { N, bs, calls, mf, mfr } of rows)
  console.log(
    `| ${N} | ${fmt(bs)} (${calls}) | ${fmt(mf)} (${mfr.fcn}, ${mfr.grad}, ${mfr.hess}) | ${(bs / mf).toFixed(2)} |`,
  );
console.log("");
for (const { N, r, mfr, dev } of rows) {
  const pm = (v, e) => `${v.toPrecision(7)}±${e.toPrecision(3)}`;
  const both = mfr.names.map((n, i) => `${n} ${pm(r.values[n], r.errors[n])} / ${pm(mfr.values[i], mfr.errors[i])}`);
  const ok = dev <= 1e-3 ? "agree" : "DIFFER";
  console.log(`${N}: bumpscan/MoreFit ${both.join(", ")}; max |Δ|/σ ${dev.toExponential(1)} (${ok} within 1e-3 σ)`);
}
