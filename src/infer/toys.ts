/**
 * Toy-based CLs (Read 2002; Junk 1999; the LHC convention): nuisances profiled on data; s+b toys
 * generated at (μ, θ̂̂(μ)), background-only toys at (0, θ̂̂(0)); each toy is generated and fitted
 * twice inside WASM (assembly/toys.ts). CLs+b = P(q̃μ ≥ q̃μ,obs | s+b), CLb = P(q̃μ ≥ q̃μ,obs | b),
 * with binomial errors; the expected band comes from the quantiles of the background-only q̃μ.
 * Toys run on a grid of POI values spaced a quarter of the POI's error (the grid is filled lazily,
 * where the limit searches look), and CLs is interpolated linearly between grid points: the
 * observed and expected searches share their toys, and the interpolated curve has exact roots.
 * Every toy's random numbers derive from (seed, mass index, hypothesis, POI index, toy index), so
 * any split of the toys over batches or workers gives the same toys.
 */
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { CompiledModel, LoadedData } from "../core/compile.js";
import { viewF64, writeF64 } from "../core/wasm.js";
import { BumpscanError } from "../errors.js";
import { SHAPES } from "../model/shapes.js";
import { panelEdges } from "./asimov.js";
import { Calculator, CLsValues } from "./calculator.js";
import { fit, FitResult } from "./fit.js";
import { ProfileCache } from "./profile.js";
import { qmuTilde } from "./test-statistics.js";

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
}

/** Test statistics of one batch of toys, failed fits removed. */
export interface ToySet {
  q: Float64Array;
  failed: number;
}

const SB = 1, B = 0;
/** Ties (discrete outcomes such as zero events) count as at least as extreme, within fit precision. */
const TIE = 1e-3;

export class ToyCalculator implements Calculator {
  readonly method = "toys";
  readonly free: FitResult;
  readonly background: FitResult;
  readonly scale: number;
  readonly tolerance: number;
  readonly toys: number;
  readonly backgroundToys: number;
  private readonly toyModel: CompiledModel;
  private readonly data: ProfileCache;
  private readonly poiIndex: number;
  private readonly seed: number;
  private readonly massIndex: number;
  private readonly maxCalls: number;
  private readonly ptr: { bounds: number; boundsFree: number; maskFree: number; maskFixed: number; gen: number };
  private readonly sets = new Map<number, { sb: ToySet; b: ToySet; index: number }>();
  /** Grid spacing of the POI values where toys run. */
  readonly step: number;
  /** Points where the generator's envelope was exceeded (should stay 0). */
  envelopeViolations = 0;

  /**
   * Fit the data, then set up a toy model over event buffers sized for any plausible toy.
   * @example
   * const calc = new ToyCalculator(cm, { toys: 2000, seed: 1 });
   * calc.pvalues(68.3); // { cls: ≈ 0.097 ± 0.007, … } on bump-1e4
   */
  constructor(readonly cm: CompiledModel, options: ToyOptions = {}) {
    const model = cm.model;
    const poi = model.poi;
    this.toys = options.toys ?? 2000;
    this.backgroundToys = options.backgroundToys ?? 2 * this.toys;
    this.seed = options.seed ?? 1;
    this.massIndex = options.massIndex ?? 0;
    this.maxCalls = options.maxCalls ?? 500;
    if (!(this.toys > 0 && this.backgroundToys > 0)) throw new BumpscanError("the number of toys must be at least 1");
    this.free = fit(cm);
    this.background = fit(cm, { fixed: { [poi]: 0 }, start: this.free, hesse: false });
    this.data = new ProfileCache(cm, this.free);
    const err = this.free.errors[poi];
    this.scale = Number.isFinite(err) && err > 0 ? err : Math.max(1, Math.sqrt(Math.abs(this.free.values[poi]) + 1));
    this.step = this.scale / 4;
    // the interpolated curve is deterministic: its roots can be located precisely
    this.tolerance = 1e-6 * this.scale;
    this.poiIndex = cm.names.indexOf(poi);
    const core = cm.core;
    // event buffers: the observed size plus a wide margin (a toy beyond it is counted as failed)
    const observed = cm.model.samples.map((_, k) => this.observedEvents(k));
    const loaded: LoadedData = {
      ptrs: observed.map((n) => {
        const cap = Math.ceil(2 * n + 10 * Math.sqrt(n + this.scale) + 4 * this.scale + 200);
        return { data: writeF64(core, new Float64Array(cap)), weights: 0, n: cap };
      }),
    };
    this.toyModel = new CompiledModel(core, model, loaded);
    model.samples.forEach((s, k) => {
      const peaks = s.components.filter((c) => SHAPES[c.shape].mean !== undefined && typeof c.args[0] === "number" && typeof c.args[1] === "number")
        .map((c) => [c.args[0] as number, c.args[1] as number] as [number, number]);
      const edges = panelEdges(s.range, peaks, 400, 4);
      core.setToyGrid(k, writeF64(core, edges), edges.length);
    });
    const lo = model.parameters.map((p) => p.lo), hi = model.parameters.map((p) => p.hi);
    this.ptr = {
      bounds: writeF64(core, lo.flatMap((l, i) => [l, hi[i]])),
      boundsFree: writeF64(core, lo.flatMap((l, i) => [i === this.poiIndex ? Math.max(l, 0) : l, hi[i]])),
      maskFree: writeF64(core, model.parameters.map((p) => (p.fixed ? 0 : 1))),
      maskFixed: writeF64(core, model.parameters.map((p, i) => (p.fixed || i === this.poiIndex ? 0 : 1))),
      gen: writeF64(core, new Float64Array(model.parameters.length)),
    };
  }

