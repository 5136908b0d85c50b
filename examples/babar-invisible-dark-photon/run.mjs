// BABAR's invisible dark photon as a worked example (examples/README.md): background-only
// single-photon M_X² spectra for the low and high regions of each Υ sample, drawn from the spec's
// own model with fixed seeds, then the scan of m_A' over both regions.
//   node examples/babar-invisible-dark-photon/run.mjs --out DIR [--quick]
import { exampleOptions, readExampleSpec, runExample, simulate } from "../lib.mjs";

const SEARCH = "babar-invisible-dark-photon";
const SEED = 1702_03327;

// the truth: a smooth continuum and the e+e- -> γγ peak at M_X² = 0 (low region), per sample
const LOW = {
  nbkg_cont_Y2S: 1200,
  a1_cont_Y2S: -0.35,
  a2_cont_Y2S: 0.1,
  nbkg_gg_Y2S: 250,
  nbkg_cont_Y3S: 2600,
  a1_cont_Y3S: -0.3,
  a2_cont_Y3S: 0.08,
  nbkg_gg_Y3S: 500,
  nbkg_cont_Y4S: 900,
  a1_cont_Y4S: -0.4,
  a2_cont_Y4S: 0.12,
  nbkg_gg_Y4S: 200,
  mean_gg: 0,
};
const HIGH = {
  nbkg_cont_Y2S: 3000,
  c1_cont_Y2S: 0.7,
  c2_cont_Y2S: -0.25,
  nbkg_cont_Y3S: 6500,
  c1_cont_Y3S: 0.6,
  c2_cont_Y3S: -0.2,
  nbkg_cont_Y4S: 2400,
  c1_cont_Y4S: 0.5,
  c2_cont_Y4S: -0.2,
};

const { out, quick, workers } = exampleOptions(SEARCH);
const spec = readExampleSpec(import.meta.url);
if (quick) spec.scan = { ...spec.scan, step: 4 }; // every region's grid, 8 times coarser

const [lowY2S, lowY3S, lowY4S] = simulate(spec, LOW, SEED, { region: "low" });
const [highY2S, highY3S, highY4S] = simulate(spec, HIGH, SEED + 1, { region: "high" });
const data = {
  "low-y2s.csv": lowY2S,
  "low-y3s.csv": lowY3S,
  "low-y4s.csv": lowY4S,
  "high-y2s.csv": highY2S,
  "high-y3s.csv": highY3S,
  "high-y4s.csv": highY4S,
};
await runExample({ search: SEARCH, spec, data, out, workers });
