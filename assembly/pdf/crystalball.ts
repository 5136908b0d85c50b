// Crystal Ball: a Gaussian core with power-law tails, one-sided (low tail) or double-sided.
// t = (m − mean)/σ; the tail below −α is A(B − t)^−n, A = (n/α)^n e^{−α²/2}, B = n/α − α, written
// as e^{−α²/2} s^−n with s = 1 + u, u = −α(α + t)/n ≥ 0, and s^−n = exp(−n·log1p(u)): log1p keeps
// u's digits when u ≪ 1e−16 (huge n), so the tail tends to its limit e^{−α²/2 − α(−t − α)} (an
// exponential) instead of rounding to a flat e^{−α²/2}, and nothing overflows for any n > 0.
// One-sided arguments: [mean, sigma, alpha, n]. Double-sided: [mean, sigmaL, sigmaR, alphaL, nL,
// alphaR, nR]. Integrals are closed form (erf core, power-law tail with the n → 1 logarithm).
import { constants, vexp, vlog } from "../vexp";
import { gaussCoreIntegral } from "./gaussian";

/**
 * Beyond this n the tail is its exponential limit to far below double precision (the corrections
 * are O(α²t²/n)); capping keeps α·Δt/n clear of underflow when n is near the f64 maximum.
 */
const N_MAX: f64 = 1e200;

/** u = s − 1 = −α(α + t)/n ≥ 0 for the oriented t ≤ −α. */
@inline function tailU(t: f64, alpha: f64, n: f64): f64 {
  return -alpha * (alpha + t) / n;
}

/** Tail shape at |t| ≥ α (t measured away from the core, so t ≤ −α here). */
@inline function tailValue(t: f64, alpha: f64, n: f64): f64 {
  n = Math.min(n, N_MAX);
  return Math.exp(-0.5 * alpha * alpha - n * Math.log1p(tailU(t, alpha, n)));
}

/**
 * ∫ tail dt for t in [ta, tb] ⊂ (−∞, −α]: e^{−α²/2} (n/α) ∫_{sb}^{sa} s^−n ds
 * = e^{−α²/2} (n/α) sb^e expm1(e·ln(sa/sb))/e with e = 1 − n. Factoring out the larger end sb^e
 * and taking ln(sa/sb) = log1p(α(tb − ta)/(n·sb)) from the width avoids the cancellation of
 * sa^e − sb^e (far tails, huge n); expm1(e·d)/e → d at n = 1 and stays accurate next to it.
 */
function tailIntegralT(ta: f64, tb: f64, alpha: f64, n: f64): f64 {
  n = Math.min(n, N_MAX);
  const ub = tailU(tb, alpha, n); // sa ≥ sb = 1 + ub ≥ 1
  const d = Math.log1p(alpha * (tb - ta) / n / (1.0 + ub)); // ln(sa/sb) ≥ 0
  const e = 1.0 - n;
  const ratio = e == 0 ? d : Math.expm1(e * d) / e;
  return Math.exp(-0.5 * alpha * alpha + e * Math.log1p(ub)) * (n / alpha) * ratio;
}

/**
 * A peak's h = −∂ln g/∂t (so ∂ln g/∂μ = h/σ, ∂ln g/∂σ = h·t/σ): t in the Gaussian core (t > −α),
 * −α/(1 + u) in the Crystal Ball's tail (a Gaussian: α = +∞).
 */
export function peakSlope(t: f64, alpha: f64, n: f64): f64 {
  if (t > -alpha) return t;
  return -alpha / (1.0 + tailU(t, alpha, Math.min(n, N_MAX)));
}

/** Value of the half on one side: `t` already oriented so the tail is at t < −α. */
@inline function halfValue(t: f64, alpha: f64, n: f64): f64 {
  return t > -alpha ? Math.exp(-0.5 * t * t) : tailValue(t, alpha, n);
}