  private observedEvents(k: number): number {
    return this.cm.eventCounts[k];
  }

  /**
   * Run `n` toys of one stream (hypothesis, POI index) generated at `gen` and tested at muTest.
   * Toys first … first + n − 1; a batch split anywhere gives the same toys.
   */
  runBatch(gen: Record<string, number>, hypothesis: number, poiIndex: number, muTest: number, first: number, n: number, mode = 0): ToySet & { muHat: Float64Array } {
    const core = this.cm.core;
    this.toyModel.activate();
    viewF64(core, this.ptr.gen, this.cm.names.length).set(this.cm.names.map((name) => gen[name]));
    const mark = core.mark();
    const results = writeF64(core, new Float64Array(5 * n));
    const seedLo = this.seed >>> 0, seedHi = Math.floor(this.seed / 2 ** 32) >>> 0;
    core.runToys(this.ptr.gen, n, first, seedLo, seedHi, poiIndex, ((this.massIndex << 8) | hypothesis) >>> 0,
      this.poiIndex, muTest, mode, this.ptr.bounds, this.ptr.boundsFree, this.ptr.maskFree, this.ptr.maskFixed,
      this.maxCalls, 0.002 * 0.1 * 0.5, results);
    const out = viewF64(core, results, 5 * n).slice();
    core.release(mark);
    this.envelopeViolations += core.takeEnvelopeViolations();
    const q: number[] = [], muHat: number[] = [];
    let failed = 0;
    for (let t = 0; t < n; t++) {
      if (out[5 * t + 2] !== 0 || out[5 * t + 3] !== 0 || !Number.isFinite(out[5 * t])) failed++;
      else q.push(out[5 * t]), muHat.push(out[5 * t + 1]);
    }
    return { q: Float64Array.from(q), muHat: Float64Array.from(muHat), failed };
  }

  /** The s+b and b-only toys at grid point k (POI = k·step; memoised; k keys the s+b streams). */
  toysAt(k: number): { sb: ToySet; b: ToySet; index: number } {
    const hit = this.sets.get(k);
    if (hit) return hit;
    const mu = k * this.step;
    const index = k;
    const sbGen = this.data.at(mu).values;
    const sb = this.runBatch(sbGen, SB, index, mu, 0, this.toys);
    // background-only toys: the same events for every mu (POI index 0), refitted at each mu
    const b = this.runBatch(this.background.values, B, 0, mu, 0, this.backgroundToys);
    const set = { sb, b, index };
    this.sets.set(k, set);
    return set;
  }

  /** Linear interpolation of a per-grid-point quantity between the grid points around mu (0 at k = 0 is `atZero`). */
  private interpolate<T extends Record<string, number>>(mu: number, at: (k: number) => T, atZero: T): T {
    const x = mu / this.step;
    const k = Math.floor(x);
    const a = k === 0 ? atZero : at(k);
    if (x === k) return a;
    const b = at(k + 1);
    const w = x - k;
    return Object.fromEntries(Object.keys(a).map((key) => [key, (1 - w) * a[key] + w * b[key]])) as T;
  }

  /** Observed q̃μ. */
  qObserved(mu: number): number {
    const poi = this.cm.model.poi;
    return qmuTilde(mu, { nll: this.free.nll, muHat: this.free.values[poi] }, this.data.at(mu).nll, this.background.nll);
  }

  /** Observed CLs at a grid point. */
  private gridPvalues(k: number): { q: number; clsb: number; clb: number; cls: number; clsError: number } {
    const q = this.qObserved(k * this.step);
    const { sb, b } = this.toysAt(k);
    return { q, ...clsFrom(sb.q, b.q, q) };
  }

  pvalues(mu: number): CLsValues {
    if (mu <= 0) return { mu, q: 0, clsb: 1, clb: 1, cls: 1, clsError: 0 };
    const p = this.interpolate(mu, (k) => this.gridPvalues(k), { q: 0, clsb: 1, clb: 1, cls: 1, clsError: 0 });
    return { mu, ...p };
  }

  expectedCls(mu: number, band: number): number {
    if (mu <= 0) return 1;
    const at = (k: number) => {
      const { sb, b } = this.toysAt(k);
      const qN = quantile(Float64Array.from(b.q).sort(), normalCdf(-band, 0, 1));
      return { cls: clsFrom(sb.q, b.q, qN).cls };
    };
    return this.interpolate(mu, at, { cls: 1 }).cls;
  }

  /** Toy counts over every POI value tested: s+b, b-only, failed fits. */
  counts(): { sb: number; b: number; failed: number } {
    let sb = 0, b = 0, failed = 0;
    for (const s of this.sets.values()) {
      sb += s.sb.q.length;
      b += s.b.q.length;
      failed += s.sb.failed + s.b.failed;
    }
    return { sb, b, failed };
  }

  dispose(): void {
    this.toyModel.dispose();
  }
}

/** CLs+b, CLb, CLs and the binomial error of CLs for an observed statistic q. */
function clsFrom(sb: Float64Array, b: Float64Array, q: number): { clsb: number; clb: number; cls: number; clsError: number } {
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
