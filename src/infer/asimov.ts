/**
 * The Asimov dataset for unbinned fits: weighted points on a Gauss–Legendre grid over each
 * sample's range, the weight of a node being its quadrature weight times the expected event
 * density there, so that weighted sums are integrals of the expectation. Panels are uniform (100),
 * and refined to half a width within ±15 widths of every peak: 1752 nodes for one peak. Vetoes'
 * ends are panel edges and panels inside a veto carry no node (its weight sums to the expected
 * events of the allowed region). The
 * reference's construction (400 panels, quarter widths) and one twice as fine give limits equal
 * to this one within 1e-8 (tested).
 */
import type { CompiledModel, Dataset } from "../core/compile.js";
import { isExcluded, type Model, nominalArg } from "../model/model.js";
import { SHAPES, shapeKnots } from "../model/shapes.js";

// 12-point Gauss–Legendre nodes and weights on [−1, 1] (positive half).
const X12 = [
  0.1252334085114689, 0.3678314989981802, 0.5873179542866175, 0.7699026741943047, 0.9041172563704749,
  0.9815606342467192,
];
const W12 = [
  0.2491470458134028, 0.2334925365383548, 0.2031674267230659, 0.1600783285433462, 0.1069393259953184,
  0.0471753363865118,
];

export interface AsimovGrid {
  /** Uniform panels over the range (default 100). */
  panels?: number;
  /** Panels per peak width near peaks (default 2). */
  peakPanelsPerWidth?: number;
}

/**
 * Peaks of a sample: (mean, width) of components with a constant mean and width (at their nominal
 * values when nuisance factors scale them) — where the Asimov and toy-generation grids are refined.
 */
export function peaks(model: Model, sample: number): [number, number][] {
  return model.samples[sample].components
    .filter((c) => SHAPES[c.shape].mean !== undefined)
    .map((c) => [nominalArg(c.args[0]), nominalArg(c.args[1])])
    .filter((p): p is [number, number] => p[0] !== undefined && p[1] !== undefined);
}

/**
 * Where the shapes of a sample with constant arguments change slope (a template's bin centres and
 * ends): grid edges there leave each panel one linear piece of them.
 */
export function knots(model: Model, sample: number): number[] {
  return model.samples[sample].components.flatMap((c) =>
    c.args.every((a) => typeof a === "number") ? shapeKnots(c.shape, c.args as number[]) : [],
  );
}

/**
 * Panel edges over [lo, hi]: uniform, refined near the peaks, and at the `knots` given (see
 * knots()). With vetoes (sorted open intervals inside the range) their ends are edges and no edge
 * lies inside one, so every panel lies either inside a veto or in an allowed piece (panelsOutside
 * tells them apart).
 */
export function panelEdges(
  range: [number, number],
  peakList: [number, number][],
  panels: number,
  perWidth: number,
  exclude: [number, number][] = [],
  knotList: number[] = [],
): number[] {
  const [lo, hi] = range;
  const edges = Array.from({ length: panels + 1 }, (_, i) => lo + ((hi - lo) * i) / panels);
  edges.push(...knotList);
  for (const [mean, width] of peakList) {
    const n = Math.ceil(15 * perWidth);
    for (let k = -n; k <= n; k++) edges.push(mean + (k * width) / perWidth);
  }
  if (exclude.length === 0) {
    const sorted = edges.filter((x) => x >= lo && x <= hi).sort((a, b) => a - b);
    return sorted.filter((x, i) => i === 0 || x - sorted[i - 1] > 1e-12 * (hi - lo));
  }
  for (const [a, b] of exclude) edges.push(a, b);
  const sorted = edges.filter((x) => x >= lo && x <= hi && !isExcluded(exclude, x)).sort((a, b) => a - b);
  const ends = new Set(exclude.flat());
  // near-duplicates go, but never a veto's end (the panel next to it would straddle it)
  const kept: number[] = [];
  for (const x of sorted) {
    const last = kept[kept.length - 1];
    if (kept.length === 0 || x - last > 1e-12 * (hi - lo)) kept.push(x);
    else if (ends.has(x) && !ends.has(last)) kept[kept.length - 1] = x;
  }
  return kept;
}

/** Whether each panel between consecutive edges lies outside the vetoes (its midpoint is allowed). */
export function panelsOutside(edges: number[], exclude: [number, number][] = []): boolean[] {
  return edges.slice(1).map((b, p) => !isExcluded(exclude, 0.5 * (edges[p] + b)));
}

/**
 * Gauss–Legendre nodes and weights over the panels (12 per panel), panels inside a veto skipped.
 */
export function glNodes(
  edges: number[],
  exclude: [number, number][] = [],
): { nodes: Float64Array; weights: Float64Array } {
  const outside = panelsOutside(edges, exclude);
  const n = outside.filter(Boolean).length * 12;
  const nodes = new Float64Array(n),
    weights = new Float64Array(n);
  let k = 0;
  for (let p = 0; p + 1 < edges.length; p++) {
    if (!outside[p]) continue;
    const c = 0.5 * (edges[p] + edges[p + 1]),
      h = 0.5 * (edges[p + 1] - edges[p]);
    for (let j = 0; j < 6; j++) {
      nodes[k] = c - h * X12[j];
      weights[k++] = h * W12[j];
      nodes[k] = c + h * X12[j];
      weights[k++] = h * W12[j];
    }
  }
  return { nodes, weights };
}

/**
 * One weighted dataset per sample: the expected events of `cm`'s model at `values`.
 * @example
 * import { readFileSync } from "node:fs";
 * import { parseSpec, readColumn } from "bumpscan";
 * import { compileAt, instantiateCore } from "bumpscan/core";
 * import { asimovData, fit } from "bumpscan/infer";
 * const spec = parseSpec(JSON.parse(readFileSync("spec.json", "utf8")), "spec.json");
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * const { cm } = compileAt(await instantiateCore(), spec, { values }, 4.2); // the reference model at 4.2
 * const background = fit(cm, { fixed: { nsig: 0 } });
 * const [asimov] = asimovData(cm, background.values); // quadrature nodes weighted by expected events
 * asimov.weights.reduce((a, b) => a + b); // => 10112.0
 */
export function asimovData(cm: CompiledModel, values: ArrayLike<number>, grid: AsimovGrid = {}): Dataset[] {
  const saved = cm.values;
  cm.values = values;
  const data = cm.model.samples.map((s, k) => {
    const { nodes, weights } = glNodes(
      panelEdges(
        s.range,
        peaks(cm.model, k),
        grid.panels ?? 100,
        grid.peakPanelsPerWidth ?? 2,
        s.exclude,
        knots(cm.model, k),
      ),
      s.exclude,
    );
    const density = cm.density(k, nodes);
    return { values: nodes, weights: weights.map((w, i) => w * density[i]) };
  });
  cm.values = saved;
  return data;
}
