// f64x2 exp and log for the NLL kernels (WebAssembly has no vector exp or log). exp(p) = 2^k · e^r with
// k = round(p/ln2) taken from the mantissa of p/ln2 + 1.5·2^52, r = p − k·ln2 (two-part ln2, exact
// product), e^r by its degree-12 Taylor polynomial in Estrin form (|r| ≤ ln2/2: truncation < 1 ulp; ≤ 3 ulp
// with rounding, tested), and
// 2^k assembled in the exponent field with i64x2 add/shl (the SSE-native integer ops).
// V8 rebuilds every v128.const at each use inside a loop, so constants live in an aligned table in
// linear memory (K) and are loaded where used.

export const K_LOG2E: i32 = 0;
export const K_SHIFT: i32 = 16;
export const K_LN2HI: i32 = 32;
export const K_LN2LO: i32 = 48;
export const K_BIAS: i32 = 64; // i64 1023
export const K_MANT: i32 = 80; // i64 mantissa mask
export const K_ONE: i32 = 96; // i64 exponent field of 1.0
export const K_LO: i32 = 112;
export const K_HI: i32 = 128;
export const K_POLY: i32 = 144; // 13 Taylor coefficients 1/j!
export const K_SQRT2: i32 = K_POLY + 13 * 16;
export const K_TWO52: i32 = K_SQRT2 + 16; // 2^52: an integer < 2^52 OR-ed into its mantissa reads as 2^52 + it
export const K_MAGIC: i32 = K_TWO52 + 16; // 2^52 + 1023 (the exponent's bias)
export const K_HALF: i32 = K_MAGIC + 16;
export const K_MINUS1: i32 = K_HALF + 16;
export const K_TWO: i32 = K_MINUS1 + 16;
export const K_LG: i32 = K_TWO + 16; // fdlibm's log coefficients Lg1 … Lg7
export const K_END: i32 = K_LG + 7 * 16;

const table = memory.data(K_END, 16);
let ready = false;

function splat(off: i32, v: f64): void {
  v128.store(table + <usize>off, f64x2.splat(v));
}

/** The constant table, built on first use. */
export function constants(): usize {
  if (ready) return table;
  ready = true;
  splat(K_LOG2E, 1.4426950408889634074);
  splat(K_SHIFT, 6755399441055744.0); // 1.5 · 2^52
  splat(K_LN2HI, 6.93147180369123816490e-01);
  splat(K_LN2LO, 1.90821492927058770002e-10);
  v128.store(table + <usize>K_BIAS, i64x2.splat(1023));
  v128.store(table + <usize>K_MANT, i64x2.splat(0x000fffffffffffff));
  v128.store(table + <usize>K_ONE, i64x2.splat(0x3ff0000000000000));
  splat(K_LO, -708.0);
  splat(K_HI, 708.0);
  let f: f64 = 1;
  for (let j = 0; j <= 12; j++) {
    if (j > 0) f /= <f64>j;
    splat(K_POLY + 16 * j, f);
  }
  splat(K_SQRT2, Math.SQRT2);
  splat(K_TWO52, 4503599627370496.0);
  splat(K_MAGIC, 4503599627371519.0);
  splat(K_HALF, 0.5);
  splat(K_MINUS1, -1.0);
  splat(K_TWO, 2.0);
  splat(K_LG, 6.666666666666735130e-01);
  splat(K_LG + 16, 3.999999999940941908e-01);
  splat(K_LG + 32, 2.857142874366239149e-01);
  splat(K_LG + 48, 2.222219843214978396e-01);
  splat(K_LG + 64, 1.818357216161805012e-01);
  splat(K_LG + 80, 1.531383769920937332e-01);
  splat(K_LG + 96, 1.479819860511658591e-01);
  return table;
}

@inline function c(K: usize, off: i32): v128 {
  return v128.load(K + <usize>off);
}

