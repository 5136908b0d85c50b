// Belle II's invisible Z′ as a worked example (examples/README.md): a background-only recoil-mass
// spectrum drawn with a fixed seed from a smooth truth (the stand-in for the simulation whose
// window counts are the spec's yield table), then the counting scan with Bayesian limits, and the
// counting table a paper shows (counting.csv, counts.svg, limits.svg: per window the observed count,
// the expected background ± its uncertainty, the Bayesian and the CLs limits side by side).
//   node examples/belle2-invisible-zprime/run.mjs --out DIR [--quick]
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { WorkerPool } from "bumpscan";
import { loadScanEvents } from "bumpscan/io";
import { massFunctionAt, parseSpec } from "bumpscan/model";
import { countingOutputs, formatCounting } from "bumpscan/report";
import { countingTable, runScan } from "bumpscan/scan";
import { exampleOptions, expectedEvents, readExampleSpec, runExample, simulate } from "../lib.mjs";

const SEARCH = "belle2-invisible-zprime";
const SEED = 2212_03066;

const { out, quick, workers } = exampleOptions(SEARCH);
const spec = readExampleSpec(import.meta.url);

// The truth: radiative di-muons falling with the recoil mass and a broad ττ-like hump, in all
// 79.7 fb⁻¹; the spec's yield table holds what it puts in each window (3 significant digits)
const truthSpec = {
  ...spec,
  background: [
    { name: "mumu_gamma", shape: "exponential", lambda: -0.9 },
    { name: "tautau", shape: "gaussian", mean: 5.5, sigma: 2.0 },
  ],
  nuisances: undefined, // they name the spec's one background
};
const truth = {
  nbkg_mumu_gamma_mumu_missing: 3000,
  lambda_mumu_gamma_mumu_missing: -0.9,
  nbkg_tautau_mumu_missing: 4000,
};
const truthJson = JSON.parse(JSON.stringify(truthSpec));

// the yield table must be the truth's window counts: a spec out of step with the generator would
// fake excesses or deficits (up to 2% apart: the table's digits and its linear interpolation)
for (let m = 0.5; m <= 8; m += 0.05) {
  const s = massFunctionAt(spec.signal.sigma, m, "signal.sigma");
  const want = expectedEvents(truthJson, truth, [m - 2 * s, m + 2 * s]);
  const have = massFunctionAt(spec.background.yield, m, "background.yield");
  if (Math.abs(have / want - 1) > 0.02) throw new Error(`yield table at ${m}: ${have}, the truth gives ${want}`);
}

if (quick) spec.scan = { masses: [0.5, 1, 2, 3, 4, 5, 6, 7, 8], window: spec.scan.window };
const [events] = simulate(truthJson, truth, SEED);
// 90% credibility limits with the systematics integrated out, as Belle II's
const options = { marginalise: true, ...(quick ? { expectedToys: 20 } : {}) };
const { result } = await runExample({ search: SEARCH, spec, data: { "recoil.csv": events }, out, workers, options });

// the counting table: the scan's Bayesian limits beside CLs ones, asymptotic here (every window
// holds ≳ 50 events, where the asymptotic formulae hold; `bumpscan count` uses toys by default)
const parsed = parseSpec(structuredClone(spec), join(out, "spec.json"));
const windows = await loadScanEvents(parsed, out);
const pool = await WorkerPool.start(workers);
const cls = await runScan(parsed, windows[""], { method: "asymptotic", cl: result.cl, pool }).finally(() => pool.close());
const table = countingTable(result, cls);
for (const file of countingOutputs(table)) writeFileSync(join(out, file.name), file.text);
console.log(formatCounting(table, "GeV").split("\n")[0]);
console.log(`wrote counting.json, counting.csv, counts.svg, limits.svg into ${out}`);
