/**
 * The built-in demo's spec and events (browser-safe), modelled on the BABAR invisible
 * dark-photon search: a single-photon recoil mass spectrum with a smooth background falling with
 * mass, a resolution growing with mass and a small injected signal, generated deterministically.
 */
import { generate } from "./core/generate.js";
import { buildModel, type Spec } from "./model/spec.js";
import { parseSpec } from "./model/parse.js";

/** The injected signal: 45 events at 5.1 GeV. */
export const DEMO_SIGNAL = { mass: 5.1, events: 45 };
/** @example generate(model, truth, DEMO_SEED) */
export const DEMO_SEED = 20261124;

/**
 * The demo's model spec (no data entry: the events come from demoEvents()).
 * @example
 * import { demoSpec } from "bumpscan";
 * demoSpec().scan; // => { from: 0.3, to: 7.7 }
 */
export function demoSpec(): Spec {
  return parseSpec(
    {
      observable: { name: "M_X", unit: "GeV", range: [0, 8] },
      signal: { shape: "crystalBall", sigma: { poly: [0.015, 0.008] }, alpha: 1.2, n: 3 },
      background: { shape: "expPoly", order: 2 },
      scan: { from: 0.3, to: 7.7, step: 0.5 },
      limit: { cl: 0.9, method: "asymptotic" },
    },
    "demo spec",
  );
}

/**
 * The demo events: 20 000 background events and 45 signal events at 5.1 GeV, fixed seed.
 * @example
 * import { demoEvents } from "bumpscan";
 * demoEvents().length; // => 20098
 */
export function demoEvents(): Float64Array {
  const model = buildModel(demoSpec(), { mass: DEMO_SIGNAL.mass, nEvents: 20000 });
  return generate(model, { nsig: DEMO_SIGNAL.events, nbkg: 20000, c1: -1.4, c2: 0.35 }, DEMO_SEED)[0];
}
