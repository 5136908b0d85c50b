/**
 * The look-elsewhere effect by Gross and Vitells (arXiv:1005.1891): for a q0(m) that is
 * asymptotically χ²₁ at each mass, p_global ≈ p_local + ⟨N(c0)⟩·e^{−(c − c0)/2}, with c = Z_max²
 * and ⟨N(c0)⟩ the number of up-crossings of q0(m) above a low level c0, counted on the scan itself.
 * Computed in log space, so the global Z stays finite however small the p-values are.
 */
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";

export interface GlobalSignificance {
  /** The largest local Z and where it is. */
  maxLocalZ: { mass: number; z: number } | null;
  /** p-values (0 when they underflow a double, below ~1e-308; the Z values stay exact). */
  localP: number;
  globalP: number;
  globalZ: number;
  /** Up-crossings of q0 above c0 along the scan, and c0. */
  upcrossings: number;
  c0: number;
}

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * ln Q(z), the log of the upper tail 1 − Φ(z) of the standard normal, finite for every finite z:
 * from erfc below z = 5, above from the Mills ratio Q(z)/φ(z) by its continued fraction
 * 1/(z + 1/(z + 2/(z + 3/(z + …)))) (modified Lentz), which converges fast there.
 * @example
 * Math.exp(logUpperTail(10)); // 7.619853024160527e-24
 * logUpperTail(40);           // -804.6084420137538 (Q(40) ≈ 3.66e-350 underflows a double)
 */
export function logUpperTail(z: number): number {
  if (z < 5) return Math.log(normalCdf(-z, 0, 1));
  const tiny = 1e-300;
  let f = z, c = z, d = 0;
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
 * @example
 * zFromLogP(Math.log(2.866515718791939e-7)); // 5
 * zFromLogP(-804.6084420137538);             // 40
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

/** ln(eᵃ + eᵇ) without overflow or underflow. */
function logAddExp(a: number, b: number): number {
  const m = Math.max(a, b);
  return m === -Infinity ? -Infinity : m + Math.log1p(Math.exp(Math.min(a, b) - m));
}

/**
 * Global significance of the largest excess of a scan.
 * @example
 * grossVitells([{ mass: 1, q0: 0 }, { mass: 2, q0: 9 }, { mass: 3, q0: 0.1 }]); // one up-crossing
 */
export function grossVitells(points: { mass: number; q0?: number; z?: number }[], c0 = 0.5): GlobalSignificance {
  const good = points.filter((p) => Number.isFinite(p.q0)).sort((a, b) => a.mass - b.mass);
  let upcrossings = 0;
  for (let i = 1; i < good.length; i++) if (good[i - 1].q0! <= c0 && good[i].q0! > c0) upcrossings++;
  if (good.length > 0 && good[0].q0! > c0) upcrossings++;
  const top = good.reduce<(typeof good)[number] | undefined>((best, p) => (!best || p.q0! > best.q0! ? p : best), undefined);
  if (!top) return { maxLocalZ: null, localP: NaN, globalP: NaN, globalZ: NaN, upcrossings, c0 };
  const c = Math.max(0, top.q0!);
  const lnLocal = logUpperTail(Math.sqrt(c));
  const lnGlobal = Math.min(0, upcrossings > 0 ? logAddExp(lnLocal, Math.log(upcrossings) - (c - c0) / 2) : lnLocal);
  return { maxLocalZ: { mass: top.mass, z: top.z ?? Math.sqrt(c) }, localP: Math.exp(lnLocal), globalP: Math.exp(lnGlobal), globalZ: zFromLogP(lnGlobal), upcrossings, c0 };
}
