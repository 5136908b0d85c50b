/**
 * Signal injection: pseudo-experiments with a known signal on the background the data show, each
 * fitted as the data are — the bias and pull study every analysis runs to validate its fit. The
 * truth is the background-only fit to the data at the mass plus `events` signal events (in the
 * sum over samples); each toy is drawn from it (Poisson counts, seeded by the toy's index), fitted,
 * and its POI compared with the truth: the mean fitted value, the pulls' mean and width with their
 * errors, and optionally how often the upper limit covers the truth.
 */
import { generate } from "../core/generate.js";
import type { Dataset } from "../core/compile.js";
import { instantiateCore, type CoreExports } from "../core/wasm.js";
import { BumpscanError } from "../errors.js";
import { fit } from "../infer/fit.js";
import { nextTurn } from "../infer/progress.js";
import type { Spec } from "../model/spec.js";
import { compileAt, pointEvents, type RangeOptions } from "./events.js";
import { limitOf, limitSettings } from "./mass-job.js";

export interface InjectOptions extends RangeOptions {
  /** Signal events injected (summed over the samples taking part). */
  events: number;
  toys: number;
  seed?: number;
  /** Also set each toy's upper limit (asymptotic CLs at `cl`) and count how often it covers the truth. */
  coverage?: boolean;
  cl?: number;
  /** Called after each toy (progress). */
  onToy?: (done: number, total: number) => void;
}

export interface InjectReport {
  mass: number;
  poi: string;
  /** The POI value the injected events mean, and the events themselves. */
  injected: { poi: number; events: number };
  toys: number;
  /** Toy fits that did not converge (left out of the figures below). */
  failed: number;
  meanFitted: { value: number; error: number };
  pullMean: { value: number; error: number };
  pullWidth: { value: number; error: number };
  /** Fraction of toys whose upper limit lies above the truth, with its binomial error. */
  coverage?: { cl: number; value: number; error: number };
  /** Each converged toy's pull (μ̂ − μ)/σ̂, in toy order, for the pull plot. */
  pulls: number[];
  seed: number;
}

/**
 * Inject `events` signal events at `mass` into toys of the data's background-only fit and fit them.
 * @example
 * import { demoEvents, demoSpec, inject } from "bumpscan";
 * const r = await inject(demoSpec(), { values: demoEvents() }, 5.1, { events: 45, toys: 40, seed: 3 });
 * [r.toys, r.failed]; // => [40, 0]
 * Math.abs(r.pullMean.value) < 4 * r.pullMean.error; // => true
 */
export async function injectAtMass(
  spec: Spec,
  events: Dataset | Dataset[],
  mass: number,
  options: InjectOptions,
  core?: CoreExports,
): Promise<InjectReport> {
  const { toys, seed = 1 } = options;
  if (!(Number.isInteger(toys) && toys >= 2))
    throw new BumpscanError(`inject: --toys must be an integer ≥ 2 (got ${toys})`);
  if (!(options.events >= 0) || !Number.isFinite(options.events))
    throw new BumpscanError(`inject: --events must be a number ≥ 0 (got ${options.events})`);
  const point = pointEvents(spec, events, mass, options.window);
  if (point.nllScales)
    throw new BumpscanError("inject on weighted events is not supported (the toys would be unweighted)");
  const c = core ?? (await instantiateCore());
  const base = c.mark();
  try {
    const { model, cm } = compileAt(c, spec, point.data, mass, point.layout, point.nllScales);
    const background = fit(cm, { fixed: { [model.poi]: 0 }, hesse: false });
    if (background.status !== "converged")
      throw new BumpscanError(`inject: the background-only fit to the data did not converge (${background.status})`);
    // the POI value whose signal yields sum to `events`: yields are linear in the POI
    const perPoi = signalPerPoi(model, background.values);
    if (!(perPoi > 0)) throw new BumpscanError(`inject: no sample's signal takes part at mass ${mass}`);
    const truth = { ...background.values, [model.poi]: options.events / perPoi };
    const settings = options.coverage ? limitSettings(spec, { method: "asymptotic", cl: options.cl }) : undefined;
    const fitted: number[] = [];
    const pulls: number[] = [];
    let covered = 0;
    let failed = 0;
    c.release(base);
    for (let t = 0; t < toys; t++) {
      if (t % 4 === 0) await nextTurn(); // a Ctrl-C is heard between toys
      const mark = c.mark();
      try {
        const data = generate(model, truth, seed, t + 1).map((values) => ({ values }));
        const toy = compileAt(c, spec, data, mass, point.layout).cm;
        const f = fit(toy);
        const mu = f.values[model.poi],
          err = f.errors[model.poi];
        if (f.status !== "converged" || !(err > 0)) failed++;
        else {
          fitted.push(mu);
          pulls.push((mu - truth[model.poi]) / err);
          if (settings)
            covered += (await limitOf(toy, { ...settings, expected: false })).observed >= truth[model.poi] ? 1 : 0;
        }
      } catch {
        failed++; // a toy the model cannot describe at its start values: counted, never fatal
      } finally {
        c.release(mark);
      }
      options.onToy?.(t + 1, toys);
    }
    const n = pulls.length;
    if (n < 2) throw new BumpscanError(`inject: only ${n} of ${toys} toy fits converged`);
    const [meanMu, sdMu] = meanSd(fitted);
    const [meanPull, sdPull] = meanSd(pulls);
    const report: InjectReport = {
      mass,
      poi: model.poi,
      injected: { poi: truth[model.poi], events: options.events },
      toys,
      failed,
      meanFitted: { value: meanMu, error: sdMu / Math.sqrt(n) },
      pullMean: { value: meanPull, error: sdPull / Math.sqrt(n) },
      // the standard deviation's standard error for a Gaussian sample: σ/√(2(n − 1))
      pullWidth: { value: sdPull, error: sdPull / Math.sqrt(2 * (n - 1)) },
      pulls,
      seed,
    };
    if (settings) {
      const p = covered / n;
      report.coverage = { cl: settings.cl, value: p, error: Math.sqrt(Math.max(p * (1 - p), 1 / n) / n) };
    }
    return report;
  } finally {
    c.release(base);
  }
}

/** Σ over the signal components of yield / POI at the given values (yields are linear in the POI). */
function signalPerPoi(model: import("../model/model.js").Model, values: Record<string, number>): number {
  let sum = 0;
  for (const s of model.samples)
    for (const comp of s.components) {
      if (!comp.yieldFactors.some((f) => f.param === model.poi && f.kappa === undefined && f.gauss === undefined))
        continue;
      let y = comp.yieldConstant;
      for (const f of comp.yieldFactors) {
        if (f.param === model.poi) continue;
        const v = values[f.param] ?? 0;
        y *= f.kappa !== undefined ? f.kappa ** v : f.gauss !== undefined ? 1 + f.gauss * v : v;
      }
      sum += y;
    }
  return sum;
}

function meanSd(x: number[]): [number, number] {
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / (x.length - 1);
  return [mean, Math.sqrt(variance)];
}
