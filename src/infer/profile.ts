/**
 * Conditional fits (POI fixed) of one compiled model, memoised by POI value and each warm-started
 * from the nearest converged one: limit searches revisit and step between nearby values.
 */
import type { CompiledModel } from "../core/compile.js";
import { fit, type FitResult } from "./fit.js";

/**
 * Memoised conditional fits of one compiled model.
 */
export class ProfileCache {
  private readonly fits = new Map<number, FitResult>();

  /**
   * `slot` (0 or 1) lets the cache's fits share their minimizer metric (see FitOptions.metricSlot).
   */
  constructor(
    private readonly cm: CompiledModel,
    private readonly seed: FitResult,
    private readonly slot?: number,
  ) {}

  /** The conditional fit at POI = mu (no HESSE). */
  at(mu: number): FitResult {
    const hit = this.fits.get(mu);
    if (hit) return hit;
    let start = this.seed;
    let best = Infinity;
    for (const [m, f] of this.fits)
      if (Math.abs(m - mu) < best && f.status === "converged") (best = Math.abs(m - mu)), (start = f);
    const r = fit(this.cm, { fixed: { [this.cm.model.poi]: mu }, start, hesse: false, metricSlot: this.slot });
    this.fits.set(mu, r);
    return r;
  }
}
