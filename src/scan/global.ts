/**
 * The look-elsewhere effect by Gross and Vitells (arXiv:1005.1891): for a q0(m) that is
 * asymptotically χ²₁ at each mass, p_global ≈ p_local + ⟨N(c0)⟩·e^{−(c − c0)/2}, with c = Z_max²
 * and ⟨N(c0)⟩ the number of up-crossings of q0(m) above a low level c0, counted on the scan itself.
 */
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";

export interface GlobalSignificance {
  /** The largest local Z and where it is. */
  maxLocalZ: { mass: number; z: number } | null;
  localP: number;
  globalP: number;
  globalZ: number;
  /** Up-crossings of q0 above c0 along the scan, and c0. */
  upcrossings: number;
  c0: number;
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
  const c = top.q0!;
  const localP = 1 - normalCdf(Math.sqrt(c), 0, 1);
  const globalP = Math.min(1, localP + upcrossings * Math.exp(-(c - c0) / 2));
  const globalZ = globalP >= 0.5 ? 0 : normalQuantile(1 - globalP, 0, 1);
  return { maxLocalZ: { mass: top.mass, z: top.z ?? Math.sqrt(c) }, localP, globalP, globalZ, upcrossings, c0 };
}
