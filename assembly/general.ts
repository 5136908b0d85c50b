// Every model's NLL and gradient in f64x2 passes: the models the fused kernel (fastpath.ts) does
// not take — any number of components, any shapes, free peak and tail parameters, event weights.
// Each component's normalised per-event buffer f_c is refreshed when its arguments changed (vector
// fills for the shapes a fit moves, pdf/vfill.ts); then ONE pass over the events forms
// d_i = Σ_c ν_c f_c(i) and Σ_i w_i ln d_i — the product of densities with its exponent
// renormalised when unweighted (as the fused kernel: no per-event log), a vector log when weighted —
// and, for the gradient, in the same pass S_c = Σ r_i f_c(i) (r_i = w_i/d_i) and the shape sums the
// analytic derivatives need: Σ r_i B_k(x_i) for the polynomial families (B_k = T_k or x^k), and
// Σ r_i f_c(i) φ_i^k for the exponential families and ARGUS's c (φ = x, m or u, since ∂g/∂c_k =
// φ^k g), and for a Gaussian's or a Crystal Ball's free mean or width Σ r_i f_c(i) h_i and
// Σ r_i f_c(i) h_i t_i (∂g/∂μ = h·g/σ, ∂g/∂σ = t·h·g/σ, t = (m − μ)/σ, h = t in the core and
// −α/(1 + u) in the tail; the double-sided Crystal Ball's σ_L and σ_R each on its side), and for a
// Crystal Ball's free tail Σ r_i f_c(i) ∂ln g/∂α and Σ r_i f_c(i) ∂ln g/∂n.
// An odd last event runs as a pair whose second lane is masked out.
import { constants, vexp, vlog, K_MANT, K_ONE } from "./vexp";
import {
  sData, sWeights, sEvents, sLo, sHi, sComponents, component, cKind, cArgs, cBuf, cArgPtr, cArgIndex, cNorm,
  yieldOf, cArgFactors, argFactorIndex, cFactorArg, cFactorParam, argDerivative,
} from "./model";
import {
  pdfArgAnalytic, CHEBYSHEV, POLYNOMIAL, EXP_POLY, EXPONENTIAL, ARGUS, GAUSSIAN, CRYSTAL_BALL, DOUBLE_CB,
} from "./pdf/index";
import { refresh, guardsHold, rangeIntegralDerivative, addYieldGradient, addGradient, isAnalytic } from "./nll";
import { MAX_COMPONENTS } from "../src/core/abi";
import { i32At, setI32 } from "./memory";

// the shape sums' kinds: which basis a component's job sums
const J_CHEB = 1, J_POLY = 2, J_EXP_X = 3, J_EXP_M = 4, J_EXP_U = 5, J_PEAK = 6, J_DCB = 7;
const MAX_ORDER = 7; // the double-sided Crystal Ball with a free tail: μ, σ_L, σ_R, α_L, n_L, α_R, n_R
const MAX_ACC = MAX_COMPONENTS * (1 + MAX_ORDER);

const NU = memory.data(MAX_COMPONENTS * 16, 16); // ν_c splats
const BUF = memory.data(MAX_COMPONENTS * 8, 16); // f_c buffers
const ACC = memory.data(MAX_ACC * 16, 16); // S_c (index c), then the jobs' sums
// per job: its component, kind, order, first sum, and the splats of its map φ = α·m + β (β unused
// for m; for u = 1 − (m·α)²)
const JOB_C = memory.data(MAX_COMPONENTS * 4, 16);
const JOB_KIND = memory.data(MAX_COMPONENTS * 4, 16);
const JOB_ORDER = memory.data(MAX_COMPONENTS * 4, 16);
const JOB_ACC = memory.data(MAX_COMPONENTS * 4, 16);
// a job's splats: α, β; a peak's μ, 1/σ, −α, α/n, 1; a double-sided peak's μ, 1/σ_L, 1/σ_R, −α_L,
// α_L/n_L, −α_R, α_R/n_R, 1
const MAP_BYTES = 128;
const JOB_MAP = memory.data(MAX_COMPONENTS * MAP_BYTES, 16);
const COMP_JOB = memory.data(MAX_COMPONENTS * 4, 16); // a component's job, −1 for none
const CONST = memory.data(3 * 16, 16); // 0, 1, the first lane's mask
const Z = 0, ONE = 16, LANE0 = 32;
let nJobs = 0;
let nAcc = 0;
let logSum: f64 = 0;
let dmin: f64 = 0;

