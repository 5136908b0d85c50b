/**
 * bumpscan's public API: build a model, compile it into the WASM core, fit, test a signal.
 * @example
 * import { instantiateCore, CompiledModel, loadData, buildModel, parseSpec, fit } from "bumpscan";
 */
export { instantiateCore, coreModule } from "./core/wasm.js";
export type { CoreExports } from "./core/wasm.js";
export { CompiledModel, loadData, STATUS } from "./core/compile.js";
export type { Dataset, LoadedData, FitStatus, MinimizeResult } from "./core/compile.js";
export { OracleNll, shapeDensity, shapeIntegral } from "./core/oracle.js";
export { generate } from "./core/generate.js";
export { ModelBuilder, checkModel } from "./model/model.js";
export type { Model, Parameter, Component, Sample, Constraint, Arg, YieldFactor } from "./model/model.js";
export { parseSpec, buildModel } from "./model/spec.js";
export type { Spec, ShapeSpec } from "./model/spec.js";
export { resolutionAt } from "./model/resolution.js";
export { SHAPES, shapeArgs, isShape } from "./model/shapes.js";
export { fit } from "./infer/fit.js";
export type { FitOptions, FitResult } from "./infer/fit.js";
export { discovery } from "./infer/significance.js";
export type { Discovery } from "./infer/significance.js";
export { q0, qmu, qmuTilde } from "./infer/test-statistics.js";
export { AsymptoticCalculator, asymptoticPvalues } from "./infer/asymptotic.js";
export { asimovData } from "./infer/asimov.js";
export { ToyCalculator } from "./infer/toys.js";
export type { ToyOptions } from "./infer/toys.js";
export { upperLimit, adaptiveUpperLimit, BANDS } from "./infer/limits.js";
export type { LimitResult } from "./infer/limits.js";
export type { Calculator, CLsValues } from "./infer/calculator.js";
export { bayesianLimit } from "./infer/bayes.js";
export type { BayesResult, BayesOptions } from "./infer/bayes.js";
export { brent, rootAbove, rootNear } from "./infer/roots.js";
export { WorkerPool } from "./scan/pool.js";
export { fitAtMass, limitAtMass } from "./analysis.js";
export type { FitReport, LimitReport, LimitOptions, LimitMethod } from "./analysis.js";
export { readCsvColumn } from "./io/csv.js";
export { loadSpecData, inRange } from "./io/data.js";
export { BumpscanError } from "./errors.js";
