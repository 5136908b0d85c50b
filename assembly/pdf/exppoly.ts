// Exponentiated polynomial exp(c1·x + … + ck·x^k), x ∈ [−1, 1] mapped from [xlo, xhi] (order ≤ 4;
// DESIGN.md §3). Arguments: [xlo, xhi, c1 … ck]. No closed-form integral: Gauss–Legendre.
import { mapX } from "./polynomials";
import { GL_N, glNode, glWeight } from "../quadrature";

/** The exponent c1·x + … + ck·x^k. */
@inline export function expPolyExponent(x: f64, a: usize, order: i32): f64 {
  let sum: f64 = 0;
  for (let k = order; k >= 1; k--) sum = (sum + load<f64>(a + (<usize>(k + 1) << 3))) * x;
  return sum;
}

export function expPolyValue(m: f64, a: usize, order: i32): f64 {
  return Math.exp(expPolyExponent(mapX(m, a), a, order));
}

/** ∫ x^k · exp(poly(x)) dm over [lo, hi] (k = 0: the normalisation; k ≥ 1: its c_k-derivative). */
export function expPolyMoment(lo: f64, hi: f64, a: usize, order: i32, k: i32): f64 {
  let sum: f64 = 0;
  for (let i = 0; i < GL_N; i++) {
    const m = glNode(i, lo, hi);
    const x = mapX(m, a);
    sum += glWeight(i, lo, hi) * Math.pow(x, <f64>k) * Math.exp(expPolyExponent(x, a, order));
  }
  return sum;
}
