/**
 * The mass resolution σ(m): a constant, a polynomial a0 + a1·m + …, or a table interpolated
 * linearly (held constant beyond its ends).
 */
import { BumpscanError } from "../errors.js";

export type Resolution = number | { poly: number[] } | { table: [number, number][] };

/**
 * σ at mass m.
 * @example
 * import { resolutionAt } from "bumpscan/model";
 * resolutionAt({ poly: [0.01, 0.005] }, 4); // => 0.03
 * resolutionAt({ table: [[0, 0.01], [10, 0.05]] }, 5); // => 0.03
 */
export function resolutionAt(res: Resolution, m: number): number {
  let sigma: number;
  if (typeof res === "number") sigma = res;
  else if ("poly" in res) sigma = res.poly.reduceRight((acc, a) => acc * m + a, 0);
  else sigma = interpolate(res.table, m);
  if (!(sigma > 0) || !Number.isFinite(sigma))
    throw new BumpscanError(`signal sigma at mass ${m} is ${sigma}; it must be > 0`);
  return sigma;
}

function interpolate(table: [number, number][], m: number): number {
  const pts = [...table].sort((a, b) => a[0] - b[0]);
  if (m <= pts[0][0]) return pts[0][1];
  for (let i = 1; i < pts.length; i++) {
    if (m <= pts[i][0]) {
      const [x0, y0] = pts[i - 1],
        [x1, y1] = pts[i];
      return y0 + ((y1 - y0) * (m - x0)) / (x1 - x0);
    }
  }
  return pts[pts.length - 1][1];
}
