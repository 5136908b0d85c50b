/**
 * `bumpscan/report`: what a scan or a fit shows — SVG plots, the limits CSV, HEPData YAML, the
 * text summaries the CLI prints, the fit histogram behind a fit plot.
 * @example
 * import { brazilPlot, fitPlot, fitHistogram, hepdataTable, formatScan } from "bumpscan/report";
 */
export { brazilPlot, significancePlot } from "../plot/scan-plots.js";
export { fitPlot } from "../plot/fit-plot.js";
export type { FitPlotLabels } from "../plot/fit-plot.js";
export { fitHistogram } from "../job/fit-histogram.js";
export type { FitHistogram } from "../job/fit-histogram.js";
export { fitPlotAtMass } from "../report/fit-plot-at-mass.js";
export { limitsCsv } from "../report/tables.js";
export { hepdataTable, hepdataSignificanceTable, hepdataSubmission } from "../report/hepdata.js";
export { scanOutputs } from "../report/outputs.js";
export type { OutputFile } from "../report/outputs.js";
export {
  formatFit,
  formatLimit,
  formatScan,
  formatNumber,
  formatInjection,
  formatSelection,
} from "../report/format.js";
export type { FileSelection } from "../report/format.js";
export { countingCsv, formatCounting, countingOutputs } from "../report/counting.js";
export { countsPlot, countingLimitsPlot } from "../plot/counting-plots.js";
