// A peak's part of the general Hessian (general-hessian.ts): the Gaussian, the Crystal Ball and the
// double-sided Crystal Ball with any of their arguments free. For arguments θ_1…θ_P (the first P of
// the shape's, up to the last free one) a component's block holds per event f, f·S_a and
// f·Q_ab (a ≤ b), with S_a = ∂ln g/∂θ_a and Q_ab = ∂²g/∂θ_a∂θ_b / g = ∂²ln g/∂θ_a∂θ_b + S_a·S_b.
// Each side of the shape is a core e^{−o²/2} with a power-law tail at o < −α, in the oriented
// o = ±(m − μ)/σ_side (+ below μ, − above; the one-sided shapes: one σ, no tail above μ); an
// argument is the mean, a σ, an α or an n acting on one side or both, so S and ∂²ln g come from the
// side's ℓ(o) = ln g: ℓ_o, ℓ_oo and, with a free tail, ℓ_α, ℓ_n and their derivatives. The
// normalisation's ∂²I is closed form for the mean and widths and extrapolated differences of I's
// closed form (or of its closed-form derivatives) where a tail's α or n takes part.
import { constants, vlog } from "./vexp";
import { cKind, cArgPtr, cArgs, sLo, sHi } from "./model";
import { GAUSSIAN, CRYSTAL_BALL, DOUBLE_CB, pdfValue, pdfIntegral, pdfIntegralDerivative } from "./pdf/index";
import { peakSlope, doubleCBValue, doubleCBIntegral, doubleCBIntegralDerivative } from "./pdf/crystalball";
import { rangeIntegral, rangeIntegralDerivative } from "./nll";
import { pieces, pieceLo, pieceHi } from "./fastpath";
import { i32At, setI32 } from "./memory";

const MAX_PEAKS = 8; // components per sample (general-hessian.ts's MAX_C)
/** The most arguments of a peak (the double-sided Crystal Ball's seven). */
export const MAX_P = 7;
/** The largest block: f, P scores and P(P + 1)/2 second derivatives. */
export const MAX_BLOCK = 1 + MAX_P + (MAX_P * (MAX_P + 1)) / 2;

const MU = 0, SIGMA = 1, ALPHA = 2, N = 3; // an argument's role
const BOTH = 0, LEFT = 1, RIGHT = 2; // the side it acts on

// per component: μ, 1/σ_L, 1/σ_R, −α_L, α_L/n_L, 1/n_L, −α_R, α_R/n_R, 1/n_R, 1 (splats)
const SPLAT_BYTES = 160;
const SPLATS = memory.data(MAX_PEAKS * SPLAT_BYTES, 16);
const ROLE = memory.data(MAX_PEAKS * MAX_P * 4, 16);
const SIDE = memory.data(MAX_PEAKS * MAX_P * 4, 16);
const ARGS_P = memory.data(MAX_PEAKS * 4, 16); // P
const TAILS = memory.data(MAX_PEAKS * 4, 16); // 1 when an α or n is among the P
const SR = memory.data(4 * 16, 16); // one pair's S per role
const LR = memory.data(16 * 16, 16); // one pair's ∂²ln g per pair of roles
const MASK = memory.data(3 * 16, 16); // both sides, below μ, above μ


/** The block's index of Q_ab (1 ≤ a ≤ b ≤ P); S_a is at a, f at 0. */
@inline export function pairIndex(P: i32, a: i32, b: i32): i32 {
  return 1 + P + (a - 1) * P - ((a - 1) * (a - 2)) / 2 + (b - a);
}

/** The block's size for P arguments. */
export function blockSize(P: i32): i32 {
  return 1 + P + (P * (P + 1)) / 2;
}

/** Whether c is a peak this module takes. */
export function isPeak(c: usize): bool {
  const kind = cKind(c);
  return kind == GAUSSIAN || kind == CRYSTAL_BALL || kind == DOUBLE_CB;
}

