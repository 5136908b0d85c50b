// The WASM core's exports. JS writes events, the compiled model and the value vector into the
// arena, then calls these; nothing here calls back into JS.
export { alloc, mark, release } from "./memory";
export { setModel } from "./model";
export {
  prepareModel, setFree, setFastPath, setAnalyticHessian, fusedComponent, nll, nllGrad, sampleDensity, sampleBinYields,
  sampleNorms,
} from "./nll";
export { minimize, hesse, useMetricSlot, forgetMetrics } from "./minimizer";
export { erf, erfc } from "./special";
import { pdfValue, pdfIntegral } from "./pdf/index";
import { constants, vexp, vlog } from "./vexp";

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
/** out[i] = ln(in[i]) through the weighted passes' vector log (n even, inputs normal and > 0; tests). */
export function vlogBatch(input: usize, output: usize, n: i32): void {
  const K = constants();
  for (let i = 0; i < n; i += 2) {
    v128.store(output + (<usize>i << 3), vlog(v128.load(input + (<usize>i << 3)), K));
  }
}
export { setToyGrid, runToys, takeEnvelopeViolations, takeToyCalls, generateOnly, generateToy } from "./toys";
export { philox, seedStream, uniform, poisson, gaussian } from "./rng";
export { invalidateSample } from "./nll";
import {
  MODEL_SAMPLES, CONSTRAINT_WORDS, SAMPLE_NLL_SCALE, SAMPLE_COMPONENTS, COMPONENT_NORM, COMPONENT_ARGS, FACTOR_WORDS,
  MINIMIZE_ERRORS, STATUS_FAILED, STATUS_TOY_OVERFLOW, RUN_RESULTS, RUN_WORDS, TOY_TESTS, TEST_WORDS, MAX_PARAMS,
  MAX_FREE, MAX_COMPONENTS, MAX_SAMPLES, MAX_CONSTRAINTS, PDF_EXP_POLY, PDF_ARGUS, SAMPLE_HOLES,
  COMPONENT_N_ARG_FACTORS, FACTOR_ARG, FORM_GAUSS, MAX_HOLES, MAX_FACTORS, PDF_TEMPLATE, MAX_TEMPLATE_BINS,
} from "../src/core/abi";

/**
 * Writes the ABI constants this core was compiled with (the order of ABI_PROBE in src/core/wasm.ts)
 * to out and returns their count: a core built from another src/core/abi.ts is caught at load.
 */
export function abiConstants(out: usize): i32 {
  let n = 0;
  // plain stores: no managed array (the stub runtime's heap would overlap the arena)
  const put = (p: usize, i: i32, v: i32): i32 => { store<f64>(p + (<usize>i << 3), <f64>v); return i + 1; };
  n = put(out, n, MODEL_SAMPLES); n = put(out, n, CONSTRAINT_WORDS); n = put(out, n, SAMPLE_NLL_SCALE);
  n = put(out, n, SAMPLE_COMPONENTS); n = put(out, n, COMPONENT_NORM); n = put(out, n, COMPONENT_ARGS);
  n = put(out, n, FACTOR_WORDS); n = put(out, n, MINIMIZE_ERRORS); n = put(out, n, STATUS_FAILED);
  n = put(out, n, STATUS_TOY_OVERFLOW); n = put(out, n, RUN_RESULTS); n = put(out, n, RUN_WORDS);
  n = put(out, n, TOY_TESTS); n = put(out, n, TEST_WORDS); n = put(out, n, MAX_PARAMS); n = put(out, n, MAX_FREE);
  n = put(out, n, MAX_COMPONENTS); n = put(out, n, MAX_SAMPLES); n = put(out, n, MAX_CONSTRAINTS);
  n = put(out, n, PDF_EXP_POLY); n = put(out, n, PDF_ARGUS); n = put(out, n, SAMPLE_HOLES);
  n = put(out, n, COMPONENT_N_ARG_FACTORS); n = put(out, n, FACTOR_ARG); n = put(out, n, FORM_GAUSS);
  n = put(out, n, MAX_HOLES); n = put(out, n, MAX_FACTORS); n = put(out, n, PDF_TEMPLATE);
  n = put(out, n, MAX_TEMPLATE_BINS);
  return n;
}
