/**
 * A scan's result: its points in grid order, the global significance of its largest excess, and
 * what was run (spec, method, CL, shard). `runScan` builds it, and `merge` from shards.
 */
import type { Spec } from "../model/spec.js";
import { type GlobalSignificance, grossVitells } from "./global.js";
import type { PointResult, ScanOptions } from "./point.js";

/** The global significance from background-only toy scans (`leeToys`). */
export interface LeeToys {
  toys: number;
  /** Fraction of toy scans whose largest local Z reaches the observed one, and its binomial error. */
  globalP: number;
  globalPError: number;
  /** The global Z; when no toy scan reached the observed maximum, its lower bound Φ⁻¹(1 − 1/toys). */
  globalZ: number;
  /** True when globalZ is only a lower bound (globalP is then below 1/toys). */
  globalZIsLowerBound: boolean;
  /** Mean number of up-crossings of q0 above c0 per toy scan (Gross–Vitells' ⟨N(c0)⟩). */
  meanUpcrossings: number;
  /** The largest local Z of every toy scan, in toy order. */
  maxZ: number[];
}

export interface ScanResult extends GlobalSignificance {
  spec: Spec;
  method: ScanOptions["method"];
  cl: number;
  points: PointResult[];
  /** Present when this is one shard of a larger scan: "k/N". */
  shard?: string;
  lee?: LeeToys;
  /** Present when the scan was stopped early (`partialOnAbort`): only the points done are in `points`. */
  partial?: true;
  /** Events given outside the observable range (not used). */
  eventsOutside?: number;
}

/** The scan result of a set of points (also what `merge` builds from shards). */
export function assemble(
  spec: Spec,
  options: Pick<ScanOptions, "method" | "cl">,
  points: PointResult[],
  shard?: string,
): ScanResult {
  const sorted = [...points].sort((a, b) => a.index - b.index);
  const result: ScanResult = { spec, method: options.method, cl: options.cl, points: sorted, ...grossVitells(sorted) };
  if (shard) result.shard = shard;
  return result;
}
