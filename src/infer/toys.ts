/**
 * Toy-based CLs (Read 2002; Junk 1999; the LHC convention): nuisances profiled on data; s+b toys
 * generated at (μ, θ̂̂(μ)), background-only toys at (0, θ̂̂(0)); each toy is generated and fitted
 * twice inside WASM (assembly/toys.ts). CLs+b = P(q̃μ ≥ q̃μ,obs | s+b), CLb = P(q̃μ ≥ q̃μ,obs | b),
 * with binomial errors; the expected band comes from the quantiles of the background-only q̃μ.
 * Toys run on a grid of POI values spaced a quarter of the POI's error (filled lazily, where the
 * limit searches look), and CLs is interpolated linearly between grid points: the observed and
 * expected searches share their toys, and the interpolated curve has exact roots.
 * Every toy's random numbers derive from (seed, mass index, hypothesis, grid index, toy index), so
 * any split of the toys over batches or workers gives the same toys.
 */
import { normalCdf } from "../core/normal.js";
import type { CompiledModel } from "../core/compile.js";
import { BumpscanError } from "../errors.js";
import type { ToyExecutor } from "./executor.js";
import { nextTurn, type OnProgress } from "./progress.js";
import { knots, panelEdges, peaks } from "./asimov.js";
import { AsymptoticCalculator } from "./asymptotic.js";
import { type LimitResult, upperLimit } from "./limits.js";
import type { Calculator, CLsValues, Statistic } from "./calculator.js";
import type { FitResult } from "./fit.js";
import { ProfileCache } from "./profile.js";
import { qmuTilde } from "./test-statistics.js";
import { joinBatches, type ToyBatch, type ToyRequest, ToyRunner, type ToyRunnerConfig } from "./toy-runner.js";
import { TOY_HYPOTHESIS_B, TOY_HYPOTHESIS_SB } from "../core/abi.js";

/** s+b toys per POI value when none are given. */
export const DEFAULT_TOYS = 2000;
/** The user seed when none is given (toy limits and LEE toy scans). */
export const DEFAULT_SEED = 1;

export interface ToyOptions {
  /** s+b toys per POI value (default 2000). */
  toys?: number;
  /** Background-only toys (default twice `toys`). */
  backgroundToys?: number;
  /** User seed (default 1). */
  seed?: number;
  /** Index of the mass hypothesis in a scan (keys the random streams; default 0). */
  massIndex?: number;
  /** Call limit of each toy fit (default 500). */
  maxCalls?: number;
  /** Run the toys on these workers instead of the calling thread. */
  pool?: ToyExecutor;
  /** Toys generated and fitted so far (their total is not known in advance). */
  onProgress?: OnProgress;
}

const SB = TOY_HYPOTHESIS_SB,
  B = TOY_HYPOTHESIS_B;
/** Ties (discrete outcomes such as zero events) count as at least as extreme, within fit precision. */
const TIE = 1e-3;

type GridPoint = { sb: ToyBatch; b: ToyBatch };

/** The time one slice of toys on the calling thread runs before the event loop gets a turn. */
const SLICE_MS = 200;

/**
 * The toys of `request` on this thread, in slices of about SLICE_MS with a turn of the event loop
 * between them, so that a Ctrl-C (or any other event) is heard within a fraction of a second. The
 * same toys as one batch: every toy's stream depends on its index only.
 */
async function inSlices(runner: ToyRunner, request: ToyRequest): Promise<ToyBatch[]> {
  const parts: ToyBatch[][] = [];
  const end = request.first + request.count;
  let size = 8;
  for (let first = request.first; first < end; ) {
    const count = Math.min(size, end - first);
    const t0 = performance.now();
    parts.push(runner.runBatch({ ...request, first, count }));
    const ms = performance.now() - t0;
    first += count;
    size = Math.max(1, Math.min(4 * size, Math.round((count * SLICE_MS) / Math.max(ms, 1e-3))));
    if (first < end) await nextTurn();
  }
  return request.muTests.map((_, j) => joinBatches(parts.map((p) => p[j])));
}