/** Component j (c, a peak) with its first P arguments in the block: its splats and arguments' roles. */
export function peakLayout(j: i32, c: usize, P: i32): void {
  const kind = cKind(c), a = cArgPtr(c);
  const double = kind == DOUBLE_CB;
  const sL = load<f64>(a, 8), sR = double ? load<f64>(a, 16) : sL;
  const aL = kind == GAUSSIAN ? Infinity : load<f64>(a + (double ? 24 : 16));
  const nL = kind == GAUSSIAN ? 1.0 : Math.min(load<f64>(a + (double ? 32 : 24)), 1e200);
  const aR = double ? load<f64>(a, 40) : Infinity;
  const nR = double ? Math.min(load<f64>(a, 48), 1e200) : 1.0;
  const q = SPLATS + <usize>j * SPLAT_BYTES;
  v128.store(q, f64x2.splat(load<f64>(a)));
  v128.store(q, f64x2.splat(1.0 / sL), 16);
  v128.store(q, f64x2.splat(1.0 / sR), 32);
  v128.store(q, f64x2.splat(-aL), 48);
  v128.store(q, f64x2.splat(aL / nL), 64);
  v128.store(q, f64x2.splat(1.0 / nL), 80);
  v128.store(q, f64x2.splat(-aR), 96);
  v128.store(q, f64x2.splat(aR / nR), 112);
  v128.store(q, f64x2.splat(1.0 / nR), 128);
  v128.store(q, f64x2.splat(1.0), 144);
  let tails = 0;
  for (let x = 0; x < P; x++) {
    let role = x == 0 ? MU : x == 1 ? SIGMA : x == 2 ? ALPHA : N;
    let side = BOTH;
    if (double && x > 0) {
      role = x <= 2 ? SIGMA : x == 3 || x == 5 ? ALPHA : N;
      side = x == 1 || x == 3 || x == 4 ? LEFT : RIGHT;
    }
    if (role >= ALPHA) tails = 1;
    setI32(ROLE, j * MAX_P + x, role);
    setI32(SIDE, j * MAX_P + x, side);
  }
  setI32(ARGS_P, j, P);
  setI32(TAILS, j, tails);
}

@inline function sel(q: usize, off: usize, left: v128): v128 {
  return v128.bitselect(v128.load(q + off), v128.load(q + off + 48), left);
}
@inline function putS(role: i32, v: v128): void { v128.store(SR + (<usize>role << 4), v); }
@inline function putL(r: i32, s: i32, v: v128): void {
  v128.store(LR + (<usize>(r * 4 + s) << 4), v);
  v128.store(LR + (<usize>(s * 4 + r) << 4), v);
}

/** Component j's block for one pair of events m (f: its normalised density there) from p on. */
@inline export function peakBlock(j: i32, p: usize, m: v128, f: v128): void {
  const q = SPLATS + <usize>j * SPLAT_BYTES;
  const one = v128.load(q, 144);
  const zero = f64x2.sub(one, one);
  const left = f64x2.lt(m, v128.load(q));
  const inv = v128.bitselect(v128.load(q, 16), v128.load(q, 32), left);
  const t = f64x2.mul(f64x2.sub(m, v128.load(q)), inv);
  const o = v128.bitselect(t, f64x2.neg(t), left);
  const sgn = v128.bitselect(one, f64x2.neg(one), left);
  const negAlpha = sel(q, 48, left), slope = sel(q, 64, left), invN = sel(q, 80, left);
  const core = f64x2.gt(o, negAlpha);
  const s1 = f64x2.sub(one, f64x2.mul(slope, f64x2.sub(o, negAlpha))); // 1 + u in the tail
  const is1 = f64x2.div(one, s1), is2 = f64x2.mul(is1, is1);
  const alpha = f64x2.neg(negAlpha);
  // ℓ_o = −o, ℓ_oo = −1 in the core; α/(1 + u) and α²/(n(1 + u)²) in the tail
  const lo = v128.bitselect(f64x2.neg(o), f64x2.mul(alpha, is1), core);
  const loo = v128.bitselect(f64x2.neg(one), f64x2.mul(f64x2.mul(alpha, alpha), f64x2.mul(invN, is2)), core);
  const inv2 = f64x2.mul(inv, inv);
  putS(MU, f64x2.mul(f64x2.neg(sgn), f64x2.mul(lo, inv)));
  putS(SIGMA, f64x2.neg(f64x2.mul(f64x2.mul(lo, o), inv)));
  putL(MU, MU, f64x2.mul(loo, inv2));
  putL(MU, SIGMA, f64x2.mul(sgn, f64x2.mul(f64x2.add(f64x2.mul(loo, o), lo), inv2)));
  putL(SIGMA, SIGMA, f64x2.mul(f64x2.mul(o, f64x2.add(f64x2.mul(loo, o), f64x2.add(lo, lo))), inv2));
  if (i32At(TAILS, j) != 0) tailDerivatives(core, o, alpha, s1, is1, is2, invN, sgn, inv, one, zero);
  const P = i32At(ARGS_P, j);
  v128.store(MASK, f64x2.eq(one, one));
  v128.store(MASK + 16, left);
  v128.store(MASK + 32, v128.not(left));
  for (let x = 1; x <= P; x++) {
    const rx = i32At(ROLE, j * MAX_P + x - 1);
    const mx = v128.load(MASK + (<usize>i32At(SIDE, j * MAX_P + x - 1) << 4));
    const sx = v128.load(SR + (<usize>rx << 4));
    v128.store(p + (<usize>x << 4), v128.and(f64x2.mul(f, sx), mx));
    for (let y = x; y <= P; y++) {
      const ry = i32At(ROLE, j * MAX_P + y - 1);
      const my = v128.and(mx, v128.load(MASK + (<usize>i32At(SIDE, j * MAX_P + y - 1) << 4)));
      const l = v128.load(LR + (<usize>(rx * 4 + ry) << 4));
      const qxy = f64x2.add(l, f64x2.mul(sx, v128.load(SR + (<usize>ry << 4))));
      v128.store(p + (<usize>pairIndex(P, x, y) << 4), v128.and(f64x2.mul(f, qxy), my));
    }
  }
}

