/**
 * Mass functions: a number that depends on the hypothesis mass m — a constant, a polynomial
 * a0 + a1·m + …, or a table of [m, value] rows interpolated linearly. Outside a table's masses
 * there is no value (an error naming the mass), never an extrapolation.
 */
import { BumpscanError } from "../errors.js";

export type MassFunction = number | { poly: number[] } | { table: [number, number][] };

/**
 * The value of `f` at mass `m`; `what` names the field in errors.
 * @example
 * import { massFunctionAt } from "bumpscan/model";
 * massFunctionAt({ poly: [0.01, 0.005] }, 4, "sigma"); // => 0.03
 * massFunctionAt({ table: [[5, 0.031], [8, 0.027]] }, 6.5, "efficiency"); // => 0.029
 * massFunctionAt({ table: [[5, 0.031], [8, 0.027]] }, 9, "efficiency"); // throws: efficiency: mass 9
 */
export function massFunctionAt(f: MassFunction, m: number, what: string): number {
  if (typeof f === "number") return f;
  if ("poly" in f) return f.poly.reduceRight((acc, a) => acc * m + a, 0);
  return interpolate(f.table, m, what);
}

/** d f/dm at m (a table's slope on the segment holding m; 0 for a constant). */
export function massFunctionSlope(f: MassFunction, m: number, what: string): number {
  if (typeof f === "number") return 0;
  if ("poly" in f) return f.poly.slice(1).reduceRight((acc, a, k) => acc * m + (k + 1) * a, 0);
  const t = f.table;
  interpolate(t, m, what);
  const i = Math.max(
    1,
    t.findIndex(([x]) => x >= m),
  );
  return (t[i][1] - t[i - 1][1]) / (t[i][0] - t[i - 1][0]);
}

/** Is `f` a function of the mass (not a plain number)? */
export const dependsOnMass = (f: MassFunction | undefined): f is Exclude<MassFunction, number> =>
  f !== undefined && typeof f !== "number";

function interpolate(table: [number, number][], m: number, what: string): number {
  const first = table[0][0],
    last = table[table.length - 1][0];
  // a hair of tolerance at the ends: grid masses carry rounding of their own
  const eps = 1e-12 * Math.max(1, Math.abs(first), Math.abs(last));
  if (!(m >= first - eps && m <= last + eps))
    throw new BumpscanError(`${what}: mass ${m} is outside its table [${first}, ${last}] (no extrapolation)`);
  if (table.length === 1) return table[0][1];
  for (let i = 1; i < table.length; i++) {
    const [x1, y1] = table[i];
    if (m <= x1 || i === table.length - 1) {
      const [x0, y0] = table[i - 1];
      return y0 + ((y1 - y0) * (Math.min(Math.max(m, x0), x1) - x0)) / (x1 - x0);
    }
  }
  return table[table.length - 1][1];
}

/**
 * The problem with a mass function as written, if any: a table not sorted by strictly increasing
 * mass, an empty table or polynomial, a value that is not finite.
 */
export function massFunctionProblem(f: MassFunction): string | undefined {
  if (typeof f === "number") return Number.isFinite(f) ? undefined : "must be a finite number";
  if ("poly" in f) return f.poly.length === 0 ? "poly needs at least one coefficient" : undefined;
  if (f.table.length === 0) return "table needs at least one row";
  for (let i = 1; i < f.table.length; i++)
    if (!(f.table[i][0] > f.table[i - 1][0]))
      return `table must be sorted by increasing mass (row ${i + 1}: ${f.table[i][0]} after ${f.table[i - 1][0]})`;
  return undefined;
}
