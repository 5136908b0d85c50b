/**
 * The events and the compiled model of a fit at one mass: each sample's events in the fit range
 * (the observable range, or the window around the mass), counted, with their NLL scales when
 * weighted; the spec's model built for that range (peaks the window misses left out) and compiled
 * over them.
 */
import { CompiledModel, loadData, type Dataset, type LoadedData } from "../core/compile.js";
import type { CoreExports } from "../core/wasm.js";
import { shapeIntegral } from "../core/oracle.js";
import { BumpscanError } from "../errors.js";
import { isWeighted, nllScales } from "../infer/weights.js";
import type { Model } from "../model/model.js";
import type { ShapeName } from "../model/shapes.js";
import { buildModel, type Spec } from "../model/spec.js";
import { inHole, layoutAt, pieces, type PointLayout, sampleRange, samplesOf } from "../model/window.js";
import { inRange } from "../io/column.js";

/** Which events a fit at one mass uses. */
export interface PointEvents {
  /** Where the fit looks: each sample's fit range and vetoes, the signal peak. */
  layout: PointLayout;
  /** Per sample taking part (the layout's samples): its events in the fit range, outside the vetoes. */
  data: Dataset[];
  /** The first sample's fit range. */
  range: [number, number];
  events: number;
  /** Events not used: outside the fit ranges or in a veto (and those of samples taking no part). */
  eventsOutside: number;
  /** Events dropped because they lie in a veto. */
  eventsVetoed: number;
  /** Samples taking part whose fit range holds no event although their model expects some there. */
  emptySamples: string[];
  /** Weighted events: each sample's NLL scale Σw/Σw² (see infer/weights.ts). */
  nllScales?: number[];
}

/** The fit-range options of fitAtMass, limitAtMass and fitPlotAtMass. */
export interface RangeOptions {
  /** A window of this many resolutions around the mass (default: the spec's scan.window); false: the whole range. */
  window?: number | false;
}

/** The events of a dataset inside `range` and outside the vetoes, with their weights. */
function select(d: Dataset, range: [number, number], holes: [number, number][]): { kept: Dataset; vetoed: number } {
  const kept = inRange(d.values, d.weights, range);
  if (holes.length === 0) return { kept: kept.weights ? kept : { values: kept.values }, vetoed: 0 };
  const keep = (_: number, i: number) => !inHole(kept.values[i], holes);
  const values = kept.values.filter(keep);
  const out: Dataset = kept.weights ? { values, weights: kept.weights.filter(keep) } : { values };
  return { kept: out, vetoed: kept.values.length - values.length };
}

/**
 * The events a fit at `mass` uses: each sample's events inside its fit range (the window around
 * the signal peak, or its whole range) and outside its vetoes, counted; for weighted events each
 * sample's NLL scale. Throws on a weights array of the wrong length, a value that is not finite,
 * or a mass the spec cannot fit (a veto over the peak, a window leaving the range).
 */
export function pointEvents(
  spec: Spec,
  events: Dataset | Dataset[],
  mass: number,
  window?: number | false,
): PointEvents {
  const list = Array.isArray(events) ? events : [events];
  list.forEach((d, k) => checkDataset(d, list.length > 1 ? `sample ${k + 1}` : "the events"));
  const layout = layoutAt(spec, mass, window);
  if (layout.skipped) throw new BumpscanError(layout.skipped);
  let vetoed = 0;
  const data = layout.samples.map((w) => {
    const d = list[w.index];
    if (!d) throw new BumpscanError(`${list.length} datasets for ${samplesOf(spec).length} samples`);
    const r = select(d, w.range, w.exclude);
    vetoed += r.vetoed;
    return r.kept;
  });
  const used = data.reduce((n, d) => n + d.values.length, 0);
  const total = list.reduce((n, d) => n + d.values.length, 0);
  const out: PointEvents = {
    layout,
    data,
    range: layout.samples[0].range,
    events: used,
    eventsOutside: total - used,
    eventsVetoed: vetoed,
    emptySamples: layout.samples.filter((_, k) => data[k].values.length === 0).map((w) => w.name || "the events"),
  };
  if (isWeighted(data)) out.nllScales = nllScales(data);
  return out;
}

