/**
 * Root finding for limits: Brent's method (Brent 1973, the `zero` procedure: bisection, secant and
 * inverse quadratic interpolation), with automatic upward bracketing. No root-finding package in
 * the registry we can reach is both maintained and faithful, so the 40 lines live here.
 */
import { BumpscanError } from "../errors.js";

/**
 * A root of f in [a, b], where f(a) and f(b) have opposite signs, to |Δx| ≤ 4ε|x| + tol.
 */
export async function brent(
  f: (x: number) => number | Promise<number>,
  a: number,
  b: number,
  tol: number,
  fa?: number,
  fb?: number,
): Promise<number> {
  fa ??= await f(a);
  fb ??= await f(b);
  if (fa === 0) return a;
  if (fb === 0) return b;
  if (Math.sign(fa) === Math.sign(fb))
    throw new BumpscanError(`brent: f(${a}) = ${fa} and f(${b}) = ${fb} do not bracket a root`);
  let c = a,
    fc = fa,
    d = b - a,
    e = d;
  for (let iter = 0; iter < 200; iter++) {
    if (Math.sign(fb) === Math.sign(fc)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const t = 4 * Number.EPSILON * Math.abs(b) + tol;
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= t || fb === 0) return b;
    if (Math.abs(e) < t || Math.abs(fa) <= Math.abs(fb)) {
      d = m;
      e = m; // bisection
    } else {
      let p: number, q: number;
      const s = fb / fa;
      if (a === c) {
        // secant
        p = 2 * m * s;
        q = 1 - s;
      } else {
        // inverse quadratic interpolation
        const qa = fa / fc,
          r = fb / fc;
        p = s * (2 * m * qa * (qa - r) - (b - a) * (r - 1));
        q = (qa - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * m * q - Math.abs(t * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > t ? d : m > 0 ? t : -t;
    fb = await f(b);
  }
  return b;
}

/**
 * The root of a function that is ≥ 0 at `lo` and falls below 0 somewhere above it: the upper end
 * doubles from `guess` until f < 0 (never a silent cap: an error names the last value tried).
 */
export async function rootAbove(
  f: (x: number) => number | Promise<number>,
  lo: number,
  guess: number,
  tol: number,
  what = "the function",
): Promise<number> {
  let flo = await f(lo);
  if (!(flo >= 0)) throw new BumpscanError(`${what} is already below its target at ${lo}`);
  let hi = Math.max(guess, lo + tol);
  let fhi = await f(hi);
  for (let k = 0; !(fhi < 0); k++) {
    if (!Number.isFinite(fhi) || k > 60)
      throw new BumpscanError(`${what} did not cross its target up to ${hi} (value ${fhi})`);
    lo = hi;
    flo = fhi;
    hi *= 2;
    fhi = await f(hi);
  }
  return brent(f, lo, hi, tol, flo, fhi);
}

/**
 * The root of a function that is ≥ 0 at `lo` and falls below 0 above it, searched from a good
 * guess: the bracket steps by factors of 1.1 up or down from the guess (so an expensive f is
 * evaluated near the answer), then Brent's method.
 */
export async function rootNear(
  f: (x: number) => number | Promise<number>,
  lo: number,
  guess: number,
  tol: number,
  what = "the function",
): Promise<number> {
  let a = guess,
    fa = await f(a);
  if (fa >= 0) {
    for (let k = 0; ; k++) {
      const b = a * 1.1,
        fb = await f(b);
      if (fb < 0) return brent(f, a, b, tol, fa, fb);
      if (!Number.isFinite(fb) || k > 200)
        throw new BumpscanError(`${what} did not cross its target up to ${b} (value ${fb})`);
      a = b;
      fa = fb;
    }
  }
  // down by 1.1 near the guess, then halving (a guess far too high must not exhaust the search),
  // and at last the lower end itself
  for (let k = 0; k < 1100; k++) {
    const next = k < 24 ? a / 1.1 : lo + (a - lo) / 2;
    const b = next - lo <= tol ? lo : Math.max(lo, next),
      fb = await f(b);
    if (fb >= 0) return brent(f, b, a, tol, fb, fa);
    if (b === lo) break;
    a = b;
    fa = fb;
  }
  throw new BumpscanError(`${what} is already below its target at ${lo}`);
}
