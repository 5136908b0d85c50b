// Gaussian exp(−t²/2), t = (m − mean)/sigma. Arguments: [mean, sigma].
import { erfDiff } from "../special";

const SQRT_PI_2: f64 = 1.2533141373155002512; // √(π/2)
const SQRT1_2: f64 = 0.70710678118654752440;

export function gaussianValue(m: f64, a: usize): f64 {
  const t = (m - load<f64>(a)) / load<f64>(a, 8);
  return Math.exp(-0.5 * t * t);
}

/** ∫ exp(−t²/2) dm over [lo, hi] for one Gaussian core of width sigma. */
export function gaussCoreIntegral(lo: f64, hi: f64, mean: f64, sigma: f64): f64 {
  return sigma * SQRT_PI_2 * erfDiff((lo - mean) / sigma * SQRT1_2, (hi - mean) / sigma * SQRT1_2);
}

export function gaussianIntegral(lo: f64, hi: f64, a: usize): f64 {
  return gaussCoreIntegral(lo, hi, load<f64>(a), load<f64>(a, 8));
}

/** ∂/∂mean of ∫ g over [lo, hi] = g(lo) − g(hi); ∂/∂σ = I/σ − [t·g] from lo to hi. */
export function gaussianIntegralDerivative(lo: f64, hi: f64, a: usize, j: i32): f64 {
  const mean = load<f64>(a), s = load<f64>(a, 8);
  const tLo = (lo - mean) / s, tHi = (hi - mean) / s;
  const gLo = Math.exp(-0.5 * tLo * tLo), gHi = Math.exp(-0.5 * tHi * tHi);
  if (j == 0) return gLo - gHi;
  return gaussCoreIntegral(lo, hi, mean, s) / s - (tHi * gHi - tLo * gLo);
}
