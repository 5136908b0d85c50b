// The fused f64x2 kernel for the bump-hunt shape: one cached component (the signal at a fixed
// mass, its arguments and their factors fixed; its per-event values sit in a buffer) plus one
// exponential-family background without argument factors, unweighted: expPoly of order ≤ 4, or an
// exponential e^{λm}, which over the sample's range is exactly expPoly order 1 in the mapped
// x = (m − mid)/half with c1 = λ·half (the constant e^{λ·mid} cancels in the normalised density,
// so its normalisation is taken in that shifted frame: no overflow, and ∂/∂λ = half·∂/∂c1).
// The signal is either cached (its per-event values sit in a buffer) or a Gaussian whose mean or
// width floats, computed in the kernel (a second vector exp) with analytic derivatives.
// Normalisations (vetoes included) are the scalar path's closed forms and quadratures.
// One pass over the events computes the NLL and, on request, every gradient sum.
// No per-event log: Σ ln d_i = ln Π d_i. The product runs in f64x2 with its mantissa renormalised
// at every step and the exponents summed as integers; one log per lane at the end. This is both
// faster (the log is a divide and a long dependency chain) and more accurate than summing logs.
import { constants, vexp, K_MANT, K_ONE } from "./vexp";
import {
  word, setWord, iword, value, sEvents, sData, sWeights, sLo, sHi, sComponents, component, cKind, cArgs, cArgIndex,
  cArgPtr, cBuf, yieldOf, nParams, sMapped, sMappedValid, sFastComponent, cArgFactors,
  cFactorParam, argFactorIndex, sHoles, sHoleLo, sHoleHi, cNorm,
} from "./model";
import { SAMPLE_MAPPED_VALID, MAX_HOLES } from "../src/core/abi";
import { EXP_POLY, EXPONENTIAL, GAUSSIAN } from "./pdf/index";
import { expPolyMoment } from "./pdf/exppoly";
import { exponentialIntegral } from "./pdf/exponential";
import { GL_N, glNode, glWeight } from "./quadrature";
import {
  freeMask, refresh, refreshNorm, addYieldGradient, addGradient, guardsHold, rangeIntegralDerivative,
} from "./nll";

// Parameter splats (v128 slots) and results (f64 words) of one kernel call.
// P_NU0 is the signal's coefficient: its yield (cached, normalised buffer) or ν/I (Gaussian).
export const P = memory.data(10 * 16, 16);
export const P_C1: i32 = 0, P_C2: i32 = 16, P_C3: i32 = 32, P_C4: i32 = 48, P_SB: i32 = 64, P_NU0: i32 = 80;
export const P_MU: i32 = 96, P_INVS: i32 = 112, P_MHALF: i32 = 128;
const OUT = memory.data(16 * 8, 16);
const O_LOG: i32 = 0, O_DMIN: i32 = 8, O_SB: i32 = 16, O_T1: i32 = 24, O_S0: i32 = 56, O_G1: i32 = 64;

@inline export function isFixed(p: i32): bool {
  return p >= nParams() || load<f64>(freeMask + (<usize>p << 3)) == 0;
}

/** Whether c can be the kernel's background: expPoly (order ≤ 4, fixed mapping) or exponential. */
function backgroundKind(c: usize): bool {
  if (cArgFactors(c) != 0) return false;
  if (cKind(c) == EXPONENTIAL) return true;
  return cKind(c) == EXP_POLY && cArgs(c) <= 6 && isFixed(cArgIndex(c, 0)) && isFixed(cArgIndex(c, 1));
}

/** Index of the sample's background component when the fast kernel applies to it, else −1. */
export function fastEligible(s: usize): i32 {
  const nc = sComponents(s);
  if (sWeights(s) != 0 || nc < 1 || nc > 2) return -1;
  let b = -1;
  for (let j = 0; j < nc; j++) {
    const c = component(s, j);
    const ng = cArgFactors(c);
    if (b < 0 && backgroundKind(c)) {
      b = j;
      continue;
    }
    if (cKind(c) == GAUSSIAN && ng == 0) continue; // computed in the kernel when its mean or width floats
    // the cached component: constant only if its arguments' bases and factors are all fixed
    for (let a = 0; a < cArgs(c); a++) if (!isFixed(cArgIndex(c, a))) return -1;
    for (let g = 0; g < ng; g++) if (!isFixed(cFactorParam(c, argFactorIndex(c, g)))) return -1;
  }
  if (b < 0) return -1;
  if (!sMappedValid(s)) mapEvents(s, component(s, b));
  return b;
}

