// A variable-metric (MIGRAD-like) minimizer over the free parameters, entirely inside WASM.
// Bounded parameters are mapped to an unbounded internal variable as Minuit does (sine transform
// for two bounds, sqrt transform for one). The inverse Hessian starts from the analytic Hessian
// where the model has one (every sample on the fused kernel: one pass gives f, g and H), else from
// forward differences of the analytic gradient (so the first steps are Newton steps), and is kept
// by BFGS updates; each step is a backtracking line search with the Armijo condition. Convergence:
// EDM = ½ gᵀVg below edmMax (Minuit's 0.002·tol·up). HESSE is the analytic Hessian (one pass) or
// central differences of the gradient in external coordinates.
import { values, nParams } from "./model";
import { nll, nllGrad, nllHess, hessianAvailable, freeMask } from "./nll";
import {
  STATUS_CONVERGED as CONVERGED, STATUS_CALL_LIMIT as CALL_LIMIT, STATUS_EDM_ABOVE_MAX as EDM_ABOVE_MAX,
  STATUS_FAILED as FAILED, MAX_FREE, MAX_PARAMS, MINIMIZE_FVAL, MINIMIZE_EDM, MINIMIZE_NFCN, MINIMIZE_ITERATIONS,
  MINIMIZE_ERRORS, BOUND_LO, BOUND_HI, BOUND_WORDS,
} from "../src/core/abi";
import { f64At, setF64 } from "./memory";

export { CONVERGED, CALL_LIMIT, EDM_ABOVE_MAX, FAILED };

const free = memory.data(MAX_FREE << 2, 16); // i32 indices of the free parameters
const u = memory.data(MAX_FREE << 3, 16); // internal coordinates
const g = memory.data(MAX_FREE << 3, 16); // internal gradient
const u1 = memory.data(MAX_FREE << 3, 16);
const g1 = memory.data(MAX_FREE << 3, 16);
const step = memory.data(MAX_FREE << 3, 16);
const tmp = memory.data(MAX_FREE << 3, 16);
const V = memory.data(MAX_FREE * MAX_FREE << 3, 16); // inverse Hessian (internal)
const H = memory.data(MAX_FREE * MAX_FREE << 3, 16);
const gradExt = memory.data(MAX_PARAMS << 3, 16); // full external gradient
const stored = memory.data(2 * MAX_FREE * MAX_FREE << 3, 16); // metrics kept between toy fits
const storedN = memory.data(2 << 2, 16); // their dimension (0: none)
let slot: i32 = -1;
let frozen = false;
let bounds: usize = 0; // nParams × (lo, hi)
let nFree: i32 = 0;
let calls: i32 = 0;

@inline function m(p: usize, i: i32, j: i32): f64 { return load<f64>(p + (<usize>(i * MAX_FREE + j) << 3)); }
@inline function mput(p: usize, i: i32, j: i32, v: f64): void { store<f64>(p + (<usize>(i * MAX_FREE + j) << 3), v); }
@inline function freeIndex(k: i32): i32 { return load<i32>(free + (<usize>k << 2)); }
@inline function lo(p: i32): f64 { return f64At(bounds, BOUND_WORDS * p + BOUND_LO); }
@inline function hi(p: i32): f64 { return f64At(bounds, BOUND_WORDS * p + BOUND_HI); }

/** External value of parameter p from internal coordinate x. */
function toExternal(p: i32, x: f64): f64 {
  const a = lo(p), b = hi(p);
  const hasLo = a > -Infinity, hasHi = b < Infinity;
  if (hasLo && hasHi) return a + 0.5 * (b - a) * (Math.sin(x) + 1.0);
  if (hasLo) return a - 1.0 + Math.sqrt(x * x + 1.0);
  if (hasHi) return b + 1.0 - Math.sqrt(x * x + 1.0);
  return x;
}

