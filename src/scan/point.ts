/**
 * One mass point of a scan: the fit with its local significance, and the upper limit. Runs
 * wherever the scan puts it (the calling thread or a worker), on the events it was given once.
 */
import { type CompiledModel, type Dataset, loadData, type LoadedData } from "../core/compile.js";
import { isWeighted, nllScales, weightedErrors } from "../infer/weights.js";
import { compileAt, compileUnchecked } from "../job/events.js";
import { limitOf, withCoupling } from "../job/mass-job.js";
import type { CoreExports } from "../core/wasm.js";
import type { LimitResult } from "../infer/limits.js";
import { discovery, discoveryFrom } from "../infer/significance.js";
import type { Spec } from "../model/spec.js";
import { type CountingSummary, countingSummary } from "../model/counting.js";
import type { GridPoint } from "./grid.js";
import type { ToyExecutor } from "../infer/executor.js";

export interface ScanOptions {
  /**
   * "none": fits and local significance only. "q0": q0 alone, for background-only toy scans:
   * full-range points take it from the scan's background-only fit (`start`, the toy's own), see
   * `discoveryFrom`; the other points fit as "none" does.
   */
  method: "asymptotic" | "toys" | "bayes" | "fc" | "none" | "q0";
  cl: number;
  toys?: number;
  seed?: number;
  /** Bayesian: marginalise the nuisances instead of profiling them. */
  marginalise?: boolean;
  /** Bayesian: background-only pseudo-experiments per point for the expected band (0: none). */
  expectedToys?: number;
}

export interface PointResult {
  index: number;
  mass: number;
  status: string;
  nsig?: number;
  nsigError?: number;
  q0?: number;
  /** Signed local significance. */
  z?: number;
  /** The upper limit (Feldman–Cousins: the interval's upper end). */
  observed?: number;
  /** Feldman–Cousins: the interval [lo, hi]. */
  interval?: [number, number];
  expected?: LimitResult["expected"];
  observedError?: number;
  /** Events in the fit range. */
  events?: number;
  /** Why the point was skipped, or the error that stopped it. */
  reason?: string;
  /** Background components left out at this point (a window without events of theirs). */
  droppedComponents?: string[];
  /** With several samples: those whose signal takes part at this mass (the peak in range, outside vetoes). */
  samples?: string[];
  /** With regions: the region the point belongs to. */
  region?: string;
  /** Samples with no event in their fit range here although their model expects some. */
  emptySamples?: string[];
  /** With `interpret`: the limit (and band) on the coupling. */
  coupling?: { observed: number; expected?: LimitResult["expected"] };
  /** A counting model here (uniform shapes, unweighted events): the observed and expected counts. */
  counting?: CountingSummary;
}

/** A toy-scan point from the toy's background-only fit (a failed quick fit falls back to `discovery`). */
function quickPoint(
  cm: CompiledModel,
  background: Record<string, number>,
  events: number,
): Omit<PointResult, "index" | "mass"> {
  const d = discoveryFrom(cm, background);
  if (d.status === "converged") return { status: d.status, nsig: d.muHat, q0: d.q0, z: d.z, events };
  const full = discovery(cm, { start: background });
  return full.valid
    ? { status: "converged", nsig: full.free.values[cm.model.poi], q0: full.q0, z: full.z, events }
    : { status: full.free.status === "converged" ? "failed" : full.free.status, events };
}

/** First index with sorted[i] ≥ x. */
function lowerBound(sorted: Float64Array, x: number): number {
  let a = 0,
    b = sorted.length;
  while (a < b) {
    const c = (a + b) >> 1;
    if (sorted[c] < x) a = c + 1;
    else b = c;
  }
  return a;
}

/** The scan's events on one core (each sample sorted): loaded once; a window is a slice of them. */
export class ScanWorkspace {
  private readonly full: LoadedData;
  private readonly base: number;

  /** Load every sample's sorted events into core memory once; `start` seeds each point's fit. */
  constructor(
    readonly core: CoreExports,
    readonly spec: Spec,
    readonly sorted: Dataset[],
    readonly start?: Record<string, number>,
  ) {
    this.full = loadData(core, sorted);
    core.forgetMetrics(); // the quick q0 fits (method "q0") pass their metric from point to point

    this.base = core.mark();
  }

