// The analytic Hessian of a fused sample's NLL (assembly/fastpath.ts models: a cached or
// in-kernel Gaussian signal + an expPoly/exponential background), with its NLL and gradient, in one
// f64x2 pass. With d = Σ_c ν_c f_c, f_c = g_c/I_c:
//   ∂²NLL/∂a∂b = ∂²Σν/∂a∂b − Σ_i ∂²d_i/∂a∂b / d_i + Σ_i ∂_a d_i ∂_b d_i / d_i².
// Every ∂d/∂a is a fixed linear combination (row U_a) of a few per-event basis functions φ_k
// (f0 or g, g·t, g·t² for the signal; e, e·x, …, e·x^K for the background), so the pass sums
// M_kl = Σ φ_k φ_l/d² and the linear sums L_j = Σ ψ_j/d of the basis and of the functions the
// second derivatives need (g·t³, g·t⁴; e·x^j up to 2K). Then H = U M Uᵀ − W, W from L and the
// normalisations' second derivatives (closed forms for the Gaussian, the background's moments).
// The NLL's Σ ln d uses the same product of densities as the other kernels; the odd last event
// runs as a pair whose second lane is masked out.
import { constants, vexp, K_MANT, K_ONE } from "./vexp";
import {
  sEvents, sMapped, sLo, sHi, cArgPtr, cArgIndex, yieldOf, cFactors, cFactorParam, cFactorForm, cFactorCoef, value,
  cNorm, factorValue, factorSlope, yieldDerivative, word,
} from "./model";
import {
  setupFused, fc0, fcb, fGauss, fSig, fNorm, fOrder, fNuB, pv, exponent, signalTerm, P_SB, P_NU0, P_MU, P_INVS,
  isFixed, coefParam, coefSlope, backgroundMoment,
} from "./fastpath";
import { rangeIntegralDerivative, freeSlot, nFreeSlots } from "./nll";
import { GAUSSIAN } from "./pdf/index";
import { peakNormSecond } from "./peak-hessian";
import { FORM_LOG_NORMAL, COMPONENT_YIELD_CONSTANT } from "../src/core/abi";
import { i32At, f64At } from "./memory";

@inline function yieldConstant(c: usize): f64 {
  return word(c, COMPONENT_YIELD_CONSTANT);
}

const NL = 16; // linear sums (at most 5 signal + 9 background)
const NB = 8; // basis functions in M (at most 3 + 5)
const PHI = memory.data(NL * 16, 16); // one pair's ψ_j = φ_j/d
const LACC = memory.data(NL * 16, 16);
const MACC = memory.data(NB * NB * 16, 16);
const MIDX = memory.data(NB * NB * 8, 16); // the (k, l ≥ k) pairs of M: PHI byte offsets
let nLin = 0; // linear sums: signal's nSigLin, then the background's 2K + 1
let nSigLin = 0;
let nSigM = 0; // basis functions of M: the signal's nSigM, then the background's K + 1
let nPairsM = 0;
let logSum: f64 = 0;
let dmin: f64 = 0;

/** The layout of one sample's sums (signal: cached 1 or Gaussian 5 linear sums, 1 or 3 in M). */
function layout(): void {
  nSigLin = fc0 == 0 ? 0 : fGauss ? 5 : 1;
  nSigM = fc0 == 0 ? 0 : fGauss ? 3 : 1;
  nLin = nSigLin + 2 * fOrder + 1;
  const nb = nSigM + fOrder + 1;
  nPairsM = 0;
  for (let k = 0; k < nb; k++) {
    for (let l = k; l < nb; l++) {
      store<i32>(MIDX + (<usize>nPairsM << 3), linIndex(k) << 4);
      store<i32>(MIDX + (<usize>nPairsM << 3) + 4, linIndex(l) << 4);
      nPairsM++;
    }
  }
}

/** The linear sum's index of basis function k of M. */
@inline function linIndex(k: i32): i32 {
  return k < nSigM ? k : nSigLin + k - nSigM;
}

@inline function lin(j: i32): f64 {
  return load<f64>(LACC + (<usize>j << 4)) + load<f64>(LACC + (<usize>j << 4) + 8);
}