/** The background's mapping range: expPoly's own [xlo, xhi] (model constants), else the sample's. */
@inline function mapLo(s: usize, c: usize): f64 {
  return cKind(c) == EXP_POLY ? value(cArgIndex(c, 0)) : sLo(s);
}
@inline function mapHi(s: usize, c: usize): f64 {
  return cKind(c) == EXP_POLY ? value(cArgIndex(c, 1)) : sHi(s);
}

/** x_i = 2(m_i − xlo)/(xhi − xlo) − 1, once per dataset. */
function mapEvents(s: usize, c: usize): void {
  const n = sEvents(s);
  const xs = sMapped(s);
  const m = sData(s);
  const xlo = mapLo(s, c), xhi = mapHi(s, c);
  for (let i = 0; i < n; i++) {
    store<f64>(xs + (<usize>i << 3), 2.0 * (load<f64>(m + (<usize>i << 3)) - xlo) / (xhi - xlo) - 1.0);
  }
  setWord(s, SAMPLE_MAPPED_VALID, 1);
}

@inline export function pv(off: i32): v128 {
  return v128.load(P + <usize>off);
}

/** The exponent c1·x + c2·x² (+ c3·x³ + c4·x⁴ when `high`), Estrin form. */
@inline export function exponent(x: v128, x2: v128, high: bool): v128 {
  let e = f64x2.mul(x, f64x2.add(pv(P_C1), f64x2.mul(pv(P_C2), x)));
  if (high) e = f64x2.add(e, f64x2.mul(f64x2.mul(x2, x), f64x2.add(pv(P_C3), f64x2.mul(pv(P_C4), x))));
  return e;
}

/** Multiply d into the running product, keep its mantissa in [1, 2), return the exponent field. */
@inline export function renormalise(prod: v128, K: usize): v128 {
  return v128.or(v128.and(prod, v128.load(K + <usize>K_MANT)), v128.load(K + <usize>K_ONE));
}

@inline function finish(prod: v128, expAcc: v128, pairs: i32, dmin: v128): void {
  const e0 = <f64>(i64x2.extract_lane(expAcc, 0) - 1023 * <i64>pairs);
  const e1 = <f64>(i64x2.extract_lane(expAcc, 1) - 1023 * <i64>pairs);
  const logSum = Math.log(f64x2.extract_lane(prod, 0)) + Math.log(f64x2.extract_lane(prod, 1)) +
    (e0 + e1) * Math.LN2;
  store<f64>(OUT + <usize>O_LOG, logSum);
  store<f64>(OUT + <usize>O_DMIN, Math.min(f64x2.extract_lane(dmin, 0), f64x2.extract_lane(dmin, 1)));
}

/** The Gaussian signal's t = (m − μ)/σ of a pair (sig = the raw events). */
@inline export function gaussT(sig: usize, off: usize): v128 {
  return f64x2.mul(f64x2.sub(v128.load(sig + off), pv(P_MU)), pv(P_INVS));
}

/** The signal's term of a pair: the cached density f0 (sig = its buffer), or g = exp(−t²/2). */
@inline export function signalTerm(sig: usize, off: usize, t: v128, gauss: bool, K: usize): v128 {
  if (!gauss) return v128.load(sig + off);
  return vexp(f64x2.mul(f64x2.mul(t, t), pv(P_MHALF)), K);
}

/** NLL-only pass over `pairs` event pairs. */
@inline function kernelValue(xs: usize, sig: usize, pairs: i32, high: bool, gauss: bool): void {
  const K = constants();
  let prod = f64x2.splat(1.0);
  let expAcc = i64x2.splat(0);
  let dmin = f64x2.splat(Infinity);
  const end = <usize>pairs << 4;
  for (let off: usize = 0; off < end; off += 16) {
    const x = v128.load(xs + off);
    const x2 = f64x2.mul(x, x);
    const e = vexp(exponent(x, x2, high), K);
    const t = gauss ? gaussT(sig, off) : x;
    const d = f64x2.add(f64x2.mul(pv(P_SB), e), f64x2.mul(pv(P_NU0), signalTerm(sig, off, t, gauss, K)));
    dmin = f64x2.min(dmin, d);
    prod = f64x2.mul(prod, d);
    expAcc = i64x2.add(expAcc, i64x2.shr_u(prod, 52));
    prod = renormalise(prod, K);
  }
  finish(prod, expAcc, pairs, dmin);
}

