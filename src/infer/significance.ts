/**
 * Discovery test statistic q0 and local significance (Cowan, Cranmer, Gross, Vitells,
 * arXiv:1007.1727): q0 = −2 ln λ(0) for μ̂ ≥ 0, else 0; Z = sign(μ̂)·√(2(NLL(μ=0) − NLL_min)).
 * A significance rests on two converged fits; otherwise q0, p0 and Z are NaN (null in JSON).
 */
import { normalCdf } from "../core/normal.js";
import type { CompiledModel } from "../core/compile.js";
import { fitBackground, raiseFloor } from "./background.js";
import { fit, type FitOptions, type FitResult } from "./fit.js";

export interface Discovery {
  q0: number;
  /** Local p-value of the background-only hypothesis, 1 − Φ(√q0) (asymptotic, one-sided). */
  p0: number;
  /** Signed local significance. */
  z: number;
  /** The unconditional fit. */
  free: FitResult;
  /** The fit with the POI fixed at 0. */
  background: FitResult;
  /** Both fits converged: q0, p0 and z are defined (NaN otherwise). */
  valid: boolean;
}

const converged = (r: FitResult) => r.status === "converged";
const better = (a: FitResult, b: FitResult) => (converged(b) && (!converged(a) || b.nll < a.nll) ? b : a);

/**
 * Fit with the POI fixed at 0 (which sets the POI's floor, see background.ts) and free, and the
 * discovery statistic from the two, both started from `options.start` (or the model's start
 * values). A fit from `options.start` that does not converge is repeated from the model's own start
 * values; a free fit that still fails, from the background-only fit with the floor raised to where
 * it left the background; a background-only fit that fails, from the free fit; the better kept.
 * @example
 * import { readFileSync } from "node:fs";
 * import { parseSpec, readColumn } from "bumpscan";
 * import { compileAt, instantiateCore } from "bumpscan/core";
 * import { discovery } from "bumpscan/infer";
 * const spec = parseSpec(JSON.parse(readFileSync("spec.json", "utf8")), "spec.json");
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * const { cm } = compileAt(await instantiateCore(), spec, { values }, 4.2); // the reference model at 4.2
 * const { q0, p0, z } = discovery(cm);
 * [q0, z]; // => [11.32, 3.365]
 * p0; // => 3.8e-4
 */
export function discovery(cm: CompiledModel, options: FitOptions = {}, free?: FitResult): Discovery {
  const poi = cm.model.poi;
  const retry = (r: FitResult, again: () => FitResult) => (converged(r) || !options.start ? r : better(r, again()));
  let b = retry(fitBackground(cm, options), () => fitBackground(cm, { ...options, start: undefined }));
  let f = free ?? retry(fit(cm, options), () => fit(cm, { ...options, start: undefined }));
  // the floor moves with the background: where the free fit left it, the floor may lie higher
  if (!free && !converged(f) && raiseFloor(cm, f.values)) f = better(f, fit(cm, { ...options, start: b }));
  // the background-only fit once more from where the free fit (Newton-polished) left the background:
  // it stops within the minimizer's tolerance (ΔNLL ~ 1e-5) of a minimum that q0 needs exactly,
  // and may do better where the first one failed
  if (converged(f) || !converged(b)) {
    b = better(b, fit(cm, { ...options, start: f, fixed: { ...options.fixed, [poi]: 0 }, hesse: false, tol: 0.01 }));
  }
  const valid = converged(f) && converged(b);
  const twoDelta = Math.max(0, 2 * (b.nll - f.nll));
  const muHat = f.values[poi];
  const q0 = !valid ? NaN : muHat >= 0 ? twoDelta : 0;
  const z = !valid ? NaN : Math.sign(muHat) * Math.sqrt(twoDelta);
  return { q0, p0: valid ? 1 - normalCdf(Math.sqrt(q0)) : NaN, z, free: f, background: b, valid };
}

/** q0 and its signed Z at one mass, from the background-only fit `discoveryFrom` was given. */
export interface QuickDiscovery {
  q0: number;
  /** √q0 where the signal yield comes out positive; 0 where it does not (q0 = 0 there). */
  z: number;
  /** The fitted POI (0 where the score showed it is not positive). */
  muHat: number;
  /** "converged", or the free fit's status where it failed. */
  status: string;
}

/**
 * The discovery statistic at one mass for a background-only toy scan, from the toy's own
 * background-only fit (`background`, converged tightly): that fit does not depend on the mass, so
 * the NLL at μ = 0 is one pass here, and the free fit starts from it. At the background-only
 * minimum the only non-zero derivative is the POI's: where it is ≥ 0 the profile likelihood falls
 * towards negative μ, μ̂ ≤ 0 and q0 = 0 without a fit. Where it is negative, the free fit (no HESSE,
 * EDM < 1e-5, from the metric of the previous point in slot `slot`) gives q0 = 2(NLL(0) − NLL_min).
 * Equal to `discovery`'s q0 to the tolerance of its fits; the test compares them point by point.
 * @example
 * import { readFileSync } from "node:fs";
 * import { parseSpec, readColumn } from "bumpscan";
 * import { compileAt, instantiateCore } from "bumpscan/core";
 * import { discoveryFrom, fitBackground } from "bumpscan/infer";
 * const spec = parseSpec(JSON.parse(readFileSync("spec.json", "utf8")), "spec.json");
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * const { cm } = compileAt(await instantiateCore(), spec, { values }, 4.2); // the reference model at 4.2
 * const b = fitBackground(cm, { tol: 0.001 });
 * discoveryFrom(cm, b.values).q0; // => 11.32
 */
export function discoveryFrom(cm: CompiledModel, background: Record<string, number>, slot = 0): QuickDiscovery {
  const poi = cm.model.poi;
  const fixed = new Set(cm.model.parameters.filter((p) => p.fixed).map((p) => p.name));
  cm.setFree(cm.names.map((n) => !fixed.has(n)));
  const at0 = cm.nllGrad(cm.names.map((n) => (n === poi ? 0 : background[n])));
  if (!Number.isFinite(at0.nll)) return { q0: NaN, z: NaN, muHat: NaN, status: "failed" };
  if (at0.grad[cm.names.indexOf(poi)] >= 0) return { q0: 0, z: 0, muHat: 0, status: "converged" };
  raiseFloor(cm, background);
  const f = fit(cm, { start: { ...background, [poi]: 0 }, hesse: false, tol: 0.01, metricSlot: slot });
  if (!converged(f)) return { q0: NaN, z: NaN, muHat: NaN, status: f.status };
  const muHat = f.values[poi];
  const q0 = muHat >= 0 ? Math.max(0, 2 * (at0.nll - f.nll)) : 0;
  return { q0, z: Math.sqrt(q0), muHat, status: "converged" };
}