/** M between basis functions k and l of M (any order). */
function mOf(k: i32, l: i32): f64 {
  const a = min(k, l), b = max(k, l);
  const nb = nSigM + fOrder + 1;
  const idx = a * nb - (a * (a - 1)) / 2 + (b - a);
  return load<f64>(MACC + (<usize>idx << 4)) + load<f64>(MACC + (<usize>idx << 4) + 8);
}

/** The pass over `pairs` pairs (+ the odd event when odd); sums into LACC, MACC, logSum, dmin. */
@inline function kernel(xs: usize, sig: usize, pairs: i32, odd: bool, high: bool, gauss: bool): void {
  const K = constants();
  memory.fill(LACC, 0, <usize>nLin << 4);
  memory.fill(MACC, 0, <usize>nPairsM << 4);
  let prod = f64x2.splat(1.0);
  let expAcc = i64x2.splat(0);
  let dm = f64x2.splat(Infinity);
  const n = pairs + (odd ? 1 : 0);
  const order = fOrder;
  const bkgLin = <usize>nSigLin << 4;
  for (let i = 0; i < n; i++) {
    const last = odd && i == pairs;
    const off = <usize>i << 4;
    // the odd event: both lanes load it, lane 1 is masked out below
    const x = last ? v128.load64_splat(xs + off) : v128.load(xs + off);
    const raw = last ? v128.load64_splat(sig + off) : v128.load(sig + off);
    const x2 = f64x2.mul(x, x);
    const e = vexp(exponent(x, x2, high), K);
    const t = gauss ? f64x2.mul(f64x2.sub(raw, pv(P_MU)), pv(P_INVS)) : x;
    const f0 = gauss ? signalTerm(sig, off, t, true, K) : raw;
    let d = f64x2.add(f64x2.mul(pv(P_SB), e), f64x2.mul(pv(P_NU0), f0));
    let r = f64x2.div(f64x2.splat(1.0), d);
    if (last) {
      d = f64x2.replace_lane(d, 1, 1.0);
      r = f64x2.replace_lane(r, 1, 0.0);
    }
    dm = f64x2.min(dm, d);
    prod = f64x2.mul(prod, d);
    expAcc = i64x2.add(expAcc, i64x2.shr_u(prod, 52));
    prod = v128.or(v128.and(prod, v128.load(K + <usize>K_MANT)), v128.load(K + <usize>K_ONE));
    // ψ_j = φ_j/d, the signal's then the background's
    if (fc0 != 0) {
      let v = f64x2.mul(r, f0);
      v128.store(PHI, v);
      if (gauss) {
        for (let j = 1; j < 5; j++) {
          v = f64x2.mul(v, t);
          v128.store(PHI + (<usize>j << 4), v);
        }
      }
    }
    let w = f64x2.mul(r, e);
    v128.store(PHI + bkgLin, w);
    for (let j = 1; j <= 2 * order; j++) {
      w = f64x2.mul(w, x);
      v128.store(PHI + bkgLin + (<usize>j << 4), w);
    }
    for (let j = 0; j < nLin; j++) {
      const a = LACC + (<usize>j << 4);
      v128.store(a, f64x2.add(v128.load(a), v128.load(PHI + (<usize>j << 4))));
    }
    for (let q = 0; q < nPairsM; q++) {
      const a = MACC + (<usize>q << 4);
      const k = <usize>load<i32>(MIDX + (<usize>q << 3)), l = <usize>load<i32>(MIDX + (<usize>q << 3) + 4);
      v128.store(a, f64x2.add(v128.load(a), f64x2.mul(v128.load(PHI + k), v128.load(PHI + l))));
    }
  }
  const e0 = <f64>(i64x2.extract_lane(expAcc, 0) - 1023 * <i64>n);
  const e1 = <f64>(i64x2.extract_lane(expAcc, 1) - 1023 * <i64>n);
  logSum = n == 0 ? 0.0 : Math.log(f64x2.extract_lane(prod, 0)) + Math.log(f64x2.extract_lane(prod, 1)) +
    (e0 + e1) * Math.LN2;
  dmin = Math.min(f64x2.extract_lane(dm, 0), f64x2.extract_lane(dm, 1));
}

function runHessKernel(xs: usize, sig: usize, pairs: i32, odd: bool, high: bool, gauss: bool): void {
  if (gauss) {
    if (high) kernel(xs, sig, pairs, odd, true, true);
    else kernel(xs, sig, pairs, odd, false, true);
  } else if (high) kernel(xs, sig, pairs, odd, true, false);
  else kernel(xs, sig, pairs, odd, false, false);
}

