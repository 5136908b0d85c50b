/**
 * A mass scan: the grid, one task per mass point (here, or spread over a worker pool), the
 * per-point fits and limits, and the global significance. Every point's numbers depend only on
 * the spec, the events and the point's index, so any number of workers, and any sharding, gives
 * the same results.
 */
import { BumpscanError } from "../errors.js";
import { nextTurn } from "../infer/progress.js";
import type { Spec } from "../model/spec.js";
import { instantiateCore } from "../core/wasm.js";
import { checkDataset, compileAt } from "../job/events.js";
import { DEFAULT_EXPECTED_TOYS, limitSettings } from "../job/mass-job.js";
import { fit } from "../infer/fit.js";
import { inHole, sampleRange, samplesOf } from "../model/window.js";
import { regionNames, regionSpec } from "../model/regions.js";
import { type LeeJob, LeeScanner, type ToyScan } from "./lee-toys.js";
import { type GridPoint, scanGrid } from "./grid.js";
import { type PointResult, type ScanOptions, ScanWorkspace } from "./point.js";
import type { WorkerPool } from "./pool.js";
import { assemble, leeFromToys, type ScanResult } from "./result.js";

export { assemble };
export type { LeeToys, LeeToyShard, ScanResult } from "./result.js";
import type { Dataset } from "../core/compile.js";
import { isWeighted, nllScales } from "../infer/weights.js";
import { DEFAULT_SEED, DEFAULT_TOYS } from "../infer/toys.js";

/** A scan's events: one array (or dataset with weights) per sample, or one for a one-sample spec. */
export type ScanEvents = Float64Array | Float64Array[] | Dataset | Dataset[];

/** A scan over regions: each region's events under its name. */
export type RegionEvents = Record<string, ScanEvents>;

/**
 * Each sample's events inside its range and outside its vetoes, sorted (weights follow their
 * events), and how many were not. Throws on weights of the wrong length or values that are not finite.
 */
export function sortedInRange(spec: Spec, events: ScanEvents): { sorted: Dataset[]; outside: number } {
  const list = (Array.isArray(events) ? events : [events]).map(
    (e): Dataset => (e instanceof Float64Array ? { values: e } : e),
  );
  const specs = samplesOf(spec);
  if (list.length !== specs.length) throw new BumpscanError(`${list.length} datasets for ${specs.length} samples`);
  let outside = 0;
  const sorted = list.map((d, k) => {
    checkDataset(d, list.length > 1 ? `sample ${k + 1}` : "the events");
    const { full, exclude } = sampleRange(spec, specs[k]);
    const order: number[] = [];
    d.values.forEach((x, i) => {
      if (x >= full[0] && x <= full[1] && !inHole(x, exclude)) order.push(i);
      else outside++;
    });
    if (!d.weights) return { values: Float64Array.from(order, (i) => d.values[i]).sort() };
    order.sort((a, b) => d.values[a] - d.values[b]);
    return {
      values: Float64Array.from(order, (i) => d.values[i]),
      weights: Float64Array.from(order, (i) => d.weights![i]),
    };
  });
  return { sorted, outside };
}

export interface Progress {
  done: number;
  total: number;
  /** Estimated milliseconds to go. */
  etaMs: number;
  /** "lee" while the background-only toy scans run (`done` and `total` count toy scans); else the mass points. */
  stage?: "points" | "lee";
}

export interface RunScanOptions extends Partial<ScanOptions> {
  pool?: WorkerPool;
  /** Run only the points with index ≡ k − 1 (mod N): shard k of N. */
  shard?: { k: number; n: number };
  onProgress?: (p: Progress) => void;
  /** Each mass point's result as it finishes (in completion order), e.g. for a live plot. */
  onPoint?: (p: PointResult) => void;
  /**
   * Stops the scan: no new point starts, and the call rejects with "scan cancelled". To stop the
   * points under way too, close the pool (its workers are terminated at once).
   */
  signal?: AbortSignal;
  /**
   * Background-only toy scans to check the global significance (seeded by `seed`). A shard k/N
   * runs the toy scans with index ≡ k − 1 (mod N) over the whole grid (`leeShard`); `merge` joins them.
   */
  leeToys?: number;
  /**
   * When `signal` aborts, resolve with the points done so far, marked `partial: true`, instead of
   * rejecting (the pool's workers finish the points under way first; close the pool to cut them short).
   */
  partialOnAbort?: boolean;
}

