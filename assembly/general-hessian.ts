// The analytic Hessian of a general sample (general.ts models) whose free parameters are yields
// (their factors' parameters), the coefficients of polynomial-family, exponential-family and ARGUS
// shapes, and the means and widths of peaks (Gaussian, Crystal Ball and double-sided Crystal Ball
// with their tails fixed), with its NLL and gradient, in one f64x2 pass. With d = Σ_c ν_c f_c,
// f_c = g_c/I_c:
//   ∂²NLL/∂a∂b = ∂²Σν/∂a∂b − Σ_i w_i ∂²d_i/∂a∂b / d_i + Σ_i w_i ∂_a d_i ∂_b d_i / d_i².
// Each component c contributes a block of per-event functions: f_c, then B_k (polynomial families:
// ∂g/∂a_k = B_k), φ^k f_c (exponential families and ARGUS, ∂g/∂c_k = φ^k g) or a peak's scores and
// second derivatives (f·h, f·h·t, f·q, … with t = (m − μ)/σ, h = −∂ln g/∂t, q = ∂²g/∂t² / g). Every
// ∂d/∂a is a fixed combination (row U_a) of the blocks' first functions, so the pass sums
// M_kl = Σ w φ_k φ_l/d² over those and the linear sums L_j = Σ w φ_j/d over whole blocks. Then
// H = U M Uᵀ − W, W from L and the normalisations' derivatives (J_k = ∫B_k; N_m = ∫φ^m g; a peak's
// ∂I and ∂²I in closed form from its values at the pieces' ends). The pass's Σ w ln d is the general
// passes' (product of densities unweighted, vector log weighted); an odd last event runs as a masked
// pair.
import { constants, vexp, vlog, K_MANT, K_ONE } from "./vexp";
import {
  sData, sWeights, sEvents, sLo, sHi, sComponents, component, cKind, cArgs, cBuf, cArgPtr, cArgIndex, cNorm,
  cArgFactors, yieldOf, yieldDerivative,
} from "./model";
import { CHEBYSHEV, POLYNOMIAL, EXP_POLY, EXPONENTIAL, ARGUS } from "./pdf/index";
import { expPolyMoment } from "./pdf/exppoly";
import { argusIntegral } from "./pdf/argus";
import { GL_N, glNode, glWeight } from "./quadrature";
import { rangeIntegralDerivative, freeSlot, nFreeSlots } from "./nll";
import { refreshSample, argFloats } from "./general";
import { pieces, pieceLo, pieceHi } from "./fastpath";
import { yieldSecond, yieldParams } from "./hessian";
import { isPeak, peakLayout, peakBlock, peakMoments, blockSize, pairIndex, MAX_P, MAX_BLOCK } from "./peak-hessian";
import { i32At, setI32, f64At, setF64 } from "./memory";

const MAX_C = 8; // components
const MAX_K = 4; // shape coefficients per component (order)
const NPHI = MAX_C * MAX_BLOCK; // block functions (a peak's are the most, 2·MAX_K + 1 fit)
const NBASIS = MAX_C * (MAX_P + 1);
const NLOC = MAX_C * (MAX_P + 1);

const NU = memory.data(MAX_C * 16, 16); // ν_c splats
const BUF = memory.data(MAX_C * 8, 16);
const MAP = memory.data(MAX_C * 32, 16); // φ = α·m + β (u = 1 − (α·m)² for ARGUS): α, β splats
const PHI = memory.data(NPHI * 16, 16); // one pair's block functions
const LACC = memory.data(NPHI * 16, 16);
const MACC = memory.data(NBASIS * NBASIS * 16, 16);
const MIDX = memory.data(NBASIS * NBASIS * 8, 16); // the (k, l ≥ k) pairs of M: PHI byte offsets
const BASIS = memory.data(NBASIS * 4, 16); // basis function k of M → its PHI index
const C_KIND = memory.data(MAX_C * 4, 16); // 0 plain, 1 polynomial family, 2 exponential family, 3 peak
const C_MAP = memory.data(MAX_C * 4, 16); // φ: 0 x = α·m + β, 1 m, 2 u = 1 − (α·m)²; C_CHEB: T_k, else x^k
const C_CHEB = memory.data(MAX_C * 4, 16);
const C_ORDER = memory.data(MAX_C * 4, 16); // K_c (a peak: its P arguments in the block)
const C_PHI = memory.data(MAX_C * 4, 16); // first PHI index of the block
const C_BASIS = memory.data(MAX_C * 4, 16); // first basis index of the block
const CONST = memory.data(3 * 16, 16); // 0, 1, the first lane's mask
const PLAIN = 0, LINEAR = 1, EXPFAM = 2, PEAK = 3;
let nPhi = 0;
let nBasis = 0;
let nPairs = 0;
let logSum: f64 = 0;
let dmin: f64 = 0;