/** Internal coordinate of external value v (clamped into the bounds). */
export function toInternal(p: i32, v: f64): f64 {
  const a = lo(p), b = hi(p);
  const hasLo = a > -Infinity, hasHi = b < Infinity;
  if (hasLo && hasHi) return Math.asin(Math.max(-1.0, Math.min(1.0, 2.0 * (v - a) / (b - a) - 1.0)));
  if (hasLo) { const t = Math.max(v, a) - a + 1.0; return Math.sqrt(t * t - 1.0); }
  if (hasHi) { const t = b - Math.min(v, b) + 1.0; return Math.sqrt(t * t - 1.0); }
  return v;
}

/**
 * The internal start of parameter p: a value exactly on a bound has dp/dx = 0 there, and the
 * minimizer would never move it (the trap Minuit shares), so it starts just inside.
 */
function startInternal(p: i32, v: f64): f64 {
  const x = toInternal(p, v);
  if (derivative(p, x) != 0) return x;
  const a = lo(p), b = hi(p);
  if (a > -Infinity && b < Infinity) return x > 0 ? 0.5 * Math.PI - 0.05 : -0.5 * Math.PI + 0.05;
  return 0.05;
}

/** dp/dx at internal x. */
function derivative(p: i32, x: f64): f64 {
  const a = lo(p), b = hi(p);
  const hasLo = a > -Infinity, hasHi = b < Infinity;
  if (hasLo && hasHi) return 0.5 * (b - a) * Math.cos(x);
  if (hasLo) return x / Math.sqrt(x * x + 1.0);
  if (hasHi) return -x / Math.sqrt(x * x + 1.0);
  return 1.0;
}

/** Set the external parameters from internal x; evaluate the NLL and the internal gradient. */
function evaluate(x: usize, grad: usize): f64 {
  for (let k = 0; k < nFree; k++) setF64(values, freeIndex(k), toExternal(freeIndex(k), f64At(x, k)));
  calls++;
  const f = nllGrad(gradExt);
  if (!isFinite(f)) return Infinity;
  for (let k = 0; k < nFree; k++) {
    const gk = f64At(gradExt, freeIndex(k)) * derivative(freeIndex(k), f64At(x, k));
    if (!isFinite(gk)) return Infinity;
    setF64(grad, k, gk);
  }
  return f;
}

const L = memory.data(MAX_FREE * MAX_FREE << 3, 16); // Cholesky factor (scratch)

/**
 * The inverse of the symmetric n×n matrix A (stride MAX_FREE) into out by Cholesky; false if A is not positive
 * definite.
 */
function invertPD(A: usize, out: usize, n: i32): bool {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = m(A, i, j);
      for (let k = 0; k < j; k++) s -= m(L, i, k) * m(L, j, k);
      if (i == j) {
        if (!(s > 0)) return false;
        mput(L, i, i, Math.sqrt(s));
      } else mput(L, i, j, s / m(L, j, j));
    }
  }
  // column c of A⁻¹ = L⁻ᵀ L⁻¹ e_c: forward then backward substitution
  for (let c = 0; c < n; c++) {
    for (let i = 0; i < n; i++) {
      let s: f64 = i == c ? 1.0 : 0.0;
      for (let k = 0; k < i; k++) s -= m(L, i, k) * f64At(tmp, k);
      setF64(tmp, i, s / m(L, i, i));
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = f64At(tmp, i);
      for (let k = i + 1; k < n; k++) s -= m(L, k, i) * m(out, k, c);
      mput(out, i, c, s / m(L, i, i));
    }
  }
  return true;
}

/** External parameter values from internal coordinates x (no evaluation). */
function setValues(x: usize): void {
  for (let k = 0; k < nFree; k++) setF64(values, freeIndex(k), toExternal(freeIndex(k), f64At(x, k)));
}

/** d²p/dx² at internal x (the bound transforms' curvature). */
function curvature(p: i32, x: f64): f64 {
  const a = lo(p), b = hi(p);
  const hasLo = a > -Infinity, hasHi = b < Infinity;
  const q = x * x + 1.0;
  if (hasLo && hasHi) return -0.5 * (b - a) * Math.sin(x);
  if (hasLo) return 1.0 / (q * Math.sqrt(q));
  if (hasHi) return -1.0 / (q * Math.sqrt(q));
  return 0.0;
}

/**
 * Evaluate at internal x with the analytic Hessian (one pass): the NLL, the internal gradient into
 * g and the internal Hessian J·H·J + diag(∂NLL/∂p · p″) into H.
 */