/**
 * The tail's derivatives (0 in the core), with w = 2α + o and u = s1 − 1: ℓ_α = −α + w/s1,
 * ℓ_n = u/s1 − ln s1, ℓ_αα = −1 + (2s1 + w²/n)/s1², ℓ_αn = w·u/(n·s1²), ℓ_nn = u²/(n·s1²),
 * ℓ_αo = (s1 + α·w/n)/s1², ℓ_no = α·u/(n·s1²); then ∂o/∂μ = −sgn/σ and ∂o/∂σ = −o/σ.
 */
@inline function tailDerivatives(
  core: v128, o: v128, alpha: v128, s1: v128, is1: v128, is2: v128, invN: v128, sgn: v128, inv: v128, one: v128,
  zero: v128,
): void {
  const w = f64x2.add(f64x2.add(alpha, alpha), o);
  const u = f64x2.sub(s1, one);
  const la = f64x2.sub(f64x2.mul(w, is1), alpha);
  const ln = f64x2.sub(f64x2.mul(u, is1), vlog(s1, constants()));
  const nis2 = f64x2.mul(invN, is2);
  const laa = f64x2.sub(f64x2.mul(f64x2.add(f64x2.add(s1, s1), f64x2.mul(f64x2.mul(w, w), invN)), is2), one);
  const lan = f64x2.mul(f64x2.mul(w, u), nis2);
  const lnn = f64x2.mul(f64x2.mul(u, u), nis2);
  const lao = f64x2.mul(f64x2.add(s1, f64x2.mul(f64x2.mul(alpha, w), invN)), is2);
  const lno = f64x2.mul(f64x2.mul(alpha, u), nis2);
  const muScale = f64x2.neg(f64x2.mul(sgn, inv)), sigmaScale = f64x2.neg(f64x2.mul(o, inv));
  putS(ALPHA, v128.bitselect(zero, la, core));
  putS(N, v128.bitselect(zero, ln, core));
  putL(ALPHA, ALPHA, v128.bitselect(zero, laa, core));
  putL(ALPHA, N, v128.bitselect(zero, lan, core));
  putL(N, N, v128.bitselect(zero, lnn, core));
  putL(MU, ALPHA, v128.bitselect(zero, f64x2.mul(lao, muScale), core));
  putL(MU, N, v128.bitselect(zero, f64x2.mul(lno, muScale), core));
  putL(SIGMA, ALPHA, v128.bitselect(zero, f64x2.mul(lao, sigmaScale), core));
  putL(SIGMA, N, v128.bitselect(zero, f64x2.mul(lno, sigmaScale), core));
}

/**
 * ∂²I/∂a_j∂a_k of a one-sided peak (Gaussian or Crystal Ball) over the sample's allowed pieces
 * (j + k: 0 μμ, 1 μσ, 2 σσ); also the fused kernel's Gaussian's (hessian.ts).
 */
