/**
 * The built-in demo: a falling single-photon recoil-mass-like spectrum (expPoly background) with a
 * small Crystal Ball signal, generated deterministically from a fixed seed.
 */
import { generate } from "./core/generate.js";
import { buildModel, parseSpec, Spec } from "./model/spec.js";

/**
 * The demo's injected signal mass (GeV) and generator seed.
 * @example
 * fitAtMass(demoSpec(), { values: demoEvents() }, DEMO_MASS);
 */
export const DEMO_MASS = 6.1;
/** @example generate(model, truth, DEMO_SEED) */
export const DEMO_SEED = 20261124;

/**
 * The demo's model spec (no data entry: the events come from demoEvents()).
 * @example
 * const spec = demoSpec(); // observable m in [0, 10] GeV, CB signal, expPoly(2) background
 */
export function demoSpec(): Spec {
  return parseSpec({
    observable: { name: "m", unit: "GeV", range: [0, 10] },
    signal: { shape: "crystalBall", sigma: { poly: [0.02, 0.01] }, alpha: 1.5, n: 3 },
    background: { shape: "expPoly", order: 2 },
    limit: { cl: 0.9, method: "asymptotic" },
  }, "demo spec");
}

/**
 * The demo events: 20 000 background events and 45 signal events at DEMO_MASS, fixed seed.
 * @example
 * demoEvents().length; // ≈ 20 045 (Poisson), the same on every machine
 */
export function demoEvents(): Float64Array {
  const spec = demoSpec();
  const model = buildModel(spec, { mass: DEMO_MASS, nEvents: 20000 });
  return generate(model, { nsig: 45, nbkg: 20000, c1: -1.6, c2: 0.4 }, DEMO_SEED)[0];
}
