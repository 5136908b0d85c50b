// The extended negative log-likelihood and its gradient:
//   NLL = Σ_samples [ Σ_c ν_c − Σ_i w_i ln Σ_c ν_c f_c(m_i) ] + Σ_constraints ½((θ − mean)/σ)²
// f_c = g_c/I_c normalised over the sample's range. Each component keeps a per-event buffer of
// f_c, refilled only when its arguments change, so a shape with constant arguments (the signal at
// a fixed mass) is evaluated once per dataset. Gradients: analytic for yields, constraints, the
// exponential and polynomial shape families, ARGUS's c and the peaks' mean and widths; central
// differences of the whole NLL for other free shape arguments. Samples of the bump-hunt shape (a
// cached or in-kernel Gaussian component + one expPoly or exponential background, unweighted) run
// the fused f64x2 kernel of fastpath.ts (with the analytic Hessian); every other sample the general
// f64x2 passes of general.ts.
import { alloc } from "./memory";
import {
  model, value, nParams, nSamples, nConstraints, constraint, sample, component, word, setWord, iword,
  sData, sWeights, sEvents, sLo, sHi, sComponents, sGuards, sGuard, sScale, sFastComponent, cKind, cArgs, cBuf,
  cArgPtr, cArgIndex, cFactors, cFactorParam, cSnapshot, cNorm, setNorm, yieldOf, yieldDerivative, sHoles, sHoleLo,
  sHoleHi, inHole, cArgFactors, argFactorIndex, cFactorArg, gatherArgs, argDerivative,
} from "./model";
import {
  pdfValue, pdfIntegral, pdfFill, pdfArgAnalytic, pdfIntegralDerivative, EXP_POLY, ARGUS,
} from "./pdf/index";
import { fastSample, fastEligible } from "./fastpath";
import { generalSample } from "./general";
import { argusForget } from "./pdf/vfill";
import { fusedHessian } from "./hessian";
import { generalHessian, generalHessianAvailable } from "./general-hessian";
import { values } from "./model";
import {
  MAX_PARAMS, MAX_COMPONENTS, SAMPLE_MAPPED, SAMPLE_FAST_COMPONENT, SAMPLE_MAPPED_VALID, COMPONENT_BUFFER,
  COMPONENT_ARG_VALUES, COMPONENT_SNAPSHOT, CONSTRAINT_PARAM, CONSTRAINT_MEAN, CONSTRAINT_SIGMA,
} from "../src/core/abi";

export { MAX_PARAMS, MAX_COMPONENTS };
export const freeMask = memory.data(MAX_PARAMS << 3, 16); // 1 free, 0 fixed (of the current model)
const numeric = memory.data(MAX_PARAMS << 3, 16); // 1 where the gradient is taken by central differences
let fastPathEnabled = true;

let analyticHessianEnabled = true;

/** Allow or forbid the fused SIMD kernel (benchmarks and tests compare it with the general passes). */
export function setFastPath(enabled: bool): void {
  fastPathEnabled = enabled;
}

/** Allow or forbid the analytic Hessian (benchmarks and tests compare it with HESSE by differences). */
export function setAnalyticHessian(enabled: bool): void {
  analyticHessianEnabled = enabled;
}
/** The component sample k's fused kernel takes as background, −1 when it takes the scalar passes (tests). */
export function fusedComponent(k: i32): i32 {
  return sFastComponent(sample(k));
}