@inline function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/**
 * NLL and gradient sums: S_b = Σ e/d, T_k = Σ x^k e/d, S_0 = Σ f_0/d (cached signal) or Σ g/d
 * with G_1 = Σ g·t/d, G_2 = Σ g·t²/d (Gaussian signal).
 */
@inline function kernelGrad(xs: usize, sig: usize, pairs: i32, high: bool, gauss: bool): void {
  const K = constants();
  let prod = f64x2.splat(1.0);
  let expAcc = i64x2.splat(0);
  let dmin = f64x2.splat(Infinity);
  let sb = f64x2.splat(0), t1 = f64x2.splat(0), t2 = f64x2.splat(0), t3 = f64x2.splat(0), t4 = f64x2.splat(0);
  let s0 = f64x2.splat(0), g1 = f64x2.splat(0), g2 = f64x2.splat(0);
  const end = <usize>pairs << 4;
  for (let off: usize = 0; off < end; off += 16) {
    const x = v128.load(xs + off);
    const x2 = f64x2.mul(x, x);
    const e = vexp(exponent(x, x2, high), K);
    const t = gauss ? gaussT(sig, off) : x;
    const f0 = signalTerm(sig, off, t, gauss, K);
    const d = f64x2.add(f64x2.mul(pv(P_SB), e), f64x2.mul(pv(P_NU0), f0));
    dmin = f64x2.min(dmin, d);
    prod = f64x2.mul(prod, d);
    expAcc = i64x2.add(expAcc, i64x2.shr_u(prod, 52));
    prod = renormalise(prod, K);
    const r = f64x2.div(f64x2.splat(1.0), d);
    const q = f64x2.mul(r, e);
    const rf = f64x2.mul(r, f0);
    s0 = f64x2.add(s0, rf);
    if (gauss) {
      const rft = f64x2.mul(rf, t);
      g1 = f64x2.add(g1, rft);
      g2 = f64x2.add(g2, f64x2.mul(rft, t));
    }
    sb = f64x2.add(sb, q);
    t1 = f64x2.add(t1, f64x2.mul(q, x));
    t2 = f64x2.add(t2, f64x2.mul(q, x2));
    if (high) {
      const qx2 = f64x2.mul(q, x2);
      t3 = f64x2.add(t3, f64x2.mul(qx2, x));
      t4 = f64x2.add(t4, f64x2.mul(qx2, x2));
    }
  }
  finish(prod, expAcc, pairs, dmin);
  store<f64>(OUT + <usize>O_SB, hsum(sb));
  store<f64>(OUT + <usize>O_T1, hsum(t1));
  store<f64>(OUT + <usize>O_T1 + 8, hsum(t2));
  store<f64>(OUT + <usize>O_T1 + 16, hsum(t3));
  store<f64>(OUT + <usize>O_T1 + 24, hsum(t4));
  store<f64>(OUT + <usize>O_S0, hsum(s0));
  store<f64>(OUT + <usize>O_G1, hsum(g1));
  store<f64>(OUT + <usize>O_G1 + 8, hsum(g2));
}

function runKernel(xs: usize, sig: usize, pairs: i32, grad: bool, high: bool, gauss: bool): void {
  if (gauss) {
    if (grad) {
      if (high) kernelGrad(xs, sig, pairs, true, true);
      else kernelGrad(xs, sig, pairs, false, true);
    } else if (high) kernelValue(xs, sig, pairs, true, true);
    else kernelValue(xs, sig, pairs, false, true);
    return;
  }
  if (grad) {
    if (high) kernelGrad(xs, sig, pairs, true, false);
    else kernelGrad(xs, sig, pairs, false, false);
  } else if (high) kernelValue(xs, sig, pairs, true, false);
  else kernelValue(xs, sig, pairs, false, false);
}

