/**
 * `bumpscan/infer`: inference on a compiled model — the fit, the discovery significance, the test
 * statistics, the asymptotic, toy and Bayesian calculators, the upper-limit searches and
 * Feldman–Cousins intervals.
 * @example
 * import { fit, discovery, upperLimit, AsymptoticCalculator, ToyCalculator } from "bumpscan/infer";
 */
export { fit } from "../infer/fit.js";
export type { FitOptions, FitResult } from "../infer/fit.js";
export { discovery, discoveryFrom } from "../infer/significance.js";
export type { Discovery, QuickDiscovery } from "../infer/significance.js";
export { fitBackground } from "../infer/background.js";
export { q0, qmu, qmuTilde } from "../infer/test-statistics.js";
export { AsymptoticCalculator, asymptoticPvalues } from "../infer/asymptotic.js";
export { asimovData } from "../infer/asimov.js";
export { ToyCalculator } from "../infer/toys.js";
export type { ToyOptions } from "../infer/toys.js";
export type { ToyExecutor } from "../infer/executor.js";
export { upperLimit, adaptiveUpperLimit, BANDS } from "../infer/limits.js";
export type { LimitResult } from "../infer/limits.js";
export type { Calculator, CLsValues, Statistic } from "../infer/calculator.js";
export { bayesianLimit } from "../infer/bayes.js";
export { feldmanCousins, poissonInterval } from "../infer/feldman-cousins.js";
export type {
  FeldmanCousinsOptions,
  FeldmanCousinsResult,
  PoissonIntervalOptions,
} from "../infer/feldman-cousins.js";
export type { BayesResult, BayesOptions } from "../infer/bayes.js";
export { bayesianExpected } from "../infer/bayes-expected.js";
export type { BayesExpectedOptions } from "../infer/bayes-expected.js";
export { weightedErrors } from "../infer/weights.js";