// Local parameters of one sample: each component's yield and its free shape arguments.
const NLOC = 8;
const U = memory.data(NLOC * NB << 3, 16); // ∂d/∂a in the basis of M
const R = memory.data(NLOC * NB << 3, 16); // ∂f_c/∂a (a shape argument) in the basis of M
const GL = memory.data(NLOC << 3, 16); // ∂NLL/∂a
const HL = memory.data(NLOC * NLOC << 3, 16);
const locComp = memory.data(NLOC << 2, 16); // 0 signal, 1 background
const locArg = memory.data(NLOC << 2, 16); // −1 the yield; the Gaussian's j or the coefficient's k
let nLoc = 0;
const GNORM = memory.data(5 << 3, 16); // the Gaussian's I_μ, I_σ, I_μμ, I_μσ, I_σσ
const BNORM = memory.data(9 << 3, 16); // the background's moments N_0 … N_2K

@inline function getm(p: usize, i: i32, j: i32, stride: i32): f64 {
  return load<f64>(p + (<usize>(i * stride + j) << 3));
}
@inline function putm(p: usize, i: i32, j: i32, stride: i32, v: f64): void {
  store<f64>(p + (<usize>(i * stride + j) << 3), v);
}

function addLocal(comp: i32, arg: i32): i32 {
  store<i32>(locComp + (<usize>nLoc << 2), comp);
  store<i32>(locArg + (<usize>nLoc << 2), arg);
  for (let k = 0; k < NB; k++) {
    putm(U, nLoc, k, NB, 0);
    putm(R, nLoc, k, NB, 0);
  }
  return nLoc++;
}

/** Σ ∂²g/∂a_j∂a_k / d of the Gaussian from the linear sums L_i = Σ g·t^i/d, times σ². */
@inline function gaussSecondSum(jk: i32): f64 {
  if (jk == 0) return lin(2) - lin(0);
  if (jk == 1) return lin(3) - 2.0 * lin(1);
  return lin(4) - 3.0 * lin(2);
}

/** Fill the local parameters' rows U, R and the normalisations' derivatives. */
function localRows(s: usize): void {
  nLoc = 0;
  if (fc0 != 0) {
    const a = addLocal(0, -1);
    if (!fGauss) putm(U, a, 0, NB, 1.0);
    else gaussRows(s, a);
  }
  const a = addLocal(1, -1);
  putm(U, a, nSigM, NB, 1.0 / fNorm);
  store<f64>(BNORM, fNorm);
  for (let k = 1; k <= 2 * fOrder; k++) store<f64>(BNORM + (<usize>k << 3), backgroundMoment(s, fcb, k));
  for (let k = 1; k <= fOrder; k++) {
    if (isFixed(coefParam(fcb, k))) continue;
    const b = addLocal(1, k);
    putm(R, b, nSigM + k, NB, 1.0 / fNorm);
    putm(R, b, nSigM, NB, -f64At(BNORM, k) / (fNorm * fNorm));
    for (let l = 0; l <= fOrder; l++) putm(U, b, nSigM + l, NB, fNuB * getm(R, b, nSigM + l, NB));
  }
}

/** The Gaussian's rows: f = g/I, ∂f/∂a_j = (∂g/∂a_j − f·I_j)/I with ∂g/∂μ = g·t/σ, ∂g/∂σ = g·t²/σ. */
function gaussRows(s: usize, a: i32): void {
  const I = cNorm(fc0);
  const args = cArgPtr(fc0);
  const sg = load<f64>(args, 8);
  const nu = yieldOf(fc0);
  putm(U, a, 0, NB, 1.0 / I);
  for (let j = 0; j < 2; j++) {
    store<f64>(GNORM + (<usize>j << 3), rangeIntegralDerivative(s, GAUSSIAN, sLo(s), sHi(s), args, 2, j));
  }
  for (let jk = 0; jk < 3; jk++) store<f64>(GNORM + (<usize>(2 + jk) << 3), peakNormSecond(s, GAUSSIAN, args, 2, jk));
  for (let j = 0; j < 2; j++) {
    if (isFixed(cArgIndex(fc0, j))) continue;
    const b = addLocal(0, j);
    putm(R, b, 1 + j, NB, 1.0 / (sg * I));
    putm(R, b, 0, NB, -f64At(GNORM, j) / (I * I));
    for (let k = 0; k < 3; k++) putm(U, b, k, NB, nu * getm(R, b, k, NB));
  }
}

