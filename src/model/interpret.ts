/**
 * Limits on a coupling: with `interpret`, the POI is poi1(m) × coupling^power, so a limit L on the
 * POI is the limit (L / poi1(m))^(1/power) on the coupling (ε for a dark photon with power 2).
 */
import { BumpscanError } from "../errors.js";
import { massFunctionAt } from "./mass-function.js";
import type { Spec } from "./types.js";

/**
 * The coupling limit of a POI limit at hypothesis mass m (undefined without `interpret`).
 * @example
 * import { couplingLimit, parseSpec } from "bumpscan/model";
 * const spec = parseSpec({ observable: { range: [0, 10] }, signal: { shape: "gaussian", sigma: 0.1 },
 *   background: { shape: "expPoly", order: 1 }, interpret: { name: "epsilon", poi1: 2e6, power: 2 } });
 * couplingLimit(spec, 5, 18); // => 0.003
 */
export function couplingLimit(spec: Spec, mass: number, limit: number): number | undefined {
  const i = spec.interpret;
  if (!i) return undefined;
  const poi1 = massFunctionAt(i.poi1, mass, "interpret.poi1");
  if (!(poi1 > 0)) throw new BumpscanError(`interpret.poi1 at mass ${mass} is ${poi1}; it must be > 0`);
  return Number.isFinite(limit) ? Math.max(limit, 0) ** (1 / i.power) / poi1 ** (1 / i.power) : NaN;
}

/** A limit and its expected band on the coupling (undefined without `interpret`). */
export function couplingLimits(
  spec: Spec,
  mass: number,
  observed: number,
  expected?: Record<"-2" | "-1" | "0" | "1" | "2", number>,
): { observed: number; expected?: Record<"-2" | "-1" | "0" | "1" | "2", number> } | undefined {
  if (!spec.interpret) return undefined;
  const c = (x: number) => couplingLimit(spec, mass, x) as number;
  const out: { observed: number; expected?: Record<"-2" | "-1" | "0" | "1" | "2", number> } = { observed: c(observed) };
  if (expected)
    out.expected = {
      "-2": c(expected["-2"]),
      "-1": c(expected["-1"]),
      "0": c(expected["0"]),
      "1": c(expected["1"]),
      "2": c(expected["2"]),
    };
  return out;
}
