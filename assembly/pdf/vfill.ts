// f64x2 fills of a component's per-event buffer, out[i] = scale · g(m_i), for the shapes a fit
// refills at every call when their parameters float: the polynomial families (chebyshev,
// polynomial in the mapped x), the exponential families (expPoly, exponential), ARGUS (its
// prefactor kept per event), and the Crystal Balls (their own fills, crystalball.ts). Each returns
// false where it does not apply (or, for the exponentials, found an exponent beyond the vector exp's
// exact range); the caller then takes the scalar fill. An odd last event runs in scalar arithmetic
// through the shape's own formula.
import { constants, vexp } from "../vexp";
import {
  PDF_CHEBYSHEV as CHEBYSHEV, PDF_POLYNOMIAL as POLYNOMIAL, PDF_EXP_POLY as EXP_POLY, PDF_EXPONENTIAL as EXPONENTIAL,
  PDF_ARGUS as ARGUS, PDF_CRYSTAL_BALL as CRYSTAL_BALL, PDF_DOUBLE_CB as DOUBLE_CB,
} from "../../src/core/abi";
import { chebyshevValue, polynomialValue } from "./polynomials";
import { expPolyValue } from "./exppoly";
import { exponentialValue } from "./exponential";
import { argusValue } from "./argus";
import { crystalBallFill, doubleCBFill } from "./crystalball";

const C = memory.data(16 * 16, 16); // splats: the coefficients, then α, β (x = α·m + β), scale, …
const S_ALPHA = 8 * 16, S_BETA = 9 * 16, S_SCALE = 10 * 16, S_A = 11 * 16, S_B = 12 * 16;
const EXP_LIMIT: f64 = 700; // |exponent| the vector exp takes without its clamp at ±708 mattering

@inline function splat(off: i32, v: f64): void {
  v128.store(C + <usize>off, f64x2.splat(v));
}
@inline function sp(off: i32): v128 {
  return v128.load(C + <usize>off);
}

/** The vector fill of `kind` if it has one for these arguments; false otherwise (nothing written). */
export function vectorFill(kind: i32, a: usize, nargs: i32, xs: usize, n: i32, out: usize, scale: f64): bool {
  splat(S_SCALE, scale);
  switch (kind) {
    case CHEBYSHEV: case POLYNOMIAL: return polyFill(kind, a, nargs - 2, xs, n, out, scale);
    case EXP_POLY: return expPolyFill(a, nargs - 2, xs, n, out, scale);
    case EXPONENTIAL: return exponentialFill(a, xs, n, out, scale);
    case ARGUS: return argusFill(a, xs, n, out, scale);
    case CRYSTAL_BALL:
      crystalBallFill(a, xs, n, out, scale);
      return true;
    case DOUBLE_CB:
      doubleCBFill(a, xs, n, out, scale);
      return true;
  }
  return false;
}

/** α, β of the mapping x = 2(m − xlo)/(xhi − xlo) − 1 = α·m + β (arguments xlo, xhi). */
function setMapping(a: usize): void {
  const xlo = load<f64>(a), xhi = load<f64>(a, 8);
  const alpha = 2.0 / (xhi - xlo);
  splat(S_ALPHA, alpha);
  splat(S_BETA, -alpha * xlo - 1.0);
}

@inline function mapped(m: v128): v128 {
  return f64x2.add(f64x2.mul(m, sp(S_ALPHA)), sp(S_BETA));
}

/** chebyshev 1 + Σ a_k T_k(x) or polynomial 1 + Σ a_k x^k, order ≤ 6. */
function polyFill(kind: i32, a: usize, order: i32, xs: usize, n: i32, out: usize, scale: f64): bool {
  if (order > 6) return false;
  setMapping(a);
  for (let k = 1; k <= order; k++) splat(16 * (k - 1), load<f64>(a + (<usize>(k + 1) << 3)));
  const one = f64x2.splat(1.0);
  const cheb = kind == CHEBYSHEV;
  const end = <usize>(n >> 1) << 4;
  for (let off: usize = 0; off < end; off += 16) {
    const x = mapped(v128.load(xs + off));
    let sum = one;
    let t0 = one, t1 = x;
    for (let k = 1; k <= order; k++) {
      if (k > 1) {
        // T_k = 2x·T_{k−1} − T_{k−2}; x^k = x·x^{k−1}
        const t2 = cheb ? f64x2.sub(f64x2.mul(f64x2.add(x, x), t1), t0) : f64x2.mul(x, t1);
        t0 = t1;
        t1 = t2;
      }
      sum = f64x2.add(sum, f64x2.mul(sp(16 * (k - 1)), t1));
    }
    v128.store(out + off, f64x2.mul(sum, sp(S_SCALE)));
  }
  if (n & 1) {
    const m = load<f64>(xs + end);
    store<f64>(out + end, scale * (cheb ? chebyshevValue(m, a, order) : polynomialValue(m, a, order)));
  }
  return true;
}

