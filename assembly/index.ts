// The WASM core's exports. JS writes events, the compiled model and the value vector into the
// arena, then calls these; nothing here calls back into JS.
export { alloc, mark, release } from "./memory";
export { setModel } from "./model";
export { prepareModel, setFree, setFastPath, nll, nllGrad, sampleDensity } from "./nll";
export { minimize, hesse, useMetricSlot, forgetMetrics } from "./minimizer";
export { erf, erfc } from "./special";
import { pdfValue, pdfIntegral } from "./pdf/index";
import { constants, vexp } from "./vexp";

/** g(m) of one PDF kind (tests and plotting). */
export function pdfValueAt(kind: i32, m: f64, args: usize, nargs: i32): f64 {
  return pdfValue(kind, m, args, nargs);
}

/** ∫ g over [lo, hi] of one PDF kind (tests). */
export function pdfIntegralOver(kind: i32, lo: f64, hi: f64, args: usize, nargs: i32): f64 {
  return pdfIntegral(kind, lo, hi, args, nargs);
}

/** out[i] = exp(in[i]) through the vector kernel's exp (n even; accuracy tests). */
export function vexpBatch(input: usize, output: usize, n: i32): void {
  const K = constants();
  for (let i = 0; i < n; i += 2) {
    v128.store(output + (<usize>i << 3), vexp(v128.load(input + (<usize>i << 3)), K));
  }
}
export { setToyGrid, runToys, takeEnvelopeViolations, takeToyCalls, generateOnly } from "./toys";
export { philox, seedStream, uniform, poisson, gaussian } from "./rng";
export { invalidateSample } from "./nll";
