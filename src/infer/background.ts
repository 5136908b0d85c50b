/**
 * The background-only fit (POI = 0) and the POI's floor it defines: the most negative signal
 * yield for which the total density stays ≥ 0 everywhere in the fit range. Without the floor a
 * dataset with no events near the signal peak lets the yield run negative until the density
 * turns negative at the peak, and the free fit stalls there with a meaningless error.
 */
import type { CompiledModel } from "../core/compile.js";
import { fit, type FitOptions, type FitResult } from "./fit.js";
import { knots, panelEdges, peaks } from "./asimov.js";
import { isExcluded } from "../model/model.js";

/** Evaluation points of sample k: a uniform grid, refined near its peaks, none inside a veto. */
function probePoints(cm: CompiledModel, k: number): number[] {
  const s = cm.model.samples[k];
  const edges = panelEdges(s.range, peaks(cm.model, k), 400, 8, s.exclude, knots(cm.model, k));
  const mid = edges.slice(1).map((x, i) => 0.5 * (x + edges[i]));
  return s.exclude?.length ? [...edges, ...mid.filter((x) => !isExcluded(s.exclude, x))] : [...edges, ...mid];
}

/**
 * The POI value below which the total density would turn negative somewhere in some sample's
 * range, with the other parameters at `values` (−∞ if it never would, e.g. no signal shape).
 */
export function poiFloor(cm: CompiledModel, values: ArrayLike<number>): number {
  const poi = cm.names.indexOf(cm.model.poi);
  const saved = cm.values;
  const at = (mu: number, k: number, xs: number[]) => {
    const v = Float64Array.from(values);
    v[poi] = mu;
    cm.values = v;
    return cm.density(k, xs);
  };
  let floor = -Infinity;
  try {
    cm.model.samples.forEach((_, k) => {
      const xs = probePoints(cm, k);
      const b = at(0, k, xs),
        sb = at(1, k, xs);
      for (let i = 0; i < xs.length; i++) {
        const s = sb[i] - b[i];
        if (s > 0) floor = Math.max(floor, -b[i] / s);
      }
    });
  } finally {
    cm.values = saved;
  }
  // a hair inside: at the floor itself the density touches zero somewhere
  return Number.isFinite(floor) ? floor * (1 - 1e-6) : floor;
}

/**
 * The background-only fit, after which the POI's lower bound is raised to its floor at the fitted
 * background (never lowered below the model's own bound).
 */
export function fitBackground(cm: CompiledModel, options: FitOptions = {}): FitResult {
  const b = fit(cm, { ...options, fixed: { ...options.fixed, [cm.model.poi]: 0 }, hesse: false });
  raiseFloor(cm, b.values);
  return b;
}

/**
 * Raise the POI's lower bound to its floor at other background values (`values` by name; the POI's
 * own value is ignored). Returns whether the bound moved.
 */
export function raiseFloor(cm: CompiledModel, values: Record<string, number>): boolean {
  const poi = cm.model.poi;
  const param = cm.model.parameters[cm.names.indexOf(poi)];
  const floor = Math.min(
    0,
    poiFloor(
      cm,
      cm.names.map((n) => (n === poi ? 0 : values[n])),
    ),
  );
  if (!(floor > param.lo)) return false;
  cm.setLowerBound(poi, floor);
  return true;
}
