/**
 * Expected Bayesian limits: the band the credible bound would have without a signal, from
 * background-only pseudo-experiments. Each toy is drawn from the model at the data's
 * background-only fit (Poisson counts, no event in a veto; seeded by (seed, mass point, toy index)
 * so that a point's band is the same in any run, worker or shard), and its Bayesian limit set as
 * the data's; the band is the median and the ±1σ, ±2σ quantiles (Φ(N)) of the toys' limits.
 */
import { nextTurn } from "./progress.js";
import { normalCdf } from "../core/normal.js";
import { CompiledModel, loadData } from "../core/compile.js";
import { generate } from "../core/generate.js";
import { BumpscanError } from "../errors.js";
import { bayesianLimit } from "./bayes.js";
import { BANDS, type LimitResult } from "./limits.js";
import type { OnProgress } from "./progress.js";

export interface BayesExpectedOptions {
  cl: number;
  marginalise?: boolean;
  /** Background-only pseudo-experiments (≥ 5). */
  toys: number;
  seed: number;
  /** The mass point's index in a scan (keys the toys' random streams; 0 at one mass). */
  massIndex?: number;
  /** Pseudo-experiments done so far, of `toys`. */
  onProgress?: OnProgress;
}

/** The random stream of toy t at mass point k: apart from the LEE toy scans' streams (below 2³¹). */
export const bayesStream = (massIndex: number, t: number) => (0x80000000 + massIndex * 65536 + t) >>> 0;

/**
 * The expected band of the Bayesian upper limit of `cm` (its data's background-only fit `background`).
 * @example
 * import { compileAt, instantiateCore } from "bumpscan/core";
 * import { bayesianExpected, fit } from "bumpscan/infer";
 * import { parseSpec } from "bumpscan";
 * const spec = parseSpec({ observable: { range: [0, 10] }, signal: { shape: "uniform" },
 *   background: { shape: "uniform", yield: 3 } });
 * const { cm } = compileAt(await instantiateCore(), spec, { values: new Float64Array([1, 5, 7]) }, 5);
 * const band = await bayesianExpected(cm, { nsig: 0 }, { cl: 0.9, toys: 200, seed: 1 });
 * band["-2"] <= band["0"] && band["0"] <= band["2"]; // => true
 */
export async function bayesianExpected(
  cm: CompiledModel,
  background: Record<string, number>,
  options: BayesExpectedOptions,
): Promise<LimitResult["expected"]> {
  const { toys, seed, massIndex = 0 } = options;
  if (!(Number.isInteger(toys) && toys >= 5 && toys <= 65536))
    throw new BumpscanError(`expected Bayesian limits need 5 to 65536 toys (got ${toys})`);
  if (cm.scales?.some((s) => s !== 1))
    throw new BumpscanError("expected Bayesian limits on weighted events are not supported (the toys are unweighted)");
  const model = cm.model;
  const truth = { ...background, [model.poi]: 0 };
  const limits: number[] = [];
  for (let t = 0; t < toys; t++) {
    await nextTurn(); // a Ctrl-C is heard between pseudo-experiments
    const mark = cm.core.mark();
    try {
      const data = generate(model, truth, seed, bayesStream(massIndex, t)).map((values) => ({ values }));
      const toy = new CompiledModel(cm.core, model, loadData(cm.core, data));
      limits.push((await bayesianLimit(toy, { cl: options.cl, marginalise: options.marginalise })).observed);
    } finally {
      cm.core.release(mark);
    }
    options.onProgress?.(t + 1, toys, "pseudo-experiments");
  }
  limits.sort((a, b) => a - b);
  const band = {} as LimitResult["expected"];
  for (const n of BANDS) band[String(n) as "0"] = quantile(limits, normalCdf(n));
  return band;
}

/** The p-quantile of sorted values (linear interpolation between order statistics). */
function quantile(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const i = Math.floor(h);
  return i + 1 < sorted.length ? sorted[i] + (h - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
}
