// ARGUS (RooArgusBG): m·u^p·e^{c·u}, u = 1 − (m/m0)², zero for m ≥ m0. Arguments: [m0, c, p].
// Closed-form integral: with z = u, m dm = −(m0²/2) dz, so ∫ = (m0²/2)[F(u_lo) − F(u_hi)] with
// F(Z) = ∫₀^Z z^p e^{cz} dz, summed as a positive-term series (no cancellation for either sign of c).
// Where both ends sit in the exponential tail (c < 0, −cZ > p + 1) F(b) − F(a) would cancel: there
// the upper tail G(Z) = (−c)^{−(p+1)} Γ(p + 1, −cZ) (continued fraction) is differenced instead.

export function argusValue(m: f64, a: usize): f64 {
  const m0 = load<f64>(a);
  if (m >= m0) return 0.0;
  const t = m / m0;
  const u = 1.0 - t * t;
  return m * Math.pow(u, load<f64>(a, 16)) * Math.exp(load<f64>(a, 8) * u);
}

/** F(Z) = ∫₀^Z z^p e^{cz} dz, Z ≥ 0, p > −1. */
function argusF(Z: f64, c: f64, p: f64): f64 {
  if (Z <= 0) return 0.0;
  const q = p + 1.0;
  const y = c * Z;
  let term: f64, sum: f64;
  if (c <= 0) {
    // Kummer form: Z^q e^{y} Σ (−y)^j / (q (q+1) … (q+j)), all terms positive
    term = 1.0 / q;
    sum = term;
    for (let j = 1; j < 2000; j++) {
      term *= -y / (q + <f64>j);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    return Math.pow(Z, q) * Math.exp(y) * sum;
  }
  // c > 0: Z^q Σ y^j / (j! (q + j)), all terms positive
  let fact: f64 = 1.0;
  sum = 1.0 / q;
  for (let j = 1; j < 2000; j++) {
    fact *= y / <f64>j;
    term = fact / (q + <f64>j);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return Math.pow(Z, q) * sum;
}

/** G(Z) = ∫_Z^∞ z^p e^{cz} dz for c < 0 via Γ(q, y), y = −cZ, by Lentz's continued fraction. */
function argusTail(Z: f64, c: f64, p: f64): f64 {
  const q = p + 1.0;
  const y = -c * Z;
  const tiny: f64 = 1e-300;
  let b = y + 1.0 - q;
  let C = 1.0 / tiny;
  let D = 1.0 / b;
  let h = D;
  for (let i = 1; i < 1000; i++) {
    const an = -<f64>i * (<f64>i - q);
    b += 2.0;
    D = an * D + b;
    if (Math.abs(D) < tiny) D = tiny;
    C = b + an / C;
    if (Math.abs(C) < tiny) C = tiny;
    D = 1.0 / D;
    const del = D * C;
    h *= del;
    if (Math.abs(del - 1.0) < 1e-16) break;
  }
  return Math.exp(-y + q * Math.log(y) - q * Math.log(-c)) * h;
}

export function argusIntegral(lo: f64, hi: f64, a: usize): f64 {
  const m0 = load<f64>(a), c = load<f64>(a, 8), p = load<f64>(a, 16);
  const l = Math.max(lo, 0.0), h = Math.min(hi, m0);
  if (h <= l) return 0.0;
  const ul = 1.0 - (l / m0) * (l / m0), uh = 1.0 - (h / m0) * (h / m0);
  const inTail = c < 0 && -c * uh > p + 1.0;
  return 0.5 * m0 * m0 * (inTail ? argusTail(uh, c, p) - argusTail(ul, c, p) : argusF(ul, c, p) - argusF(uh, c, p));
}

const SHIFTED = memory.data(3 << 3, 16);

/** ∂/∂c ∫ g dm = ∫ m·u^{p+1}·e^{c·u} dm: the same closed form with p + 1. */
export function argusIntegralDerivative(lo: f64, hi: f64, a: usize): f64 {
  store<f64>(SHIFTED, load<f64>(a));
  store<f64>(SHIFTED, load<f64>(a, 8), 8);
  store<f64>(SHIFTED, load<f64>(a, 16) + 1.0, 16);
  return argusIntegral(lo, hi, SHIFTED);
}
