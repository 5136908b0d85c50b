// Exponential e^{λ·m}. Arguments: [lambda]. Analytic integral and λ-derivative.
export function exponentialValue(m: f64, a: usize): f64 {
  return Math.exp(load<f64>(a) * m);
}

/** (e^{λb} − e^{λa})/λ written with expm1 so λ → 0 stays exact. */
export function exponentialIntegral(lo: f64, hi: f64, a: usize): f64 {
  const l = load<f64>(a);
  if (l == 0) return hi - lo;
  return Math.exp(l * lo) * Math.expm1(l * (hi - lo)) / l;
}
