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
import { fitRange } from "../model/window.js";
import { inRange } from "../io/column.js";

/** Which events a fit at one mass uses. */
export interface PointEvents {
  /** Per sample: the events in the fit range. */
  data: Dataset[];
  range: [number, number];
  events: number;
  eventsOutside: number;
  /** Weighted events: each sample's NLL scale Σw/Σw² (see infer/weights.ts). */
  nllScales?: number[];
}

/** The fit-range options of fitAtMass, limitAtMass and fitPlotAtMass. */
export interface RangeOptions {
  /** A window of this many resolutions around the mass (default: the spec's scan.window); false: the whole range. */
  window?: number | false;
}

/**
 * The events a fit at `mass` uses: each sample's events inside the fit range (the window around
 * the mass, or the observable range), counted; for weighted events each sample's NLL scale.
 * Throws on a weights array of the wrong length or a value that is not finite.
 */
export function pointEvents(
  spec: Spec,
  events: Dataset | Dataset[],
  mass: number,
  window?: number | false,
): PointEvents {
  const list = Array.isArray(events) ? events : [events];
  list.forEach((d, k) => checkDataset(d, list.length > 1 ? `sample ${k + 1}` : "the events"));
  const range = fitRange(spec, mass, window);
  const data = list.map((d): Dataset => {
    const kept = inRange(d.values, d.weights, range);
    return kept.weights ? { values: kept.values, weights: kept.weights } : { values: kept.values };
  });
  const used = data.reduce((n, d) => n + d.values.length, 0);
  const total = list.reduce((n, d) => n + d.values.length, 0);
  const out: PointEvents = { data, range, events: used, eventsOutside: total - used };
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
 * The share of a background of constant shape in the fit range, out of its share of the
 * observable range (1 when the fit range is the observable range).
 */
function shareIn(spec: Spec, range: [number, number]): (shape: ShapeName, args: number[]) => number {
  const [lo, hi] = spec.observable.range;
  return (shape, args) => {
    const whole = shapeIntegral(shape, args, lo, hi);
    return whole > 0 ? shapeIntegral(shape, args, range[0], range[1]) / whole : 0;
  };
}

/**
 * Build and compile the spec's model at one mass over events (a Dataset, or events already in
 * core memory), refusing start values where the density is ≤ 0 at some event.
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
  range?: [number, number],
  scales?: number[],
): { model: Model; cm: CompiledModel } {
  const loaded = "ptrs" in events ? events : loadData(core, Array.isArray(events) ? events : [events]);
  const [lo, hi] = spec.observable.range;
  const windowed = range !== undefined && (range[0] !== lo || range[1] !== hi);
  const model = buildModel(spec, {
    mass,
    nEvents: loaded.ptrs.map((p) => p.n),
    range,
    share: windowed ? shareIn(spec, range) : undefined,
  });
  const cm = new CompiledModel(core, model, loaded, { scales });
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
