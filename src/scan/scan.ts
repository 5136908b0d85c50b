/**
 * A mass scan: the grid, one task per mass point (here, or spread over a worker pool), the
 * per-point fits and limits, and the global significance. Every point's numbers depend only on
 * the spec, the events and the point's index, so any number of workers, and any sharding, gives
 * the same results.
 */
import { BumpscanError } from "../errors.js";
import { Spec } from "../model/spec.js";
import { instantiateCore } from "../core/wasm.js";
import { compileAt } from "../analysis.js";
import { fit } from "../infer/fit.js";
import { grossVitells, GlobalSignificance } from "./global.js";
import { GridPoint, massGrid } from "./grid.js";
import { PointResult, ScanOptions, ScanWorkspace } from "./point.js";
import type { WorkerPool } from "./pool.js";

export interface ScanResult extends GlobalSignificance {
  spec: Spec;
  method: ScanOptions["method"];
  cl: number;
  points: PointResult[];
  /** Present when this is one shard of a larger scan: "k/N". */
  shard?: string;
}

export interface Progress {
  done: number;
  total: number;
  /** Estimated milliseconds to go. */
  etaMs: number;
}

export interface RunScanOptions extends Partial<ScanOptions> {
  pool?: WorkerPool;
  /** Run only the points with index ≡ k − 1 (mod N): shard k of N. */
  shard?: { k: number; n: number };
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

/**
 * Scan the spec's mass grid over the events.
 * @example
 * const result = await runScan(spec, events, { method: "asymptotic", pool });
 * result.points.length, result.maxLocalZ, result.globalZ;
 */
export async function runScan(spec: Spec, events: Float64Array | Float64Array[], options: RunScanOptions = {}): Promise<ScanResult> {
  const scanOptions: ScanOptions = {
    method: options.method ?? spec.limit?.method ?? "asymptotic",
    cl: options.cl ?? spec.limit?.cl ?? 0.9,
    toys: options.toys ?? spec.limit?.toys,
    seed: options.seed ?? spec.limit?.seed,
  };
  const grid = massGrid(spec);
  const { shard } = options;
  if (shard && !(Number.isInteger(shard.k) && Number.isInteger(shard.n) && shard.k >= 1 && shard.k <= shard.n)) {
    throw new BumpscanError(`shard must be k/N with 1 ≤ k ≤ N (got ${shard.k}/${shard.n})`);
  }
  const mine = shard ? grid.filter((g) => g.index % shard.n === shard.k - 1) : grid;
  const sorted = (Array.isArray(events) ? events : [events]).map((e) => Float64Array.from(e).sort());
  const start = await backgroundStart(spec, sorted, grid);
  const started = performance.now();
  let done = 0;
  const report = () => {
    done++;
    const elapsed = performance.now() - started;
    options.onProgress?.({ done, total: mine.length, etaMs: (elapsed / done) * (mine.length - done) });
  };
  const points = options.pool
    ? await options.pool.runScan(spec, sorted, mine, scanOptions, report, options.signal, start)
    : await serial(spec, sorted, mine, scanOptions, report, options.signal, start);
  return assemble(spec, scanOptions, points, shard ? `${shard.k}/${shard.n}` : undefined);
}

/**
 * The background-only fit to all events, once per scan: every full-range point starts its fits
 * from it. It depends on nothing but the spec and the events, so every worker and shard gets the
 * same start values.
 */
async function backgroundStart(spec: Spec, sorted: Float64Array[], grid: GridPoint[]): Promise<Record<string, number> | undefined> {
  const first = grid.find((g) => !g.skipped);
  if (!first || spec.scan?.window !== undefined || sorted.some((s) => s.length === 0)) return undefined;
  const core = await instantiateCore();
  try {
    const { cm } = compileAt(core, spec, sorted.map((values) => ({ values })), first.mass);
    const b = fit(cm, { fixed: { [cm.model.poi]: 0 }, hesse: false });
    return b.status === "converged" ? b.values : undefined;
  } catch {
    return undefined; // the points will report what is wrong
  }
}

async function serial(spec: Spec, sorted: Float64Array[], points: GridPoint[], options: ScanOptions, done: () => void, signal?: AbortSignal, start?: Record<string, number>): Promise<PointResult[]> {
  const workspace = new ScanWorkspace(await instantiateCore(), spec, sorted, start);
  const out: PointResult[] = [];
  for (const g of points) {
    if (signal?.aborted) throw new BumpscanError("scan cancelled");
    out.push(await workspace.point(g, options));
    done();
  }
  return out;
}

/** The scan result of a set of points (also what `merge` builds from shards). */
export function assemble(spec: Spec, options: Pick<ScanOptions, "method" | "cl">, points: PointResult[], shard?: string): ScanResult {
  const sorted = [...points].sort((a, b) => a.index - b.index);
  const result: ScanResult = { spec, method: options.method, cl: options.cl, points: sorted, ...grossVitells(sorted) };
  if (shard) result.shard = shard;
  return result;
}

/**
 * Join the results of the shards of one scan into exactly what one run gives.
 * @example
 * const whole = mergeScans([shard1, shard2, shard3]);
 */
export function mergeScans(parts: ScanResult[]): ScanResult {
  if (parts.length === 0) throw new BumpscanError("merge: no scan results given");
  const first = parts[0];
  const key = JSON.stringify([first.spec, first.method, first.cl]);
  for (const p of parts) {
    if (JSON.stringify([p.spec, p.method, p.cl]) !== key) throw new BumpscanError("merge: the results come from different specs or methods");
  }
  const byIndex = new Map<number, PointResult>();
  for (const p of parts) for (const point of p.points) {
    if (byIndex.has(point.index)) throw new BumpscanError(`merge: mass point ${point.index} (m = ${point.mass}) appears twice`);
    byIndex.set(point.index, point);
  }
  const expected = massGrid(first.spec).length;
  if (byIndex.size !== expected) throw new BumpscanError(`merge: ${byIndex.size} of the scan's ${expected} mass points present; a shard is missing`);
  return assemble(first.spec, first, [...byIndex.values()]);
}