/** Allocate each sample's and component's work buffers (call once after setModel). */
export function prepareModel(): void {
  const ns = nSamples();
  for (let k = 0; k < ns; k++) {
    const s = sample(k);
    const n = <usize>sEvents(s);
    setWord(s, SAMPLE_MAPPED, <f64>alloc((n + 2) << 3)); // x_i mapped for the fused kernel's expPoly
    setWord(s, SAMPLE_FAST_COMPONENT, -1);
    setWord(s, SAMPLE_MAPPED_VALID, 0);
    const nc = sComponents(s);
    for (let j = 0; j < nc; j++) {
      const c = component(s, j);
      const na = <usize>cArgs(c);
      // ARGUS keeps its per-event prefactor m·u^p after its buffer and the prefactor's (m0, p) before it
      const argus = cKind(c) == ARGUS;
      const buf = alloc((argus ? 2 * n + 2 : n) << 3) + (argus ? 16 : 0);
      setWord(c, COMPONENT_BUFFER, <f64>buf);
      if (argus) argusForget(buf);
      setWord(c, COMPONENT_ARG_VALUES, <f64>alloc(na << 3));
      const snap = alloc(na << 3);
      for (let a: usize = 0; a < na; a++) store<f64>(snap + (a << 3), NaN);
      setWord(c, COMPONENT_SNAPSHOT, <f64>snap);
      setNorm(c, NaN);
    }
  }
}

@inline function isFree(p: i32): bool {
  return p < nParams() && load<f64>(freeMask + (<usize>p << 3)) != 0;
}

/** Mark which parameters float (mask of nParams words) and choose each sample's evaluation path. */
export function setFree(mask: usize): void {
  const np = nParams();
  for (let p = 0; p < np; p++) {
    store<f64>(freeMask + (<usize>p << 3), load<f64>(mask + (<usize>p << 3)));
    store<f64>(numeric + (<usize>p << 3), 0);
  }
  const ns = nSamples();
  for (let k = 0; k < ns; k++) {
    const s = sample(k);
    const nc = sComponents(s);
    for (let j = 0; j < nc; j++) {
      const c = component(s, j);
      for (let a = 0; a < cArgs(c); a++) {
        if (pdfArgAnalytic(cKind(c), a)) continue;
        // the argument's base and the parameters of its factors
        markNumeric(cArgIndex(c, a));
        for (let g = 0; g < cArgFactors(c); g++) {
          const f = argFactorIndex(c, g);
          if (cFactorArg(c, f) == a) markNumeric(cFactorParam(c, f));
        }
      }
    }
    setWord(s, SAMPLE_FAST_COMPONENT, fastPathEnabled ? <f64>fastEligible(s) : -1.0);
  }
}

@inline function markNumeric(p: i32): void {
  if (isFree(p)) store<f64>(numeric + (<usize>p << 3), 1);
}

/** Whether p floats and takes its gradient analytically. */
@inline export function isAnalytic(p: i32): bool {
  return isFree(p) && load<f64>(numeric + (<usize>p << 3)) == 0;
}

/**
 * ∫ g over [lo, hi] less the sample's vetoes: the sum of the closed-form (or Gauss–Legendre)
 * integrals over the allowed pieces; the one integral over [lo, hi] when there are none.
 */
export function rangeIntegral(s: usize, kind: i32, lo: f64, hi: f64, a: usize, na: i32): f64 {
  const nh = sHoles(s);
  if (nh == 0) return pdfIntegral(kind, lo, hi, a, na);
  let sum: f64 = 0;
  let start = lo;
  for (let k = 0; k < nh && start < hi; k++) {
    const h0 = sHoleLo(s, k), h1 = sHoleHi(s, k);
    if (h1 <= start) continue;
    if (h0 > start) sum += pdfIntegral(kind, start, Math.min(h0, hi), a, na);
    start = h1;
  }
  if (start < hi) sum += pdfIntegral(kind, start, hi, a, na);
  return sum;
}

/** ∂/∂a_j of rangeIntegral: the same pieces' derivatives, summed. */
export function rangeIntegralDerivative(s: usize, kind: i32, lo: f64, hi: f64, a: usize, na: i32, j: i32): f64 {
  const nh = sHoles(s);
  if (nh == 0) return pdfIntegralDerivative(kind, lo, hi, a, na, j);
  let sum: f64 = 0;
  let start = lo;
  for (let k = 0; k < nh && start < hi; k++) {
    const h0 = sHoleLo(s, k), h1 = sHoleHi(s, k);
    if (h1 <= start) continue;
    if (h0 > start) sum += pdfIntegralDerivative(kind, start, Math.min(h0, hi), a, na, j);
    start = h1;
  }
  if (start < hi) sum += pdfIntegralDerivative(kind, start, hi, a, na, j);
  return sum;
}

