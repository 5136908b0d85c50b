/**
 * From the spec's `data` entry to the events a fit uses: read the file (path relative to the
 * spec), keep the events inside the observable range and count the ones dropped.
 */
import { isAbsolute, join } from "node:path";
import { BumpscanError } from "../errors.js";
import { regionNames, regionSpec } from "../model/regions.js";
import { type Spec, specSamples } from "../model/spec.js";
import type { Dataset } from "../core/compile.js";
import { readColumn } from "./files.js";
import { inRange } from "./column.js";

export interface LoadedEvents extends Dataset {
  path: string;
  /** Events read from the file. */
  read: number;
  /** Events outside the observable range, dropped. */
  dropped: number;
}

/**
 * Read the spec's dataset. Events outside the observable range are dropped and counted (the
 * count is reported in the fit output); non-numeric values are errors.
 * @example
 * import { readFileSync } from "node:fs";
 * import { loadSpecData, parseSpec } from "bumpscan";
 * const spec = parseSpec(JSON.parse(readFileSync("spec.json", "utf8")), "spec.json");
 * const events = await loadSpecData(spec, "."); // data.path is read relative to the folder given
 * [events.read, events.dropped]; // => [10112, 0]
 */
export async function loadSpecData(spec: Spec, baseDir: string): Promise<LoadedEvents> {
  if (!spec.data)
    throw new BumpscanError('the spec has no data entry: add "data": {"path": "events.csv", "column": "m"}');
  const path = isAbsolute(spec.data.path) ? spec.data.path : join(baseDir, spec.data.path);
  const col = await readColumn(path, spec.data);
  return { path, read: col.values.length, ...inRange(col.values, col.weights, spec.observable.range) };
}

/**
 * Read every sample's dataset (one for a single-sample spec), in the order of `samples`.
 * @example
 * import { loadSpecSamples, parseSpec } from "bumpscan";
 * const spec = parseSpec({ observable: { range: [0, 10] }, signal: { shape: "gaussian", sigma: 0.05 },
 *   background: { shape: "expPoly", order: 2 },
 *   samples: [
 *     { name: "a", scale: 1, data: { path: "bump-1e4.csv" } },
 *     { name: "b", scale: 1, data: { path: "events.csv" } },
 *   ] });
 * const [a, b] = await loadSpecSamples(spec, ".");
 * [a.values.length, b.values.length]; // => [10112, 1000]
 */
export async function loadSpecSamples(spec: Spec, baseDir: string): Promise<LoadedEvents[]> {
  return Promise.all(specSamples(spec).map((s) => loadSpecData({ ...spec, data: s.data }, baseDir)));
}

/**
 * The events of a scan: each sample's, under "" — or with regions, each region's samples under
 * the region's name (a region's data paths are read relative to `baseDir` too).
 * @example
 * import { readFileSync } from "node:fs";
 * import { parseSpec } from "bumpscan";
 * import { loadScanEvents } from "bumpscan/io";
 * const spec = parseSpec({ ...JSON.parse(readFileSync("spec.json", "utf8")),
 *   regions: [{ name: "low", observable: { range: [0, 5] } }, { name: "high", observable: { range: [5, 10] } }] });
 * const events = await loadScanEvents(spec, ".");
 * Object.keys(events); // => ["low", "high"]
 * events.low[0].values.length; // => 7938
 */
export async function loadScanEvents(spec: Spec, baseDir: string): Promise<Record<string, LoadedEvents[]>> {
  if (!spec.regions) return { "": await loadSpecSamples(spec, baseDir) };
  const out: Record<string, LoadedEvents[]> = {};
  for (const name of regionNames(spec)) out[name] = await loadSpecSamples(regionSpec(spec, name), baseDir);
  return out;
}