/** ∫ over oriented t in [ta, tb] ⊂ (−∞, 0] of one half (core above −α, tail below), in t units. */
function halfIntegralT(ta: f64, tb: f64, alpha: f64, n: f64): f64 {
  let sum: f64 = 0;
  const cut = -alpha;
  if (ta < cut) sum += tailIntegralT(ta, Math.min(tb, cut), alpha, n);
  if (tb > cut) sum += gaussCoreIntegral(Math.max(ta, cut), tb, 0.0, 1.0);
  return sum;
}

/** General CB; `alphaR` = +∞ means no upper tail (the one-sided shape). */
function cbValue(m: f64, mean: f64, sL: f64, sR: f64, aL: f64, nL: f64, aR: f64, nR: f64): f64 {
  if (m < mean) return halfValue((m - mean) / sL, aL, nL);
  return halfValue(-(m - mean) / sR, aR, nR);
}

function cbIntegral(lo: f64, hi: f64, mean: f64, sL: f64, sR: f64, aL: f64, nL: f64, aR: f64, nR: f64): f64 {
  let sum: f64 = 0;
  if (lo < mean) sum += sL * halfIntegralT((lo - mean) / sL, (Math.min(hi, mean) - mean) / sL, aL, nL);
  if (hi > mean) sum += sR * halfIntegralT(-(hi - mean) / sR, -(Math.max(lo, mean) - mean) / sR, aR, nR);
  return sum;
}

/**
 * ∂/∂a_j of ∫ g over [lo, hi] for the location and scales, in closed form: for g = h((m − μ)/σ),
 * ∂I/∂μ = g(lo) − g(hi) and ∂I/∂σ = I/σ − [(m − μ)/σ · g(m)] from lo to hi, over the part of [lo, hi]
 * on σ's side of the mean (the double-sided shape's σ_L and σ_R).
 */
export function crystalBallIntegralDerivative(lo: f64, hi: f64, a: usize, j: i32): f64 {
  if (j >= 2) return tailIntegralDerivative(lo, hi, a, j, false);
  const gLo = crystalBallValue(lo, a), gHi = crystalBallValue(hi, a);
  if (j == 0) return gLo - gHi;
  const mean = load<f64>(a), s = load<f64>(a, 8);
  return crystalBallIntegral(lo, hi, a) / s - ((hi - mean) / s * gHi - (lo - mean) / s * gLo);
}

const SHIFTED = memory.data(7 << 3, 16);

/**
 * ∂/∂α (j = 2) or ∂/∂n (j = 3) of the one-sided shape's integral over [lo, hi]: central differences
 * of its closed form, steps 1e-5 of the argument (the integral is smooth in both: ∂g/∂α is
 * continuous where the tail meets the core), extrapolated from h and h/2 (error O(h⁴), ~1e-11).
 */
function tailIntegralDerivative(lo: f64, hi: f64, a: usize, j: i32, double: bool): f64 {
  memory.copy(SHIFTED, a, (double ? 7 : 4) << 3);
  const at = SHIFTED + (<usize>j << 3);
  const x = load<f64>(at);
  const h = 1e-5 * Math.abs(x);
  const coarse = shiftedDifference(lo, hi, at, x, h, double), fine = shiftedDifference(lo, hi, at, x, 0.5 * h, double);
  store<f64>(at, x);
  return (4.0 * fine - coarse) / 3.0;
}

/** The central difference of SHIFTED's integral over [lo, hi] when the argument at `at` moves ±h from x. */
function shiftedDifference(lo: f64, hi: f64, at: usize, x: f64, h: f64, double: bool): f64 {
  store<f64>(at, x + h);
  const up = double ? doubleCBIntegral(lo, hi, SHIFTED) : crystalBallIntegral(lo, hi, SHIFTED);
  store<f64>(at, x - h);
  return (up - (double ? doubleCBIntegral(lo, hi, SHIFTED) : crystalBallIntegral(lo, hi, SHIFTED))) / (2.0 * h);
}