@inline function lin(j: i32): f64 {
  return load<f64>(LACC + (<usize>j << 4)) + load<f64>(LACC + (<usize>j << 4) + 8);
}

/** The coefficient order k argument a of c stands for (a peak: a + 1, every argument; 0: none). */
function coefOrder(c: usize, a: i32): i32 {
  const kind = cKind(c);
  if (isPeak(c)) return a + 1;
  if (kind == CHEBYSHEV || kind == POLYNOMIAL || kind == EXP_POLY) return a >= 2 ? a - 1 : 0;
  if (kind == EXPONENTIAL) return a == 0 ? 1 : 0;
  if (kind == ARGUS) return a == 1 ? 1 : 0;
  return 0;
}

/**
 * The highest floating coefficient order of c (0: its shape is constant), −1 where no Hessian
 * applies: a floating argument that is not a coefficient, or carries factors. (nllHess asks only
 * when no parameter is differentiated numerically, so every free argument floats analytically.)
 */
function floatingOrder(c: usize): i32 {
  let order = 0;
  for (let a = 0; a < cArgs(c); a++) {
    if (!argFloats(c, a)) continue;
    const k = coefOrder(c, a);
    if (k == 0 || cArgFactors(c) != 0) return -1;
    order = max(order, k);
  }
  return order > MAX_K && !isPeak(c) ? -1 : order;
}

/** Whether generalHessian applies to sample s. */
export function generalHessianAvailable(s: usize): bool {
  const nc = sComponents(s);
  if (nc < 1 || nc > MAX_C) return false;
  for (let j = 0; j < nc; j++) if (floatingOrder(component(s, j)) < 0) return false;
  return true;
}

/** The blocks' layout and the pass's splats for sample s. */
function layout(s: usize): void {
  const nc = sComponents(s);
  nPhi = 0;
  nBasis = 0;
  for (let j = 0; j < nc; j++) {
    const c = component(s, j);
    const K = floatingOrder(c);
    const kind = cKind(c);
    const fam = K == 0 ? PLAIN : kind == CHEBYSHEV || kind == POLYNOMIAL ? LINEAR : isPeak(c) ? PEAK : EXPFAM;
    setI32(C_KIND, j, fam);
    setI32(C_MAP, j, kind == EXPONENTIAL ? 1 : kind == ARGUS ? 2 : 0);
    setI32(C_CHEB, j, kind == CHEBYSHEV ? 1 : 0);
    setI32(C_ORDER, j, K);
    setI32(C_PHI, j, nPhi);
    setI32(C_BASIS, j, nBasis);
    for (let k = 0; k <= K; k++) setI32(BASIS, nBasis + k, nPhi + k);
    nBasis += K + 1;
    nPhi += fam == PEAK ? blockSize(K) : fam == EXPFAM ? 2 * K + 1 : K + 1;
    v128.store(NU + (<usize>j << 4), f64x2.splat(yieldOf(c)));
    store<usize>(BUF + (<usize>j << 3), cBuf(c));
    const a = cArgPtr(c);
    let alpha: f64 = 1, beta: f64 = 0;
    if (kind == ARGUS) alpha = 1.0 / load<f64>(a);
    else if (kind == CHEBYSHEV || kind == POLYNOMIAL || kind == EXP_POLY) {
      alpha = 2.0 / (load<f64>(a, 8) - load<f64>(a));
      beta = -alpha * load<f64>(a) - 1.0;
    } else if (fam == PEAK) peakLayout(j, c, K);
    v128.store(MAP + (<usize>j << 5), f64x2.splat(alpha));
    v128.store(MAP + (<usize>j << 5) + 16, f64x2.splat(beta));
  }
  nPairs = 0;
  for (let k = 0; k < nBasis; k++) {
    for (let l = k; l < nBasis; l++) {
      store<i32>(MIDX + (<usize>nPairs << 3), i32At(BASIS, k) << 4);
      store<i32>(MIDX + (<usize>nPairs << 3) + 4, i32At(BASIS, l) << 4);
      nPairs++;
    }
  }
  memory.fill(LACC, 0, <usize>nPhi << 4);
  memory.fill(MACC, 0, <usize>nPairs << 4);
  v128.store(CONST, f64x2.splat(0));
  v128.store(CONST + 16, f64x2.splat(1));
  v128.store(CONST + 32, i64x2.replace_lane(i64x2.splat(-1), 1, 0));
}

