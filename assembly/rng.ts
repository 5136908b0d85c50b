// Counter-based random numbers: Philox4x32-10 (Salmon et al., SC'11, "Parallel random numbers: as
// easy as 1, 2, 3"). A stream is keyed by the 64-bit seed and addressed by a 128-bit counter
// (block, toy, POI index, mass index << 8 | hypothesis), so toy t of a hypothesis draws the same
// numbers whichever worker or batch runs it. Samplers: uniform (53 bits), Gaussian (Box–Muller),
// Poisson (multiplication below 10, Hörmann's PTRS transformed rejection above).

const M0: u64 = 0xD2511F53;
const M1: u64 = 0xCD9E8D57;
const W0: u32 = 0x9E3779B9;
const W1: u32 = 0xBB67AE85;

let k0: u32 = 0, k1: u32 = 0;
let c0: u32 = 0, c1: u32 = 0, c2: u32 = 0, c3: u32 = 0;
const out = memory.data(16, 16);
let used: i32 = 4;

/** Philox4x32-10 of the current counter and key into `out`. */
function block(): void {
  let x0 = c0, x1 = c1, x2 = c2, x3 = c3;
  let a = k0, b = k1;
  for (let r = 0; r < 10; r++) {
    const p0 = M0 * <u64>x0;
    const p1 = M1 * <u64>x2;
    const y0 = <u32>(p1 >>> 32) ^ x1 ^ a;
    const y2 = <u32>(p0 >>> 32) ^ x3 ^ b;
    x1 = <u32>p1;
    x3 = <u32>p0;
    x0 = y0;
    x2 = y2;
    a += W0;
    b += W1;
  }
  store<u32>(out, x0);
  store<u32>(out, x1, 4);
  store<u32>(out, x2, 8);
  store<u32>(out, x3, 12);
}

/** Start the stream of (seed, toy, poi, mass, hypothesis) at its first block. */
export function seedStream(seedLo: u32, seedHi: u32, toy: u32, poi: u32, massHyp: u32): void {
  k0 = seedLo;
  k1 = seedHi;
  c0 = 0;
  c1 = toy;
  c2 = poi;
  c3 = massHyp;
  used = 4;
}

/** The raw Philox block for a counter and key (known-answer tests). */
export function philox(x0: u32, x1: u32, x2: u32, x3: u32, key0: u32, key1: u32, dst: usize): void {
  k0 = key0; k1 = key1; c0 = x0; c1 = x1; c2 = x2; c3 = x3;
  block();
  memory.copy(dst, out, 16);
  used = 4;
}

@inline function next32(): u32 {
  if (used == 4) {
    block();
    c0++;
    used = 0;
  }
  const v = load<u32>(out + (<usize>used << 2));
  used++;
  return v;
}

/** 32 random bits (a quarter of a Philox block). */
export function bits32(): u32 {
  return next32();
}

/** Uniform on (0, 1) with 32 random bits: enough to place an event in a cell or to accept it. */
@inline export function uniform32(): f64 {
  return (<f64>next32() + 0.5) * (1.0 / 4294967296.0);
}

/** Uniform on (0, 1): 53 random bits, offset by half a step so neither end occurs. */
export function uniform(): f64 {
  const a = next32() >>> 5, b = next32() >>> 6;
  return (<f64>a * 67108864.0 + <f64>b + 0.5) * (1.0 / 9007199254740992.0);
}

/** Standard normal deviate (Box–Muller, one of the pair). */
export function gaussian(): f64 {
  const u = uniform(), v = uniform();
  return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
}

const LOGFACT_N: i32 = 256;
const logFactTable = memory.data(LOGFACT_N << 3, 16);
let logFactReady = false;

/** ln k!: a table below 256, Stirling's series (error < 1e-16 relative) above. */
export function logFactorial(k: f64): f64 {
  if (!logFactReady) {
    let s: f64 = 0;
    for (let i = 0; i < LOGFACT_N; i++) {
      if (i > 1) s += Math.log(<f64>i);
      store<f64>(logFactTable + (<usize>i << 3), s);
    }
    logFactReady = true;
  }
  if (k < <f64>LOGFACT_N) return load<f64>(logFactTable + (<usize><i32>k << 3));
  const r = 1.0 / k;
  const r2 = r * r;
  const series = r * (1.0 / 12.0 - r2 * (1.0 / 360.0 - r2 * (1.0 / 1260.0 - r2 / 1680.0)));
  return (k + 0.5) * Math.log(k) - k + 0.91893853320467274178 + series;
}

/** A Poisson deviate of mean lambda ≥ 0. */
export function poisson(lambda: f64): f64 {
  if (!(lambda > 0)) return 0;
  if (lambda < 10) {
    const L = Math.exp(-lambda);
    let k: f64 = 0;
    let p = uniform();
    while (p > L) {
      k += 1;
      p *= uniform();
    }
    return k;
  }
  // PTRS (Hörmann 1993), as in numpy's random_poisson_ptrs
  const slam = Math.sqrt(lambda);
  const loglam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const U = uniform() - 0.5;
    const V = uniform();
    const us = 0.5 - Math.abs(U);
    const k = Math.floor((2 * a / us + b) * U + lambda + 0.43);
    if (us >= 0.07 && V <= vr) return k;
    if (k < 0 || (us < 0.013 && V > us)) continue;
    const lhs = Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b);
    if (lhs <= -lambda + k * loglam - logFactorial(k)) return k;
  }
  return 0; // unreachable: the loop returns
}