function evaluateHessian(x: usize): f64 {
  for (let k = 0; k < nFree; k++) setF64(values, freeIndex(k), toExternal(freeIndex(k), f64At(x, k)));
  calls++;
  const f = nllHess(gradExt, H);
  if (!isFinite(f)) return Infinity;
  // nllHess wrote stride nFree: spread to stride MAX_FREE from the end (no unread word is overwritten)
  for (let i = nFree - 1; i >= 0; i--) {
    for (let j = nFree - 1; j >= 0; j--) mput(H, i, j, load<f64>(H + (<usize>(i * nFree + j) << 3)));
  }
  for (let i = 0; i < nFree; i++) {
    const di = derivative(freeIndex(i), f64At(x, i));
    const ge = f64At(gradExt, freeIndex(i));
    setF64(g, i, ge * di);
    for (let j = 0; j < nFree; j++) mput(H, i, j, m(H, i, j) * di * derivative(freeIndex(j), f64At(x, j)));
    mput(H, i, i, m(H, i, i) + ge * curvature(freeIndex(i), f64At(x, i)));
  }
  return f;
}

/** V = H⁻¹ from the analytic internal Hessian in H (a scaled diagonal where it is not positive definite). */
function metricFromHessian(): void {
  if (!invertPD(H, V, nFree)) diagonalMetric(H);
}

/**
 * Start V from forward differences of the gradient (the Hessian, symmetrised, inverted); a scaled
 * diagonal where that is not positive definite. The gradient at the centre stays in g.
 */
function initialMetric(): void {
  for (let i = 0; i < nFree; i++) {
    const h = 1e-3 * Math.max(Math.abs(f64At(u, i)), 1.0);
    for (let k = 0; k < nFree; k++) setF64(u1, k, f64At(u, k));
    setF64(u1, i, f64At(u, i) + h);
    const f1 = evaluate(u1, g1);
    for (let j = 0; j < nFree; j++) mput(H, i, j, isFinite(f1) ? (f64At(g1, j) - f64At(g, j)) / h : NaN);
  }
  setValues(u); // back at the centre (its gradient is still in g)
  for (let i = 0; i < nFree; i++) for (let j = 0; j < i; j++) {
    const s = 0.5 * (m(H, i, j) + m(H, j, i));
    mput(H, i, j, s);
    mput(H, j, i, s);
  }
  if (!invertPD(H, V, nFree)) diagonalMetric(H);
}

function diagonalMetric(Hc: usize): void {
  for (let i = 0; i < nFree; i++) for (let j = 0; j < nFree; j++) {
    const d = Hc != 0 ? Math.abs(m(Hc, i, i)) : 0.0;
    mput(V, i, j, i == j ? (d > 1e-12 && isFinite(d) ? 1.0 / d : 1.0) : 0.0);
  }
}

function edmOf(): f64 {
  let s: f64 = 0;
  for (let i = 0; i < nFree; i++) {
    let vi: f64 = 0;
    for (let j = 0; j < nFree; j++) vi += m(V, i, j) * f64At(g, j);
    s += f64At(g, i) * vi;
  }
  return 0.5 * s;
}

/** BFGS update of the inverse Hessian with du = u1 − u, dg = g1 − g (skipped unless dgᵀdu > 0). */
function updateMetric(): void {
  let dgdu: f64 = 0;
  for (let i = 0; i < nFree; i++) dgdu += (f64At(g1, i) - f64At(g, i)) * (f64At(u1, i) - f64At(u, i));
  if (!(dgdu > 1e-300)) return;
  // Vdg into tmp
  let gvg: f64 = 0;
  for (let i = 0; i < nFree; i++) {
    let s: f64 = 0;
    for (let j = 0; j < nFree; j++) s += m(V, i, j) * (f64At(g1, j) - f64At(g, j));
    setF64(tmp, i, s);
    gvg += (f64At(g1, i) - f64At(g, i)) * s;
  }
  const rho = 1.0 / dgdu;
  for (let i = 0; i < nFree; i++) {
    const di = f64At(u1, i) - f64At(u, i);
    for (let j = 0; j < nFree; j++) {
      const dj = f64At(u1, j) - f64At(u, j);
      const v = m(V, i, j) + (1.0 + gvg * rho) * rho * di * dj - rho * (f64At(tmp, i) * dj + di * f64At(tmp, j));
      mput(V, i, j, v);
    }
  }
}

