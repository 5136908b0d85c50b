// Shapes polynomial in x = 2(m − xlo)/(xhi − xlo) − 1 ∈ [−1, 1] (well conditioned on any range):
// chebyshev 1 + Σ a_k T_k(x) and polynomial 1 + Σ a_k x^k (order ≤ 6; the constant term is 1, as in
// RooFit). Arguments: [xlo, xhi, a1 … ak]. Both integrate in closed form and are linear in a_k.

@inline export function mapX(m: f64, a: usize): f64 {
  const xlo = load<f64>(a), xhi = load<f64>(a, 8);
  return 2.0 * (m - xlo) / (xhi - xlo) - 1.0;
}

/** T_k(x) by the three-term recurrence. */
export function chebT(k: i32, x: f64): f64 {
  if (k == 0) return 1.0;
  let t0: f64 = 1.0, t1 = x;
  for (let j = 2; j <= k; j++) {
    const t2 = 2.0 * x * t1 - t0;
    t0 = t1;
    t1 = t2;
  }
  return t1;
}

/** ∫ T_k(x) dx from 0, as a function of x (standard antiderivative). */
function chebTIntegral(k: i32, x: f64): f64 {
  if (k == 0) return x;
  if (k == 1) return 0.5 * x * x;
  return 0.5 * (chebT(k + 1, x) / <f64>(k + 1) - chebT(k - 1, x) / <f64>(k - 1));
}

export function chebyshevValue(m: f64, a: usize, order: i32): f64 {
  const x = mapX(m, a);
  let t0: f64 = 1.0, t1 = x, sum: f64 = 1.0;
  for (let k = 1; k <= order; k++) {
    if (k > 1) {
      const t2 = 2.0 * x * t1 - t0;
      t0 = t1;
      t1 = t2;
    }
    sum += load<f64>(a + (<usize>(k + 1) << 3)) * t1;
  }
  return sum;
}

export function chebyshevBasisIntegral(lo: f64, hi: f64, a: usize, k: i32): f64 {
  const half = 0.5 * (load<f64>(a, 8) - load<f64>(a));
  return half * (chebTIntegral(k, mapX(hi, a)) - chebTIntegral(k, mapX(lo, a)));
}

export function chebyshevIntegral(lo: f64, hi: f64, a: usize, order: i32): f64 {
  let sum = chebyshevBasisIntegral(lo, hi, a, 0);
  for (let k = 1; k <= order; k++) sum += load<f64>(a + (<usize>(k + 1) << 3)) * chebyshevBasisIntegral(lo, hi, a, k);
  return sum;
}

export function polynomialValue(m: f64, a: usize, order: i32): f64 {
  const x = mapX(m, a);
  let sum: f64 = 0;
  for (let k = order; k >= 1; k--) sum = (sum + load<f64>(a + (<usize>(k + 1) << 3))) * x;
  return 1.0 + sum;
}

export function polynomialBasisIntegral(lo: f64, hi: f64, a: usize, k: i32): f64 {
  const half = 0.5 * (load<f64>(a, 8) - load<f64>(a));
  const p = <f64>(k + 1);
  return half * (Math.pow(mapX(hi, a), p) - Math.pow(mapX(lo, a), p)) / p;
}

export function polynomialIntegral(lo: f64, hi: f64, a: usize, order: i32): f64 {
  let sum = polynomialBasisIntegral(lo, hi, a, 0);
  for (let k = 1; k <= order; k++) sum += load<f64>(a + (<usize>(k + 1) << 3)) * polynomialBasisIntegral(lo, hi, a, k);
  return sum;
}