  /** Sample k's events in [lo, hi] (and their weights). */
  private slice(k: number, [lo, hi]: [number, number]): Dataset {
    const d = this.sorted[k];
    const a = lowerBound(d.values, lo),
      b = lowerBound(d.values, hi + Number.EPSILON * Math.abs(hi));
    return d.weights
      ? { values: d.values.subarray(a, b), weights: d.weights.subarray(a, b) }
      : { values: d.values.subarray(a, b) };
  }

  /**
   * Fit, local significance and limit at one grid point; failures are reported, not thrown. The
   * fits start from the scan's background-only fit where given, and from the model's own start
   * values where that does not converge (so a point gives what `limit` gives at its mass).
   * With a pool, the point's toys are split over its workers (toy-heavy points).
   */
  async point(g: GridPoint, options: ScanOptions, pool?: ToyExecutor): Promise<PointResult> {
    const head = { index: g.index, mass: g.mass, ...(g.region === undefined ? {} : { region: g.region }) };
    if (g.skipped) return { ...head, status: "skipped", reason: g.skipped };
    this.core.release(this.base);
    try {
      const { layout } = g;
      const full =
        layout.samples.length === this.sorted.length &&
        layout.samples.every((w) => w.range[0] === w.full[0] && w.range[1] === w.full[1]);
      const events = full ? this.sorted : layout.samples.map((w) => this.slice(w.index, w.range));
      const data = full ? this.full : loadData(this.core, events);
      const n = data.ptrs.reduce((sum, p) => sum + p.n, 0);
      const weighted = isWeighted(events);
      const scales = weighted ? nllScales(events) : undefined;
      if (options.method === "q0" && full && this.start) {
        const quick = compileUnchecked(this.core, this.spec, data, g.mass, layout, scales);
        return { ...head, ...quickPoint(quick.cm, this.start, n) };
      }
      const { model, cm } = compileAt(this.core, this.spec, data, g.mass, layout, scales);
      // full-range points start from the scan's one background-only fit (it does not depend on the mass)
      const d = discovery(cm, full && this.start ? { start: this.start } : {});
      const poi = model.poi;
      const errors = weighted ? weightedErrors(cm, d.free, events, "asymptotic").errors : d.free.errors;
      const result: PointResult = {
        ...head,
        status: d.valid ? "converged" : d.free.status === "converged" ? "failed" : d.free.status,
        nsig: d.free.values[poi],
        nsigError: errors[poi],
        q0: d.q0,
        z: d.z,
        events: n,
      };
      if (model.dropped) result.droppedComponents = model.dropped;
      const counting = weighted
        ? undefined
        : countingSummary(
            model,
            data.ptrs.map((p) => p.n),
          );
      if (counting) result.counting = counting;
      if (this.spec.samples) result.samples = layout.samples.filter((w) => w.signal).map((w) => w.name);
      const empty = layout.samples.filter((_, k) => data.ptrs[k].n === 0).map((w) => w.name || "the events");
      if (empty.length) result.emptySamples = empty;
      if (!d.valid) {
        result.reason =
          `the ${d.free.status !== "converged" ? "free" : "background-only"} fit did not converge ` +
          `(${d.free.status !== "converged" ? d.free.status : d.background.status})`;
        return result;
      }
      if (options.method === "none" || options.method === "q0") return result;
      const lim = await limitOf(
        cm,
        {
          method: options.method,
          cl: options.cl,
          toys: options.toys,
          seed: options.seed,
          massIndex: g.index,
          pool,
          expected: true,
          marginalise: options.marginalise,
          expectedToys: options.expectedToys,
        },
        d,
      );
      result.observed = lim.observed;
      if (lim.interval) result.interval = lim.interval;
      if (lim.expected) result.expected = lim.expected;
      if (lim.observedError !== undefined) result.observedError = lim.observedError;
      Object.assign(result, withCoupling(this.spec, g.mass, lim));
      return result;
    } catch (e) {
      return { ...head, status: "failed", reason: (e as Error).message };
    } finally {
      this.core.release(this.base);
    }
  }
}