@inline function cv(off: i32): v128 { return v128.load(CONST + <usize>off); }
@inline function ld(p: usize, tail: bool): v128 { return tail ? v128.load64_splat(p) : v128.load(p); }

/** φ of component j at a pair of events m. */
@inline function mapOf(j: i32, m: v128): v128 {
  const how = i32At(C_MAP, j);
  if (how == 1) return m;
  const alpha = v128.load(MAP + (<usize>j << 5));
  if (how == 2) {
    const t = f64x2.mul(m, alpha);
    return f64x2.sub(cv(16), f64x2.mul(t, t));
  }
  return f64x2.add(f64x2.mul(m, alpha), v128.load(MAP + (<usize>j << 5) + 16));
}

/** Component j's block functions of one pair into PHI (f, then B_k, φ^k f or a peak's). */
@inline function block(j: i32, m: v128, f: v128): void {
  const p = PHI + (<usize>i32At(C_PHI, j) << 4);
  v128.store(p, f);
  const fam = i32At(C_KIND, j);
  if (fam == PLAIN) return;
  const K = i32At(C_ORDER, j);
  if (fam == PEAK) {
    peakBlock(j, p, m, f);
    return;
  }
  const phi = mapOf(j, m);
  if (fam == LINEAR) {
    const cheb = i32At(C_CHEB, j) != 0;
    let t0 = cv(16), t1 = phi;
    v128.store(p + 16, t1);
    for (let k = 2; k <= K; k++) {
      const t2 = cheb ? f64x2.sub(f64x2.mul(f64x2.add(phi, phi), t1), t0) : f64x2.mul(phi, t1);
      t0 = t1;
      t1 = t2;
      v128.store(p + (<usize>k << 4), t1);
    }
    return;
  }
  let q = f;
  for (let k = 1; k <= 2 * K; k++) {
    q = f64x2.mul(q, phi);
    v128.store(p + (<usize>k << 4), q);
  }
}

/** The pass over [start, end) (tail: the one event at start, a masked pair): logSum, dmin, LACC, MACC. */
@inline function sweep(data: usize, w: usize, start: usize, end: usize, nc: i32, tail: bool, weighted: bool): void {
  const K = constants();
  let prod = cv(16);
  let expAcc = i64x2.splat(0);
  let logAcc = cv(0);
  let dm = f64x2.splat(Infinity);
  let steps: i64 = 0;
  for (let off = start; off < end; off += 16) {
    let d = cv(0);
    for (let j = 0; j < nc; j++) {
      d = f64x2.add(d, f64x2.mul(v128.load(NU + (<usize>j << 4)), ld(load<usize>(BUF + (<usize>j << 3)) + off, tail)));
    }
    let r: v128, q: v128;
    if (weighted) {
      let wv = ld(w + off, tail);
      if (tail) wv = v128.and(wv, cv(32));
      const dd = v128.bitselect(d, cv(16), f64x2.ne(wv, cv(0)));
      dm = f64x2.min(dm, dd);
      logAcc = f64x2.add(logAcc, f64x2.mul(wv, vlog(dd, K)));
      r = f64x2.div(wv, dd);
      q = f64x2.div(r, dd);
    } else {
      if (tail) d = v128.bitselect(d, cv(16), cv(32));
      dm = f64x2.min(dm, d);
      prod = f64x2.mul(prod, d);
      expAcc = i64x2.add(expAcc, i64x2.shr_u(prod, 52));
      prod = v128.or(v128.and(prod, v128.load(K + <usize>K_MANT)), v128.load(K + <usize>K_ONE));
      steps++;
      r = f64x2.div(cv(16), d);
      if (tail) r = v128.and(r, cv(32));
      q = f64x2.mul(r, r);
    }
    const m = ld(data + off, tail);
    for (let j = 0; j < nc; j++) block(j, m, ld(load<usize>(BUF + (<usize>j << 3)) + off, tail));
    for (let k = 0; k < nPhi; k++) {
      const a = LACC + (<usize>k << 4);
      v128.store(a, f64x2.add(v128.load(a), f64x2.mul(r, v128.load(PHI + (<usize>k << 4)))));
    }
    for (let k = 0; k < nPairs; k++) {
      const a = MACC + (<usize>k << 4);
      const x = <usize>load<i32>(MIDX + (<usize>k << 3)), y = <usize>load<i32>(MIDX + (<usize>k << 3) + 4);
      v128.store(a, f64x2.add(v128.load(a), f64x2.mul(q, f64x2.mul(v128.load(PHI + x), v128.load(PHI + y)))));
    }
  }
  dmin = Math.min(dmin, Math.min(f64x2.extract_lane(dm, 0), f64x2.extract_lane(dm, 1)));
  if (weighted) logSum += f64x2.extract_lane(logAcc, 0) + f64x2.extract_lane(logAcc, 1);
  else if (steps > 0) {
    const e0 = <f64>(i64x2.extract_lane(expAcc, 0) - 1023 * steps);
    const e1 = <f64>(i64x2.extract_lane(expAcc, 1) - 1023 * steps);
    logSum += Math.log(f64x2.extract_lane(prod, 0)) + Math.log(f64x2.extract_lane(prod, 1)) + (e0 + e1) * Math.LN2;
  }
}