@inline function cv(off: i32): v128 { return v128.load(CONST + <usize>off); }
@inline function accAdd(k: i32, v: v128): void {
  const p = ACC + (<usize>k << 4);
  v128.store(p, f64x2.add(v128.load(p), v));
}
@inline function accSum(k: i32): f64 {
  const p = ACC + (<usize>k << 4);
  return load<f64>(p) + load<f64>(p, 8);
}

/** Whether argument a of component c floats with an analytic derivative (its base or a factor's parameter). */
export function argFloats(c: usize, a: i32): bool {
  if (!pdfArgAnalytic(cKind(c), a)) return false;
  if (isAnalytic(cArgIndex(c, a))) return true;
  const ng = cArgFactors(c);
  for (let g = 0; g < ng; g++) {
    const f = argFactorIndex(c, g);
    if (cFactorArg(c, f) == a && isAnalytic(cFactorParam(c, f))) return true;
  }
  return false;
}

/** The shape-sum order component c needs in the pass (its highest floating basis index), 0 for none. */
function jobOrder(c: usize): i32 {
  const kind = cKind(c);
  if (kind == EXPONENTIAL) return argFloats(c, 0) ? 1 : 0;
  if (kind == ARGUS) return argFloats(c, 1) ? 1 : 0;
  if (kind == CRYSTAL_BALL && (argFloats(c, 2) || argFloats(c, 3))) return 4; // the tail's α, n too
  if (kind == GAUSSIAN || kind == CRYSTAL_BALL) return argFloats(c, 0) || argFloats(c, 1) ? 2 : 0;
  if (kind == DOUBLE_CB) {
    for (let a = 3; a < 7; a++) if (argFloats(c, a)) return 7; // a tail's α or n
    return argFloats(c, 0) || argFloats(c, 1) || argFloats(c, 2) ? 3 : 0;
  }
  if (kind != CHEBYSHEV && kind != POLYNOMIAL && kind != EXP_POLY) return 0;
  let order = 0;
  for (let a = 2; a < cArgs(c); a++) if (argFloats(c, a)) order = a - 1;
  return order;
}

/** The pass's tables for sample s: ν, buffers, and (grad) the jobs and their sums' layout. */
function plan(s: usize, grad: bool): void {
  const nc = sComponents(s);
  nJobs = 0;
  nAcc = nc;
  for (let j = 0; j < nc; j++) {
    const c = component(s, j);
    v128.store(NU + (<usize>j << 4), f64x2.splat(yieldOf(c)));
    store<usize>(BUF + (<usize>j << 3), cBuf(c));
    setI32(COMP_JOB, j, -1);
    const order = grad ? jobOrder(c) : 0;
    if (order == 0) continue;
    const kind = cKind(c);
    const a = cArgPtr(c);
    let alpha: f64 = 1, beta: f64 = 0, jk = J_EXP_M;
    if (kind == GAUSSIAN || kind == CRYSTAL_BALL) jk = J_PEAK;
    else if (kind == DOUBLE_CB) jk = J_DCB;
    else if (kind == ARGUS) {
      jk = J_EXP_U;
      alpha = 1.0 / load<f64>(a);
    } else if (kind != EXPONENTIAL) {
      jk = kind == CHEBYSHEV ? J_CHEB : kind == POLYNOMIAL ? J_POLY : J_EXP_X;
      alpha = 2.0 / (load<f64>(a, 8) - load<f64>(a));
      beta = -alpha * load<f64>(a) - 1.0;
    }
    setI32(COMP_JOB, j, nJobs);
    setI32(JOB_C, nJobs, j);
    setI32(JOB_KIND, nJobs, jk);
    setI32(JOB_ORDER, nJobs, order);
    setI32(JOB_ACC, nJobs, nAcc);
    const map = JOB_MAP + <usize>nJobs * MAP_BYTES;
    v128.store(map, f64x2.splat(alpha));
    v128.store(map + 16, f64x2.splat(beta));
    if (jk == J_PEAK) peakSplats(map, kind, a);
    if (jk == J_DCB) doubleSplats(map, a);
    nAcc += order;
    nJobs++;
  }
  memory.fill(ACC, 0, <usize>nAcc << 4);
  v128.store(CONST + <usize>Z, f64x2.splat(0));
  v128.store(CONST + <usize>ONE, f64x2.splat(1));
  v128.store(CONST + <usize>LANE0, i64x2.replace_lane(i64x2.splat(-1), 1, 0));
}