/** The double-sided shape's: μ, σ_L, σ_R in closed form (as the one-sided's); the tails' α, n by differences. */
export function doubleCBIntegralDerivative(lo: f64, hi: f64, a: usize, j: i32): f64 {
  if (j == 0) return doubleCBValue(lo, a) - doubleCBValue(hi, a);
  if (j >= 3) return tailIntegralDerivative(lo, hi, a, j, true);
  const mean = load<f64>(a);
  // σ_L acts on [lo, min(hi, μ)], σ_R on [max(lo, μ), hi]; at m = μ the bracket term is 0
  const l = j == 1 ? lo : Math.max(lo, mean);
  const h = j == 1 ? Math.min(hi, mean) : hi;
  if (!(h > l)) return 0.0;
  const s = load<f64>(a + <usize>(j == 1 ? 8 : 16));
  return doubleCBIntegral(l, h, a) / s - ((h - mean) / s * doubleCBValue(h, a) - (l - mean) / s * doubleCBValue(l, a));
}

export function crystalBallValue(m: f64, a: usize): f64 {
  const s = load<f64>(a, 8);
  return cbValue(m, load<f64>(a), s, s, load<f64>(a, 16), load<f64>(a, 24), Infinity, 1.0);
}

export function crystalBallIntegral(lo: f64, hi: f64, a: usize): f64 {
  const s = load<f64>(a, 8);
  return cbIntegral(lo, hi, load<f64>(a), s, s, load<f64>(a, 16), load<f64>(a, 24), Infinity, 1.0);
}

export function doubleCBValue(m: f64, a: usize): f64 {
  return cbValue(m, load<f64>(a), load<f64>(a, 8), load<f64>(a, 16), load<f64>(a, 24), load<f64>(a, 32),
    load<f64>(a, 40), load<f64>(a, 48));
}

export function doubleCBIntegral(lo: f64, hi: f64, a: usize): f64 {
  return cbIntegral(lo, hi, load<f64>(a), load<f64>(a, 8), load<f64>(a, 16), load<f64>(a, 24), load<f64>(a, 32),
    load<f64>(a, 40), load<f64>(a, 48));
}

/** (1 + u)^−n, by multiplication when n is a small whole number (the usual n = 2…5), else exp/log1p. */
@inline function powNeg(u: f64, n: f64, whole: i32): f64 {
  if (whole == 0) return Math.exp(-n * Math.log1p(u));
  const s = 1.0 + u;
  let p: f64 = s;
  for (let k = 1; k < whole; k++) p *= s;
  return 1.0 / p;
}

/**
 * out[i] = scale · g(xs[i]) for the one-sided Crystal Ball, with the per-call constants hoisted
 * (the tail's e^{−α²/2}, 1/σ, whether n is whole) — the signal cache refill of every scan point and
 * toy — a pair at a time in f64x2: the core by the vector exp (0 where t²/2 > 700: the scalar exp is
 * below 1e-304 there), the tail's (1 + u)^−n by multiplication for a whole n (the usual 2…5), else
 * as the double-sided shape's (peakPairs).
 */
export function crystalBallFill(a: usize, xs: usize, n: i32, out: usize, scale: f64): void {
  const mean = load<f64>(a), inv = 1.0 / load<f64>(a, 8);
  const alpha = load<f64>(a, 16), nn = Math.min(load<f64>(a, 24), N_MAX);
  const tailScale = scale * Math.exp(-0.5 * alpha * alpha);
  const whole = wholePower(nn);
  let start = 0;
  if (whole > 0) start = crystalBallPairs(xs, n >> 1, out, mean, inv, alpha, nn, whole, scale, tailScale);
  else {
    // no tail above the mean: α = ∞ there
    peakSplats(mean, inv, inv, alpha, nn, Infinity, 1.0, scale);
    start = peakPairs(xs, n >> 1, out, 0);
  }
  for (let i = start; i < n; i++) {
    const t = (load<f64>(xs + (<usize>i << 3)) - mean) * inv;
    // beyond t = 38.61 the core's exp(−t²/2) is exactly 0 in f64 (its argument below −745.14): skip it
    const v = t > -alpha
      ? (t > 38.61 ? 0.0 : scale * Math.exp(-0.5 * t * t))
      : tailScale * powNeg(tailU(t, alpha, nn), nn, whole);
    store<f64>(out + (<usize>i << 3), v);
  }
}