/**
 * Toy-based CLs for one compiled model.
 * @example
 * import { readFileSync } from "node:fs";
 * import { parseSpec, readColumn } from "bumpscan";
 * import { compileAt, instantiateCore } from "bumpscan/core";
 * import { ToyCalculator, upperLimit } from "bumpscan/infer";
 * import { WorkerPool } from "bumpscan";
 * const spec = parseSpec(JSON.parse(readFileSync("spec.json", "utf8")), "spec.json");
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * const { cm } = compileAt(await instantiateCore(), spec, { values }, 4.2); // the reference model at 4.2
 * const pool = await WorkerPool.start(2); // the same toys, so the same limit, on any number of workers
 * const lim = await upperLimit(new ToyCalculator(cm, { toys: 300, seed: 1, pool }), { expected: false });
 * await pool.close();
 * lim.observed > 60 && lim.observed < 80; // => true
 */
export class ToyCalculator implements Calculator {
  readonly method = "toys";
  readonly free: FitResult;
  readonly background: FitResult;
  readonly scale: number;
  readonly tolerance: number;
  /** Grid spacing of the POI values where toys run. */
  readonly step: number;
  /** s+b and b-only toys per grid point; `addToys` raises both. */
  toys: number;
  backgroundToys: number;
  /** Points where the generator's envelope was exceeded (should stay 0). */
  envelopeViolations = 0;
  /** Toys generated and fitted so far (for progress). */
  private generated = 0;
  private readonly onProgress?: OnProgress;
  private readonly data: ProfileCache;
  private readonly config: ToyRunnerConfig;
  private readonly pool?: ToyExecutor;
  private runner?: ToyRunner;
  private poolReady?: Promise<void>;
  private readonly grid = new Map<number, Promise<GridPoint>>();
  private readonly done = new Map<number, GridPoint>();
  private readonly backgroundAt = new Map<number, Promise<ToyBatch>>();
  private asymptotic?: Promise<LimitResult | undefined>;
  private readonly asymptoticCalc: AsymptoticCalculator;
  /** The confidence level the guesses are for (set by the limit search through `guessFor`). */
  private guessCl = 0.9;

  /**
   * Fit the data and describe the toy engine (built on first use, here or on the pool's workers).
   * @example
   * import { readFileSync } from "node:fs";
   * import { parseSpec, readColumn } from "bumpscan";
   * import { compileAt, instantiateCore } from "bumpscan/core";
   * import { ToyCalculator } from "bumpscan/infer";
   * const spec = parseSpec(JSON.parse(readFileSync("spec.json", "utf8")), "spec.json");
   * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
   * const { cm } = compileAt(await instantiateCore(), spec, { values }, 4.2); // the reference model at 4.2
   * const calc = new ToyCalculator(cm, { toys: 500, seed: 1 });
   * const { cls } = await calc.pvalues(68.3); // 500 s+b and 1000 b-only toys at nsig = 68.3
   * cls > 0.05 && cls < 0.15; // => true
   */
  constructor(
    readonly cm: CompiledModel,
    options: ToyOptions = {},
  ) {
    const model = cm.model;
    this.toys = options.toys ?? DEFAULT_TOYS;
    this.backgroundToys = options.backgroundToys ?? 2 * this.toys;
    if (!(this.toys > 0 && this.backgroundToys > 0)) throw new BumpscanError("the number of toys must be at least 1");
    this.pool = options.pool;
    this.onProgress = options.onProgress;
    // the asymptotic calculator of the same data: the expected error σ_A sets the toys' POI grid
    // (the data's own error does not: with no event near the peak it is meaningless)
    this.asymptoticCalc = new AsymptoticCalculator(cm);
    this.free = this.asymptoticCalc.free;
    this.background = this.asymptoticCalc.background;
    this.data = new ProfileCache(cm, this.free);
    this.scale = this.asymptoticCalc.scale;
    this.step = this.scale / 4;
    this.tolerance = 1e-6 * this.scale; // the interpolated curve is deterministic: its roots can be located precisely
    this.config = {
      model,
      // the observed size plus a wide margin (a toy beyond it counts as a failed toy)
      capacity: cm.eventCounts.map((n) => Math.ceil(2 * n + 10 * Math.sqrt(n + this.scale) + 4 * this.scale + 200)),
      grids: model.samples.map((s, k) => panelEdges(s.range, peaks(model, k), 400, 4, s.exclude, knots(model, k))),
      seed: options.seed ?? DEFAULT_SEED,
      massIndex: options.massIndex ?? 0,
      maxCalls: options.maxCalls ?? 500,
      poiStart: 0.5 * this.scale,
    };
  }

