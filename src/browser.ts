/**
 * bumpscan's public API for browsers and bundlers (no Node built-ins): the fit, the limit and the
 * scan at the top, readers, plots and report files beside them; everything else under subpaths
 * (`bumpscan/model`, `/core`, `/infer`, `/scan`, `/io`, `/report`, `/oracle`; docs/api.md).
 * Bundlers pick this entry through the package's "browser" export condition.
 * @example
 * import { parseSpec, fit, limit, scan, WorkerPool, decodeColumn, brazilPlot } from "bumpscan";
 */
export { parseSpec } from "./model/parse.js";
export type { Spec } from "./model/spec.js";
export type { Dataset } from "./core/compile.js";
export { fitAtMass as fit, limitAtMass as limit } from "./job/mass-job.js";
export { exportHs3, fitHs3 } from "./job/hs3.js";
export type { FitReport, FitAtMassOptions, LimitReport, LimitOptions, LimitMethod } from "./job/mass-job.js";
export { runScan as scan } from "./scan/scan.js";
export type { ScanResult, RunScanOptions, Progress, ScanEvents } from "./scan/scan.js";
export type { PointResult } from "./scan/point.js";
export { mergeScans } from "./scan/merge.js";
export { injectAtMass as inject } from "./job/inject.js";
export type { InjectOptions, InjectReport } from "./job/inject.js";
export { pullPlot } from "./plot/pull-plot.js";
export { WorkerPool } from "./scan/pool.js";
export { decodeColumn } from "./io/decode.js";
export type { DataFormat } from "./io/decode.js";
export type { Column, ColumnChoice } from "./io/column.js";
export { brazilPlot, significancePlot } from "./plot/scan-plots.js";
export { fitPlotAtMass } from "./report/fit-plot-at-mass.js";
export { scanOutputs } from "./report/outputs.js";
export type { OutputFile } from "./report/outputs.js";
export { limitsCsv } from "./report/tables.js";
export { hepdataSubmission } from "./report/hepdata.js";
export { demoSpec, demoEvents } from "./demo-data.js";
export { BumpscanError } from "./errors.js";