@inline function bkgLin(k: i32): f64 {
  return lin(nSigLin + k);
}

/**
 * Σ ∂²f_c/∂a∂b / d for two shape arguments of the same component (its own coordinates):
 * ∂²f = ∂²g/I − (∂_a g·I_b + ∂_b g·I_a)/I² − g·I_ab/I² + 2g·I_a·I_b/I³.
 */
function shapeSecond(a: i32, b: i32): f64 {
  const ja = i32At(locArg, a), jb = i32At(locArg, b);
  if (i32At(locComp, a) == 0) {
    const sg = load<f64>(cArgPtr(fc0), 8);
    const I = cNorm(fc0);
    const Ia = f64At(GNORM, ja), Ib = f64At(GNORM, jb), Iab = f64At(GNORM, 2 + ja + jb);
    const La = lin(1 + ja) / sg, Lb = lin(1 + jb) / sg, L0 = lin(0);
    return gaussSecondSum(ja + jb) / (sg * sg * I) - (La * Ib + Lb * Ia) / (I * I) - L0 * Iab / (I * I) +
      2.0 * L0 * Ia * Ib / (I * I * I);
  }
  const N = fNorm;
  const Na = f64At(BNORM, ja), Nb = f64At(BNORM, jb), Nab = f64At(BNORM, ja + jb);
  const L0 = bkgLin(0);
  return bkgLin(ja + jb) / N - (bkgLin(ja) * Nb + bkgLin(jb) * Na) / (N * N) - L0 * Nab / (N * N) +
    2.0 * L0 * Na * Nb / (N * N * N);
}

/** U_a·L (Σ ∂d/∂a / d) for a row p of U or R. */
function rowDotL(p: usize, a: i32): f64 {
  const nb = nSigM + fOrder + 1;
  let sum: f64 = 0;
  for (let k = 0; k < nb; k++) sum += getm(p, a, k, NB) * lin(linIndex(k));
  return sum;
}

/** The local gradient GL and Hessian HL from the sums. */
function localDerivatives(): void {
  const nb = nSigM + fOrder + 1;
  for (let a = 0; a < nLoc; a++) {
    store<f64>(GL + (<usize>a << 3), (i32At(locArg, a) < 0 ? 1.0 : 0.0) - rowDotL(U, a));
    for (let b = 0; b <= a; b++) {
      let h: f64 = 0;
      for (let k = 0; k < nb; k++) {
        const uak = getm(U, a, k, NB);
        if (uak == 0) continue;
        for (let l = 0; l < nb; l++) h += uak * mOf(k, l) * getm(U, b, l, NB);
      }
      if (i32At(locComp, a) == i32At(locComp, b)) {
        const ya = i32At(locArg, a) < 0, yb = i32At(locArg, b) < 0;
        if (ya && !yb) h -= rowDotL(R, b);
        else if (!ya && yb) h -= rowDotL(R, a);
        else if (!ya && !yb) h -= (i32At(locComp, a) == 0 ? yieldOf(fc0) : fNuB) * shapeSecond(a, b);
      }
      putm(HL, a, b, NLOC, h);
      putm(HL, b, a, NLOC, h);
    }
  }
}

/** The component of local parameter a. */
@inline function compOf(a: i32): usize {
  return i32At(locComp, a) == 0 ? fc0 : fcb;
}

/** ∂a/∂p: the yield's derivative, or the shape argument's (1, the exponential's half). */
function localSlope(s: usize, a: i32, p: i32): f64 {
  const c = compOf(a);
  const j = i32At(locArg, a);
  if (j < 0) return yieldDerivative(c, p);
  const q = i32At(locComp, a) == 0 ? cArgIndex(c, j) : coefParam(c, j);
  return q == p ? (i32At(locComp, a) == 0 ? 1.0 : coefSlope(s, c)) : 0.0;
}