/** A pair of f64 at p, or (tail) the one at p in the first lane. */
@inline function ld(p: usize, tail: bool): v128 {
  return tail ? v128.load64_splat(p) : v128.load(p);
}

/** The jobs' shape sums of one pair (r: w/d, zero in a masked lane). */
@inline function shapeSums(m: v128, r: v128, off: usize, tail: bool): void {
  for (let k = 0; k < nJobs; k++) {
    const kind = i32At(JOB_KIND, k);
    const order = i32At(JOB_ORDER, k);
    const base = i32At(JOB_ACC, k);
    const alpha = v128.load(JOB_MAP + <usize>k * MAP_BYTES);
    if (kind == J_PEAK || kind == J_DCB) {
      const rf = f64x2.mul(r, ld(load<usize>(BUF + (<usize>i32At(JOB_C, k) << 3)) + off, tail));
      if (kind == J_DCB) doubleSums(k, m, rf, base, order == 7);
      else if (order == 4) peakSums(k, m, rf, base, true);
      else peakSums(k, m, rf, base, false);
      continue;
    }
    if (kind == J_CHEB || kind == J_POLY) {
      const x = f64x2.add(f64x2.mul(m, alpha), v128.load(JOB_MAP + <usize>k * MAP_BYTES + 16));
      let t0 = cv(ONE), t1 = x;
      accAdd(base, f64x2.mul(r, x));
      for (let q = 2; q <= order; q++) {
        const t2 = kind == J_CHEB ? f64x2.sub(f64x2.mul(f64x2.add(x, x), t1), t0) : f64x2.mul(x, t1);
        t0 = t1;
        t1 = t2;
        accAdd(base + q - 1, f64x2.mul(r, t1));
      }
      continue;
    }
    let phi = m;
    if (kind == J_EXP_X) phi = f64x2.add(f64x2.mul(m, alpha), v128.load(JOB_MAP + <usize>k * MAP_BYTES + 16));
    else if (kind == J_EXP_U) {
      const t = f64x2.mul(m, alpha);
      phi = f64x2.sub(cv(ONE), f64x2.mul(t, t));
    }
    let q = f64x2.mul(r, ld(load<usize>(BUF + (<usize>i32At(JOB_C, k) << 3)) + off, tail));
    for (let p = 0; p < order; p++) {
      q = f64x2.mul(q, phi);
      accAdd(base + p, q);
    }
  }
}

/** A peak's splats: μ, 1/σ, −α, α/n, 1 (a Gaussian: no tail, α = +∞). */
function peakSplats(map: usize, kind: i32, a: usize): void {
  const alpha = kind == CRYSTAL_BALL ? load<f64>(a, 16) : Infinity;
  const n = kind == CRYSTAL_BALL ? Math.min(load<f64>(a, 24), 1e200) : 1.0;
  v128.store(map, f64x2.splat(load<f64>(a)));
  v128.store(map + 16, f64x2.splat(1.0 / load<f64>(a, 8)));
  v128.store(map + 32, f64x2.splat(-alpha));
  v128.store(map + 48, f64x2.splat(kind == CRYSTAL_BALL ? alpha / n : 0.0));
  v128.store(map + 64, f64x2.splat(1.0));
}

/** A double-sided peak's splats (arguments μ, σ_L, σ_R, α_L, n_L, α_R, n_R). */
function doubleSplats(map: usize, a: usize): void {
  v128.store(map, f64x2.splat(load<f64>(a)));
  v128.store(map + 16, f64x2.splat(1.0 / load<f64>(a, 8)));
  v128.store(map + 32, f64x2.splat(1.0 / load<f64>(a, 16)));
  for (let side = 0; side < 2; side++) {
    const tail = a + 24 + 16 * <usize>side; // α, n of the side
    const alpha = load<f64>(tail), n = Math.min(load<f64>(tail, 8), 1e200);
    v128.store(map + 48 + 32 * <usize>side, f64x2.splat(-alpha));
    v128.store(map + 64 + 32 * <usize>side, f64x2.splat(alpha / n));
  }
  v128.store(map + 112, f64x2.splat(1.0));
}

