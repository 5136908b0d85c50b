/**
 * The standard normal's far upper tail in log space: ln Q(z) = ln(1 − Φ(z)) and its inverse, finite
 * where Q itself underflows a double (global significances, CLs from q̃μ far above q_A).
 */
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * ln Q(z), the log of the upper tail 1 − Φ(z) of the standard normal, finite for every finite z:
 * from erfc below z = 5, above from the Mills ratio Q(z)/φ(z) by its continued fraction
 * 1/(z + 1/(z + 2/(z + 3/(z + …)))) (modified Lentz), which converges fast there.
 */
export function logUpperTail(z: number): number {
  if (z < 5) return Math.log(normalCdf(-z, 0, 1));
  const tiny = 1e-300;
  let f = z,
    c = z,
    d = 0;
  for (let k = 1; k < 500; k++) {
    d = z + k * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = z + k / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return -0.5 * z * z - LN_SQRT_2PI - Math.log(f);
}

/**
 * The Z with ln Q(Z) = lnP (one-sided: 0 for p ≥ 0.5), for any lnP ≤ 0, by Newton's method on
 * ln Q: it is concave and below −z²/2 (Q(z) ≤ e^{−z²/2}/2), so from z = √(−2 lnP) the iterates
 * decrease monotonically to the root. (The normal quantile of p itself loses all digits below
 * p ≈ 1e-16.)
 */
export function zFromLogP(lnP: number): number {
  if (Number.isNaN(lnP)) return NaN;
  if (lnP >= Math.log(0.5)) return 0;
  let z = Math.sqrt(-2 * lnP);
  for (let i = 0; i < 200; i++) {
    const lq = logUpperTail(z);
    const slope = -Math.exp(-0.5 * z * z - LN_SQRT_2PI - lq); // d ln Q / dz = −φ(z)/Q(z)
    const step = (lq - lnP) / slope;
    z -= step;
    if (!(Math.abs(step) > 1e-15 * Math.max(1, z))) break;
  }
  return Math.max(0, z);
}
