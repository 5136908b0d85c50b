// The fused f64x2 kernel for the bump-hunt shape: one cached component (the signal at a fixed
// mass, its arguments and their factors fixed; its per-event values sit in a buffer) plus one
// exponential-family background without argument factors, unweighted: expPoly of order ≤ 4, or an
// exponential e^{λm}, which over the sample's range is exactly expPoly order 1 in the mapped
// x = (m − mid)/half with c1 = λ·half (the constant e^{λ·mid} cancels in the normalised density,
// so its normalisation is taken in that shifted frame: no overflow, and ∂/∂λ = half·∂/∂c1).
// Normalisations (vetoes included) are the scalar path's closed forms and quadratures.
// One pass over the events computes the NLL and, on request, every gradient sum.
// No per-event log: Σ ln d_i = ln Π d_i. The product runs in f64x2 with its mantissa renormalised
// at every step and the exponents summed as integers; one log per lane at the end. This is both
// faster (the log is a divide and a long dependency chain) and more accurate than summing logs.
import { constants, vexp, K_MANT, K_ONE } from "./vexp";
import {
  word, setWord, iword, value, sEvents, sData, sWeights, sLo, sHi, sComponents, component, cKind, cArgs, cArgIndex,
  cArgPtr, cBuf, yieldOf, nParams, sMapped, sMappedValid, sFastComponent, cArgFactors,
  cFactorParam, argFactorIndex, sHoles, sHoleLo, sHoleHi,
} from "./model";
import { SAMPLE_MAPPED_VALID } from "../src/core/abi";
import { EXP_POLY, EXPONENTIAL } from "./pdf/index";
import { expPolyMoment } from "./pdf/exppoly";
import { exponentialIntegral } from "./pdf/exponential";
import { GL_N, glNode, glWeight } from "./quadrature";
import {
  freeMask, refresh, refreshNorm, addYieldGradient, addGradient, guardsHold,
} from "./nll";

// Parameter splats (v128 slots) and results (f64 words) of one kernel call.
const P = memory.data(8 * 16, 16);
const P_C1: i32 = 0, P_C2: i32 = 16, P_C3: i32 = 32, P_C4: i32 = 48, P_SB: i32 = 64, P_NU0: i32 = 80;
const OUT = memory.data(16 * 8, 16);
const O_LOG: i32 = 0, O_DMIN: i32 = 8, O_SB: i32 = 16, O_T1: i32 = 24, O_S0: i32 = 56;