/**
 * Scan the spec's mass grid over the events.
 * @example
 * import { readFileSync } from "node:fs";
 * import { parseSpec, readColumn, scan } from "bumpscan";
 * const spec = parseSpec({ ...JSON.parse(readFileSync("spec.json", "utf8")), scan: { from: 4, to: 4.4, step: 2 } });
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * const result = await scan(spec, values);
 * result.points.length; // => 5
 * result.maxLocalZ.mass; // => 4.2
 */
export async function runScan(
  spec: Spec,
  events: ScanEvents | RegionEvents,
  options: RunScanOptions = {},
): Promise<ScanResult> {
  const none = options.method === "none" || options.method === "q0";
  const settings = limitSettings(spec, {
    method: options.method === "none" || options.method === "q0" ? undefined : options.method,
    cl: options.cl,
    toys: options.toys,
    seed: options.seed,
  });
  const bayes = !none && settings.method === "bayes";
  const scanOptions: ScanOptions = {
    method: none ? (options.method as "none" | "q0") : settings.method,
    cl: settings.cl,
    toys: settings.toys,
    seed: settings.seed,
    ...(bayes && options.marginalise ? { marginalise: true } : {}),
    ...(bayes ? { expectedToys: options.expectedToys ?? DEFAULT_EXPECTED_TOYS } : {}),
  };
  // what the result records of the run: the seed and toys where the numbers depend on them
  const toyLimits = scanOptions.method === "toys" || scanOptions.method === "fc";
  const record = {
    method: scanOptions.method,
    cl: scanOptions.cl,
    ...(toyLimits || options.leeToys || scanOptions.expectedToys ? { seed: scanOptions.seed ?? DEFAULT_SEED } : {}),
    ...(toyLimits ? { toys: scanOptions.toys ?? DEFAULT_TOYS } : {}),
    ...(scanOptions.expectedToys ? { expectedToys: scanOptions.expectedToys } : {}),
    ...(scanOptions.marginalise ? { nuisances: "marginalised" as const } : {}),
  };
  const { shard } = options;
  if (shard && !(Number.isInteger(shard.k) && Number.isInteger(shard.n) && shard.k >= 1 && shard.k <= shard.n)) {
    throw new BumpscanError(`shard must be k/N with 1 ≤ k ≤ N (got ${shard.k}/${shard.n})`);
  }
  const regions = regionRuns(spec, events);
  const total = regions.reduce((n, r) => n + r.mine(shard).length, 0);
  const weighted = regions.some((r) => isWeighted(r.sorted));
  if (weighted && toyLimits)
    throw new BumpscanError(
      `${scanOptions.method === "fc" ? "Feldman–Cousins intervals" : "toy limits"} on weighted events ` +
        "are not supported (the toys would be unweighted): scan with the asymptotic or Bayesian method",
    );
  if (weighted && options.leeToys)
    throw new BumpscanError("--lee-toys on weighted events is not supported (the toy scans would be unweighted)");
  const started = performance.now();
  let done = 0;
  const finished: PointResult[] = []; // what a stopped scan still reports
  const report = (p: PointResult) => {
    done++;
    finished.push(p);
    options.onPoint?.(p);
    const elapsed = performance.now() - started;
    options.onProgress?.({ done, total, etaMs: (elapsed / done) * (total - done) });
  };
  // toys: the points in turn, each splitting its toy batches over the workers; otherwise a point per task
  const label = shard ? `${shard.k}/${shard.n}` : undefined;
  const outside = regions.reduce((n, r) => n + r.outside, 0);
  const points: PointResult[] = [];
  let start: Record<string, number> | undefined;
  try {
    for (const r of regions) {
      start = await backgroundStart(r.spec, r.sorted, r.grid);
      const mine = r.mine(shard);
      const got = await cancellable(options.signal, () =>
        options.pool && !toyLimits
          ? options.pool.runScan(r.spec, r.sorted, mine, scanOptions, report, options.signal, start)
          : serial(r.spec, r.sorted, mine, scanOptions, report, options.signal, start, options.pool),
      );
      points.push(...got);
    }
  } catch (e) {
    if (!(options.partialOnAbort && options.signal?.aborted)) throw e;
    return {
      ...assemble(spec, record, finished, label),
      ...(outside > 0 ? { eventsOutside: outside } : {}),
      partial: true,
    };
  }
  const result = assemble(spec, record, points, label);
  if (outside > 0) result.eventsOutside = outside;
  if (options.leeToys) {
    const n = options.leeToys;
    const toys = Array.from({ length: n }, (_, t) => t).filter((t) => !shard || t % shard.n === shard.k - 1);
    try {
      const leeStart = performance.now();
      const onToy = (k: number) =>
        options.onProgress?.({
          done: k,
          total: toys.length,
          etaMs: ((performance.now() - leeStart) / k) * (toys.length - k),
          stage: "lee",
        });
      const scans = await cancellable(options.signal, async () =>
        leeToyScans(await leeJob(regions, record.seed!), toys, options.pool, options.signal, onToy),
      );
      if (shard) result.leeShard = { toys: n, index: toys, ...scans };
      else result.lee = leeFromToys(scans.maxZ, scans.upcrossings, result.maxLocalZ?.z ?? 0);
    } catch (e) {
      if (!(options.partialOnAbort && options.signal?.aborted)) throw e;
      return { ...result, partial: true }; // every point, but the toy scans unfinished
    }
  }
  return result;
}