/** ∂²ν/∂p∂q of a yield C·Π F_f(θ_f): the κ^θ factors' own curvature and the products of two factors. */
export function yieldSecond(c: usize, p: i32, q: i32): f64 {
  const nf = cFactors(c);
  let sum: f64 = 0;
  for (let f = 0; f < nf; f++) {
    if (cFactorParam(c, f) != p) continue;
    for (let g = 0; g < nf; g++) {
      if (cFactorParam(c, g) != q) continue;
      if (f == g && cFactorForm(c, f) != FORM_LOG_NORMAL) continue;
      let d = yieldConstant(c);
      for (let h = 0; h < nf; h++) {
        const v = value(cFactorParam(c, h)), form = cFactorForm(c, h), coef = cFactorCoef(c, h);
        if (h == f && h == g) d *= factorSlope(form, coef, v) * Math.log(coef);
        else if (h == f || h == g) d *= factorSlope(form, coef, v);
        else d *= factorValue(form, coef, v);
      }
      sum += d;
    }
  }
  return sum;
}

/** The distinct free parameters among yield c's factors (at most 8) into out (i32 each); their count. */
export function yieldParams(c: usize, out: usize): i32 {
  let n = 0;
  for (let f = 0; f < cFactors(c) && n < 8; f++) {
    const p = cFactorParam(c, f);
    if (isFixed(p)) continue;
    let seen = false;
    for (let k = 0; k < n; k++) if (i32At(out, k) == p) seen = true;
    if (!seen) store<i32>(out + (<usize>(n++) << 2), p);
  }
  return n;
}

const PL = memory.data(NLOC * 8 << 2, 16); // per local parameter: up to 8 parameters it depends on
const PN = memory.data(NLOC << 2, 16);

/** The free parameters each local parameter depends on (a yield's factors, a shape's base). */
function localParams(): void {
  for (let a = 0; a < nLoc; a++) {
    const c = compOf(a);
    const j = i32At(locArg, a);
    let n = 0;
    if (j >= 0) {
      const p = i32At(locComp, a) == 0 ? cArgIndex(c, j) : coefParam(c, j);
      store<i32>(PL + (<usize>(a * 8) << 2), p);
      n = 1;
    } else n = yieldParams(c, PL + (<usize>(a * 8) << 2));
    store<i32>(PN + (<usize>a << 2), n);
  }
}

@inline function slot(p: i32): i32 {
  return load<i32>(freeSlot + (<usize>p << 2));
}

/** Add the sample's gradient and Hessian (×scale) into grad and H (nFree², row-major). */
function addGlobal(s: usize, grad: usize, H: usize, scale: f64): void {
  const nf = nFreeSlots;
  localParams();
  for (let a = 0; a < nLoc; a++) {
    for (let i = 0; i < i32At(PN, a); i++) {
      const p = i32At(PL, a * 8 + i);
      const sp = localSlope(s, a, p);
      store<f64>(grad + (<usize>p << 3), f64At(grad, p) + scale * sp * f64At(GL, a));
      for (let b = 0; b < nLoc; b++) {
        for (let k = 0; k < i32At(PN, b); k++) {
          const q = i32At(PL, b * 8 + k);
          const v = scale * sp * localSlope(s, b, q) * getm(HL, a, b, NLOC);
          putm(H, slot(p), slot(q), nf, getm(H, slot(p), slot(q), nf) + v);
        }
      }
      if (i32At(locArg, a) >= 0) continue;
      for (let k = 0; k < i32At(PN, a); k++) {
        const q = i32At(PL, a * 8 + k);
        const v = scale * f64At(GL, a) * yieldSecond(compOf(a), p, q);
        putm(H, slot(p), slot(q), nf, getm(H, slot(p), slot(q), nf) + v);
      }
    }
  }
}

/**
 * One fused sample's NLL; its gradient and Hessian added (×scale) to grad and H. +∞ where the
 * density is not positive (nothing added then).
 */
export function fusedHessian(s: usize, grad: usize, H: usize, scale: f64): f64 {
  if (!setupFused(s)) return Infinity;
  layout();
  const n = sEvents(s);
  runHessKernel(sMapped(s), fSig, n >> 1, (n & 1) != 0, fOrder > 2, fGauss);
  if (!(dmin > 1e-300)) return Infinity;
  localRows(s);
  localDerivatives();
  addGlobal(s, grad, H, scale);
  const nuS = fc0 != 0 ? yieldOf(fc0) : 0.0;
  return nuS + fNuB - logSum;
}
