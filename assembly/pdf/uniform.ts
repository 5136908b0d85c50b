// Uniform density: no arguments.
export function uniformValue(m: f64): f64 {
  return 1.0;
}
export function uniformIntegral(lo: f64, hi: f64): f64 {
  return hi - lo;
}