/**
 * Toys fit many similar datasets: with a slot (0 or 1) the minimizer starts from the metric the
 * previous fit in that slot converged with, instead of differencing the gradient again.
 * −1 (default) turns this off; `forgetMetrics` empties both slots.
 */
export function useMetricSlot(s: i32): void {
  slot = s;
}

/** Empty both slots and let fits fill them again. */
export function forgetMetrics(): void {
  store<i32>(storedN, 0);
  store<i32>(storedN, 0, 4);
  frozen = false;
}

/** Keep the stored metrics as they are: later fits start from them but do not replace them. */
export function freezeMetrics(): void {
  frozen = true;
}

function hasStoredMetric(): bool {
  return slot >= 0 && load<i32>(storedN + (<usize>slot << 2)) == nFree;
}

function loadStoredMetric(): bool {
  if (!hasStoredMetric()) return false;
  const base = stored + (<usize>(slot * MAX_FREE * MAX_FREE) << 3);
  memory.copy(V, base, <usize>(MAX_FREE * MAX_FREE) << 3);
  return true;
}

function keepMetric(): void {
  if (slot < 0 || frozen) return;
  memory.copy(stored + (<usize>(slot * MAX_FREE * MAX_FREE) << 3), V, <usize>(MAX_FREE * MAX_FREE) << 3);
  store<i32>(storedN + (<usize>slot << 2), nFree);
}

/**
 * Minimise over the parameters flagged free (setFree), starting from the current values.
 * bnds: nParams × (lo, hi) words (±∞ for none). out: MINIMIZE_* words of src/core/abi.ts (fval,
 * edm, nfcn, iterations, then an error guess per free parameter). Returns a STATUS_* code.
 */
export function minimize(bnds: usize, maxCalls: i32, edmMax: f64, out: usize): i32 {
  bounds = bnds;
  calls = 0;
  nFree = 0;
  const np = nParams();
  for (let p = 0; p < np && nFree < MAX_FREE; p++) {
    if (f64At(freeMask, p) != 0) {
      store<i32>(free + (<usize>nFree << 2), p);
      nFree++;
    }
  }
  for (let k = 0; k < nFree; k++) setF64(u, k, startInternal(freeIndex(k), f64At(values, freeIndex(k))));
  // the analytic Hessian, where the model has one, starts the metric in the same pass as f and g
  const analytic = nFree > 0 && !hasStoredMetric() && hessianAvailable();
  let f = analytic ? evaluateHessian(u) : evaluate(u, g);
  if (!isFinite(f)) return report(out, f, Infinity, 0, FAILED);
  if (nFree == 0) return report(out, f, 0, 0, CONVERGED);
  if (analytic) metricFromHessian();
  else if (!loadStoredMetric()) initialMetric();
  let edm = edmOf();
  if (!(edm >= 0) || !isFinite(edm)) { diagonalMetric(0); edm = edmOf(); }
  let iter = 0;
  while (edm >= edmMax) {
    if (calls >= maxCalls) return report(out, f, edm, iter, CALL_LIMIT);
    iter++;
    // Newton-like direction s = −V g; fall back to steepest descent if not downhill
    let gs: f64 = 0;
    for (let i = 0; i < nFree; i++) {
      let s: f64 = 0;
      for (let j = 0; j < nFree; j++) s -= m(V, i, j) * f64At(g, j);
      setF64(step, i, s);
      gs += s * f64At(g, i);
    }
    if (!(gs < 0)) {
      diagonalMetric(0);
      gs = 0;
      for (let i = 0; i < nFree; i++) { setF64(step, i, -f64At(g, i)); gs -= f64At(g, i) * f64At(g, i); }
    }
    let alpha: f64 = 1.0;
    let f1: f64 = Infinity;
    let accepted = false;
    for (let ls = 0; ls < 30; ls++) {
      for (let i = 0; i < nFree; i++) setF64(u1, i, f64At(u, i) + alpha * f64At(step, i));
      f1 = evaluate(u1, g1);
      if (isFinite(f1) && f1 <= f + 1e-4 * alpha * gs) { accepted = true; break; }
      if (!isFinite(f1)) { alpha *= 0.2; continue; }
      // minimum of the parabola through f(0), f'(0), f(alpha), kept within [0.1, 0.5]·alpha
      const a2 = -gs * alpha * alpha / (2.0 * (f1 - f - gs * alpha));
      alpha = Math.max(0.1 * alpha, Math.min(0.5 * alpha, a2));
    }
    if (!accepted) {
      setValues(u); // leave the values at the best point
      return report(out, f, edm, iter, EDM_ABOVE_MAX);
    }
    updateMetric();
    for (let i = 0; i < nFree; i++) { setF64(u, i, f64At(u1, i)); setF64(g, i, f64At(g1, i)); }
    f = f1;
    edm = edmOf();
  }
  keepMetric();
  return report(out, f, edm, iter, CONVERGED);
}

