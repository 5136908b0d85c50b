/**
 * The mass resolution σ(m): a mass function (a constant, a polynomial a0 + a1·m + …, or a table
 * interpolated linearly, with no value outside its masses), which must be positive.
 */
import { BumpscanError } from "../errors.js";
import { type MassFunction, massFunctionAt } from "./mass-function.js";

export type Resolution = MassFunction;

/**
 * σ at mass m.
 * @example
 * import { resolutionAt } from "bumpscan/model";
 * resolutionAt({ poly: [0.01, 0.005] }, 4); // => 0.03
 * resolutionAt({ table: [[0, 0.01], [10, 0.05]] }, 5); // => 0.03
 */
export function resolutionAt(res: Resolution, m: number, what = "signal.sigma"): number {
  const sigma = massFunctionAt(res, m, what);
  if (!(sigma > 0) || !Number.isFinite(sigma))
    throw new BumpscanError(`${what} at mass ${m} is ${sigma}; it must be > 0`);
  return sigma;
}
