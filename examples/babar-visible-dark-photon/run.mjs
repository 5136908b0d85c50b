// BABAR's visible dark photon as a worked example (examples/README.md): background-only e+e- and
// μ+μ- mass spectra with the J/ψ and ψ(2S) peaks in them (which the spec vetoes), drawn with a
// fixed seed, then the windowed scan of both channels together.
//   node examples/babar-visible-dark-photon/run.mjs --out DIR [--quick]
import { exampleOptions, readExampleSpec, runExample, simulate } from "../lib.mjs";

const SEARCH = "babar-visible-dark-photon";
const SEED = 1406_2980;

const { out, quick, workers } = exampleOptions(SEARCH);
const spec = readExampleSpec(import.meta.url);
if (quick) {
  // a few masses over the range: one whose window leaves it, one in each veto, a few beside them
  const masses = [0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.78, 1.2, 2, 2.9, 3.097, 3.3, 3.686, 4.5, 6, 8, 9.5, 10.19];
  spec.scan = { masses, window: spec.scan.window };
}

// The truth: the spec's model without the vetoes, a smooth continuum falling with mass over the
// whole range and the J/ψ and ψ(2S) peaks (at the detector's resolution) in both channels.
const peak = (name, mean, sigma) => ({ name, shape: "gaussian", mean, sigma });
const truthSpec = {
  ...spec,
  observable: { ...spec.observable, exclude: undefined },
  background: [
    { name: "cont", shape: "expPoly", order: 4 },
    peak("jpsi", 3.0969, 0.0037),
    peak("psi2s", 3.6861, 0.0041),
  ],
  scan: { from: 5, to: 5, step: 1 },
};
const truth = {
  nbkg_cont_ee: 100000,
  c1_cont_ee: -2.0,
  c2_cont_ee: 1.6,
  c3_cont_ee: -0.8,
  c4_cont_ee: 0.4,
  nbkg_jpsi_ee: 1500,
  nbkg_psi2s_ee: 150,
  nbkg_cont_mumu: 60000,
  c1_cont_mumu: -1.6,
  c2_cont_mumu: 1.2,
  c3_cont_mumu: -0.6,
  c4_cont_mumu: 0.3,
  nbkg_jpsi_mumu: 2000,
  nbkg_psi2s_mumu: 200,
};
const [ee, mumu] = simulate(JSON.parse(JSON.stringify(truthSpec)), truth, SEED);
await runExample({ search: SEARCH, spec, data: { "ee.csv": ee, "mumu.csv": mumu }, out, workers });