/** One region of a scan (the whole spec when it has none): its spec, grid and events. */
interface RegionRun {
  name?: string;
  spec: Spec;
  grid: GridPoint[];
  sorted: Dataset[];
  outside: number;
  /** The grid points of shard k/N (index ≡ k − 1 mod N; indices run on across the regions). */
  mine(shard?: { k: number; n: number }): GridPoint[];
}

/** The regions of a scan with their grids (indices numbered across them) and their events. */
function regionRuns(spec: Spec, events: ScanEvents | RegionEvents): RegionRun[] {
  const all = scanGrid(spec);
  const names = spec.regions ? regionNames(spec) : [undefined];
  return names.map((name) => {
    const rs = name === undefined ? spec : regionSpec(spec, name);
    const own = name === undefined ? (events as ScanEvents) : regionEvents(events, name);
    const grid = all.filter((g) => g.region === name);
    const { sorted, outside } = sortedInRange(rs, own);
    return {
      name,
      spec: rs,
      grid,
      sorted,
      outside,
      mine: (shard) => (shard ? grid.filter((g) => g.index % shard.n === shard.k - 1) : grid),
    };
  });
}

/** A region's events out of a scan's: `{ [region]: events }`. */
function regionEvents(events: ScanEvents | RegionEvents, name: string): ScanEvents {
  const own =
    !Array.isArray(events) && !(events instanceof Float64Array) && !("values" in events) ? events[name] : undefined;
  if (own === undefined)
    throw new BumpscanError(`the scan has regions: give the events of region "${name}" under its name`);
  return own;
}

/** Once the signal has aborted, whatever went wrong (a closed pool, say) is reported as the cancel it is. */
async function cancellable<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (signal?.aborted) throw new BumpscanError("scan cancelled");
    throw e;
  }
}

/**
 * Each region's background-only fit over every sample's whole range (windows and the points' own
 * ranges aside): the model its toy spectra are drawn from.
 */
