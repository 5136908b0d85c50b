// Template: a fixed shape given as a histogram of n equal bins over [xlo, xhi] with contents
// d_1 … d_n (arguments [xlo, xhi, d_1, …, d_n]; any scale: the core normalises). The density is
// linear between bin centres and flat over the two outer half bins, so its integral over
// [xlo, xhi] is the histogram's area h·Σ d_k; it is 0 outside [xlo, xhi]. Knots: x_0 = xlo,
// x_k = xlo + (k − ½)h (the centre of bin k, k = 1 … n), x_{n+1} = xhi, with values d_1, d_k, d_n.
// The integral over any [lo, hi] is the sum of the exact trapezoids of the linear pieces it covers:
// every term ≥ 0, so a far tail's integral keeps its relative precision (no difference of CDFs).

/** Bin k's content, k = 0 … n − 1. */
@inline function bin(a: usize, k: i32): f64 {
  return load<f64>(a + (<usize>(k + 2) << 3));
}

/** Knot k's position (k = 0 … n + 1). */
@inline function knotX(xlo: f64, xhi: f64, h: f64, n: i32, k: i32): f64 {
  if (k <= 0) return xlo;
  if (k > n) return xhi;
  return xlo + (<f64>k - 0.5) * h;
}

/** Knot k's value: the content of the bin whose centre it is (the outer knots: the outer bins'). */
@inline function knotV(a: usize, n: i32, k: i32): f64 {
  return bin(a, k <= 0 ? 0 : k > n ? n - 1 : k - 1);
}

/** g(m) for a template of n bins. */
export function templateValue(m: f64, a: usize, n: i32): f64 {
  const xlo = load<f64>(a), xhi = load<f64>(a, 8);
  if (!(m >= xlo && m <= xhi)) return 0.0;
  const u = (m - xlo) / (xhi - xlo) * <f64>n - 0.5;
  if (u <= 0) return bin(a, 0);
  if (u >= <f64>(n - 1)) return bin(a, n - 1);
  const j = <i32>Math.floor(u);
  const d0 = bin(a, j);
  return d0 + (bin(a, j + 1) - d0) * (u - <f64>j);
}

/** ∫ g over [lo, hi] for a template of n bins: the trapezoids of the linear pieces inside [lo, hi] ∩ [xlo, xhi]. */
export function templateIntegral(lo: f64, hi: f64, a: usize, n: i32): f64 {
  const xlo = load<f64>(a), xhi = load<f64>(a, 8);
  const l = Math.max(lo, xlo), r = Math.min(hi, xhi);
  if (!(r > l)) return 0.0;
  const h = (xhi - xlo) / <f64>n;
  let k = <i32>Math.floor((l - xlo) / h + 0.5);
  if (k > n) k = n;
  if (k < 0) k = 0;
  while (k > 0 && knotX(xlo, xhi, h, n, k) > l) k--; // rounding may put l a hair before knot k
  let sum: f64 = 0;
  for (; k <= n; k++) {
    const x0 = knotX(xlo, xhi, h, n, k), x1 = knotX(xlo, xhi, h, n, k + 1);
    if (x0 >= r) break;
    const p = Math.max(l, x0), q = Math.min(r, x1);
    if (!(q > p)) continue;
    const v0 = knotV(a, n, k);
    // the piece is linear: its integral over [p, q] is the width times the value at the midpoint
    sum += (q - p) * (v0 + (knotV(a, n, k + 1) - v0) * ((0.5 * (p + q) - x0) / (x1 - x0)));
  }
  return sum;
}
