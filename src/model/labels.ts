/**
 * What a spec calls its axes: the scanned mass (the hypothesis, or the observable itself) and the
 * parameter of interest, each with its unit, for plots, tables and HEPData.
 */
import type { Spec } from "./types.js";

export interface AxisName {
  name: string;
  unit: string;
}

/**
 * The scanned mass: `hypothesis` where the spec names one, else the observable.
 * @example
 * import { massAxis, parseSpec } from "bumpscan/model";
 * const spec = parseSpec({ observable: { name: "M_X^2", unit: "GeV^2", range: [0, 70] },
 *   hypothesis: { name: "m_A'", unit: "GeV" }, signal: { shape: "gaussian", peak: { poly: [0, 0, 1] }, sigma: 0.3 },
 *   background: { shape: "expPoly", order: 1 } });
 * massAxis(spec); // => { name: "m_A'", unit: "GeV" }
 */
export function massAxis(spec: Spec): AxisName {
  const h = spec.hypothesis;
  if (h?.name !== undefined || h?.unit !== undefined) return { name: h.name ?? "m", unit: h.unit ?? "" };
  return { name: spec.observable.name ?? "m", unit: spec.observable.unit ?? "" };
}

/**
 * The parameter of interest: `poi`, else N_sig (events) for one dataset and μ for several.
 * @example
 * import { poiAxis, parseSpec } from "bumpscan/model";
 * const spec = parseSpec({ observable: { range: [0, 10] }, signal: { shape: "gaussian", sigma: 0.1 },
 *   background: { shape: "expPoly", order: 1 }, poi: { name: "sigma_sig", unit: "fb" } });
 * poiAxis(spec); // => { name: "sigma_sig", unit: "fb" }
 */
export function poiAxis(spec: Spec): AxisName {
  if (spec.poi?.name !== undefined) return { name: spec.poi.name, unit: spec.poi.unit ?? "" };
  return spec.samples ? { name: "μ", unit: spec.poi?.unit ?? "" } : { name: "N_sig", unit: spec.poi?.unit ?? "events" };
}