const COEF = memory.data(8 << 3, 16); // the background's c1 … c4 (and the odd event's scratch)

/**
 * ∫ x^k e^{c·x} dm over one allowed piece [p0, p1]: expPoly's own moment (the scalar path's
 * quadrature), or for the exponential its closed form (k = 0) and 128-node Gauss–Legendre (k ≥ 1),
 * in the frame u = m − mid so e^{λ·mid} never appears.
 */
function pieceMoment(c: usize, p0: f64, p1: f64, k: i32, mid: f64, half: f64): f64 {
  const args = cArgPtr(c);
  if (cKind(c) == EXP_POLY) return expPolyMoment(p0, p1, args, cArgs(c) - 2, k);
  if (k == 0) return exponentialIntegral(p0 - mid, p1 - mid, args);
  const lambda = load<f64>(args);
  let sum: f64 = 0;
  for (let i = 0; i < GL_N; i++) {
    const u = glNode(i, p0, p1) - mid;
    sum += glWeight(i, p0, p1) * Math.pow(u / half, <f64>k) * Math.exp(lambda * u);
  }
  return sum;
}

const PIECES = memory.data(2 * (MAX_HOLES + 1) << 3, 16);

/** The allowed pieces [a, b] of the sample's range (less its vetoes) into PIECES; their count. */
export function pieces(s: usize): i32 {
  const lo = sLo(s), hi = sHi(s);
  const nh = sHoles(s);
  let np = 0;
  let start = lo;
  for (let j = 0; j < nh && start < hi; j++) {
    const h0 = sHoleLo(s, j), h1 = sHoleHi(s, j);
    if (h1 <= start) continue;
    if (h0 > start) np = addPiece(np, start, Math.min(h0, hi));
    start = h1;
  }
  if (start < hi) np = addPiece(np, start, hi);
  return np;
}
function addPiece(np: i32, a: f64, b: f64): i32 {
  store<f64>(PIECES + (<usize>(2 * np) << 3), a);
  store<f64>(PIECES + (<usize>(2 * np + 1) << 3), b);
  return np + 1;
}
@inline export function pieceLo(j: i32): f64 { return load<f64>(PIECES + (<usize>(2 * j) << 3)); }
@inline export function pieceHi(j: i32): f64 { return load<f64>(PIECES + (<usize>(2 * j + 1) << 3)); }

/** ∫ x^k e^{poly(x)} dm over the sample's range less its vetoes (the background's moments). */
export function backgroundMoment(s: usize, c: usize, k: i32): f64 {
  const mid = 0.5 * (mapLo(s, c) + mapHi(s, c)), half = 0.5 * (mapHi(s, c) - mapLo(s, c));
  const np = pieces(s);
  let sum: f64 = 0;
  for (let j = 0; j < np; j++) sum += pieceMoment(c, pieceLo(j), pieceHi(j), k, mid, half);
  return sum;
}

/** The background's polynomial order in x and its coefficients into COEF (c_k at word k − 1). */
function loadCoefficients(s: usize, c: usize): i32 {
  const args = cArgPtr(c);
  if (cKind(c) == EXPONENTIAL) {
    store<f64>(COEF, load<f64>(args) * 0.5 * (mapHi(s, c) - mapLo(s, c)));
    for (let k = 1; k < 4; k++) store<f64>(COEF + (<usize>k << 3), 0);
    return 1;
  }
  const order = cArgs(c) - 2;
  for (let k = 0; k < 4; k++) {
    store<f64>(COEF + (<usize>k << 3), k < order ? load<f64>(args + (<usize>(k + 2) << 3)) : 0.0);
  }
  return order;
}

/** The parameter c_k stands for and ∂c_k/∂parameter (the exponential's λ: c1 = λ·half). */
@inline export function coefParam(c: usize, k: i32): i32 {
  return cKind(c) == EXPONENTIAL ? cArgIndex(c, 0) : cArgIndex(c, k + 1);
}
@inline export function coefSlope(s: usize, c: usize): f64 {
  return cKind(c) == EXPONENTIAL ? 0.5 * (mapHi(s, c) - mapLo(s, c)) : 1.0;
}

