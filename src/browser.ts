/**
 * bumpscan's public API for browsers and bundlers (no Node built-ins): build a model, compile it
 * into the WASM core, fit, set limits, scan on a pool of Web Workers, decode event files, plot.
 * Bundlers pick this entry through the package's "browser" export condition.
 * @example
 * import { parseSpec, decodeColumn, runScan, WorkerPool, brazilPlot } from "bumpscan";
 */
export { instantiateCore, coreModule } from "./core/wasm.js";
export type { CoreExports } from "./core/wasm.js";
export { CompiledModel, loadData, STATUS } from "./core/compile.js";
export type { Dataset, LoadedData, FitStatus, MinimizeResult } from "./core/compile.js";
export { OracleNll, shapeDensity, shapeIntegral } from "./core/oracle.js";
export { generate } from "./core/generate.js";
export { ModelBuilder, checkModel } from "./model/model.js";
export type { Model, Parameter, Component, Sample, Constraint, Arg, YieldFactor } from "./model/model.js";
export { buildModel } from "./model/spec.js";
export { parseSpec } from "./model/parse.js";
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
export { fitAtMass, limitAtMass } from "./job/mass-job.js";
export type { FitReport, LimitReport, LimitOptions, LimitMethod } from "./job/mass-job.js";
export { decodeColumn, formatOf } from "./io/decode.js";
export type { DataFormat } from "./io/decode.js";
export type { Column, ColumnChoice } from "./io/column.js";
export { inRange } from "./io/column.js";
export { BumpscanError } from "./errors.js";
export { fitPlotAtMass } from "./report/fit-plot-at-mass.js";
export { compileAt } from "./job/events.js";
export { runScan, assemble } from "./scan/scan.js";
export { mergeScans, checkScanResult } from "./scan/merge.js";
export type { ScanResult, RunScanOptions, Progress, LeeToys } from "./scan/scan.js";
export type { PointResult, ScanOptions } from "./scan/point.js";
export type { SpawnedWorker } from "./scan/pool.js";
export { massGrid } from "./scan/grid.js";
export type { GridPoint } from "./scan/grid.js";
export { grossVitells } from "./scan/global.js";
export { brazilPlot, significancePlot } from "./plot/scan-plots.js";
export { fitPlot } from "./plot/fit-plot.js";
export { limitsCsv } from "./report/tables.js";
export { hepdataTable, hepdataSubmission } from "./report/hepdata.js";
export { scanOutputs } from "./report/outputs.js";
export type { OutputFile } from "./report/outputs.js";
export { parseCsvColumn } from "./io/csv.js";
export { parseJsonColumn } from "./io/json.js";
export { parquetColumn, arrowColumn } from "./io/columnar.js";
export { rootColumn } from "./io/root.js";
export { demoSpec, demoEvents, DEMO_SIGNAL, DEMO_SEED } from "./demo-data.js";
export { specSchema } from "./model/schema.js";
