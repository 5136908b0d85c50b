/**
 * Chebyshev interpolation of an expensive smooth function on an interval (each value may be a
 * fit): values at Chebyshev–Lobatto points, the number of points doubled (earlier values reused)
 * until the integral settles; the interpolant then gives the integral up to any point without
 * another evaluation. Clenshaw–Curtis quadrature is the integral of this interpolant.
 */

export interface ChebyshevPiece {
  a: number;
  b: number;
  /** Chebyshev coefficients of the antiderivative on [a, b] mapped to [−1, 1], zero at a. */
  antiderivative: Float64Array;
  /** ∫_a^b f. */
  integral: number;
  /** |change of the integral at the last doubling|: its error estimate. */
  error: number;
  /** Function values used. */
  evaluations: number;
}

/** Coefficients c_k of Σ c_k T_k through the values f_j at t_j = cos(πj/n), j = 0…n. */
function coefficients(values: number[]): Float64Array {
  const n = values.length - 1;
  const c = new Float64Array(n + 1);
  for (let k = 0; k <= n; k++) {
    let s = 0;
    for (let j = 0; j <= n; j++) s += (j === 0 || j === n ? 0.5 : 1) * values[j] * Math.cos((Math.PI * j * k) / n);
    c[k] = ((k === 0 || k === n ? 1 : 2) / n) * s;
  }
  return c;
}

/** Coefficients of ∫_{−1}^t Σ c_k T_k (one degree more). */
function integrate(c: Float64Array): Float64Array {
  const n = c.length - 1;
  const at = (k: number) => (k <= n ? c[k] : 0);
  const C = new Float64Array(n + 2);
  C[1] = at(0) - at(2) / 2;
  for (let k = 2; k <= n + 1; k++) C[k] = (at(k - 1) - at(k + 1)) / (2 * k);
  // C_0 makes the antiderivative vanish at t = −1, where T_k = (−1)^k
  let s = 0;
  for (let k = 1; k <= n + 1; k++) s += (k % 2 === 0 ? 1 : -1) * C[k];
  C[0] = -s;
  return C;
}

/** Σ c_k T_k(t) by Clenshaw's recurrence. */
export function chebyshevValue(c: ArrayLike<number>, t: number): number {
  let b1 = 0,
    b2 = 0;
  for (let k = c.length - 1; k >= 1; k--) {
    const b0 = 2 * t * b1 - b2 + c[k];
    b2 = b1;
    b1 = b0;
  }
  return t * b1 - b2 + c[0];
}

/**
 * Interpolate f on [a, b] with 2^k + 1 points, doubling from `minPoints` until the integral changes
 * by less than `tol` (absolute) or `maxPoints` is reached.
 */
export function chebyshevPiece(
  f: (x: number) => number,
  a: number,
  b: number,
  tol: number,
  minPoints = 17,
  maxPoints = 257,
): ChebyshevPiece {
  const mid = 0.5 * (a + b),
    half = 0.5 * (b - a);
  let n = minPoints - 1;
  let values = Array.from({ length: n + 1 }, (_, j) => f(mid + half * Math.cos((Math.PI * j) / n)));
  let evaluations = n + 1;
  let previous = NaN;
  for (;;) {
    const antiderivative = integrate(coefficients(values)).map((x) => x * half);
    const integral = chebyshevValue(antiderivative, 1);
    const error = Math.abs(integral - previous);
    if (error <= tol || 2 * n + 1 > maxPoints)
      return { a, b, antiderivative, integral, error: Number.isFinite(error) ? error : Infinity, evaluations };
    previous = integral;
    // the doubled grid keeps every old point at its even positions
    const next: number[] = [];
    for (let j = 0; j <= 2 * n; j++)
      next.push(j % 2 === 0 ? values[j / 2] : f(mid + half * Math.cos((Math.PI * j) / (2 * n))));
    evaluations += n;
    values = next;
    n *= 2;
  }
}

/**
 * ∫_a^x f from a piece's interpolant (x inside [a, b]).
 */
export function integralTo(piece: ChebyshevPiece, x: number): number {
  const t = Math.min(1, Math.max(-1, (2 * x - piece.a - piece.b) / (piece.b - piece.a)));
  return chebyshevValue(piece.antiderivative, t);
}
