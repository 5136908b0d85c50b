/**
 * What a fit plot shows, computed from the compiled model: the events per bin over a view of the
 * fit range around the mass, the fitted model (total, and background only) as expected events per
 * bin, and the pulls (n − ν)/√ν. The plot layer only draws it.
 */
import type { CompiledModel } from "../core/compile.js";
import type { FitResult } from "../infer/fit.js";

export interface FitHistogram {
  /** The view: lower edge, bin width and bin count. */
  lo: number;
  width: number;
  counts: number[];
  /** Expected events per bin of the fitted model, and of its background alone (POI = 0). */
  total: number[];
  background: number[];
  pulls: number[];
  mass: number;
  poi: string;
  value: number;
  error: number;
  status: string;
}

/**
 * The histogram of one sample's events and the fitted model over mass ± `zoom`·σ (within the fit
 * range), in `bins` bins.
 * @example
 * import { readFileSync } from "node:fs";
 * import { parseSpec, readColumn } from "bumpscan";
 * import { compileAt, instantiateCore } from "bumpscan/core";
 * import { fit } from "bumpscan/infer";
 * import { fitHistogram } from "bumpscan/report";
 * const spec = parseSpec(JSON.parse(readFileSync("spec.json", "utf8")), "spec.json");
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * const { cm } = compileAt(await instantiateCore(), spec, { values }, 4.2); // the reference model at 4.2
 * const h = fitHistogram(cm, fit(cm), values, { mass: 4.2, sigma: 0.05 }); // 60 bins over 4.2 ± 0.75
 * [h.counts.length, h.lo, h.width]; // => [60, 3.45, 0.025]
 */
export function fitHistogram(
  cm: CompiledModel,
  fit: FitResult,
  events: Float64Array,
  view: { mass: number; sigma: number; zoom?: number; bins?: number },
): FitHistogram {
  const { mass, sigma } = view;
  const [rlo, rhi] = cm.model.samples[0].range;
  const half = (view.zoom ?? 15) * sigma;
  const lo = Math.max(rlo, mass - half),
    hi = Math.min(rhi, mass + half);
  const nb = view.bins ?? 60;
  const width = (hi - lo) / nb;
  const counts = new Array(nb).fill(0);
  for (const m of events) if (m >= lo && m < hi) counts[Math.min(nb - 1, Math.floor((m - lo) / width))]++;
  const values = cm.names.map((n) => fit.values[n]);
  // expected events per bin: each component's closed-form integral over the bin
  const edges = Array.from({ length: nb + 1 }, (_, i) => lo + i * width);
  const perBin = (vals: number[]) => {
    cm.values = vals;
    return Array.from(cm.binYields(0, edges));
  };
  const total = perBin(values);
  const poi = cm.names.indexOf(cm.model.poi);
  const background = perBin(values.map((v, i) => (i === poi ? 0 : v)));
  cm.values = values;
  const pulls = counts.map((n, i) => (total[i] > 0 ? (n - total[i]) / Math.sqrt(total[i]) : 0));
  const name = cm.model.poi;
  return {
    lo,
    width,
    counts,
    total,
    background,
    pulls,
    mass,
    poi: name,
    value: fit.values[name],
    error: fit.errors[name],
    status: fit.status,
  };
}