/**
 * Refuse events a fit cannot use: values not in a Float64Array, weights of another length, a value
 * or weight that is not finite. `what` names the dataset in the message.
 */
export function checkDataset(d: Dataset, what: string): void {
  if (!(d.values instanceof Float64Array)) throw new BumpscanError(`${what}: values must be a Float64Array`);
  if (d.weights && d.weights.length !== d.values.length)
    throw new BumpscanError(`${what}: ${d.weights.length} weights for ${d.values.length} events`);
  const bad = d.values.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) throw new BumpscanError(`${what}: event ${bad} is ${d.values[bad]}, not a finite number`);
  const badW = d.weights ? d.weights.findIndex((x) => !Number.isFinite(x)) : -1;
  if (badW >= 0)
    throw new BumpscanError(`${what}: the weight of event ${badW} is ${d.weights![badW]}, not a finite number`);
}

/**
 * The share of a background of constant shape in sample k's fit range (outside its vetoes), out of
 * its share of the sample's whole range (outside its vetoes): 1 without a window.
 */
function shareIn(spec: Spec, layout: PointLayout): (shape: ShapeName, args: number[], k: number) => number {
  const integral = (shape: ShapeName, args: number[], range: [number, number], holes: [number, number][]) =>
    pieces(range, holes).reduce((sum, [a, b]) => sum + shapeIntegral(shape, args, a, b), 0);
  return (shape, args, k) => {
    const w = layout.samples[k];
    const { exclude } = sampleRange(spec, samplesOf(spec)[w.index]);
    const whole = integral(shape, args, w.full, exclude);
    return whole > 0 ? integral(shape, args, w.range, w.exclude) / whole : 0;
  };
}

/**
 * Build and compile the spec's model at one mass over events already selected for it (per sample
 * taking part: pointEvents), refusing start values where the density is ≤ 0 at some event. Without
 * a layout the fit looks at every sample's whole range.
 * @example
 * import { readFileSync } from "node:fs";
 * import { parseSpec, readColumn } from "bumpscan";
 * import { compileAt, instantiateCore } from "bumpscan/core";
 * const spec = parseSpec(JSON.parse(readFileSync("spec.json", "utf8")), "spec.json");
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * const { cm } = compileAt(await instantiateCore(), spec, { values }, 4.2); // the reference model at 4.2
 * cm.model.parameters.map((p) => p.name); // => ["nsig", "nbkg", "c1", "c2"]
 */
export function compileAt(
  core: CoreExports,
  spec: Spec,
  events: Dataset | Dataset[] | LoadedData,
  mass: number,
  layout: PointLayout = layoutAt(spec, mass, false),
  scales?: number[],
): { model: Model; cm: CompiledModel } {
  const { model, cm } = compileUnchecked(core, spec, events, mass, layout, scales);
  const start = cm.nll(model.parameters.map((p) => p.value));
  if (!Number.isFinite(start)) {
    throw new BumpscanError(
      `the model density is ≤ 0 at some event for the start values ` +
        `(${model.parameters.map((p) => `${p.name} = ${p.value}`).join(", ")}); set other start values under ` +
        `"parameters"`,
    );
  }
  return { model, cm };
}

/**
 * compileAt without its check of the start values (a pass over the events): for callers that
 * evaluate the NLL at values of their own first (the quick q0 of background-only toy scans).
 */
export function compileUnchecked(
  core: CoreExports,
  spec: Spec,
  events: Dataset | Dataset[] | LoadedData,
  mass: number,
  layout: PointLayout = layoutAt(spec, mass, false),
  scales?: number[],
): { model: Model; cm: CompiledModel } {
  const loaded = "ptrs" in events ? events : loadData(core, Array.isArray(events) ? events : [events]);
  const windowed = layout.samples.some((w) => w.range[0] !== w.full[0] || w.range[1] !== w.full[1]);
  const model = buildModel(spec, {
    mass,
    nEvents: loaded.ptrs.map((p) => p.n),
    layout,
    share: windowed ? shareIn(spec, layout) : undefined,
  });
  return { model, cm: new CompiledModel(core, model, loaded, { scales }) };
}