function pass(s: usize): void {
  const data = sData(s), w = sWeights(s), nc = sComponents(s), n = sEvents(s);
  const end = <usize>(n >> 1) << 4;
  logSum = 0;
  dmin = Infinity;
  if (w != 0) {
    sweep(data, w, 0, end, nc, false, true);
    if (n & 1) sweep(data, w, end, end + 16, nc, true, true);
  } else {
    sweep(data, w, 0, end, nc, false, false);
    if (n & 1) sweep(data, w, end, end + 16, nc, true, false);
  }
}

/** M between basis functions k and l (any order). */
function mOf(k: i32, l: i32): f64 {
  const a = min(k, l), b = max(k, l);
  const idx = a * nBasis - (a * (a - 1)) / 2 + (b - a);
  return load<f64>(MACC + (<usize>idx << 4)) + load<f64>(MACC + (<usize>idx << 4) + 8);
}

// The local parameters: each component's yield and its free coefficients.
const L_COMP = memory.data(NLOC * 4, 16);
const L_ORDER = memory.data(NLOC * 4, 16); // 0 the yield, else the coefficient's order k
const L_ARG = memory.data(NLOC * 4, 16);
const U = memory.data(NLOC * NBASIS * 8, 16); // ∂d/∂a over the basis of M
const GL = memory.data(NLOC * 8, 16);
const HL = memory.data(NLOC * NLOC * 8, 16);
// per component: J_k (linear), N_m (exponential), ∂I and ∂²I at their block indices (a peak)
const MOM = memory.data(MAX_C * MAX_BLOCK * 8, 16);
let nLoc = 0;

@inline function u(a: i32, k: i32): f64 { return f64At(U, a * NBASIS + k); }
@inline function mom(j: i32, m: i32): f64 { return f64At(MOM, j * MAX_BLOCK + m); }

/** ∫ φ^m g over the sample's allowed pieces (exponential families and ARGUS). */
function shapeMoment(s: usize, c: usize, m: i32): f64 {
  const kind = cKind(c);
  const a = cArgPtr(c);
  const np = pieces(s);
  let sum: f64 = 0;
  for (let q = 0; q < np; q++) {
    const lo = pieceLo(q), hi = pieceHi(q);
    if (kind == EXP_POLY) sum += expPolyMoment(lo, hi, a, cArgs(c) - 2, m);
    else if (kind == ARGUS) sum += argusShifted(lo, hi, a, m);
    else {
      const lambda = load<f64>(a);
      for (let i = 0; i < GL_N; i++) {
        const x = glNode(i, lo, hi);
        sum += glWeight(i, lo, hi) * Math.pow(x, <f64>m) * Math.exp(lambda * x);
      }
    }
  }
  return sum;
}

const SHIFTED = memory.data(3 << 3, 16);
/** ∫ m·u^{p+k}·e^{c·u} dm over [lo, hi]: ARGUS's k-th c-moment. */
function argusShifted(lo: f64, hi: f64, a: usize, k: i32): f64 {
  store<f64>(SHIFTED, load<f64>(a));
  store<f64>(SHIFTED, load<f64>(a, 8), 8);
  store<f64>(SHIFTED, load<f64>(a, 16) + <f64>k, 16);
  return argusIntegral(lo, hi, SHIFTED);
}

