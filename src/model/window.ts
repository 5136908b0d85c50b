/**
 * The fit range at one mass: the observable range, or with a scan window the mass ± window·σ(m)
 * (σ the signal's resolution there). `scan` points, `fit`, `limit` and `plot fit` all take their
 * range from here, so a scan point can be reproduced on its own.
 */
import { BumpscanError } from "../errors.js";
import { type Resolution, resolutionAt } from "./resolution.js";
import type { Spec } from "./spec.js";

/** The signal's resolution description (σ, or σL for a double-sided Crystal Ball). */
export function resolutionOf(spec: Spec): Resolution {
  const s = spec.signal;
  const r = s.sigma ?? s.sigmaL;
  if (r === undefined) throw new BumpscanError(`the scan needs the signal's resolution: signal.sigma`);
  return r;
}

/**
 * The fit range at `mass` with a window of `window` resolutions (default: the spec's
 * scan.window; `false` or none: the observable range). Throws where the window leaves the range.
 * @example
 * import { fitRange, parseSpec } from "bumpscan/model";
 * const spec = parseSpec({ observable: { range: [0, 10] }, signal: { shape: "gaussian", sigma: 0.05 },
 *   background: { shape: "expPoly", order: 2 }, scan: { window: 10 } });
 * fitRange(spec, 4.2); // => [3.7, 4.7]
 */
export function fitRange(
  spec: Spec,
  mass: number,
  window: number | false | undefined = spec.scan?.window,
): [number, number] {
  const [lo, hi] = spec.observable.range;
  if (window === false || window === undefined) return [lo, hi];
  if (!(window > 0) || !Number.isFinite(window))
    throw new BumpscanError(`the window must be a positive number of resolutions (got ${window})`);
  const w = window * resolutionAt(resolutionOf(spec), mass);
  if (mass - w < lo || mass + w > hi) {
    throw new BumpscanError(
      `the window m ± ${window}σ = [${(mass - w).toPrecision(6)}, ${(mass + w).toPrecision(6)}] leaves the range ` +
        `[${lo}, ${hi}]`,
    );
  }
  return [mass - w, mass + w];
}