/** Whether the sample's signal c0 is a Gaussian computed in the kernel (its mean or width floats). */
@inline function inKernelGauss(c0: usize): bool {
  return c0 != 0 && cKind(c0) == GAUSSIAN && (!isFixed(cArgIndex(c0, 0)) || !isFixed(cArgIndex(c0, 1)));
}

// the sums of one sample's pass, the odd event's included
const SUMS = memory.data(10 << 3, 16);
const S_LOG = 0, S_DMIN = 1, S_SB = 2, S_T1 = 3, S_S0 = 7, S_G1 = 8;
@inline function sum(i: i32): f64 { return load<f64>(SUMS + (<usize>i << 3)); }
@inline function addSum(i: i32, v: f64): void { store<f64>(SUMS + (<usize>i << 3), sum(i) + v); }

/** The kernel's sums of `pairs` pairs into SUMS (zero when there are none). */
function collect(pairs: i32, grad: bool): void {
  memory.fill(SUMS, 0, 10 << 3);
  store<f64>(SUMS + (<usize>S_DMIN << 3), Infinity);
  if (pairs == 0) return;
  store<f64>(SUMS + (<usize>S_LOG << 3), load<f64>(OUT + <usize>O_LOG));
  store<f64>(SUMS + (<usize>S_DMIN << 3), load<f64>(OUT + <usize>O_DMIN));
  if (!grad) return;
  store<f64>(SUMS + (<usize>S_SB << 3), load<f64>(OUT + <usize>O_SB));
  for (let k = 0; k < 4; k++) store<f64>(SUMS + (<usize>(S_T1 + k) << 3), load<f64>(OUT + <usize>(O_T1 + 8 * k)));
  store<f64>(SUMS + (<usize>S_S0 << 3), load<f64>(OUT + <usize>O_S0));
  store<f64>(SUMS + (<usize>S_G1 << 3), load<f64>(OUT + <usize>O_G1));
  store<f64>(SUMS + (<usize>(S_G1 + 1) << 3), load<f64>(OUT + <usize>O_G1 + 8));
}

/** The odd last event in scalar arithmetic, added to SUMS. */
function oddEvent(i: i32, xs: usize, sig: usize, order: i32, scaleB: f64, a0: f64, gauss: bool): void {
  const off = <usize>i << 3;
  const x = load<f64>(xs + off);
  let p: f64 = 0;
  for (let k = order; k >= 1; k--) p = (p + load<f64>(COEF + (<usize>(k - 1) << 3))) * x;
  const e = Math.exp(p);
  let t: f64 = 0, f0: f64;
  if (gauss) {
    t = (load<f64>(sig + off) - load<f64>(P + <usize>P_MU)) * load<f64>(P + <usize>P_INVS);
    f0 = Math.exp(-0.5 * t * t);
  } else f0 = load<f64>(sig + off);
  const d = scaleB * e + a0 * f0;
  store<f64>(SUMS + (<usize>S_DMIN << 3), Math.min(sum(S_DMIN), d));
  addSum(S_LOG, Math.log(d));
  const r = 1.0 / d;
  addSum(S_SB, r * e);
  addSum(S_S0, r * f0);
  addSum(S_G1, r * f0 * t);
  addSum(S_G1 + 1, r * f0 * t * t);
  let xk = x;
  for (let k = 0; k < 4; k++) {
    addSum(S_T1 + k, r * e * xk);
    xk *= x;
  }
}

/**
 * The signal's gradient: its yield's, and for a Gaussian in the kernel ∂/∂μ = −(ν/I)(G_1/σ − S_0·I_μ/I),
 * ∂/∂σ = −(ν/I)(G_2/σ − S_0·I_σ/I) (S_0 = Σ g/d; for a cached signal S_0 = Σ f_0/d).
 */
function signalGradient(s: usize, c0: usize, gauss: bool, grad: usize): void {
  if (!gauss) {
    addYieldGradient(c0, 1.0 - sum(S_S0), grad);
    return;
  }
  const norm = cNorm(c0);
  const args = cArgPtr(c0);
  const sigma = load<f64>(args, 8);
  addYieldGradient(c0, 1.0 - sum(S_S0) / norm, grad);
  const a = yieldOf(c0) / norm;
  for (let j = 0; j < 2; j++) {
    const p = cArgIndex(c0, j);
    if (isFixed(p)) continue;
    const J = rangeIntegralDerivative(s, GAUSSIAN, sLo(s), sHi(s), args, 2, j);
    addGradient(grad, p, -a * (sum(S_G1 + j) / sigma - sum(S_S0) * J / norm));
  }
}

