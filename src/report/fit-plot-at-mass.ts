/**
 * The fit at one mass drawn over a histogram of its events, with pulls: the per-mass job's fit,
 * its histogram (computed in the job layer), the plot (drawn in the plot layer).
 */
import type { Dataset } from "../core/compile.js";
import type { CoreExports } from "../core/wasm.js";
import type { FitResult } from "../infer/fit.js";
import { fitHistogram } from "../job/fit-histogram.js";
import { type FitAtMassOptions, type FitReport, fitWith } from "../job/mass-job.js";
import { sigmaAt } from "../model/window.js";
import type { Spec } from "../model/spec.js";
import { fitPlot } from "../plot/fit-plot.js";

/**
 * The fit at one mass (as fitAtMass reports it) and its SVG plot over a histogram of the data (one dataset).
 * @example
 * import { readFileSync } from "node:fs";
 * import { fitPlotAtMass, parseSpec, readColumn } from "bumpscan";
 * const spec = parseSpec(JSON.parse(readFileSync("spec.json", "utf8")), "spec.json");
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * const { report, svg } = await fitPlotAtMass(spec, { values }, 4.2, { zoom: 15, bins: 60 });
 * report.parameters.nsig.value; // => 47.85
 * svg.includes("</svg>"); // => true
 */
export async function fitPlotAtMass(
  spec: Spec,
  events: Dataset,
  mass: number,
  view: { zoom?: number; bins?: number } & FitAtMassOptions = {},
  core?: CoreExports,
): Promise<{ report: FitReport; fit: FitResult; poi: string; svg: string }> {
  const { report, extra } = await fitWith(spec, events, mass, view, core, (cm, free, point) => {
    // the zoom is in resolutions (a template's width from its simulation); without one, 1% of the range
    const res = sigmaAt(spec, mass);
    const sigma = Number.isNaN(res) ? 0.01 * (spec.observable.range[1] - spec.observable.range[0]) : res;
    const histogram = fitHistogram(cm, free, point.data[0].values, { mass, sigma, zoom: view.zoom, bins: view.bins });
    return {
      fit: free,
      poi: cm.model.poi,
      svg: fitPlot(histogram, { unit: spec.observable.unit, name: spec.observable.name }),
    };
  });
  return { report, ...extra };
}
