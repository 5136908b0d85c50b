// BABAR's muonic Z′ as a worked example (examples/README.md): a background-only four-muon dimuon
// mass spectrum with the Υ(1S) peak in it (which the spec vetoes), drawn with a fixed seed, then
// the windowed scan of 2219 hypotheses.
//   node examples/babar-muonic-zprime/run.mjs --out DIR [--quick]
import { exampleOptions, readExampleSpec, runExample, simulate } from "../lib.mjs";

const SEARCH = "babar-muonic-zprime";
const SEED = 1606_03501;

const { out, quick, workers } = exampleOptions(SEARCH);
const spec = readExampleSpec(import.meta.url);
if (quick) {
  // a few hypotheses over the range, one of them in the Υ(1S) veto
  const masses = [0.25, 0.5, 1, 1.5, 2, 3, 4, 5, 6, 7, 8, 9, 9.3, 9.46, 9.7, 10];
  spec.scan = { masses, window: spec.scan.window };
}

// The truth: the spec's model without the veto, a smooth four-muon continuum and the Υ(1S) peak
const truthSpec = {
  ...spec,
  observable: { ...spec.observable, exclude: undefined },
  background: [
    { name: "cont", shape: "expPoly", order: 3 },
    { name: "Y1S", shape: "gaussian", mean: 9.4603, sigma: 0.0125 },
  ],
  scan: { from: 5, to: 5, step: 1 },
};
const truth = {
  nbkg_cont_four_muon: 25000,
  c1_cont_four_muon: -1.3,
  c2_cont_four_muon: 0.6,
  c3_cont_four_muon: -0.2,
  nbkg_Y1S_four_muon: 150,
};
const [events] = simulate(JSON.parse(JSON.stringify(truthSpec)), truth, SEED);
await runExample({ search: SEARCH, spec, data: { "four-muon.csv": events }, out, workers });
