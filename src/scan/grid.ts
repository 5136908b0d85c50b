/**
 * The mass grid of a scan (docs/spec.md, `scan`): hypothesis masses from `from` to `to` in steps of
 * `step` times the resolution σ(m) at each mass (0.5 = half the resolution, as BABAR; with
 * `signal.peak` the step in the hypothesis mass is step·σ(m)/|d peak/dm|), or an explicit `masses`
 * list. With `window`, each mass is fitted in peak ± window·σ(m). Masses whose window leaves the
 * observable range, whose peak lies in a veto or outside every sample are kept in the grid but
 * marked skipped, with the reason.
 */
import { BumpscanError } from "../errors.js";
import { layoutAt, type PointLayout, peakSlope, resolutionOf, sigmaAt } from "../model/window.js";
import { buildModel, type Spec } from "../model/spec.js";
import { regionNames, regionSpec } from "../model/regions.js";

export interface GridPoint {
  /** Position in the grid (keys the point's random streams). */
  index: number;
  mass: number;
  /** σ(m) of the signal at this mass. */
  sigma: number;
  /** The first sample's fit range: the window, or its whole range. */
  range: [number, number];
  /** Every sample's fit range and vetoes at this mass, and whether its signal takes part. */
  layout: PointLayout;
  /** Why the point is not fitted, if it is not. */
  skipped?: string;
  /** With regions: the region whose model the point fits. */
  region?: string;
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
  resolutionOf(spec); // a grid in steps of σ needs one: an error naming what is missing
  let masses: number[];
  if (scan.masses) masses = [...scan.masses];
  else {
    if (scan.from === undefined || scan.to === undefined || scan.step === undefined) {
      throw new BumpscanError(`scan needs "masses", or "from", "to" and "step" (in units of the resolution)`);
    }
    if (!(scan.from <= scan.to)) throw new BumpscanError(`scan.from ${scan.from} must not exceed scan.to ${scan.to}`);
    masses = [];
    // 12 significant digits: no floating noise (1.2149999999999999) in the outputs, and each mass
    // is the step rule applied to the previous mass as printed
    const rounded = (m: number) => Number(m.toPrecision(12));
    for (
      let m = rounded(scan.from);
      m <= scan.to + 1e-12 * Math.abs(scan.to);
      m = rounded(m + (scan.step * sigmaAt(spec, m)) / step(spec, m))
    ) {
      masses.push(m);
      if (masses.length > 1e6) throw new BumpscanError("scan: more than a million mass points; check scan.step");
    }
  }
  return masses.map((mass, index) => {
    const layout = layoutAt(spec, mass);
    const sigma = layout.sigma;
    const point: GridPoint = { index, mass, sigma, range: layout.samples[0]?.range ?? [lo, hi], layout };
    if (layout.skipped) point.skipped = layout.skipped;
    // every mass function must have a value here: a table that ends inside the grid is the spec's error
    else buildModel(spec, { mass, nEvents: layout.samples.map(() => 1), layout });
    return point;
  });
}

/** |d peak/dm|, refusing a mapping that stands still (the grid would never advance). */
function step(spec: Spec, m: number): number {
  const slope = peakSlope(spec, m);
  if (!(slope > 0) || !Number.isFinite(slope))
    throw new BumpscanError(`signal.peak: d peak/dm at mass ${m} is ${slope}; the scan cannot step through it`);
  return slope;
}

/**
 * The mass points of a whole scan: the spec's grid, or with regions each region's grid in turn,
 * numbered on across them (the index keys a point's random streams and its shard).
 * @example
 * import { scanGrid } from "bumpscan/scan";
 * import { parseSpec } from "bumpscan";
 * const spec = parseSpec({ observable: { range: [0, 10] }, signal: { shape: "gaussian", sigma: 0.5 },
 *   background: { shape: "expPoly", order: 1 }, scan: { step: 2 },
 *   regions: [{ name: "a", scan: { from: 1, to: 3 } }, { name: "b", scan: { from: 6, to: 8 } }] });
 * scanGrid(spec).map((p) => `${p.region}${p.index}@${p.mass}`); // => ["a0@1", "a1@2", "a2@3", "b3@6", "b4@7", "b5@8"]
 */
export function scanGrid(spec: Spec): GridPoint[] {
  if (!spec.regions) return massGrid(spec);
  const out: GridPoint[] = [];
  for (const name of regionNames(spec))
    for (const g of massGrid(regionSpec(spec, name))) out.push({ ...g, index: out.length, region: name });
  return out;
}