/** The local parameters, their rows U and the components' moments. */
function localRows(s: usize): void {
  const nc = sComponents(s);
  nLoc = 0;
  memory.fill(U, 0, <usize>(NLOC * NBASIS) << 3);
  for (let j = 0; j < nc; j++) {
    const c = component(s, j);
    const K = i32At(C_ORDER, j);
    const b0 = i32At(C_BASIS, j);
    const I = cNorm(c), nu = yieldOf(c);
    const fam = i32At(C_KIND, j);
    addLocal(j, 0, -1);
    setF64(U, (nLoc - 1) * NBASIS + b0, 1.0);
    const args = cArgPtr(c);
    if (fam == PEAK) peakMoments(s, c, j, MOM + (<usize>(j * MAX_BLOCK) << 3));
    else {
      for (let m = 1; m <= 2 * K; m++) {
        let v: f64 = 0;
        if (fam == LINEAR && m <= K) v = rangeIntegralDerivative(s, cKind(c), sLo(s), sHi(s), args, cArgs(c), m + 1);
        else if (fam == EXPFAM) v = shapeMoment(s, c, m);
        setF64(MOM, j * MAX_BLOCK + m, v);
      }
    }
    for (let a = 0; a < cArgs(c); a++) {
      const k = coefOrder(c, a);
      if (k == 0 || !argFloats(c, a)) continue;
      addLocal(j, k, a);
      const row = (nLoc - 1) * NBASIS;
      // ∂d/∂a_k = ν(B_k − f·J_k)/I (polynomial families), ν(φ^k f − f·N_k/I) (exponential families),
      // ν(f·S_k − f·J_k/I) (a peak: J_k = ∂I/∂a_k)
      if (fam == LINEAR) {
        setF64(U, row + b0 + k, nu / I);
        setF64(U, row + b0, -nu * mom(j, k) / I);
      } else {
        setF64(U, row + b0 + k, nu);
        setF64(U, row + b0, -nu * mom(j, k) / I);
      }
    }
  }
}

function addLocal(j: i32, k: i32, a: i32): void {
  setI32(L_COMP, nLoc, j);
  setI32(L_ORDER, nLoc, k);
  setI32(L_ARG, nLoc, a);
  nLoc++;
}

/** Σ r ∂d/∂a = U_a · L over the basis. */
function rowDotL(a: i32): f64 {
  let sum: f64 = 0;
  for (let k = 0; k < nBasis; k++) {
    const v = u(a, k);
    if (v != 0) sum += v * lin(i32At(BASIS, k));
  }
  return sum;
}

/**
 * Σ r ∂f_c/∂a_k: (T_k − S·J_k)/I (polynomial families), L_k − S·N_k/I (exponential families, and a
 * peak: L_k = Σ r f·S_k, N_k = ∂I/∂a_k).
 */
function shapeFirst(j: i32, k: i32, I: f64): f64 {
  const p = i32At(C_PHI, j);
  if (i32At(C_KIND, j) == LINEAR) return (lin(p + k) - lin(p) * mom(j, k)) / I;
  return lin(p + k) - lin(p) * mom(j, k) / I;
}

/**
 * Σ r ∂²f_c/∂a_j∂a_k for two coefficients of component j (its block's sums and moments). A peak:
 * ∂²f = ∂²g/I − (∂_a g·J_b + ∂_b g·J_a)/I² − g·J_ab/I² + 2g·J_a·J_b/I³ with ∂g = g·S, ∂²g = g·Q.
 */
function shapeSecond(j: i32, ka: i32, kb: i32, I: f64): f64 {
  const p = i32At(C_PHI, j);
  const S = lin(p);
  if (i32At(C_KIND, j) == PEAK) {
    const pair = pairIndex(i32At(C_ORDER, j), min(ka, kb), max(ka, kb));
    const Ja = mom(j, ka), Jb = mom(j, kb);
    const g2 = lin(p + pair) - S * mom(j, pair) / I; // Σ r ∂²g/I less Σ r f·J_ab/I
    return g2 - (lin(p + ka) * Jb + lin(p + kb) * Ja) / I + 2.0 * S * Ja * Jb / (I * I);
  }
  if (i32At(C_KIND, j) == LINEAR) {
    const Ja = mom(j, ka), Jb = mom(j, kb);
    return (-(lin(p + ka) * Jb + lin(p + kb) * Ja) + 2.0 * S * Ja * Jb) / (I * I);
  }
  const Na = mom(j, ka), Nb = mom(j, kb), Nab = mom(j, ka + kb);
  return lin(p + ka + kb) - (lin(p + ka) * Nb + lin(p + kb) * Na) / I - S * Nab / I + 2.0 * S * Na * Nb / (I * I);
}