function report(out: usize, f: f64, edm: f64, iter: i32, status: i32): i32 {
  setF64(out, MINIMIZE_FVAL, f);
  setF64(out, MINIMIZE_EDM, edm);
  setF64(out, MINIMIZE_NFCN, <f64>calls);
  setF64(out, MINIMIZE_ITERATIONS, <f64>iter);
  // error guesses √V_kk (errordef 0.5) in external units, to size HESSE's steps
  for (let k = 0; k < nFree; k++) {
    setF64(out, MINIMIZE_ERRORS + k, Math.sqrt(Math.abs(m(V, k, k))) * Math.abs(derivative(freeIndex(k), f64At(u, k))));
  }
  return status;
}

/**
 * The Hessian of the NLL in external coordinates over the free parameters: analytic in one pass
 * where the model has it (steps unused), else by central differences of the analytic gradient
 * with steps `steps` (nFree words). Analytic: returns 1, and out[nFree² …] holds the gradient
 * (nParams words) and then the NLL at the point. Writes nFree² words to out (row-major).
 * Returns the number of gradient evaluations, or −1 if the NLL is not finite nearby.
 */
export function hesse(steps: usize, out: usize): i32 {
  const np = nParams();
  let n = 0;
  for (let p = 0; p < np; p++) {
    if (f64At(freeMask, p) == 0) continue;
    store<i32>(free + (<usize>n << 2), p);
    n++;
  }
  const row = memory.data(MAX_PARAMS << 3, 16);
  if (hessianAvailable()) {
    // analytic: one pass, no steps; the gradient (nParams words) and the NLL follow the matrix
    const f = nllHess(row, out);
    if (isFinite(f)) {
      memory.copy(out + (<usize>(n * n) << 3), row, <usize>np << 3);
      setF64(out, n * n + np, f);
      return 1;
    }
  }
  let evals = 0;
  for (let k = 0; k < n; k++) {
    const p = freeIndex(k);
    const v = f64At(values, p);
    const h = f64At(steps, k);
    setF64(values, p, v + h);
    const fp = nllGrad(row);
    for (let j = 0; j < n; j++) setF64(out, k * n + j, f64At(row, freeIndex(j)));
    setF64(values, p, v - h);
    const fm = nllGrad(row);
    setF64(values, p, v);
    evals += 2;
    const central = isFinite(fp) && isFinite(fm);
    if (!central) {
      // one-sided difference against the gradient at the minimum
      evals++;
      if (!isFinite(nllGrad(gradExt)) || (!isFinite(fp) && !isFinite(fm))) return -1;
    }
    for (let j = 0; j < n; j++) {
      const gp = f64At(out, k * n + j), gm = f64At(row, freeIndex(j)), g0 = f64At(gradExt, freeIndex(j));
      const d = central ? (gp - gm) / (2.0 * h) : isFinite(fp) ? (gp - g0) / h : (g0 - gm) / h;
      setF64(out, k * n + j, d);
    }
  }
  nllGrad(row); // caches back at the minimum
  return evals;
}
