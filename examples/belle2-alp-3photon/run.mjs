// Belle II's ALP search in three-photon events as a worked example (examples/README.md): a
// background-only di-photon mass spectrum (a falling three-photon continuum and the π⁰, η, η′
// peaks) drawn with a fixed seed, then the windowed scan.
//   node examples/belle2-alp-3photon/run.mjs --out DIR [--quick]
import { exampleOptions, readExampleSpec, runExample, simulate } from "../lib.mjs";

const SEARCH = "belle2-alp-3photon";
const SEED = 2007_13071;

const { out, quick, workers } = exampleOptions(SEARCH);
const spec = readExampleSpec(import.meta.url);
if (quick) {
  // a few hypotheses: beside and on the π⁰, η and η′ peaks, and over the rest of the range
  const masses = [0.2, 0.3, 0.5, 0.535, 0.56, 0.7, 0.94, 0.975, 1.2, 2, 3, 4.5, 6, 8, 9.7];
  spec.scan = { masses, window: spec.scan.window };
}

// The truth: the spec's model at its calibrated shapes (the peak positions at their calibration),
// a continuum falling steeply with the di-photon mass over the whole range
const truthSpec = { ...spec, background: spec.background.map((b) => (b.name === "cont" ? { ...b, order: 4 } : b)) };
const truth = {
  nbkg_cont: 60000,
  c1_cont: -2.6,
  c2_cont: 1.8,
  c3_cont: -0.8,
  c4_cont: 0.3,
  nbkg_pi0: 5000,
  nbkg_eta: 1500,
  nbkg_etap: 400,
};
const [events] = simulate(truthSpec, truth, SEED);
await runExample({ search: SEARCH, spec, data: { "three-photon.csv": events }, out, workers });