/**
 * A double-sided peak's sums Σ r f h/σ (the mean), Σ r f h t/σ_L below the mean and Σ r f h t/σ_R
 * above it: t = (m − μ)/σ with the side's σ, h = −∂ln g/∂t from the side's core or tail (each side's
 * shape runs in o = ±t, the tail at o < −α); with `tails`, Σ r f ∂ln g/∂α and Σ r f ∂ln g/∂n in each
 * side's tail (α_L, n_L, α_R, n_R).
 */
@inline function doubleSums(k: i32, m: v128, rf: v128, base: i32, tails: bool): void {
  const map = JOB_MAP + <usize>k * MAP_BYTES;
  const left = f64x2.lt(m, v128.load(map));
  const inv = v128.bitselect(v128.load(map, 16), v128.load(map, 32), left);
  const t = f64x2.mul(f64x2.sub(m, v128.load(map)), inv);
  const o = v128.bitselect(t, f64x2.neg(t), left);
  const negAlpha = v128.bitselect(v128.load(map, 48), v128.load(map, 80), left);
  const slope = v128.bitselect(v128.load(map, 64), v128.load(map, 96), left);
  const onePlusU = f64x2.sub(v128.load(map, 112), f64x2.mul(slope, f64x2.sub(o, negAlpha)));
  const ho = v128.bitselect(o, f64x2.div(negAlpha, onePlusU), f64x2.gt(o, negAlpha));
  const rfh = f64x2.mul(f64x2.mul(rf, v128.bitselect(ho, f64x2.neg(ho), left)), inv);
  accAdd(base, rfh);
  const rfht = f64x2.mul(rfh, t);
  accAdd(base + 1, v128.and(rfht, left));
  accAdd(base + 2, v128.andnot(rfht, left));
  if (!tails) return;
  // as the one-sided tail's, in o: ∂ln g/∂α = −α + (o + 2α)/(1 + u), ∂ln g/∂n = u/(1 + u) − ln(1 + u)
  const one = v128.load(map, 112);
  const inTail = f64x2.le(o, negAlpha);
  const inv1u = f64x2.div(one, onePlusU);
  const dAlpha = f64x2.mul(rf, f64x2.add(negAlpha, f64x2.mul(f64x2.sub(o, f64x2.add(negAlpha, negAlpha)), inv1u)));
  const dN = f64x2.mul(rf, f64x2.sub(f64x2.mul(f64x2.sub(onePlusU, one), inv1u), vlog(onePlusU, constants())));
  const leftTail = v128.and(inTail, left), rightTail = v128.andnot(inTail, left);
  accAdd(base + 3, v128.and(dAlpha, leftTail));
  accAdd(base + 4, v128.and(dN, leftTail));
  accAdd(base + 5, v128.and(dAlpha, rightTail));
  accAdd(base + 6, v128.and(dN, rightTail));
}

/**
 * A peak's sums Σ r f h and Σ r f h t (rf = r·f of the pair): h = t in the core (t > −α), and
 * −α/(1 + u), u = −α(α + t)/n, in the tail.
 */
@inline function peakSums(k: i32, m: v128, rf: v128, base: i32, tails: bool): void {
  const map = JOB_MAP + <usize>k * MAP_BYTES;
  const t = f64x2.mul(f64x2.sub(m, v128.load(map)), v128.load(map, 16));
  const negAlpha = v128.load(map, 32);
  const one = v128.load(map, 64);
  const onePlusU = f64x2.sub(one, f64x2.mul(v128.load(map, 48), f64x2.sub(t, negAlpha)));
  const core = f64x2.gt(t, negAlpha);
  const h = v128.bitselect(t, f64x2.div(negAlpha, onePlusU), core);
  const rfh = f64x2.mul(rf, h);
  accAdd(base, rfh);
  accAdd(base + 1, f64x2.mul(rfh, t));
  if (!tails) return;
  // the tail's ∂ln g/∂α = −α + (2α + t)/(1 + u) and ∂ln g/∂n = u/(1 + u) − ln(1 + u); 0 in the core
  const zero = f64x2.sub(one, one);
  const inv = f64x2.div(one, onePlusU);
  const dAlpha = f64x2.add(negAlpha, f64x2.mul(f64x2.sub(t, f64x2.add(negAlpha, negAlpha)), inv));
  const dN = f64x2.sub(f64x2.mul(f64x2.sub(onePlusU, one), inv), vlog(onePlusU, constants()));
  accAdd(base + 2, f64x2.mul(rf, v128.bitselect(zero, dAlpha, core)));
  accAdd(base + 3, f64x2.mul(rf, v128.bitselect(zero, dN, core)));
}