  /**
   * Run toys first … first+count−1 of one stream, here or on the pool (same toys either way), each
   * generated at `gen`, fitted free once and tested at every value of muTests.
   */
  async runMany(gen: Record<string, number>, run: Omit<ToyRequest, "gen">): Promise<ToyBatch[]> {
    const request: ToyRequest = { ...run, gen: this.cm.names.map((name) => gen[name]) };
    let batches: ToyBatch[];
    if (this.pool) {
      this.poolReady ??= this.pool.configureToys(this.config);
      await this.poolReady;
      batches = await this.pool.runBatch(request);
    } else {
      this.runner ??= new ToyRunner(this.cm.core, this.config);
      batches = await inSlices(this.runner, request);
    }
    for (const b of batches) this.envelopeViolations += b.violations;
    this.generated += run.count;
    this.onProgress?.(this.generated, undefined, "toys");
    return batches;
  }

  /**
   * One stream's toys tested at one POI value: toys first … first+n−1 of the stream (hypothesis,
   * grid) generated at `gen`; mode 0 tests q̃μ, mode 1 q0.
   */
  async runBatch(
    gen: Record<string, number>,
    hypothesis: number,
    grid: number,
    muTest: number,
    first: number,
    n: number,
    mode = 0,
  ): Promise<ToyBatch> {
    const statistic = mode === 0 ? "qmu" : "q0";
    return (await this.runMany(gen, { hypothesis, grid, muTests: [muTest], first, count: n, statistic }))[0];
  }

  /**
   * The b-only toys tested at grid point k. They are the same events at every k (stream 0): one
   * generation and one free fit serve a block of neighbouring grid points at once.
   */
  private backgroundToysAt(k: number): Promise<ToyBatch> {
    const hit = this.backgroundAt.get(k);
    if (hit) return hit;
    const block = [k - 2, k - 1, k, k + 1, k + 2].filter((j) => j >= 1 && !this.backgroundAt.has(j));
    const muTests = block.map((j) => j * this.step);
    const batches = this.runMany(this.background.values, {
      hypothesis: B,
      grid: 0,
      muTests,
      first: 0,
      count: this.backgroundToys,
      statistic: "qmu",
    });
    block.forEach((j, i) =>
      this.backgroundAt.set(
        j,
        batches.then((b) => b[i]),
      ),
    );
    return this.backgroundAt.get(k)!;
  }

  /** The s+b and b-only toys at grid point k (POI = k·step): k keys the s+b streams. */
  toysAt(k: number): Promise<GridPoint> {
    let point = this.grid.get(k);
    if (!point) {
      const mu = k * this.step;
      point = (async () => {
        const sb = await this.runBatch(this.data.at(mu).values, SB, k, mu, 0, this.toys);
        const b = await this.backgroundToysAt(k);
        const p = { sb, b };
        this.done.set(k, p);
        return p;
      })();
      this.grid.set(k, point);
    }
    return point;
  }

  /** Aim the guesses at another confidence level (default 0.9). */
  guessFor(cl: number): this {
    if (cl !== this.guessCl) (this.guessCl = cl), (this.asymptotic = undefined);
    return this;
  }

  /**
   * The asymptotic limit of the same data: where the toys' crossing is to be looked for. Where
   * asymptotics have nothing to say (e.g. no expected background at all) there is no guess, and
   * the search brackets from the POI's error instead.
   */
  async guess(band?: number): Promise<number> {
    this.asymptotic ??= (async () => {
      try {
        return await upperLimit(this.asymptoticCalc, { cl: this.guessCl });
      } catch {
        return undefined;
      }
    })();
    const a = await this.asymptotic;
    if (!a) return NaN;
    return band === undefined ? a.observed : a.expected[String(band) as "0"];
  }

  /**
   * Raise the toys per grid point by `factor`: every grid point already run gets toys n … factor·n−1
   * of its own streams appended (the first n are the same toys), so a limit computed again sees
   * factor times the statistics.
   */
  async addToys(factor: number): Promise<void> {
    const [sbFrom, bFrom] = [this.toys, this.backgroundToys];
    this.toys = Math.round(this.toys * factor);
    this.backgroundToys = Math.round(this.backgroundToys * factor);
    const points = [...this.done.keys()].sort((a, b) => a - b);
    const muTests = points.map((k) => k * this.step);
    const more = await this.runMany(this.background.values, {
      hypothesis: B,
      grid: 0,
      muTests,
      first: bFrom,
      count: this.backgroundToys - bFrom,
      statistic: "qmu",
    });
    for (const [i, k] of points.entries()) {
      const old = this.done.get(k)!;
      const mu = k * this.step;
      const sb = joinBatches([
        old.sb,
        await this.runBatch(this.data.at(mu).values, SB, k, mu, sbFrom, this.toys - sbFrom),
      ]);
      const b = joinBatches([old.b, more[i]]);
      const point = { sb, b };
      this.done.set(k, point);
      this.grid.set(k, Promise.resolve(point));
      this.backgroundAt.set(k, Promise.resolve(b));
    }
    // grid points with b-only toys but no s+b toys yet start again at the new count
    for (const k of [...this.backgroundAt.keys()]) if (!this.done.has(k)) this.backgroundAt.delete(k);
  }