/** New events in sample k (toys): every cache and the mapped x must be rebuilt. */
export function invalidateSample(k: i32): void {
  const s = sample(k);
  const nc = sComponents(s);
  for (let j = 0; j < nc; j++) {
    const c = component(s, j);
    setNorm(c, NaN);
    if (cKind(c) == ARGUS) argusForget(cBuf(c));
  }
  setWord(s, SAMPLE_MAPPED_VALID, 0);
  if (sFastComponent(s) >= 0) setWord(s, SAMPLE_FAST_COMPONENT, <f64>fastEligible(s));
}

/**
 * Gather the component's arguments; refill its normalised buffer if they changed. False where an
 * argument's factor is invalid (1 + r·θ ≤ 0): the caller's NLL is then +∞, and nothing is refilled.
 */
export function refresh(s: usize, c: usize): bool {
  const na = cArgs(c);
  const args = cArgPtr(c);
  const snap = cSnapshot(c);
  if (!gatherArgs(c)) return false;
  let changed = isNaN(cNorm(c)); // never filled yet (also for shapes without arguments)
  for (let a = 0; a < na; a++) {
    if (load<f64>(args + (<usize>a << 3)) != load<f64>(snap + (<usize>a << 3))) changed = true;
  }
  if (!changed) return true;
  const norm = rangeIntegral(s, cKind(c), sLo(s), sHi(s), args, na);
  setNorm(c, norm);
  pdfFill(cKind(c), args, na, sData(s), sEvents(s), cBuf(c), 1.0 / norm);
  memory.copy(snap, args, <usize>na << 3);
  return true;
}

/**
 * Refresh a component's gathered arguments and normalisation without touching its buffer (NaN
 * where an argument's factor is invalid).
 */
export function refreshNorm(s: usize, c: usize): f64 {
  const norm = gatherArgs(c) ? rangeIntegral(s, cKind(c), sLo(s), sHi(s), cArgPtr(c), cArgs(c)) : NaN;
  setNorm(c, norm);
  return norm;
}

function constraintsTerm(grad: usize): f64 {
  let sum: f64 = 0;
  const nk = nConstraints();
  for (let k = 0; k < nk; k++) {
    const q = constraint(k);
    const p = iword(q, CONSTRAINT_PARAM);
    const sigma = word(q, CONSTRAINT_SIGMA);
    const z = (value(p) - word(q, CONSTRAINT_MEAN)) / sigma;
    sum += 0.5 * z * z;
    if (grad != 0 && isFree(p) && load<f64>(numeric + (<usize>p << 3)) == 0) {
      const gp = grad + (<usize>p << 3);
      store<f64>(gp, load<f64>(gp) + z / sigma);
    }
  }
  return sum;
}

/** out[i] = total density Σ ν_c f_c(xs[i]) of sample k at the current values (Asimov weights, plots). */
const savedNorms = memory.data(MAX_COMPONENTS << 3, 16);

export function sampleDensity(k: i32, xs: usize, n: i32, out: usize): void {
  const s = sample(k);
  const nc = sComponents(s);
  for (let j = 0; j < nc; j++) {
    store<f64>(savedNorms + (<usize>j << 3), cNorm(component(s, j)));
    refreshNorm(s, component(s, j));
  }
  const holes = sHoles(s) > 0;
  for (let i = 0; i < n; i++) {
    const m = load<f64>(xs + (<usize>i << 3));
    let d: f64 = 0;
    for (let j = 0; j < nc; j++) {
      const c = component(s, j);
      d += yieldOf(c) * pdfValue(cKind(c), m, cArgPtr(c), cArgs(c)) / cNorm(c);
    }
    store<f64>(out + (<usize>i << 3), holes && inHole(s, m) ? 0.0 : d); // the density is 0 inside a veto
  }
  // the norms belong to the per-event buffers (filled at other values): put them back
  for (let j = 0; j < nc; j++) setNorm(component(s, j), load<f64>(savedNorms + (<usize>j << 3)));
}