/**
 * The pass over events [start, end) (byte offsets; tail: the one event at start, as a masked pair)
 * of a sample with nc components: logSum += Σ w ln d, dmin = min d over events of weight ≠ 0, and
 * (grad) the sums into ACC.
 */
@inline function sweep(
  data: usize, w: usize, start: usize, end: usize, nc: i32, tail: bool, weighted: bool, grad: bool,
): void {
  const K = constants();
  let prod = cv(ONE);
  let expAcc = i64x2.splat(0);
  let logAcc = cv(Z);
  let dm = f64x2.splat(Infinity);
  let steps: i64 = 0;
  for (let off = start; off < end; off += 16) {
    let d = cv(Z);
    for (let j = 0; j < nc; j++) {
      d = f64x2.add(d, f64x2.mul(v128.load(NU + (<usize>j << 4)), ld(load<usize>(BUF + (<usize>j << 3)) + off, tail)));
    }
    let r: v128;
    if (weighted) {
      let wv = ld(w + off, tail);
      if (tail) wv = v128.and(wv, cv(LANE0));
      const dd = v128.bitselect(d, cv(ONE), f64x2.ne(wv, cv(Z))); // an event of weight 0 says nothing
      dm = f64x2.min(dm, dd);
      logAcc = f64x2.add(logAcc, f64x2.mul(wv, vlog(dd, K)));
      r = f64x2.div(wv, dd);
    } else {
      if (tail) d = v128.bitselect(d, cv(ONE), cv(LANE0));
      dm = f64x2.min(dm, d);
      prod = f64x2.mul(prod, d);
      expAcc = i64x2.add(expAcc, i64x2.shr_u(prod, 52));
      prod = v128.or(v128.and(prod, v128.load(K + <usize>K_MANT)), v128.load(K + <usize>K_ONE));
      steps++;
      r = f64x2.div(cv(ONE), d);
      if (tail) r = v128.and(r, cv(LANE0));
    }
    if (!grad) continue;
    for (let j = 0; j < nc; j++) accAdd(j, f64x2.mul(r, ld(load<usize>(BUF + (<usize>j << 3)) + off, tail)));
    if (nJobs > 0) shapeSums(ld(data + off, tail), r, off, tail);
  }
  dmin = Math.min(dmin, Math.min(f64x2.extract_lane(dm, 0), f64x2.extract_lane(dm, 1)));
  if (weighted) {
    logSum += f64x2.extract_lane(logAcc, 0) + f64x2.extract_lane(logAcc, 1);
  } else if (steps > 0) {
    const e0 = <f64>(i64x2.extract_lane(expAcc, 0) - 1023 * steps);
    const e1 = <f64>(i64x2.extract_lane(expAcc, 1) - 1023 * steps);
    logSum += Math.log(f64x2.extract_lane(prod, 0)) + Math.log(f64x2.extract_lane(prod, 1)) + (e0 + e1) * Math.LN2;
  }
}

/** The whole pass over sample s's n events (grad: with the gradient's sums). */
function pass(s: usize, n: i32, grad: bool): void {
  const data = sData(s), w = sWeights(s), nc = sComponents(s);
  const end = <usize>(n >> 1) << 4;
  logSum = 0;
  dmin = Infinity;
  if (w != 0) {
    if (grad) sweep(data, w, 0, end, nc, false, true, true);
    else sweep(data, w, 0, end, nc, false, true, false);
    if (n & 1) sweep(data, w, end, end + 16, nc, true, true, grad);
    return;
  }
  if (grad) sweep(data, w, 0, end, nc, false, false, true);
  else sweep(data, w, 0, end, nc, false, false, false);
  if (n & 1) sweep(data, w, end, end + 16, nc, true, false, grad);
}

/**
 * Refresh sample s's components (their buffers where their arguments moved) and return Σ ν_c; +∞
 * where an argument or the density at a guard point is invalid.
 */
