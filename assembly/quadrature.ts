// Gauss–Legendre quadrature for densities without a closed-form integral (expPoly; the
// normalisation derivatives of exponential families). 128 nodes: exact to machine precision for
// the smooth shapes it serves (the reference convention).

export const GL_N: i32 = 128;
const nodes = memory.data(GL_N << 3, 16); // abscissae on [-1, 1]
const weights = memory.data(GL_N << 3, 16);
let ready = false;

/** Nodes by Newton iteration on P_n from the Tricomi starting guesses. */
function init(): void {
  ready = true;
  const n = GL_N;
  for (let i = 0; i < (n + 1) / 2; i++) {
    let z = Math.cos(Math.PI * (<f64>i + 0.75) / (<f64>n + 0.5));
    let dp: f64 = 0;
    for (let it = 0; it < 100; it++) {
      let p0: f64 = 1, p1: f64 = z;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * <f64>k - 1) * z * p1 - (<f64>k - 1) * p0) / <f64>k;
        p0 = p1;
        p1 = p2;
      }
      dp = <f64>n * (z * p1 - p0) / (z * z - 1);
      const dz = p1 / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-16) break;
    }
    const w = 2 / ((1 - z * z) * dp * dp);
    store<f64>(nodes + (<usize>i << 3), -z);
    store<f64>(nodes + (<usize>(n - 1 - i) << 3), z);
    store<f64>(weights + (<usize>i << 3), w);
    store<f64>(weights + (<usize>(n - 1 - i) << 3), w);
  }
}

/** The i-th node mapped onto [lo, hi]. */
export function glNode(i: i32, lo: f64, hi: f64): f64 {
  if (!ready) init();
  return 0.5 * (hi + lo) + 0.5 * (hi - lo) * load<f64>(nodes + (<usize>i << 3));
}

/** The i-th weight for [lo, hi]. */
export function glWeight(i: i32, lo: f64, hi: f64): f64 {
  if (!ready) init();
  return 0.5 * (hi - lo) * load<f64>(weights + (<usize>i << 3));
}
