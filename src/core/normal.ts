/**
 * The standard normal distribution: Φ and Φ⁻¹ (our own, so the package needs no CommonJS
 * dependency for them), and the far upper tail in log space: ln Q(z) = ln(1 − Φ(z)) and its
 * inverse, finite where Q itself underflows a double (global significances, CLs from q̃μ far
 * above q_A).
 */

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const INV_SQRT_2PI = 0.3989422804014327; // 1/√(2π)

// W. J. Cody's rational approximations for Φ (ANORM, ACM TOMS Algorithm 715, 1993), as in R's pnorm
const A = [
  2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249, 0.065682337918207449113,
];
const B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956];
const C = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226, 2494.5375852903726711,
  6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218, 1.0765576773720192317e-8,
];
const D = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755, 18615.571640885098091,
  34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
];
const P = [
  0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5,
  0.02307344176494017303,
];
const Q = [
  1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5,
];

/**
 * e^{−x²/2}·r with x² split as xs² + (x − xs)(x + xs), xs = x cut to a multiple of 1/16: no rounding
 * of x² reaches the exponent.
 */
function gaussTimes(x: number, r: number): number {
  const xs = Math.trunc(x * 16) / 16;
  const del = (x - xs) * (x + xs);
  return Math.exp(-xs * xs * 0.5) * Math.exp(-del * 0.5) * r;
}

/**
 * Φ(x), the standard normal's distribution function, to about 1e-16 relative over the whole
 * range (its lower tail is exact down to the smallest doubles; Φ(x) = 0 below x ≈ −38.5, 1 above
 * x ≈ 8.3): Cody's rational approximations in three ranges of |x|, e^{−x²/2} taken without
 * rounding x² (R's pnorm is the same algorithm). 1 − Φ(x) is Φ(−x), never 1 minus this.
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  if (y <= 0.67448975) {
    // |x| ≤ Φ⁻¹(3/4): Φ(x) = 1/2 + x·R(x²)
    let num = 0,
      den = 0;
    if (y > 1.1e-16) {
      const xsq = x * x;
      num = A[4] * xsq;
      den = xsq;
      for (let i = 0; i < 3; i++) {
        num = (num + A[i]) * xsq;
        den = (den + B[i]) * xsq;
      }
    }
    return 0.5 + (x * (num + A[3])) / (den + B[3]);
  }
  let tail: number; // the smaller tail, Φ(−|x|)
  if (y <= 5.656854249492381) {
    // up to √32: e^{−x²/2}·R(|x|)
    let num = C[8] * y,
      den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]) * y;
      den = (den + D[i]) * y;
    }
    tail = gaussTimes(y, (num + C[7]) / (den + D[7]));
  } else if (y < 40) {
    // beyond: e^{−x²/2}/|x|·(1/√(2π) − R(1/x²)/x²)
    const xsq = 1 / (x * x);
    let num = P[5] * xsq,
      den = xsq;
    for (let i = 0; i < 4; i++) {
      num = (num + P[i]) * xsq;
      den = (den + Q[i]) * xsq;
    }
    const r = (xsq * (num + P[4])) / (den + Q[4]);
    tail = gaussTimes(y, (INV_SQRT_2PI - r) / y);
  } else tail = 0;
  return x > 0 ? 1 - tail : tail;
}

// M. J. Wichura's PPND16 (Algorithm AS 241, Appl. Statist. 37 (1988) 477), about 1e-16 relative
const A1 = [
  3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125, 45921.953931549871457,
  67265.770927008700853, 33430.575583588128105, 2509.0809287301226727,
];
const B1 = [
  1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867, 39307.89580009271061,
  28729.085735721942674, 5226.495278852854561,
];
const C1 = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504, 1.27045825245236838258,
  0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4,
];
const D1 = [
  1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459,
  0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9,
];
const E1 = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123, 0.026532189526576123093,
  0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
];
const F1 = [
  1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4,
  1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15,
];

/** The ratio of two degree-7 polynomials in x, coefficients lowest first. */
function ratio(a: number[], b: number[], x: number): number {
  let n = a[7],
    d = b[7];
  for (let i = 6; i >= 0; i--) {
    n = n * x + a[i];
    d = d * x + b[i];
  }
  return n / d;
}

/**
 * Φ⁻¹(p), the standard normal's quantile, for 0 ≤ p ≤ 1 (−∞ at 0, +∞ at 1, NaN outside):
 * Wichura's AS 241 (PPND16), polished in the tails by one Newton step on Φ, so that Φ(Φ⁻¹(p)) = p
 * to the rounding of the answer itself (a relative (1 + z²)·ε/2 at most). For p near 1 the answer rests on 1 − p, so
 * ask for the lower tail, −Φ⁻¹(1 − p), when 1 − p is known more exactly than p.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) return q * ratio(A1, B1, 0.180625 - q * q);
  const tail = q < 0 ? p : 1 - p;
  const r = Math.sqrt(-Math.log(tail));
  let z = -(r <= 5 ? ratio(C1, D1, r - 1.6) : ratio(E1, F1, r - 5)); // Φ(z) = tail, z < 0
  // one Newton step on Φ(z) = tail, (Φ(z) − tail)/φ(z) = (Φ(z)/tail − 1)·tail/φ(z): AS 241's last
  // ulp or two in the tails, as exact as Φ itself (tail/φ(z) ≈ 1/|z|, and φ(z) never underflows first)
  const phi = gaussTimes(z, INV_SQRT_2PI);
  if (phi > 0) z -= (normalCdf(z) - tail) / phi;
  return q < 0 ? z : -z;
}

/**
 * ln Q(z), the log of the upper tail 1 − Φ(z) of the standard normal, finite for every finite z:
 * from Φ(−z) below z = 5, above from the Mills ratio Q(z)/φ(z) by its continued fraction
 * 1/(z + 1/(z + 2/(z + 3/(z + …)))) (modified Lentz), which converges fast there.
 */
export function logUpperTail(z: number): number {
  if (z < 5) return Math.log(normalCdf(-z));
  const tiny = 1e-300;
  let f = z,
    c = z,
    d = 0;
  for (let k = 1; k < 500; k++) {
    d = z + k * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = z + k / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return -0.5 * z * z - LN_SQRT_2PI - Math.log(f);
}

/**
 * The Z with ln Q(Z) = lnP (one-sided: 0 for p ≥ 0.5), for any lnP ≤ 0, by Newton's method on
 * ln Q: it is concave and below −z²/2 (Q(z) ≤ e^{−z²/2}/2), so from z = √(−2 lnP) the iterates
 * decrease monotonically to the root. (The normal quantile of p itself loses all digits below
 * p ≈ 1e-16.)
 */
export function zFromLogP(lnP: number): number {
  if (Number.isNaN(lnP)) return NaN;
  if (lnP >= Math.log(0.5)) return 0;
  let z = Math.sqrt(-2 * lnP);
  for (let i = 0; i < 200; i++) {
    const lq = logUpperTail(z);
    const slope = -Math.exp(-0.5 * z * z - LN_SQRT_2PI - lq); // d ln Q / dz = −φ(z)/Q(z)
    const step = (lq - lnP) / slope;
    z -= step;
    if (!(Math.abs(step) > 1e-15 * Math.max(1, z))) break;
  }
  return Math.max(0, z);
}
