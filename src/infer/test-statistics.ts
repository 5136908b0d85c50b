/**
 * Profile-likelihood test statistics (Cowan, Cranmer, Gross, Vitells, arXiv:1007.1727), from the
 * NLL values of fits with the POI free and fixed. NLL differences are clipped at 0: a conditional
 * fit cannot truly lie below the free one, only by its convergence tolerance.
 */

/**
 * q0 = 2(NLL(μ=0) − NLL_min) for μ̂ ≥ 0, else 0 (discovery).
 * @example
 * import { q0 } from "bumpscan/infer";
 * q0({ nll: -62332.863, muHat: 47.8 }, -62327.202); // => 11.322
 */
export function q0(free: { nll: number; muHat: number }, nllAtZero: number): number {
  return free.muHat >= 0 ? Math.max(0, 2 * (nllAtZero - free.nll)) : 0;
}

/**
 * q̃μ for upper limits: 0 if μ̂ > μ; 2(NLL(μ) − NLL_min) if 0 ≤ μ̂ ≤ μ;
 * 2(NLL(μ) − NLL(0)) if μ̂ < 0.
 * @example
 * import { qmuTilde } from "bumpscan/infer";
 * qmuTilde(68.3, { nll: -62332.863, muHat: 47.8 }, -62332.041, -62327.202); // => 1.644
 */
export function qmuTilde(mu: number, free: { nll: number; muHat: number }, nllAtMu: number, nllAtZero: number): number {
  if (free.muHat > mu) return 0;
  const reference = free.muHat < 0 ? nllAtZero : free.nll;
  return Math.max(0, 2 * (nllAtMu - reference));
}

/**
 * qμ (one-sided, no boundary at 0): 0 if μ̂ > μ, else 2(NLL(μ) − NLL_min).
 * @example
 * import { qmu } from "bumpscan/infer";
 * qmu(68.3, { nll: -62332.863, muHat: 47.8 }, -62332.041); // => 1.644
 * qmu(40, { nll: -62332.863, muHat: 47.8 }, -62332.6); // => 0
 */
export function qmu(mu: number, free: { nll: number; muHat: number }, nllAtMu: number): number {
  return free.muHat > mu ? 0 : Math.max(0, 2 * (nllAtMu - free.nll));
}