/**
 * out[i] = expected events of sample k in [edges[i], edges[i+1]] at the current values: Σ ν_c
 * times each component's closed-form integral over the bin, divided by its integral over the range
 * (both less the vetoes: a bin inside a veto expects 0 events).
 */
export function sampleBinYields(k: i32, edges: usize, nBins: i32, out: usize): void {
  const s = sample(k);
  const nc = sComponents(s);
  for (let j = 0; j < nc; j++) {
    store<f64>(savedNorms + (<usize>j << 3), cNorm(component(s, j)));
    refreshNorm(s, component(s, j));
  }
  for (let i = 0; i < nBins; i++) {
    const lo = load<f64>(edges + (<usize>i << 3)), hi = load<f64>(edges + (<usize>(i + 1) << 3));
    let y: f64 = 0;
    for (let j = 0; j < nc; j++) {
      const c = component(s, j);
      y += yieldOf(c) * rangeIntegral(s, cKind(c), lo, hi, cArgPtr(c), cArgs(c)) / cNorm(c);
    }
    store<f64>(out + (<usize>i << 3), y);
  }
  for (let j = 0; j < nc; j++) setNorm(component(s, j), load<f64>(savedNorms + (<usize>j << 3)));
}

/** out[j] = ∫ g_j over sample k's range less its vetoes at the current values (tests, the norms' check). */
export function sampleNorms(k: i32, out: usize): void {
  const s = sample(k);
  const nc = sComponents(s);
  for (let j = 0; j < nc; j++) {
    const c = component(s, j);
    const saved = cNorm(c);
    store<f64>(out + (<usize>j << 3), refreshNorm(s, c));
    setNorm(c, saved);
  }
}

/** False if the density is negative at one of the sample's guard points (arguments and norms current). */
export function guardsHold(s: usize): bool {
  const ng = sGuards(s);
  const nc = sComponents(s);
  for (let k = 0; k < ng; k++) {
    const m = sGuard(s, k);
    let d: f64 = 0;
    for (let j = 0; j < nc; j++) {
      const c = component(s, j);
      d += yieldOf(c) * pdfValue(cKind(c), m, cArgPtr(c), cArgs(c)) / cNorm(c);
    }
    if (d < 0) return false;
  }
  return true;
}

@inline export function addGradient(grad: usize, p: i32, v: f64): void {
  const gp = grad + (<usize>p << 3);
  store<f64>(gp, load<f64>(gp) + v);
}

/** Add dNLL/dν_c · ∂ν_c/∂p for every free, analytically handled factor parameter p. */
export function addYieldGradient(c: usize, dnu: f64, grad: usize): void {
  const nf = cFactors(c);
  for (let f = 0; f < nf; f++) {
    const p = cFactorParam(c, f);
    if (!isFree(p) || load<f64>(numeric + (<usize>p << 3)) != 0) continue;
    let seen = false;
    for (let g = 0; g < f; g++) if (cFactorParam(c, g) == p) seen = true;
    if (!seen) addGradient(grad, p, dnu * yieldDerivative(c, p));
  }
}

const gradBefore = memory.data(MAX_PARAMS << 3, 16); // the gradient before a scaled sample's terms

function total(grad: usize): f64 {
  let nll = constraintsTerm(grad);
  const ns = nSamples();
  const np = nParams();
  for (let k = 0; k < ns; k++) {
    const s = sample(k);
    const scale = sScale(s);
    if (grad != 0 && scale != 1.0) memory.copy(gradBefore, grad, <usize>np << 3);
    const v = sFastComponent(s) >= 0 ? fastSample(s, grad) : generalSample(s, grad);
    if (!isFinite(v)) return Infinity;
    nll += scale * v;
    if (grad != 0 && scale != 1.0) {
      for (let p = 0; p < np; p++) {
        const before = load<f64>(gradBefore + (<usize>p << 3));
        const gp = grad + (<usize>p << 3);
        store<f64>(gp, before + scale * (load<f64>(gp) - before));
      }
    }
  }
  return nll;
}

