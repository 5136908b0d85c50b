/**
 * The look-elsewhere effect by Gross and Vitells (arXiv:1005.1891): for a q0(m) that is
 * asymptotically χ²₁ at each mass, p_global ≈ p_local + ⟨N(c0)⟩·e^{−(c − c0)/2}, with c = Z_max²
 * and ⟨N(c0)⟩ the number of up-crossings of q0(m) above a low level c0, counted on the scan itself.
 * Computed in log space, so the global Z stays finite however small the p-values are.
 */
import { logUpperTail, zFromLogP } from "../core/normal.js";

export { logUpperTail, zFromLogP };

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

/** ln(eᵃ + eᵇ) without overflow or underflow. */
function logAddExp(a: number, b: number): number {
  const m = Math.max(a, b);
  return m === -Infinity ? -Infinity : m + Math.log1p(Math.exp(Math.min(a, b) - m));
}

/**
 * Global significance of the largest excess of a scan.
 * @example
 * import { grossVitells } from "bumpscan/scan";
 * const g = grossVitells([{ mass: 1, q0: 0 }, { mass: 2, q0: 9 }, { mass: 3, q0: 0.1 }]);
 * [g.maxLocalZ.z, g.upcrossings]; // => [3, 1]
 */
export function grossVitells(points: { mass: number; q0?: number; z?: number }[], c0 = 0.5): GlobalSignificance {
  const good = points.filter((p) => Number.isFinite(p.q0)).sort((a, b) => a.mass - b.mass);
  let upcrossings = 0;
  for (let i = 1; i < good.length; i++) if (good[i - 1].q0! <= c0 && good[i].q0! > c0) upcrossings++;
  if (good.length > 0 && good[0].q0! > c0) upcrossings++;
  const top = good.reduce<(typeof good)[number] | undefined>(
    (best, p) => (!best || p.q0! > best.q0! ? p : best),
    undefined,
  );
  if (!top) return { maxLocalZ: null, localP: NaN, globalP: NaN, globalZ: NaN, upcrossings, c0 };
  const c = Math.max(0, top.q0!);
  const lnLocal = logUpperTail(Math.sqrt(c));
  const lnGlobal = Math.min(0, upcrossings > 0 ? logAddExp(lnLocal, Math.log(upcrossings) - (c - c0) / 2) : lnLocal);
  return {
    maxLocalZ: { mass: top.mass, z: top.z ?? Math.sqrt(c) },
    localP: Math.exp(lnLocal),
    globalP: Math.exp(lnGlobal),
    globalZ: zFromLogP(lnGlobal),
    upcrossings,
    c0,
  };
}