/** Set the signal's splats; returns its coefficient (ν cached, ν/I Gaussian), NaN where invalid. */
function signalSetup(s: usize, c0: usize, gauss: bool): f64 {
  if (c0 == 0) return 0;
  if (!gauss) return refresh(s, c0) ? yieldOf(c0) : NaN;
  const norm = refreshNorm(s, c0);
  const args = cArgPtr(c0);
  v128.store(P + <usize>P_MU, v128.load64_splat(args));
  v128.store(P + <usize>P_INVS, f64x2.splat(1.0 / load<f64>(args, 8)));
  v128.store(P + <usize>P_MHALF, f64x2.splat(-0.5));
  return yieldOf(c0) / norm;
}

// One sample's fused set-up (setupFused): its signal c0 (0: none) and background cb, whether the
// signal is a Gaussian computed in the kernel, the signal's coefficient a0 (ν cached, ν/I Gaussian)
// and per-event source, the background's normalisation (shifted frame), order, yield and ν/N.
export let fc0: usize = 0;
export let fcb: usize = 0;
export let fGauss = false;
export let fA0: f64 = 0;
export let fSig: usize = 0;
export let fNorm: f64 = 0;
export let fOrder: i32 = 0;
export let fNuB: f64 = 0;
export let fScaleB: f64 = 0;

/** Refresh the sample's components and set the kernel's splats; false where the NLL is +∞. */
export function setupFused(s: usize): bool {
  const bi = sFastComponent(s);
  fcb = component(s, bi);
  fc0 = sComponents(s) == 2 ? component(s, 1 - bi) : 0;
  fGauss = inKernelGauss(fc0);
  fA0 = signalSetup(s, fc0, fGauss);
  if (isNaN(fA0)) return false;
  // the signal's per-event source: the raw events (Gaussian), its buffer (cached), any readable buffer
  // when there is no signal (its coefficient is 0)
  fSig = fGauss ? sData(s) : fc0 != 0 ? cBuf(fc0) : sMapped(s);
  const scalarNorm = refreshNorm(s, fcb); // the guards' density uses it
  fNorm = cKind(fcb) == EXP_POLY ? scalarNorm : backgroundMoment(s, fcb, 0);
  fOrder = loadCoefficients(s, fcb);
  fNuB = yieldOf(fcb);
  fScaleB = fNuB / fNorm;
  for (let k = 0; k < 4; k++) v128.store(P + <usize>(16 * k), v128.load64_splat(COEF + (<usize>k << 3)));
  v128.store(P + <usize>P_SB, f64x2.splat(fScaleB));
  v128.store(P + <usize>P_NU0, f64x2.splat(fA0));
  return fNorm > 0 && guardsHold(s);
}

/** One sample through the fused kernel: returns its NLL, adds its gradient when grad ≠ 0. */
export function fastSample(s: usize, grad: usize): f64 {
  if (!setupFused(s)) return Infinity;
  const n = sEvents(s);
  const xs = sMapped(s);
  const pairs = n >> 1;
  runKernel(xs, fSig, pairs, grad != 0, fOrder > 2, fGauss);
  collect(pairs, grad != 0);
  if (n & 1) oddEvent(n - 1, xs, fSig, fOrder, fScaleB, fA0, fGauss);
  if (!(sum(S_DMIN) > 1e-300)) return Infinity;
  if (grad != 0) {
    if (fc0 != 0) signalGradient(s, fc0, fGauss, grad);
    const Sb = sum(S_SB);
    addYieldGradient(fcb, 1.0 - Sb / fNorm, grad);
    for (let k = 1; k <= fOrder; k++) {
      const p = coefParam(fcb, k);
      if (isFixed(p)) continue;
      const J = backgroundMoment(s, fcb, k);
      addGradient(grad, p, -fScaleB * coefSlope(s, fcb) * (sum(S_T1 + k - 1) - Sb * J / fNorm));
    }
  }
  const nuS = fc0 != 0 ? yieldOf(fc0) : 0.0;
  return nuS + fNuB - sum(S_LOG);
}