/** exp of both lanes of p (clamped to ±708, far beyond any density a fit meets). */
@inline export function vexp(p0: v128, K: usize): v128 {
  const p = f64x2.pmin(f64x2.pmax(p0, c(K, K_LO)), c(K, K_HI));
  const t = f64x2.add(f64x2.mul(p, c(K, K_LOG2E)), c(K, K_SHIFT));
  const k = f64x2.sub(t, c(K, K_SHIFT));
  const ki = i64x2.sub(t, c(K, K_SHIFT));
  const r = f64x2.sub(f64x2.sub(p, f64x2.mul(k, c(K, K_LN2HI))), f64x2.mul(k, c(K, K_LN2LO)));
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const r8 = f64x2.mul(r4, r4);
  const p01 = f64x2.add(c(K, K_POLY), f64x2.mul(r, c(K, K_POLY + 16)));
  const p23 = f64x2.add(c(K, K_POLY + 32), f64x2.mul(r, c(K, K_POLY + 48)));
  const p45 = f64x2.add(c(K, K_POLY + 64), f64x2.mul(r, c(K, K_POLY + 80)));
  const p67 = f64x2.add(c(K, K_POLY + 96), f64x2.mul(r, c(K, K_POLY + 112)));
  const p89 = f64x2.add(c(K, K_POLY + 128), f64x2.mul(r, c(K, K_POLY + 144)));
  const p1011 = f64x2.add(c(K, K_POLY + 160), f64x2.mul(r, c(K, K_POLY + 176)));
  const q0 = f64x2.add(p01, f64x2.mul(p23, r2));
  const q1 = f64x2.add(p45, f64x2.mul(p67, r2));
  const q2 = f64x2.add(p89, f64x2.mul(p1011, r2));
  const s0 = f64x2.add(q0, f64x2.mul(q1, r4));
  const s1 = f64x2.add(q2, f64x2.mul(c(K, K_POLY + 192), r4));
  const er = f64x2.add(s0, f64x2.mul(s1, r8));
  const scale = i64x2.shl(i64x2.add(ki, c(K, K_BIAS)), 52);
  return f64x2.mul(er, scale);
}

/**
 * ln of both lanes of a normal, positive x (the weighted passes' Σ w ln d; zero, subnormal and
 * negative lanes are the caller's to exclude). x = 2^e·m with m in [√½, √2): ln x = e·ln2 + ln m,
 * and ln m as fdlibm's log takes it: f = m − 1, s = f/(2 + f), ln m = f − (f²/2 − s·(f²/2 + R(s²)))
 * with R its degree-7 minimax polynomial (< 2^-58.45 error; < 1 ulp in all, tested against Math.log).
 */
@inline export function vlog(x: v128, K: usize): v128 {
  // the mantissa as a double in [1, 2) (K_ONE's bits are 1.0's); halved (and e raised) above √2
  const one = c(K, K_ONE);
  let m = v128.or(v128.and(x, c(K, K_MANT)), one);
  const big = f64x2.gt(m, c(K, K_SQRT2));
  m = v128.bitselect(f64x2.mul(m, c(K, K_HALF)), m, big);
  // the biased exponent field (0 … 2047) exactly as a double, less the bias, plus 1 where halved
  const field = v128.or(i64x2.shr_u(x, 52), c(K, K_TWO52));
  const e = f64x2.sub(f64x2.sub(field, c(K, K_MAGIC)), v128.and(big, c(K, K_MINUS1)));
  const f = f64x2.sub(m, one);
  const s = f64x2.div(f, f64x2.add(f, c(K, K_TWO)));
  const z = f64x2.mul(s, s);
  const w = f64x2.mul(z, z);
  // R = t1 + t2: its even and odd coefficients in two short chains
  const t1 = f64x2.mul(
    w,
    f64x2.add(c(K, K_LG + 16), f64x2.mul(w, f64x2.add(c(K, K_LG + 48), f64x2.mul(w, c(K, K_LG + 80))))),
  );
  const t2 = f64x2.mul(
    z,
    f64x2.add(
      c(K, K_LG),
      f64x2.mul(w, f64x2.add(c(K, K_LG + 32), f64x2.mul(w, f64x2.add(c(K, K_LG + 64), f64x2.mul(w, c(K, K_LG + 96)))))),
    ),
  );
  const hfsq = f64x2.mul(c(K, K_HALF), f64x2.mul(f, f));
  // e·ln2_hi − ((hfsq − (s·(hfsq + R) + e·ln2_lo)) − f), in fdlibm's order
  const small = f64x2.add(f64x2.mul(s, f64x2.add(hfsq, f64x2.add(t1, t2))), f64x2.mul(e, c(K, K_LN2LO)));
  return f64x2.sub(f64x2.mul(e, c(K, K_LN2HI)), f64x2.sub(f64x2.sub(hfsq, small), f));
}
