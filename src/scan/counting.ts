/**
 * A counting search's table (the one a paper shows): per window the observed count, the expected
 * background ± its uncertainty, and the Bayesian and CLs limits side by side. It is two scans of
 * the same grid, one per method, joined point by point; each point's counts come from its model.
 */
import { BumpscanError } from "../errors.js";
import type { LimitResult } from "../infer/limits.js";
import { type CountingSummary, countingModel } from "../model/counting.js";
import { regionSpec } from "../model/regions.js";
import { buildModel, type Spec } from "../model/spec.js";
import { scanGrid } from "./grid.js";
import type { PointResult } from "./point.js";
import { type Progress, type RegionEvents, runScan, type ScanEvents, type ScanResult } from "./scan.js";
import type { WorkerPool } from "./pool.js";

/** One limit in the table, with its expected band under the background-only hypothesis. */
export interface CountingLimit {
  observed: number;
  /** The observed limit's toy error (CLs with toys). */
  observedError?: number;
  expected?: LimitResult["expected"];
  /** With `interpret`: the same on the coupling. */
  coupling?: { observed: number; expected?: LimitResult["expected"] };
}

/** One window of a counting search. */
export interface CountingRow {
  index: number;
  mass: number;
  region?: string;
  /** "converged" when both limits were computed; else the first failure (or "skipped"). */
  status: string;
  reason?: string;
  counting?: CountingSummary;
  bayes?: CountingLimit;
  cls?: CountingLimit;
}

export interface CountingTable {
  spec: Spec;
  cl: number;
  /** The Bayesian limits: flat prior on the POI ≥ 0; nuisances integrated out unless profiled. */
  bayes: { nuisances: "marginalised" | "profiled"; expectedToys: number };
  /** The CLs limits: with toys (their number per POI value) or asymptotic. */
  cls: { method: "toys" | "asymptotic"; toys?: number };
  seed?: number;
  rows: CountingRow[];
  /** Present when the run was stopped: only the rows done are complete. */
  partial?: true;
}

export interface CountingScanOptions {
  cl?: number;
  /** The CLs method: "toys" (default: exact for low counts up to toy errors) or "asymptotic". */
  cls?: "toys" | "asymptotic";
  /** CLs toys per POI value. */
  toys?: number;
  seed?: number;
  /** Profile the nuisances in the Bayesian limit instead of integrating them out. */
  profile?: boolean;
  /** Background-only pseudo-experiments per window behind the Bayesian expected band (0: none). */
  expectedToys?: number;
  pool?: WorkerPool;
  /** Progress of each of the two scans in turn (`method` "bayes", then "cls"). */
  onProgress?: (p: Progress & { method: "bayes" | "cls" }) => void;
  signal?: AbortSignal;
  /** When `signal` aborts, resolve with what is done (`partial: true`) instead of rejecting. */
  partialOnAbort?: boolean;
}

/**
 * Throws unless every point of the grid that is fitted has a counting model (every component
 * uniform, no free parameter but the POI and constrained ones), naming the first mass that has not.
 */
export function checkCountingSearch(spec: Spec): void {
  for (const g of scanGrid(spec)) {
    if (g.skipped) continue;
    const rs = g.region === undefined ? spec : regionSpec(spec, g.region);
    const model = buildModel(rs, { mass: g.mass, nEvents: g.layout.samples.map(() => 1), layout: g.layout });
    const c = countingModel(model);
    if (c.reason !== undefined)
      throw new BumpscanError(
        `not a counting search at mass ${g.mass}${g.region ? ` (${g.region})` : ""}: ${c.reason}`,
      );
  }
}

/**
 * Scan a counting search with both limits: the Bayesian one (nuisances marginalised, expected band
 * from background-only pseudo-experiments) and CLs (toys by default), per window with the
 * observed count and the expected background ± its uncertainty.
 * @example
 * import { parseSpec } from "bumpscan";
 * import { countingScan } from "bumpscan/scan";
 * const spec = parseSpec({
 *   observable: { range: [0, 10] },
 *   signal: { shape: "uniform", sigma: 0.5 },
 *   background: { shape: "uniform", yield: { poly: [2] } }, // 2 events expected per window
 *   nuisances: [{ name: "bkg", lnN: 1.2, on: [{ component: "background" }] }],
 *   scan: { masses: [3, 6], window: 1 },
 * });
 * const events = Float64Array.from([2.7, 3.1, 3.2, 6.4]);
 * const table = await countingScan(spec, events, { expectedToys: 0, toys: 300 });
 * table.rows.map((r) => r.counting.observed); // => [3, 1]
 * table.rows[0].counting.backgroundError; // => [0.33, 0.40]
 */