  /** Observed q̃μ. */
  qObserved(mu: number): number {
    const poi = this.cm.model.poi;
    return qmuTilde(
      mu,
      { nll: this.free.nll, muHat: this.free.values[poi] },
      this.data.at(mu).nll,
      this.background.nll,
    );
  }

  /** Linear interpolation of a per-grid-point quantity between the grid points around mu. */
  private async interpolate<T extends Record<string, number>>(
    mu: number,
    at: (k: number) => Promise<T>,
    atZero: T,
  ): Promise<T> {
    const x = mu / this.step;
    const k = Math.floor(x);
    const a = k === 0 ? atZero : await at(k);
    if (x === k) return a;
    const b = await at(k + 1);
    const w = x - k;
    return Object.fromEntries(Object.keys(a).map((key) => [key, (1 - w) * a[key] + w * b[key]])) as T;
  }

  async pvalues(mu: number): Promise<CLsValues> {
    if (mu <= 0) return { mu, q: 0, clsb: 1, clb: 1, cls: 1, clsError: 0 };
    const at = async (k: number) => {
      const q = this.qObserved(k * this.step);
      const { sb, b } = await this.toysAt(k);
      return { q, ...clsFrom(sb.q, b.q, q) };
    };
    return { mu, ...(await this.interpolate(mu, at, { q: 0, clsb: 1, clb: 1, cls: 1, clsError: 0 })) };
  }

  /** Expected CLs (or CLs+b) at mu: the observed one for the b-only toys' quantile of band N. */
  async expectedCls(mu: number, band: number, statistic: Statistic = "cls"): Promise<number> {
    if (mu <= 0) return 1;
    const at = async (k: number) => {
      const { sb, b } = await this.toysAt(k);
      const qN = quantile(Float64Array.from(b.q).sort(), normalCdf(-band));
      return { value: clsFrom(sb.q, b.q, qN)[statistic] };
    };
    return (await this.interpolate(mu, at, { value: 1 })).value;
  }

  /** Toy counts over every grid point run: s+b, b-only, failed fits. */
  counts(): { sb: number; b: number; failed: number } {
    let sb = 0,
      b = 0,
      failed = 0;
    for (const p of this.done.values()) {
      sb += p.sb.q.length;
      b += p.b.q.length;
      failed += p.sb.failed + p.b.failed;
    }
    return { sb, b, failed };
  }

  dispose(): void {
    this.runner?.dispose();
    this.asymptoticCalc.dispose();
  }
}

/** CLs+b, CLb, CLs and the binomial error of CLs for an observed statistic q. */
function clsFrom(
  sb: Float64Array,
  b: Float64Array,
  q: number,
): { clsb: number; clb: number; cls: number; clsError: number } {
  if (sb.length === 0 || b.length === 0) throw new BumpscanError("every toy fit failed: no CLs can be computed");
  const cut = q - TIE * (1 + q);
  const clsb = sb.filter((x) => x >= cut).length / sb.length;
  const clb = b.filter((x) => x >= cut).length / b.length;
  const cls = clb > 0 ? clsb / clb : 1;
  const relSb = clsb > 0 ? Math.sqrt((clsb * (1 - clsb)) / sb.length) / clsb : 0;
  const relB = clb > 0 ? Math.sqrt((clb * (1 - clb)) / b.length) / clb : 0;
  // with no s+b toy beyond q, the error is that of one toy
  const clsError = clsb > 0 ? cls * Math.hypot(relSb, relB) : 1 / sb.length / Math.max(clb, 1e-300);
  return { clsb, clb, cls, clsError };
}

/** Linear-interpolated quantile of sorted values. */
function quantile(sorted: Float64Array, p: number): number {
  const x = p * (sorted.length - 1);
  const i = Math.floor(x);
  return i + 1 < sorted.length ? sorted[i] + (x - i) * (sorted[i + 1] - sorted[i]) : sorted[sorted.length - 1];
}
