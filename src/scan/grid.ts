/**
 * The mass grid of a scan (docs/spec.md, `scan`): from `from` to `to` in steps of `step` times the
 * resolution σ(m) at each mass (0.5 = half the resolution, as BABAR), or an explicit `masses` list.
 * With `window`, each mass is fitted in m ± window·σ(m); masses whose window leaves the observable
 * range are kept in the grid but marked skipped, with the reason.
 */
import { BumpscanError } from "../errors.js";
import { resolutionAt } from "../model/resolution.js";
import { fitRange, resolutionOf } from "../model/window.js";
import type { Spec } from "../model/spec.js";

export interface GridPoint {
  /** Position in the grid (keys the point's random streams). */
  index: number;
  mass: number;
  /** σ(m) of the signal at this mass. */
  sigma: number;
  /** The fit range: the window, or the whole observable range. */
  range: [number, number];
  /** Why the point is not fitted, if it is not. */
  skipped?: string;
}

/**
 * The scan's mass points.
 * @example
 * import { massGrid } from "bumpscan/scan";
 * import { parseSpec } from "bumpscan";
 * const spec = parseSpec({ observable: { range: [0, 10] }, signal: { shape: "gaussian", sigma: 0.2 },
 *   background: { shape: "expPoly", order: 2 }, scan: { from: 1, to: 2, step: 0.5 } }); // step: in σ
 * massGrid(spec).map((p) => p.mass); // => [1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 2.0]
 */
export function massGrid(spec: Spec): GridPoint[] {
  const scan = spec.scan;
  if (!scan) throw new BumpscanError(`the spec has no "scan" entry: add "scan": {"from": …, "to": …, "step": 0.5}`);
  const [lo, hi] = spec.observable.range;
  const res = resolutionOf(spec);
  let masses: number[];
  if (scan.masses) masses = [...scan.masses];
  else {
    if (scan.from === undefined || scan.to === undefined || scan.step === undefined) {
      throw new BumpscanError(`scan needs "masses", or "from", "to" and "step" (in units of the resolution)`);
    }
    if (!(scan.from <= scan.to)) throw new BumpscanError(`scan.from ${scan.from} must not exceed scan.to ${scan.to}`);
    masses = [];
    for (let m = scan.from; m <= scan.to + 1e-12 * Math.abs(scan.to); m += scan.step * resolutionAt(res, m)) {
      masses.push(m);
      if (masses.length > 1e6) throw new BumpscanError("scan: more than a million mass points; check scan.step");
    }
  }
  return masses.map((mass, index) => {
    const sigma = resolutionAt(res, mass);
    const point: GridPoint = { index, mass, sigma, range: [lo, hi] };
    if (mass < lo || mass > hi) point.skipped = `mass outside the observable range [${lo}, ${hi}]`;
    else {
      try {
        point.range = fitRange(spec, mass);
      } catch (e) {
        point.skipped = (e as Error).message;
      }
    }
    return point;
  });
}