export function peakNormSecond(s: usize, kind: i32, args: usize, na: i32, jk: i32): f64 {
  const mean = load<f64>(args), sg = load<f64>(args, 8);
  const alpha = kind == CRYSTAL_BALL ? load<f64>(args, 16) : Infinity;
  const n = kind == CRYSTAL_BALL ? load<f64>(args, 24) : 1.0;
  const np = pieces(s);
  let sum: f64 = 0;
  for (let q = 0; q < np; q++) {
    const lo = pieceLo(q), hi = pieceHi(q);
    const I = jk == 2 ? pdfIntegral(kind, lo, hi, args, na) : 0.0;
    const Is = jk == 2 ? pdfIntegralDerivative(kind, lo, hi, args, na, 1) : 0.0;
    const ga = pdfValue(kind, lo, args, na), gb = pdfValue(kind, hi, args, na);
    sum += sideSecond(lo, hi, mean, sg, alpha, n, 1.0, ga, gb, I, Is, jk);
  }
  return sum;
}

/**
 * The double-sided Crystal Ball's ∂²I (jk: 0 μμ, 1 μσ_L, 2 μσ_R, 3 σ_Lσ_L, 4 σ_Rσ_R) over the
 * sample's allowed pieces: each piece's part below μ is a one-sided peak in σ_L, its part above μ one
 * in σ_R (oriented o = −t); at m = μ both parts' boundary terms vanish (h = t = 0).
 */
function doublePeakNormSecond(s: usize, args: usize, jk: i32): f64 {
  const mean = load<f64>(args);
  const which = jk == 0 ? 0 : jk <= 2 ? 1 : 2; // μμ, μσ, σσ
  const np = pieces(s);
  let sum: f64 = 0;
  for (let q = 0; q < np; q++) {
    const lo = pieceLo(q), hi = pieceHi(q);
    if (jk != 2 && jk != 4 && lo < mean) sum += doubleSide(args, lo, Math.min(hi, mean), 0, which);
    if (jk != 1 && jk != 3 && hi > mean) sum += doubleSide(args, Math.max(lo, mean), hi, 1, which);
  }
  return sum;
}

/** One side's part [a, b] of the double-sided shape (side 0 below the mean, 1 above). */
function doubleSide(args: usize, a: f64, b: f64, side: i32, which: i32): f64 {
  const sg = load<f64>(args + 8 + 8 * <usize>side);
  const tail = args + 24 + 16 * <usize>side; // its α, n
  const I = which == 2 ? doubleCBIntegral(a, b, args) : 0.0;
  const Is = which == 2 ? doubleCBIntegralDerivative(a, b, args, 1 + side) : 0.0;
  const sgn: f64 = side == 0 ? 1.0 : -1.0;
  const ga = doubleCBValue(a, args), gb = doubleCBValue(b, args);
  return sideSecond(a, b, load<f64>(args), sg, load<f64>(tail), load<f64>(tail, 8), sgn, ga, gb, I, Is, which);
}

/**
 * ∂²I over [a, b] for one side of a peak, g = G(t), t = (m − μ)/σ (the side's shape in o = sgn·t,
 * G' = −h·G with h = sgn·peakSlope(o)), from I_μ = −[G] and I_σ = I/σ − [t·G] ([F] = F(b) − F(a)):
 * which 0: I_μμ = −[h·G]/σ; 1: I_μσ = −[h·G·t]/σ; 2: I_σσ = I_σ/σ − I/σ² + [t·G − t²·h·G]/σ (I, I_σ
 * of [a, b] given).
 */
function sideSecond(
  a: f64, b: f64, mean: f64, sg: f64, alpha: f64, n: f64, sgn: f64, ga: f64, gb: f64, I: f64, Is: f64, which: i32,
): f64 {
  const ta = (a - mean) / sg, tb = (b - mean) / sg;
  const hga = sgn * peakSlope(sgn * ta, alpha, n) * ga, hgb = sgn * peakSlope(sgn * tb, alpha, n) * gb;
  if (which == 0) return -(hgb - hga) / sg;
  if (which == 1) return -(hgb * tb - hga * ta) / sg;
  return Is / sg - I / (sg * sg) + (tb * gb - ta * ga - (tb * tb * hgb - ta * ta * hga)) / sg;
}