/** The f64x2 loop of crystalBallFill over `pairs` pairs (whole n); returns the events it filled. */
function crystalBallPairs(
  xs: usize, pairs: i32, out: usize, mean: f64, inv: f64, alpha: f64, nn: f64, whole: i32, scale: f64, tailScale: f64,
): i32 {
  const K = constants();
  const sp = CB_SPLATS;
  v128.store(sp, f64x2.splat(mean));
  v128.store(sp + 16, f64x2.splat(inv));
  v128.store(sp + 32, f64x2.splat(-alpha));
  v128.store(sp + 48, f64x2.splat(-alpha / nn));
  v128.store(sp + 64, f64x2.splat(scale));
  v128.store(sp + 80, f64x2.splat(tailScale));
  v128.store(sp + 96, f64x2.splat(-0.5));
  v128.store(sp + 112, f64x2.splat(-700));
  v128.store(sp + 128, f64x2.splat(1.0));
  v128.store(sp + 144, f64x2.splat(0.0));
  const end = <usize>pairs << 4;
  for (let off: usize = 0; off < end; off += 16) {
    const t = f64x2.mul(f64x2.sub(v128.load(xs + off), v128.load(sp)), v128.load(sp, 16));
    const e = f64x2.mul(f64x2.mul(t, t), v128.load(sp, 96));
    const core = v128.bitselect(f64x2.mul(vexp(e, K), v128.load(sp, 64)), v128.load(sp, 144),
      f64x2.gt(e, v128.load(sp, 112)));
    // the tail: 1 + u = 1 − α(α + t)/n, to the whole power n
    const b = f64x2.add(v128.load(sp, 128), f64x2.mul(v128.load(sp, 48), f64x2.sub(t, v128.load(sp, 32))));
    let p = b;
    for (let k = 1; k < whole; k++) p = f64x2.mul(p, b);
    const tail = f64x2.div(v128.load(sp, 80), p);
    v128.store(out + off, v128.bitselect(core, tail, f64x2.gt(t, v128.load(sp, 32))));
  }
  return pairs << 1;
}
const CB_SPLATS = memory.data(10 * 16, 16);

/**
 * out[i] = scale · g(xs[i]) for the double-sided Crystal Ball, a pair at a time (peakPairs); an odd
 * last event through its scalar formula.
 */
export function doubleCBFill(a: usize, xs: usize, n: i32, out: usize, scale: f64): void {
  const nL = Math.min(load<f64>(a, 32), N_MAX), nR = Math.min(load<f64>(a, 48), N_MAX);
  peakSplats(load<f64>(a), 1.0 / load<f64>(a, 8), 1.0 / load<f64>(a, 16), load<f64>(a, 24), nL, load<f64>(a, 40), nR,
    scale);
  const wL = wholePower(nL), wR = wholePower(nR);
  const start = peakPairs(xs, n >> 1, out, wL > 0 && wR > 0 ? max(wL, wR) : 0);
  for (let i = start; i < n; i++) {
    store<f64>(out + (<usize>i << 3), scale * doubleCBValue(load<f64>(xs + (<usize>i << 3)), a));
  }
}

/** n when it is a whole number from 1 to 16 (the tail's power by multiplication), else 0. */
@inline function wholePower(n: f64): i32 {
  return n == Math.floor(n) && n >= 1 && n <= 16 ? <i32>n : 0;
}

// peakPairs' splats, each side's (below the mean, then above it): μ, 1/σ, −α, −α/n, n, e^{−α²/2}·scale
const PEAK_SPLATS = memory.data(16 * 16, 16);
const P_MEAN = 0, P_INV = 16, P_NEG_ALPHA = 48, P_SLOPE = 80, P_N = 112, P_TAIL = 144, P_SCALE = 176;
const P_HALF = 192, P_LIMIT = 208, P_ONE = 224, P_ZERO = 240;

