/**
 * A scan's result: its points in grid order, the global significance of its largest excess, and
 * what was run (spec, method, CL, shard). `runScan` builds it, and `merge` from shards.
 */
import type { Spec } from "../model/spec.js";
import { type GlobalSignificance, grossVitells, zFromLogP } from "./global.js";
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

/**
 * One shard's share of the background-only toy scans (`--lee-toys` with `--shard k/N`: the toy
 * scans with index t ≡ k − 1 mod N, each over the whole grid). `merge` joins the shares and
 * computes `lee` from them, exactly as one run does.
 */
export interface LeeToyShard {
  /** Toy scans in the whole run (all shards). */
  toys: number;
  /** This shard's toy indices (from 0), each toy scan's largest local Z and its up-crossings of q0 above c0. */
  index: number[];
  maxZ: number[];
  upcrossings: number[];
}

export interface ScanResult extends GlobalSignificance {
  spec: Spec;
  method: ScanOptions["method"];
  cl: number;
  /** The seed, present when the result depends on it (toy limits, LEE toy scans). */
  seed?: number;
  /** s+b toys per POI value, present for toy limits. */
  toys?: number;
  /** Bayesian: background-only pseudo-experiments per point behind the expected band. */
  expectedToys?: number;
  /** What the limits are in, where not the POI (a converted result: inUnits). */
  units?: "poi" | "events" | "coupling";
  /** Bayesian: "marginalised" when the nuisances were integrated out (else profiled). */
  nuisances?: "marginalised";
  points: PointResult[];
  /** Present when this is one shard of a larger scan: "k/N". */
  shard?: string;
  lee?: LeeToys;
  /** A shard's share of the LEE toy scans (in place of `lee`, which needs every toy scan). */
  leeShard?: LeeToyShard;
  /** Present when the scan was stopped early (`partialOnAbort`): only the points done are in `points`. */
  partial?: true;
  /** Events given outside the observable range (not used). */
  eventsOutside?: number;
}

/**
 * The scan result of a set of points (also what `merge` builds from shards). `seed` and `toys`
 * are recorded when given (the run's record: pass them only where the result depends on them).
 * @example
 * import { readFileSync } from "node:fs";
 * import { parseSpec, readColumn, scan } from "bumpscan";
 * const spec = parseSpec({ ...JSON.parse(readFileSync("spec.json", "utf8")), scan: { from: 4, to: 4.4, step: 2 } });
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * const result = await scan(spec, values);
 * import { assemble } from "bumpscan/scan";
 * const again = assemble(result.spec, { method: "asymptotic", cl: 0.9 }, [...result.points].reverse());
 * JSON.stringify(again.points) === JSON.stringify(result.points); // => true
 */
export function assemble(
  spec: Spec,
  options: Pick<ScanOptions, "method" | "cl" | "seed" | "toys" | "expectedToys"> & { nuisances?: "marginalised" },
  points: PointResult[],
  shard?: string,
): ScanResult {
  const sorted = [...points].sort((a, b) => a.index - b.index);
  const result: ScanResult = {
    spec,
    method: options.method,
    cl: options.cl,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.toys !== undefined ? { toys: options.toys } : {}),
    ...(options.expectedToys ? { expectedToys: options.expectedToys } : {}),
    ...(options.nuisances ? { nuisances: options.nuisances } : {}),
    points: sorted,
    ...grossVitells(sorted),
  };
  if (shard) result.shard = shard;
  return result;
}

/**
 * The global significance from every toy scan's largest local Z and up-crossings (in toy order):
 * the fraction of toy scans reaching the observed maximum `zObs`. One run and `merge` both call it.
 */
export function leeFromToys(maxZ: number[], upcrossings: number[], zObs: number): LeeToys {
  const n = maxZ.length;
  const k = maxZ.filter((z) => z >= zObs).length;
  const p = k / n;
  let crossings = 0;
  for (const c of upcrossings) crossings += c;
  return {
    toys: n,
    globalP: p,
    globalPError: Math.sqrt(Math.max(p * (1 - p), 1 / n) / n),
    globalZ: zFromLogP(Math.log(Math.max(p, 1 / n))),
    globalZIsLowerBound: k === 0,
    meanUpcrossings: crossings / n,
    maxZ,
  };
}

/**
 * The points a plot shows: every point, or with regions that overlap in mass, at each mass of an
 * overlap only the region with the better (lower) expected limit there; sorted by mass.
 * @example
 * import { shownPoints } from "bumpscan/scan";
 * const at = (region, mass, median) => ({ index: 0, mass, status: "converged", region, expected: { "0": median } });
 * const points = [at("low", 1, 5), at("low", 2, 5), at("high", 2, 3), at("high", 3, 3)];
 * shownPoints(points).map((p) => p.region); // => ["low", "high", "high"]
 */
export function shownPoints(points: PointResult[]): PointResult[] {
  const regions = [...new Set(points.map((p) => p.region))];
  if (regions.length < 2) return points;
  const median = (p: PointResult) => p.expected?.["0"] ?? p.observed ?? Number.POSITIVE_INFINITY;
  const byRegion = new Map(regions.map((r) => [r, points.filter((p) => p.region === r && p.status !== "skipped")]));
  const nearest = (list: PointResult[], m: number) =>
    list.reduce<PointResult | undefined>(
      (b, p) => (!b || Math.abs(p.mass - m) < Math.abs(b.mass - m) ? p : b),
      undefined,
    );
  const kept = points.filter((p) => {
    for (const [r, list] of byRegion) {
      if (r === p.region || list.length === 0) continue;
      const [lo, hi] = [list[0].mass, list[list.length - 1].mass];
      if (p.mass < lo || p.mass > hi) continue;
      const other = nearest(list, p.mass)!;
      if (median(other) < median(p)) return false;
    }
    return true;
  });
  return [...kept].sort((a, b) => a.mass - b.mass);
}