/** Component j's normalisation derivatives into mom (its moments): J_a at a, ∂²I_ab at pairIndex. */
export function peakMoments(s: usize, c: usize, j: i32, mom: usize): void {
  const P = i32At(ARGS_P, j);
  const kind = cKind(c), args = cArgPtr(c), na = cArgs(c);
  for (let x = 1; x <= P; x++) {
    store<f64>(mom + (<usize>x << 3), rangeIntegralDerivative(s, kind, sLo(s), sHi(s), args, na, x - 1));
    for (let y = x; y <= P; y++) store<f64>(mom + (<usize>pairIndex(P, x, y) << 3), normSecond(s, c, x - 1, y - 1));
  }
}

/**
 * ∂²I/∂a_a∂a_b (arguments a ≤ b): closed form for the mean and widths; extrapolated central
 * differences of the closed-form ∂I/∂a_a in a_b (a a mean or width, b a tail's: steps 1e-4 of the
 * argument), or of I itself (both a tail's: steps 4e-3, whose O(h⁴) error, 1e-10, matches I's
 * rounding, 1e-15, over h² — the derivative is good to about 1e-9 of I/a²).
 */
function normSecond(s: usize, c: usize, a: i32, b: i32): f64 {
  const kind = cKind(c), args = cArgPtr(c), na = cArgs(c);
  const double = kind == DOUBLE_CB;
  const scales = double ? 3 : 2; // μ and the widths
  if (b < scales) {
    if (!double) return peakNormSecond(s, kind, args, na, a + b);
    if (a == 1 && b == 2) return 0.0; // σ_L and σ_R act on different sides
    return doublePeakNormSecond(s, args, a == 0 ? b : 2 + a);
  }
  if (a < scales) return (4.0 * firstDifference(s, c, a, b, 0.5e-4) - firstDifference(s, c, a, b, 1e-4)) / 3.0;
  if (a == b) return (4.0 * secondDifference(s, c, a, 2e-3) - secondDifference(s, c, a, 4e-3)) / 3.0;
  return (4.0 * mixedDifference(s, c, a, b, 2e-3) - mixedDifference(s, c, a, b, 4e-3)) / 3.0;
}

/** I (k < 0) or ∂I/∂a_k with argument b at x. */
function integralAt(s: usize, c: usize, k: i32, b: i32, x: f64): f64 {
  const args = cArgPtr(c);
  const at = args + (<usize>b << 3);
  const keep = load<f64>(at);
  store<f64>(at, x);
  const kind = cKind(c), na = cArgs(c), lo = sLo(s), hi = sHi(s);
  const v = k < 0 ? rangeIntegral(s, kind, lo, hi, args, na) : rangeIntegralDerivative(s, kind, lo, hi, args, na, k);
  store<f64>(at, keep);
  return v;
}

function firstDifference(s: usize, c: usize, a: i32, b: i32, step: f64): f64 {
  const x = load<f64>(cArgPtr(c) + (<usize>b << 3)), h = step * Math.abs(x);
  return (integralAt(s, c, a, b, x + h) - integralAt(s, c, a, b, x - h)) / (2.0 * h);
}

function secondDifference(s: usize, c: usize, a: i32, step: f64): f64 {
  const x = load<f64>(cArgPtr(c) + (<usize>a << 3)), h = step * Math.abs(x);
  return (integralAt(s, c, -1, a, x + h) - 2.0 * integralAt(s, c, -1, a, x) + integralAt(s, c, -1, a, x - h)) / (h * h);
}

/** (I(x+h, y+k) − I(x+h, y−k) − I(x−h, y+k) + I(x−h, y−k))/(4hk) in arguments a and b. */
function mixedDifference(s: usize, c: usize, a: i32, b: i32, step: f64): f64 {
  const args = cArgPtr(c);
  const ya = args + (<usize>b << 3);
  const y = load<f64>(ya), k = step * Math.abs(y);
  store<f64>(ya, y + k);
  const up = firstDifference(s, c, -1, a, step);
  store<f64>(ya, y - k);
  const down = firstDifference(s, c, -1, a, step);
  store<f64>(ya, y);
  return (up - down) / (2.0 * k);
}