/** The NLL at the current value vector (+∞ where a density is ≤ 0 at an event). */
export function nll(): f64 {
  return total(0);
}

/** The NLL and its gradient (written to grad, nParams words; 0 for fixed parameters). */
export function nllGrad(grad: usize): f64 {
  const np = nParams();
  for (let p = 0; p < np; p++) store<f64>(grad + (<usize>p << 3), 0);
  const f = total(grad);
  if (!isFinite(f)) return f;
  for (let p = 0; p < np; p++) {
    if (load<f64>(numeric + (<usize>p << 3)) == 0) continue;
    const vp = values + (<usize>p << 3);
    const v = load<f64>(vp);
    const h = 1e-5 * (Math.abs(v) + 1e-2);
    store<f64>(vp, v + h);
    const fp = total(0);
    store<f64>(vp, v - h);
    const fm = total(0);
    store<f64>(vp, v);
    store<f64>(grad + (<usize>p << 3), (fp - fm) / (2 * h));
  }
  if (np > 0 && numericAny()) total(0); // leave the caches at the central point
  return f;
}

/**
 * Whether nllHess applies: every gradient analytic, and every sample on the fused kernel or a general
 * sample whose free parameters are yields and shape coefficients (generalHessianAvailable).
 */
export function hessianAvailable(): bool {
  if (!analyticHessianEnabled || numericAny()) return false;
  const ns = nSamples();
  for (let k = 0; k < ns; k++) {
    const s = sample(k);
    if (sFastComponent(s) < 0 && !generalHessianAvailable(s)) return false;
  }
  return ns > 0;
}

export const freeSlot = memory.data(MAX_PARAMS << 2, 16); // a parameter's index among the free ones (−1 fixed)
export let nFreeSlots = 0;

/**
 * The NLL, its gradient (grad, nParams words) and its analytic Hessian over the free parameters (H,
 * nFree² words, row-major, free parameters in index order) in one pass per sample; NaN when
 * !hessianAvailable(), +∞ where the density is not positive.
 */
export function nllHess(grad: usize, H: usize): f64 {
  if (!hessianAvailable()) return NaN;
  const np = nParams();
  nFreeSlots = 0;
  for (let p = 0; p < np; p++) store<i32>(freeSlot + (<usize>p << 2), isFree(p) ? nFreeSlots++ : -1);
  memory.fill(grad, 0, <usize>np << 3);
  memory.fill(H, 0, <usize>(nFreeSlots * nFreeSlots) << 3);
  let nll = constraintsTerm(grad);
  const nk = nConstraints();
  for (let k = 0; k < nk; k++) {
    const q = constraint(k);
    const p = iword(q, CONSTRAINT_PARAM);
    const sigma = word(q, CONSTRAINT_SIGMA);
    if (!isFree(p)) continue;
    const at = H + (<usize>(load<i32>(freeSlot + (<usize>p << 2)) * (nFreeSlots + 1)) << 3);
    store<f64>(at, load<f64>(at) + 1.0 / (sigma * sigma));
  }
  const ns = nSamples();
  for (let k = 0; k < ns; k++) {
    const s = sample(k);
    const v = sFastComponent(s) >= 0 ? fusedHessian(s, grad, H, sScale(s)) : generalHessian(s, grad, H, sScale(s));
    if (!isFinite(v)) return Infinity;
    nll += sScale(s) * v;
  }
  return nll;
}

function numericAny(): bool {
  const np = nParams();
  for (let p = 0; p < np; p++) if (load<f64>(numeric + (<usize>p << 3)) != 0) return true;
  return false;
}

export { EXP_POLY, model };