export function refreshSample(s: usize): f64 {
  const nc = sComponents(s);
  let nu: f64 = 0;
  for (let j = 0; j < nc; j++) {
    const c = component(s, j);
    if (!refresh(s, c)) return Infinity;
    nu += yieldOf(c);
  }
  return guardsHold(s) ? nu : Infinity;
}

/** One sample through the general passes: returns its NLL, adds its gradient when grad ≠ 0. */
export function generalSample(s: usize, grad: usize): f64 {
  const nll = refreshSample(s);
  if (!isFinite(nll)) return Infinity;
  plan(s, grad != 0);
  pass(s, sEvents(s), grad != 0);
  // every event of weight ≠ 0 needs a density > 0 (below 1e-300 the product's exponent bookkeeping,
  // and any fit, is past meaning)
  if (!(dmin > 1e-300)) return Infinity;
  if (grad != 0) gradient(s, grad);
  return nll - logSum;
}

/**
 * Gradient from the pass's sums: yields (1 − S_c)·∂ν/∂p; shapes ∂NLL/∂a = −ν_c(T − S_c·J)/I for each
 * floating analytic argument (T = Σ r_i ∂g/∂a: the pass's shape sum, times I where it summed f = g/I;
 * J = ∂I/∂a), times ∂a/∂p for the parameters in a (its base, its factors' parameters).
 */
function gradient(s: usize, grad: usize): void {
  const nc = sComponents(s);
  for (let j = 0; j < nc; j++) {
    const c = component(s, j);
    const S = accSum(j);
    addYieldGradient(c, 1.0 - S, grad);
    const kind = cKind(c);
    const na = cArgs(c);
    for (let a = 0; a < na; a++) {
      if (!argFloats(c, a)) continue;
      const args = cArgPtr(c);
      const norm = cNorm(c);
      const T = shapeSum(c, j, a);
      const J = rangeIntegralDerivative(s, kind, sLo(s), sHi(s), args, na, a);
      distribute(c, a, -yieldOf(c) * (T - S * J) / norm, grad);
    }
  }
}

/** T = Σ r_i ∂g/∂a_a(m_i), from the pass's sums (every floating analytic argument has a job). */
function shapeSum(c: usize, j: i32, a: i32): f64 {
  const base = i32At(JOB_ACC, i32At(COMP_JOB, j));
  const kind = cKind(c);
  if (kind == CHEBYSHEV || kind == POLYNOMIAL) return accSum(base + a - 2);
  // a peak: ∂g/∂μ = h·g/σ, ∂g/∂σ = t·h·g/σ; the Crystal Ball's tail: ∂g/∂α, ∂g/∂n = g·∂ln g; the
  // double-sided one's sums carry their 1/σ
  if (kind == GAUSSIAN || kind == CRYSTAL_BALL) {
    return (cNorm(c) * accSum(base + a)) / (a >= 2 ? 1.0 : load<f64>(cArgPtr(c), 8));
  }
  if (kind == DOUBLE_CB) return cNorm(c) * accSum(base + a);
  const k = kind == EXP_POLY ? a - 1 : 1; // exponential: λ (a = 0); ARGUS: c (a = 1)
  return cNorm(c) * accSum(base + k - 1);
}

/** Add ∂NLL/∂(argument a) to each distinct analytic parameter in it, times ∂a/∂p. */
function distribute(c: usize, a: i32, dArg: f64, grad: usize): void {
  const ng = cArgFactors(c);
  if (ng == 0) {
    addGradient(grad, cArgIndex(c, a), dArg);
    return;
  }
  // each distinct parameter of the argument once: argDerivative sums all the places it takes
  const base = cArgIndex(c, a);
  if (isAnalytic(base)) addGradient(grad, base, dArg * argDerivative(c, a, base));
  for (let g = 0; g < ng; g++) {
    const f = argFactorIndex(c, g);
    const p = cFactorParam(c, f);
    if (cFactorArg(c, f) != a || !isAnalytic(p) || p == base) continue;
    let seen = false;
    for (let h = 0; h < g; h++) {
      const e = argFactorIndex(c, h);
      if (cFactorArg(c, e) == a && cFactorParam(c, e) == p) seen = true;
    }
    if (!seen) addGradient(grad, p, dArg * argDerivative(c, a, p));
  }
}