/** The local gradient GL and Hessian HL. */
function localDerivatives(s: usize): void {
  for (let a = 0; a < nLoc; a++) {
    const ya = i32At(L_ORDER, a) == 0;
    setF64(GL, a, (ya ? 1.0 : 0.0) - rowDotL(a));
    for (let b = 0; b <= a; b++) {
      let h: f64 = 0;
      for (let k = 0; k < nBasis; k++) {
        const uak = u(a, k);
        if (uak == 0) continue;
        for (let l = 0; l < nBasis; l++) h += uak * mOf(k, l) * u(b, l);
      }
      const j = i32At(L_COMP, a);
      if (j == i32At(L_COMP, b)) {
        const c = component(s, j);
        const yb = i32At(L_ORDER, b) == 0;
        // ∂²d/∂ν∂a_k = ∂f/∂a_k
        if (ya && !yb) h -= shapeFirst(j, i32At(L_ORDER, b), cNorm(c));
        else if (!ya && yb) h -= shapeFirst(j, i32At(L_ORDER, a), cNorm(c));
        else if (!ya && !yb) h -= yieldOf(c) * shapeSecond(j, i32At(L_ORDER, a), i32At(L_ORDER, b), cNorm(c));
      }
      setF64(HL, a * NLOC + b, h);
      setF64(HL, b * NLOC + a, h);
    }
  }
}

const PL = memory.data(NLOC * 8 * 4, 16); // per local parameter: up to 8 free parameters it depends on
const PN = memory.data(NLOC * 4, 16);

/** The free parameters each local parameter depends on (a yield's factors, a coefficient's own). */
function localParams(s: usize): void {
  for (let a = 0; a < nLoc; a++) {
    const c = component(s, i32At(L_COMP, a));
    let n = 0;
    if (i32At(L_ORDER, a) > 0) {
      setI32(PL, a * 8, cArgIndex(c, i32At(L_ARG, a)));
      n = 1;
    } else n = yieldParams(c, PL + (<usize>(a * 8) << 2));
    setI32(PN, a, n);
  }
}

/** ∂(local a)/∂p: the yield's derivative, 1 for a coefficient's own parameter. */
function localSlope(s: usize, a: i32, p: i32): f64 {
  const c = component(s, i32At(L_COMP, a));
  if (i32At(L_ORDER, a) == 0) return yieldDerivative(c, p);
  return cArgIndex(c, i32At(L_ARG, a)) == p ? 1.0 : 0.0;
}

@inline function slot(p: i32): i32 {
  return load<i32>(freeSlot + (<usize>p << 2));
}
@inline function hAdd(H: usize, p: i32, q: i32, v: f64): void {
  const at = H + (<usize>(slot(p) * nFreeSlots + slot(q)) << 3);
  store<f64>(at, load<f64>(at) + v);
}

/** Add the sample's gradient and Hessian (×scale) into grad and H (nFree², row-major). */
function addGlobal(s: usize, grad: usize, H: usize, scale: f64): void {
  localParams(s);
  for (let a = 0; a < nLoc; a++) {
    for (let i = 0; i < i32At(PN, a); i++) {
      const p = i32At(PL, a * 8 + i);
      const sp = localSlope(s, a, p);
      setF64(grad, p, f64At(grad, p) + scale * sp * f64At(GL, a));
      for (let b = 0; b < nLoc; b++) {
        for (let k = 0; k < i32At(PN, b); k++) {
          const q = i32At(PL, b * 8 + k);
          hAdd(H, p, q, scale * sp * localSlope(s, b, q) * f64At(HL, a * NLOC + b));
        }
      }
      if (i32At(L_ORDER, a) > 0) continue;
      const c = component(s, i32At(L_COMP, a));
      for (let k = 0; k < i32At(PN, a); k++) {
        const q = i32At(PL, a * 8 + k);
        hAdd(H, p, q, scale * f64At(GL, a) * yieldSecond(c, p, q));
      }
    }
  }
}

/**
 * One general sample's NLL; its gradient and Hessian added (×scale) to grad and H (where
 * generalHessianAvailable). +∞ where the density is not positive (nothing added then).
 */
export function generalHessian(s: usize, grad: usize, H: usize, scale: f64): f64 {
  const nll = refreshSample(s);
  if (!isFinite(nll)) return Infinity;
  layout(s);
  pass(s);
  if (!(dmin > 1e-300)) return Infinity;
  localRows(s);
  localDerivatives(s);
  addGlobal(s, grad, H, scale);
  return nll - logSum;
}