/** exp(c1·x + … + ck·x^k), k ≤ 6; false (and a scalar refill) where an exponent leaves ±700. */
function expPolyFill(a: usize, order: i32, xs: usize, n: i32, out: usize, scale: f64): bool {
  if (order > 6) return false;
  setMapping(a);
  for (let k = 1; k <= order; k++) splat(16 * (k - 1), load<f64>(a + (<usize>(k + 1) << 3)));
  const K = constants();
  let emax = f64x2.splat(0);
  const end = <usize>(n >> 1) << 4;
  for (let off: usize = 0; off < end; off += 16) {
    const x = mapped(v128.load(xs + off));
    let e = sp(16 * (order - 1));
    for (let k = order - 1; k >= 1; k--) e = f64x2.add(sp(16 * (k - 1)), f64x2.mul(e, x));
    e = f64x2.mul(e, x);
    emax = f64x2.max(emax, f64x2.abs(e));
    v128.store(out + off, f64x2.mul(vexp(e, K), sp(S_SCALE)));
  }
  if (n & 1) store<f64>(out + end, scale * expPolyValue(load<f64>(xs + end), a, order));
  return withinExpRange(emax);
}

/** Whether every exponent stayed where the vector exp is exact (a NaN fails too). */
@inline function withinExpRange(emax: v128): bool {
  return Math.max(f64x2.extract_lane(emax, 0), f64x2.extract_lane(emax, 1)) < EXP_LIMIT;
}

/** e^{λm}; false (and a scalar refill) where λm leaves ±700. */
function exponentialFill(a: usize, xs: usize, n: i32, out: usize, scale: f64): bool {
  splat(S_A, load<f64>(a));
  const K = constants();
  let emax = f64x2.splat(0);
  const end = <usize>(n >> 1) << 4;
  for (let off: usize = 0; off < end; off += 16) {
    const e = f64x2.mul(v128.load(xs + off), sp(S_A));
    emax = f64x2.max(emax, f64x2.abs(e));
    v128.store(out + off, f64x2.mul(vexp(e, K), sp(S_SCALE)));
  }
  if (n & 1) store<f64>(out + end, scale * exponentialValue(load<f64>(xs + end), a));
  return withinExpRange(emax);
}

/**
 * ARGUS m·u^p·e^{c·u}, u = 1 − (m/m0)² (0 for m ≥ m0): the prefactor m·u^p depends on m0 and p
 * only, so it is kept after the buffer (at out + n) and its (m0, p) before it (at out − 2: the
 * component's buffer has room, nll.ts prepareModel); a refill as c moves is one vector exp per pair.
 * False (and a scalar refill) where |c·u| leaves 700.
 */
function argusFill(a: usize, xs: usize, n: i32, out: usize, scale: f64): bool {
  const m0 = load<f64>(a), c = load<f64>(a, 8), p = load<f64>(a, 16);
  if (!(m0 > 0)) return false;
  const pre = out + (<usize>n << 3);
  const key = out - 16;
  if (load<f64>(key) != m0 || load<f64>(key, 8) != p) {
    for (let i = 0; i < n; i++) {
      const m = load<f64>(xs + (<usize>i << 3));
      const t = m / m0;
      const u = 1.0 - t * t;
      store<f64>(pre + (<usize>i << 3), u > 0 ? m * Math.pow(u, p) : 0.0);
    }
    store<f64>(key, m0);
    store<f64>(key, p, 8);
  }
  splat(S_A, c);
  splat(S_B, 1.0 / m0);
  const K = constants();
  const one = f64x2.splat(1.0);
  let emax = f64x2.splat(0);
  const end = <usize>(n >> 1) << 4;
  for (let off: usize = 0; off < end; off += 16) {
    const t = f64x2.mul(v128.load(xs + off), sp(S_B));
    const e = f64x2.mul(f64x2.sub(one, f64x2.mul(t, t)), sp(S_A));
    emax = f64x2.max(emax, f64x2.abs(e));
    v128.store(out + off, f64x2.mul(f64x2.mul(v128.load(pre + off), vexp(e, K)), sp(S_SCALE)));
  }
  if (n & 1) store<f64>(out + end, scale * argusValue(load<f64>(xs + end), a));
  return withinExpRange(emax);
}

/** Forget ARGUS's kept prefactor (new events, or a new buffer). */
export function argusForget(buf: usize): void {
  store<f64>(buf - 16, NaN);
}