function peakSplats(mean: f64, invL: f64, invR: f64, aL: f64, nL: f64, aR: f64, nR: f64, scale: f64): void {
  const sp = PEAK_SPLATS;
  v128.store(sp + P_MEAN, f64x2.splat(mean));
  v128.store(sp + P_INV, f64x2.splat(invL));
  v128.store(sp + P_INV + 16, f64x2.splat(invR));
  v128.store(sp + P_NEG_ALPHA, f64x2.splat(-aL));
  v128.store(sp + P_NEG_ALPHA + 16, f64x2.splat(-aR));
  v128.store(sp + P_SLOPE, f64x2.splat(-aL / nL));
  v128.store(sp + P_SLOPE + 16, f64x2.splat(aR == Infinity ? 0.0 : -aR / nR));
  v128.store(sp + P_N, f64x2.splat(nL));
  v128.store(sp + P_N + 16, f64x2.splat(nR));
  v128.store(sp + P_TAIL, f64x2.splat(scale * Math.exp(-0.5 * aL * aL)));
  v128.store(sp + P_TAIL + 16, f64x2.splat(scale * Math.exp(-0.5 * aR * aR)));
  v128.store(sp + P_SCALE, f64x2.splat(scale));
  v128.store(sp + P_HALF, f64x2.splat(-0.5));
  v128.store(sp + P_LIMIT, f64x2.splat(-700));
  v128.store(sp + P_ONE, f64x2.splat(1.0));
  v128.store(sp + P_ZERO, f64x2.splat(0.0));
}

@inline function side(off: i32, left: v128): v128 {
  return v128.bitselect(v128.load(PEAK_SPLATS + <usize>off), v128.load(PEAK_SPLATS + <usize>off + 16), left);
}

/**
 * The f64x2 loop over `pairs` pairs for peakSplats' shape; returns the events it filled. Each side
 * in its oriented o (+t below the mean, −t above): the core e^{−o²/2} by the vector exp, the tail
 * e^{−α²/2}(1 + u)^−n = e^{−α²/2 − n·log1p(u)}, log1p(u) = ln s − (s − 1 − u)/s with s = 1 + u (the
 * vector log keeps u's digits so: a huge n's tail tends to its exponential limit), 0 where an
 * exponent is below −700 (below 1e-304). With `whole` > 0 (both sides' n whole, the larger of them)
 * the tail is e^{−α²/2}/s^n by multiplication instead.
 */
function peakPairs(xs: usize, pairs: i32, out: usize, whole: i32): i32 {
  const K = constants();
  const sp = PEAK_SPLATS;
  const one = v128.load(sp + P_ONE), zero = v128.load(sp + P_ZERO), limit = v128.load(sp + P_LIMIT);
  const end = <usize>pairs << 4;
  for (let off: usize = 0; off < end; off += 16) {
    const m = v128.load(xs + off);
    const left = f64x2.lt(m, v128.load(sp + P_MEAN));
    const t = f64x2.mul(f64x2.sub(m, v128.load(sp + P_MEAN)), side(P_INV, left));
    const o = v128.bitselect(t, f64x2.neg(t), left);
    const e = f64x2.mul(f64x2.mul(o, o), v128.load(sp + P_HALF));
    const core = v128.bitselect(f64x2.mul(vexp(e, K), v128.load(sp + P_SCALE)), zero, f64x2.gt(e, limit));
    const negAlpha = side(P_NEG_ALPHA, left);
    const u = f64x2.mul(side(P_SLOPE, left), f64x2.sub(o, negAlpha));
    const s = f64x2.add(one, u);
    let tail: v128;
    if (whole > 0) {
      const n = side(P_N, left);
      let p = s;
      let k = one; // s^k so far, each lane up to its side's n
      for (let j = 1; j < whole; j++) {
        p = v128.bitselect(f64x2.mul(p, s), p, f64x2.lt(k, n));
        k = f64x2.add(k, one);
      }
      tail = f64x2.div(side(P_TAIL, left), p);
    } else {
      const log1p = f64x2.sub(vlog(s, K), f64x2.div(f64x2.sub(f64x2.sub(s, one), u), s));
      const x = f64x2.neg(f64x2.mul(side(P_N, left), log1p));
      tail = v128.bitselect(f64x2.mul(vexp(x, K), side(P_TAIL, left)), zero, f64x2.gt(x, limit));
    }
    v128.store(out + off, v128.bitselect(core, tail, f64x2.gt(o, negAlpha)));
  }
  return pairs << 1;
}
