/**
 * Globally adaptive Gauss–Kronrod quadrature (the G7/K15 pair of QUADPACK's QAG): the interval
 * with the largest error estimate is bisected until the summed estimate is below the tolerance.
 * The oracle's normalisations use it; unlike per-interval relative criteria it does not chase
 * precision in tails that contribute nothing.
 */
const XGK = [
  0.991455371120812639206854697526329, 0.949107912342758524526189684047851, 0.864864423359769072789712788640926,
  0.741531185599394439863864773280788, 0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
  0.207784955007898467600689403773245, 0,
];
const WGK = [
  0.02293532201052922496373200805897, 0.063092092629978553290700663189204, 0.104790010322250183839876322541518,
  0.140653259715525918745189590510238, 0.16900472663926790282658342659855, 0.190350578064785409913256402421014,
  0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
];
const WG = [
  0.129484966168869693270611432679082, 0.27970539148927666790146777142378, 0.381830050505118944950369775488975,
  0.417959183673469387755102040816327,
];

interface Piece {
  a: number;
  b: number;
  value: number;
  error: number;
}

function kronrod(f: (x: number) => number, a: number, b: number): Piece {
  const c = 0.5 * (a + b),
    h = 0.5 * (b - a);
  const fc = f(c);
  let k = WGK[7] * fc,
    g = WG[3] * fc;
  for (let j = 0; j < 7; j++) {
    const pair = f(c - h * XGK[j]) + f(c + h * XGK[j]);
    k += WGK[j] * pair;
    if (j % 2 === 1) g += WG[(j - 1) / 2] * pair;
  }
  return { a, b, value: k * h, error: Math.abs((k - g) * h) };
}

/**
 * ∫ f over [a, b] to relative tolerance `rel` of the total (or absolute `abs`, whichever is looser).
 * @example
 * import { adaptiveIntegral } from "bumpscan/oracle";
 * adaptiveIntegral((x) => Math.exp(-0.5 * x * x), -40, 40); // => 2.506628274631
 */
export function adaptiveIntegral(
  f: (x: number) => number,
  a: number,
  b: number,
  rel = 1e-13,
  abs = 0,
  maxPieces = 20000,
): number {
  const pieces = [kronrod(f, a, b)];
  for (;;) {
    let total = 0,
      error = 0,
      worst = 0;
    pieces.forEach((p, i) => {
      total += p.value;
      error += p.error;
      if (p.error > pieces[worst].error) worst = i;
    });
    if (error <= Math.max(abs, rel * Math.abs(total)) || pieces.length >= maxPieces) return total;
    const p = pieces[worst];
    const mid = 0.5 * (p.a + p.b);
    if (!(mid > p.a && mid < p.b)) return total;
    pieces.splice(worst, 1, kronrod(f, p.a, mid), kronrod(f, mid, p.b));
  }
}
