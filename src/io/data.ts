/**
 * From the spec's `data` entry to the events a fit uses: read the file (path relative to the
 * spec), keep the events inside the observable range and count the ones dropped.
 */
import { isAbsolute, join } from "node:path";
import { BumpscanError } from "../errors.js";
import { Spec, specSamples } from "../model/spec.js";
import { Dataset } from "../core/compile.js";
import { readCsvColumn } from "./csv.js";
import { readJsonColumn } from "./json.js";
import { readArrowColumn, readParquetColumn } from "./columnar.js";

/**
 * An event column from a file of any supported format, chosen by its extension: .parquet,
 * .arrow/.feather, .json, otherwise CSV/TSV.
 * @example
 * await readColumn("events.parquet", "m");
 */
export function readColumn(path: string, column?: string, weights?: string) {
  const ext = path.toLowerCase().split(".").pop();
  if (ext === "parquet") return readParquetColumn(path, column, weights);
  if (ext === "arrow" || ext === "feather") return readArrowColumn(path, column, weights);
  if (ext === "json") return readJsonColumn(path, column, weights);
  return readCsvColumn(path, column, weights);
}

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
 * const events = await loadSpecData(spec, "examples/"); // { values, read, dropped, path }
 */
export async function loadSpecData(spec: Spec, baseDir: string): Promise<LoadedEvents> {
  if (!spec.data) throw new BumpscanError("the spec has no data entry: add \"data\": {\"path\": \"events.csv\", \"column\": \"m\"}");
  const path = isAbsolute(spec.data.path) ? spec.data.path : join(baseDir, spec.data.path);
  const col = await readColumn(path, spec.data.column, spec.data.weights);
  return { path, read: col.values.length, ...inRange(col.values, col.weights, spec.observable.range) };
}

/**
 * Read every sample's dataset (one for a single-sample spec), in the order of `samples`.
 * @example
 * const [y2s, y3s, y4s] = await loadSpecSamples(spec, "examples/");
 */
export async function loadSpecSamples(spec: Spec, baseDir: string): Promise<LoadedEvents[]> {
  return Promise.all(specSamples(spec).map((s) => loadSpecData({ ...spec, data: s.data }, baseDir)));
}

/**
 * Keep the events with lo ≤ m ≤ hi.
 * @example
 * inRange(new Float64Array([-1, 2, 11]), undefined, [0, 10]); // { values: [2], dropped: 2 }
 */
export function inRange(values: Float64Array, weights: Float64Array | undefined, [lo, hi]: [number, number]):
  { values: Float64Array; weights?: Float64Array; dropped: number } {
  const keep: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] >= lo && values[i] <= hi) keep.push(i);
  if (keep.length === values.length) return { values, weights, dropped: 0 };
  return {
    values: Float64Array.from(keep, (i) => values[i]),
    weights: weights ? Float64Array.from(keep, (i) => weights[i]) : undefined,
    dropped: values.length - keep.length,
  };
}
