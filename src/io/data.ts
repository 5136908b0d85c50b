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
import { inRange, type Selection } from "./column.js";
import type { ShapeSpec } from "../model/types.js";
import { DEFAULT_TEMPLATE_BINS, type TemplateHistograms, templateFromEvents } from "../model/template.js";

export interface LoadedEvents extends Dataset {
  path: string;
  /** Events read from the file. */
  read: number;
  /** Events outside the observable range, dropped. */
  dropped: number;
  /** With data.cut or data.expr: the events in the file and those passing the cut (before the range). */
  selected?: Selection;
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
  const path = relativeTo(baseDir, spec.data.path);
  const col = await readColumn(path, spec.data);
  const events = { path, read: col.values.length, ...inRange(col.values, col.weights, spec.observable.range) };
  return col.selected ? { ...events, selected: col.selected } : events;
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
  const samples = specSamples(spec);
  const fromStdin = samples.filter((s) => s.data?.path === "-").map((s) => s.name);
  if (fromStdin.length > 1)
    throw new BumpscanError(`samples ${fromStdin.join(", ")} all read standard input (-): at most one sample can`);
  return Promise.all(samples.map((s) => loadSpecData({ ...spec, data: s.data }, baseDir)));
}

/** A data path as given relative to the spec's folder (`-`, standard input, as it is). */
function relativeTo(baseDir: string, path: string): string {
  return path === "-" || isAbsolute(path) ? path : join(baseDir, path);
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

/**
 * Read a spec's signal templates (shape "template": simulated events with their true masses,
 * docs/spec.md) and give back the spec with each template's smoothed histograms in memory
 * (`signal.loaded`, plain arrays: they go to pool workers and into scan results as they are); a
 * spec without one comes back unchanged. Paths are relative to `baseDir`; events outside the
 * observable range are left out (a region with its own range gets its own histograms). The
 * command line does this once per run, for fit, limit, scan and plot fit.
 * @example
 * import { writeFileSync } from "node:fs";
 * import { loadSpecTemplates, parseSpec } from "bumpscan";
 * const rows = ["m,m_true"]; // 200 simulated events at each of two true masses
 * for (const mt of [4, 5]) for (let i = 0; i < 200; i++) rows.push(`${mt + 0.02 * (i / 199 - 0.5)},${mt}`);
 * writeFileSync("sig_mc.csv", `${rows.join("\n")}\n`);
 * const spec = await loadSpecTemplates(parseSpec({ observable: { range: [0, 10] },
 *   signal: { shape: "template", path: "sig_mc.csv", column: "m", massColumn: "m_true", bins: 50 },
 *   background: { shape: "expPoly", order: 1 } }), ".");
 * spec.signal.loaded.masses; // => [4, 5]
 * spec.signal.loaded.histograms[1].range; // => [4.99, 5.01]
 */
export async function loadSpecTemplates(spec: Spec, baseDir: string): Promise<Spec> {
  const read = new Map<string, Promise<TemplateHistograms>>();
  const key = (s: ShapeSpec, range: [number, number]) =>
    JSON.stringify([s.path, s.column, s.massColumn, s.tree, s.bins ?? DEFAULT_TEMPLATE_BINS, range]);
  const load = (s: ShapeSpec, range: [number, number]) => {
    const k = key(s, range);
    if (!read.has(k)) read.set(k, readTemplate(s, range, baseDir));
    return read.get(k)!;
  };
  const top = spec.signal.shape === "template" ? key(spec.signal, spec.observable.range) : undefined;
  let out = spec;
  if (top) out = { ...spec, signal: { ...spec.signal, loaded: await load(spec.signal, spec.observable.range) } };
  if (spec.regions) {
    const regions: NonNullable<Spec["regions"]> = [];
    for (const r of spec.regions) {
      const rs = regionSpec(spec, r.name);
      // a region whose template is the top level's (same file, columns, bins and range) inherits it
      if (rs.signal.shape !== "template" || key(rs.signal, rs.observable.range) === top) regions.push(r);
      else regions.push({ ...r, signal: { ...rs.signal, loaded: await load(rs.signal, rs.observable.range) } });
    }
    out = { ...out, regions };
  }
  return out;
}

/** A template's histograms from its file: the observable and true-mass columns, grouped by true mass. */
async function readTemplate(s: ShapeSpec, range: [number, number], baseDir: string): Promise<TemplateHistograms> {
  const path = relativeTo(baseDir, s.path!);
  const col = await readColumn(path, { column: s.column, weights: s.massColumn, tree: s.tree });
  return templateFromEvents(
    col.values,
    col.weights!,
    s.bins ?? DEFAULT_TEMPLATE_BINS,
    range,
    `signal template ${path}`,
  );
}