async function leeJob(regions: RegionRun[], seed: number): Promise<LeeJob> {
  const core = await instantiateCore();
  const list = regions.map((run) => {
    const first = run.grid.find((g) => !g.skipped);
    const where = run.name === undefined ? "" : ` of region ${run.name}`;
    if (!first) throw new BumpscanError(`--lee-toys: no mass point${where} is fitted`);
    const mark = core.mark();
    try {
      const scales = isWeighted(run.sorted) ? nllScales(run.sorted) : undefined;
      const { model, cm } = compileAt(core, run.spec, run.sorted, first.mass, undefined, scales);
      const b = fit(cm, { fixed: { [model.poi]: 0 }, hesse: false });
      if (b.status !== "converged")
        throw new BumpscanError(
          `--lee-toys: the background-only fit over the whole range${where} did not converge (${b.status}); ` +
            `the toy spectra are drawn from it`,
        );
      return { spec: run.spec, grid: run.grid, model, background: b.values };
    } finally {
      core.release(mark);
    }
  });
  return { regions: list, seed };
}

/**
 * The background-only toy scans `toys` (toyScan), on the pool's workers (one toy scan per task)
 * or here, in toy order whatever ran them: the fraction reaching the observed maximum is the
 * global p-value that Gross–Vitells approximates (`leeFromToys`).
 */
async function leeToyScans(
  job: LeeJob,
  toys: number[],
  pool?: WorkerPool,
  signal?: AbortSignal,
  onToy?: (done: number) => void,
): Promise<{ maxZ: number[]; upcrossings: number[] }> {
  let done = 0;
  const scans: ToyScan[] = [];
  if (pool) scans.push(...(await pool.runToyScans(job, toys, () => onToy?.(++done), signal)));
  else {
    const core = await instantiateCore();
    const mark = core.mark();
    try {
      const scanner = new LeeScanner(core, job);
      for (const t of toys) {
        await nextTurn(); // lets an abort (Ctrl-C) be heard between toy scans
        scans.push(await scanner.scan(t, () => !!signal?.aborted));
        onToy?.(++done);
      }
    } finally {
      core.release(mark);
    }
  }
  return { maxZ: scans.map((s) => s.maxZ), upcrossings: scans.map((s) => s.upcrossings) };
}

/**
 * The background-only fit to all events, once per scan: every full-range point starts its fits
 * from it. It depends on nothing but the spec and the events, so every worker and shard gets the
 * same start values.
 */
async function backgroundStart(
  spec: Spec,
  sorted: Dataset[],
  grid: GridPoint[],
): Promise<Record<string, number> | undefined> {
  const first = grid.find((g) => !g.skipped);
  if (!first || spec.scan?.window !== undefined || sorted.some((s) => s.values.length === 0)) return undefined;
  const core = await instantiateCore();
  try {
    const { cm } = compileAt(
      core,
      spec,
      sorted,
      first.mass,
      undefined,
      isWeighted(sorted) ? nllScales(sorted) : undefined,
    );
    const b = fit(cm, { fixed: { [cm.model.poi]: 0 }, hesse: false });
    return b.status === "converged" ? b.values : undefined;
  } catch {
    return undefined; // the points will report what is wrong
  }
}

async function serial(
  spec: Spec,
  sorted: Dataset[],
  points: GridPoint[],
  options: ScanOptions,
  done: (p: PointResult) => void,
  signal?: AbortSignal,
  start?: Record<string, number>,
  toyPool?: WorkerPool,
): Promise<PointResult[]> {
  const workspace = new ScanWorkspace(await instantiateCore(), spec, sorted, start);
  const out: PointResult[] = [];
  for (const g of points) {
    if (signal) await nextTurn(); // lets an abort (Ctrl-C) be heard between points: the fits never yield
    if (signal?.aborted) throw new BumpscanError("scan cancelled");
    const p = await workspace.point(g, options, toyPool);
    // a point that failed once the scan was stopped may have failed from the stop (its toy pool closed)
    if (signal?.aborted && p.status === "failed") throw new BumpscanError("scan cancelled");
    out.push(p);
    done(p);
  }
  return out;
}
