/**
 * Upper limits: the POI value where CLs (or CLs+b) falls to 1 − CL, for the observed data and for
 * the background-only expectation at −2…+2σ. Bracketing doubles upward from the calculator's
 * scale until CLs is below the target; Brent's method then finds the crossing.
 */
import type { Calculator, CLsValues } from "./calculator.js";
import { rootAbove, rootNear } from "./roots.js";
import { BumpscanError } from "../errors.js";

/**
 * The expected-limit bands, in standard deviations of the background-only expectation.
 * @example
 * import { BANDS } from "bumpscan/infer";
 * BANDS; // => [-2, -1, 0, 1, 2]
 */
export const BANDS = [-2, -1, 0, 1, 2] as const;

export interface LimitResult {
  method: string;
  cl: number;
  /** "cls" (default) or "clsb". */
  statistic: "cls" | "clsb";
  observed: number;
  expected: Record<"-2" | "-1" | "0" | "1" | "2", number>;
  /** The CLs values computed on the way (observed), sorted by POI value. */
  curve: CLsValues[];
  /** Toys: the observed limit's statistical error, σ(CLs) at the crossing over the CLs slope there. */
  observedError?: number;
}

/**
 * The observed and expected upper limits at confidence level `cl`.
 * @example
 * import { readFileSync } from "node:fs";
 * import { parseSpec, readColumn } from "bumpscan";
 * import { compileAt, instantiateCore } from "bumpscan/core";
 * import { AsymptoticCalculator, upperLimit } from "bumpscan/infer";
 * const spec = parseSpec(JSON.parse(readFileSync("spec.json", "utf8")), "spec.json");
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * const { cm } = compileAt(await instantiateCore(), spec, { values }, 4.2); // the reference model at 4.2
 * const limit = await upperLimit(new AsymptoticCalculator(cm), { cl: 0.9 });
 * limit.observed; // => 68.34
 * limit.expected["0"]; // => 23.37
 */
export async function upperLimit(
  calc: Calculator,
  options: { cl?: number; statistic?: "cls" | "clsb"; expected?: boolean } = {},
): Promise<LimitResult> {
  const cl = options.cl ?? 0.9;
  const alpha = 1 - cl;
  const statistic = options.statistic ?? "cls";
  const tol = calc.tolerance;
  const curve = new Map<number, CLsValues>();
  const observedValue = async (mu: number) => {
    const p = curve.get(mu) ?? (await calc.pvalues(mu));
    curve.set(mu, p);
    return finite((statistic === "cls" ? p.cls : p.clsb) - alpha, mu);
  };
  // with a guess (toys: the asymptotic limits) the search starts next to the answer
  const search = async (f: (mu: number) => Promise<number>, band: number | undefined, what: string) => {
    const guess = calc.guess ? await calc.guess(band) : undefined;
    return guess && guess > 0 ? rootNear(f, 0, guess, tol, what) : rootAbove(f, 0, 2 * calc.scale, tol, what);
  };
  const observed = await search(observedValue, undefined, `CLs of the observed data (${calc.method})`);
  const expected = {} as LimitResult["expected"];
  for (const n of BANDS) {
    if (options.expected === false) expected[String(n) as "0"] = NaN;
    else {
      const direct = calc.expectedLimit?.(n, alpha, tol, statistic);
      expected[String(n) as "0"] =
        direct !== undefined && Number.isFinite(direct)
          ? direct
          : await search(
              async (mu) => finite((await calc.expectedCls(mu, n, statistic)) - alpha, mu),
              n,
              `the expected ${statistic === "cls" ? "CLs" : "CLs+b"} at ${n}σ`,
            );
    }
  }
  const observedError = await crossingError(calc, curve, observed, statistic);
  const sorted = [...curve.values()].sort((a, b) => a.mu - b.mu);
  return { method: calc.method, cl, statistic, observed, expected, curve: sorted, observedError };
}

/** A CLs value that is not a number would steer the root search silently: refuse it. */
function finite(x: number, mu: number): number {
  if (Number.isNaN(x)) throw new BumpscanError(`CLs is not a number at POI = ${mu}: no limit`);
  return x;
}

/**
 * σ of a toy limit: σ(CLs) at the crossing over the slope of CLs there. The slope comes from two
 * extra points a quarter of the POI scale either side: neighbours from the root search sit so
 * close that their difference would be toy noise.
 */
async function crossingError(
  calc: Calculator,
  curve: Map<number, CLsValues>,
  limit: number,
  statistic: "cls" | "clsb",
): Promise<number | undefined> {
  if (calc.method !== "toys") return undefined;
  const value = (p: CLsValues) => (statistic === "cls" ? p.cls : p.clsb);
  const at = async (mu: number) => {
    const p = curve.get(mu) ?? (await calc.pvalues(mu));
    curve.set(mu, p);
    return p;
  };
  const delta = Math.min(0.5 * calc.scale, 0.5 * limit);
  const slope = (value(await at(limit + delta)) - value(await at(limit - delta))) / (2 * delta);
  const here = [...curve.values()].sort((a, b) => Math.abs(a.mu - limit) - Math.abs(b.mu - limit))[0];
  return slope < 0 ? here.clsError / -slope : Infinity;
}

/**
 * Toys until the observed limit is known well enough: the limit is computed, and while its toy
 * error exceeds `targetError` the toys per grid point double (the earlier toys are kept), up to
 * `maxToys` s+b toys per grid point.
 * @example
 * import { readFileSync } from "node:fs";
 * import { parseSpec, readColumn } from "bumpscan";
 * import { compileAt, instantiateCore } from "bumpscan/core";
 * import { adaptiveUpperLimit, ToyCalculator } from "bumpscan/infer";
 * const spec = parseSpec(JSON.parse(readFileSync("spec.json", "utf8")), "spec.json");
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * const { cm } = compileAt(await instantiateCore(), spec, { values }, 4.2); // the reference model at 4.2
 * const calc = new ToyCalculator(cm, { toys: 200, seed: 1 });
 * const lim = await adaptiveUpperLimit(calc, { targetError: 2, expected: false }); // more toys until ±2 events
 * lim.observedError < 2; // => true
 */
export async function adaptiveUpperLimit(
  calc: ToyCalculatorLike,
  options: { cl?: number; statistic?: "cls" | "clsb"; expected?: boolean; targetError: number; maxToys?: number },
): Promise<LimitResult> {
  const maxToys = options.maxToys ?? 64000;
  for (;;) {
    const lim = await upperLimit(calc, options);
    if (!(lim.observedError! > options.targetError) || calc.toys * 2 > maxToys) return lim;
    await calc.addToys(2);
  }
}

/** What adaptiveUpperLimit needs of a toy calculator. */
export interface ToyCalculatorLike extends Calculator {
  toys: number;
  addToys(factor: number): Promise<void>;
}