@inline function isFixed(p: i32): bool {
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

@inline function pv(off: i32): v128 {
  return v128.load(P + <usize>off);
}

/** The exponent c1·x + c2·x² (+ c3·x³ + c4·x⁴ when `high`), Estrin form. */
@inline function exponent(x: v128, x2: v128, high: bool): v128 {
  let e = f64x2.mul(x, f64x2.add(pv(P_C1), f64x2.mul(pv(P_C2), x)));
  if (high) e = f64x2.add(e, f64x2.mul(f64x2.mul(x2, x), f64x2.add(pv(P_C3), f64x2.mul(pv(P_C4), x))));
  return e;
}

/** Multiply d into the running product, keep its mantissa in [1, 2), return the exponent field. */
@inline function renormalise(prod: v128, K: usize): v128 {
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

/** NLL-only pass over `pairs` event pairs. */
@inline function kernelValue(xs: usize, buf: usize, pairs: i32, high: bool): void {
  const K = constants();
  let prod = f64x2.splat(1.0);
  let expAcc = i64x2.splat(0);
  let dmin = f64x2.splat(Infinity);
  const end = <usize>pairs << 4;
  for (let off: usize = 0; off < end; off += 16) {
    const x = v128.load(xs + off);
    const x2 = f64x2.mul(x, x);
    const e = vexp(exponent(x, x2, high), K);
    const d = f64x2.add(f64x2.mul(pv(P_SB), e), f64x2.mul(pv(P_NU0), v128.load(buf + off)));
    dmin = f64x2.min(dmin, d);
    prod = f64x2.mul(prod, d);
    expAcc = i64x2.add(expAcc, i64x2.shr_u(prod, 52));
    prod = renormalise(prod, K);
  }
  finish(prod, expAcc, pairs, dmin);
}

/** NLL and gradient sums: S_b = Σ e/d, T_k = Σ x^k e/d, S_0 = Σ f_0/d. */
@inline function kernelGrad(xs: usize, buf: usize, pairs: i32, high: bool): void {
  const K = constants();
  let prod = f64x2.splat(1.0);
  let expAcc = i64x2.splat(0);
  let dmin = f64x2.splat(Infinity);
  let sb = f64x2.splat(0), t1 = f64x2.splat(0), t2 = f64x2.splat(0), t3 = f64x2.splat(0), t4 = f64x2.splat(0);
  let s0 = f64x2.splat(0);
  const end = <usize>pairs << 4;
  for (let off: usize = 0; off < end; off += 16) {
    const x = v128.load(xs + off);
    const x2 = f64x2.mul(x, x);
    const e = vexp(exponent(x, x2, high), K);
    const f0 = v128.load(buf + off);
    const d = f64x2.add(f64x2.mul(pv(P_SB), e), f64x2.mul(pv(P_NU0), f0));
    dmin = f64x2.min(dmin, d);
    prod = f64x2.mul(prod, d);
    expAcc = i64x2.add(expAcc, i64x2.shr_u(prod, 52));
    prod = renormalise(prod, K);
    const r = f64x2.div(f64x2.splat(1.0), d);
    const q = f64x2.mul(r, e);
    s0 = f64x2.add(s0, f64x2.mul(r, f0));
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
  store<f64>(OUT + <usize>O_SB, f64x2.extract_lane(sb, 0) + f64x2.extract_lane(sb, 1));
  store<f64>(OUT + <usize>O_T1, f64x2.extract_lane(t1, 0) + f64x2.extract_lane(t1, 1));
  store<f64>(OUT + <usize>O_T1 + 8, f64x2.extract_lane(t2, 0) + f64x2.extract_lane(t2, 1));
  store<f64>(OUT + <usize>O_T1 + 16, f64x2.extract_lane(t3, 0) + f64x2.extract_lane(t3, 1));
  store<f64>(OUT + <usize>O_T1 + 24, f64x2.extract_lane(t4, 0) + f64x2.extract_lane(t4, 1));
  store<f64>(OUT + <usize>O_S0, f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1));
}

function runKernel(xs: usize, buf: usize, pairs: i32, grad: bool, high: bool): void {
  if (grad) {
    if (high) kernelGrad(xs, buf, pairs, true);
    else kernelGrad(xs, buf, pairs, false);
  } else {
    if (high) kernelValue(xs, buf, pairs, true);
    else kernelValue(xs, buf, pairs, false);
  }
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

/** ∫ x^k e^{poly(x)} dm over the sample's range less its vetoes (the background's moments). */
export function backgroundMoment(s: usize, c: usize, k: i32): f64 {
  const lo = sLo(s), hi = sHi(s);
  const mid = 0.5 * (mapLo(s, c) + mapHi(s, c)), half = 0.5 * (mapHi(s, c) - mapLo(s, c));
  const nh = sHoles(s);
  let sum: f64 = 0;
  let start = lo;
  for (let j = 0; j < nh && start < hi; j++) {
    const h0 = sHoleLo(s, j), h1 = sHoleHi(s, j);
    if (h1 <= start) continue;
    if (h0 > start) sum += pieceMoment(c, start, Math.min(h0, hi), k, mid, half);
    start = h1;
  }
  if (start < hi) sum += pieceMoment(c, start, hi, k, mid, half);
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
@inline function coefParam(c: usize, k: i32): i32 {
  return cKind(c) == EXPONENTIAL ? cArgIndex(c, 0) : cArgIndex(c, k + 1);
}
@inline function coefSlope(s: usize, c: usize): f64 {
  return cKind(c) == EXPONENTIAL ? 0.5 * (mapHi(s, c) - mapLo(s, c)) : 1.0;
}

/** One sample through the fused kernel: returns its NLL, adds its gradient when grad ≠ 0. */
export function fastSample(s: usize, grad: usize): f64 {
  const bi = sFastComponent(s);
  const nc = sComponents(s);
  const cb = component(s, bi);
  const c0 = nc == 2 ? component(s, 1 - bi) : 0;
  const n = sEvents(s);
  const xs = sMapped(s);
  let nu0: f64 = 0;
  let buf = xs; // any readable buffer when there is no cached component (its yield is 0)
  if (c0 != 0) {
    if (!refresh(s, c0)) return Infinity;
    nu0 = yieldOf(c0);
    buf = cBuf(c0);
  }
  const scalarNorm = refreshNorm(s, cb); // the guards' density uses it
  const norm = cKind(cb) == EXP_POLY ? scalarNorm : backgroundMoment(s, cb, 0);
  const order = loadCoefficients(s, cb);
  const nuB = yieldOf(cb);
  const scaleB = nuB / norm;
  for (let k = 0; k < 4; k++) v128.store(P + <usize>(16 * k), v128.load64_splat(COEF + (<usize>k << 3)));
  v128.store(P + <usize>P_SB, f64x2.splat(scaleB));
  v128.store(P + <usize>P_NU0, f64x2.splat(nu0));
  if (!(norm > 0) || !guardsHold(s)) return Infinity;
  const pairs = n >> 1;
  runKernel(xs, buf, pairs, grad != 0, order > 2);
  let logSum = load<f64>(OUT + <usize>O_LOG);
  let dmin = pairs > 0 ? load<f64>(OUT + <usize>O_DMIN) : Infinity;
  let Sb = grad != 0 && pairs > 0 ? load<f64>(OUT + <usize>O_SB) : 0.0;
  let S0 = grad != 0 && pairs > 0 ? load<f64>(OUT + <usize>O_S0) : 0.0;
  const T = memory.data(4 << 3, 8);
  for (let k = 0; k < 4; k++) {
    store<f64>(T + (<usize>k << 3), grad != 0 && pairs > 0 ? load<f64>(OUT + <usize>(O_T1 + 8 * k)) : 0.0);
  }
  if (pairs == 0) logSum = 0;
  if (n & 1) {
    // the odd last event, in scalar arithmetic
    const off = <usize>(n - 1) << 3;
    const x = load<f64>(xs + off);
    let p: f64 = 0;
    for (let k = order; k >= 1; k--) p = (p + load<f64>(COEF + (<usize>(k - 1) << 3))) * x;
    const e = Math.exp(p);
    const f0 = load<f64>(buf + off);
    const d = scaleB * e + nu0 * f0;
    dmin = Math.min(dmin, d);
    logSum += Math.log(d);
    const r = 1.0 / d;
    Sb += r * e;
    S0 += r * f0;
    let xk = x;
    for (let k = 0; k < 4; k++) {
      store<f64>(T + (<usize>k << 3), load<f64>(T + (<usize>k << 3)) + r * e * xk);
      xk *= x;
    }
  }
  if (!(dmin > 1e-300)) return Infinity;
  if (grad != 0) {
    if (c0 != 0) addYieldGradient(c0, 1.0 - S0, grad);
    addYieldGradient(cb, 1.0 - Sb / norm, grad);
    for (let k = 1; k <= order; k++) {
      const p = coefParam(cb, k);
      if (isFixed(p)) continue;
      const J = backgroundMoment(s, cb, k);
      addGradient(grad, p, -scaleB * coefSlope(s, cb) * (load<f64>(T + (<usize>(k - 1) << 3)) - Sb * J / norm));
    }
  }
  return nu0 + nuB - logSum;
}