export async function countingScan(
  spec: Spec,
  events: ScanEvents | RegionEvents,
  options: CountingScanOptions = {},
): Promise<CountingTable> {
  checkCountingSearch(spec);
  const common = {
    cl: options.cl,
    seed: options.seed,
    pool: options.pool,
    signal: options.signal,
    partialOnAbort: options.partialOnAbort,
  };
  const progress = (method: "bayes" | "cls") => (p: Progress) => options.onProgress?.({ ...p, method });
  const bayes = await runScan(spec, events, {
    ...common,
    method: "bayes",
    marginalise: !options.profile,
    expectedToys: options.expectedToys,
    onProgress: progress("bayes"),
  });
  const cls = bayes.partial
    ? undefined
    : await runScan(spec, events, {
        ...common,
        method: options.cls ?? "toys",
        toys: options.toys,
        onProgress: progress("cls"),
      });
  return countingTable(bayes, cls ?? { ...bayes, method: options.cls ?? "toys", points: [], partial: true });
}

/**
 * The counting table of two scans of one counting search over the same grid: a Bayesian one and a
 * CLs one (toys or asymptotic) — `countingScan` runs both; with a Bayesian scan already at hand,
 * only the CLs scan needs running.
 * @example
 * import { parseSpec } from "bumpscan";
 * import { countingTable, runScan } from "bumpscan/scan";
 * const spec = parseSpec({ observable: { range: [0, 10] }, signal: { shape: "uniform", sigma: 0.5 },
 *   background: { shape: "uniform", yield: { poly: [2] } }, scan: { masses: [3, 6], window: 1 } });
 * const events = Float64Array.from([2.7, 3.1, 3.2, 6.4]);
 * const bayes = await runScan(spec, events, { method: "bayes", expectedToys: 0 });
 * const cls = await runScan(spec, events, { method: "asymptotic" });
 * countingTable(bayes, cls).rows[0].counting.observed; // => 3
 */
export function countingTable(bayes: ScanResult, cls: ScanResult): CountingTable {
  if (bayes.method !== "bayes") throw new BumpscanError(`the first scan must be Bayesian (it is ${bayes.method})`);
  if (cls.method !== "toys" && cls.method !== "asymptotic")
    throw new BumpscanError(`the second scan must be a CLs scan, toys or asymptotic (it is ${cls.method})`);
  const masses = (r: ScanResult) => r.points.map((p) => `${p.index}:${p.mass}`).join();
  if (cls.cl !== bayes.cl) throw new BumpscanError(`the scans' levels differ (${bayes.cl} and ${cls.cl})`);
  if (!cls.partial && masses(bayes) !== masses(cls))
    throw new BumpscanError("the Bayesian and CLs scans must cover the same grid points");
  if (bayes.points.some((p) => p.status !== "skipped" && !p.counting))
    throw new BumpscanError("a counting table needs a counting search on unweighted events (each window's count)");
  return {
    spec: bayes.spec,
    cl: bayes.cl,
    bayes: { nuisances: bayes.nuisances ?? "profiled", expectedToys: bayes.expectedToys ?? 0 },
    cls: { method: cls.method, ...(cls.toys ? { toys: cls.toys } : {}) },
    ...(bayes.seed !== undefined || cls.seed !== undefined ? { seed: bayes.seed ?? cls.seed } : {}),
    rows: joinRows(bayes, cls.partial && cls.points.length === 0 ? undefined : cls),
    ...(bayes.partial || cls.partial ? { partial: true as const } : {}),
  };
}

/** The two scans' points, joined by grid index. */
function joinRows(bayes: ScanResult, cls: ScanResult | undefined): CountingRow[] {
  const byIndex = new Map(cls?.points.map((p) => [p.index, p]));
  return bayes.points.map((b) => {
    const c = byIndex.get(b.index);
    const failed = [b, c].find((p) => p && p.status !== "converged");
    return {
      index: b.index,
      mass: b.mass,
      ...(b.region === undefined ? {} : { region: b.region }),
      status: c === undefined && !failed ? "not run" : (failed?.status ?? "converged"),
      ...(failed?.reason ? { reason: failed.reason } : {}),
      ...(b.counting ? { counting: b.counting } : {}),
      ...limitOf("bayes", b),
      ...(c ? limitOf("cls", c) : {}),
    };
  });
}

/** A scan point's limit under the table's key for its method. */
function limitOf(key: "bayes" | "cls", p: PointResult): Partial<Record<"bayes" | "cls", CountingLimit>> {
  if (p.observed === undefined) return {};
  const lim: CountingLimit = { observed: p.observed };
  if (p.observedError !== undefined) lim.observedError = p.observedError;
  if (p.expected) lim.expected = p.expected;
  if (p.coupling) lim.coupling = p.coupling;
  return { [key]: lim };
}
