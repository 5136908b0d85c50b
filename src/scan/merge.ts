/**
 * Joining the shards of a scan (`bumpscan merge`): every part is checked to be a scan result of
 * the same spec, method and CL whose points lie on the spec's grid, so a wrong or corrupted file is
 * an error naming it, never a silently dropped or misplaced point.
 */
import { BumpscanError } from "../errors.js";
import { parseSpec } from "../model/parse.js";
import { massGrid } from "./grid.js";
import type { PointResult } from "./point.js";
import { assemble, type ScanResult } from "./result.js";

const METHODS = ["asymptotic", "toys", "bayes"];
const NUMBER_FIELDS = ["nsig", "nsigError", "q0", "z", "observed", "observedError", "events"] as const;
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
/** A number field is a finite number, null or absent (NaN too, in a result not yet written: JSON makes it null). */
const numberOrNull = (v: unknown) =>
  v === undefined || v === null || (typeof v === "number" && (Number.isFinite(v) || Number.isNaN(v)));

/** Why a point of a scan result is malformed, or undefined when it is fine. */
function pointProblem(p: unknown): string | undefined {
  if (!isRecord(p)) return "is not an object";
  if (!Number.isInteger(p.index) || (p.index as number) < 0) return "has no integer index ≥ 0";
  if (typeof p.mass !== "number" || !Number.isFinite(p.mass)) return "has no finite mass";
  if (typeof p.status !== "string") return "has no status";
  for (const k of NUMBER_FIELDS) if (!numberOrNull(p[k])) return `has a ${k} that is not a finite number or null`;
  if (
    p.expected !== undefined &&
    p.expected !== null &&
    (!isRecord(p.expected) || !Object.values(p.expected).every(numberOrNull))
  )
    return "has a malformed expected band";
  return undefined;
}

/**
 * Check that `json` (the parsed content of `label`) has the shape of a scan result: a valid spec
 * with a scan grid, a method, a CL in (0, 1), and a `points` array of well-formed points.
 * @example
 * const part = checkScanResult(JSON.parse(text), "shard-1.json");
 */
export function checkScanResult(json: unknown, label: string): ScanResult {
  const not = (why: string) => new BumpscanError(`${label} is not a bumpscan scan result: ${why}`);
  if (!isRecord(json)) throw not("expected a JSON object");
  if (!isRecord(json.spec)) throw not('no "spec" object');
  try {
    parseSpec(structuredClone(json.spec), "spec");
    massGrid(json.spec as never);
  } catch (e) {
    throw not(`its spec is invalid (${(e as Error).message})`);
  }
  if (typeof json.method !== "string" || !METHODS.includes(json.method))
    throw not('"method" must be one of asymptotic, toys, bayes');
  if (typeof json.cl !== "number" || !(json.cl > 0 && json.cl < 1)) throw not('"cl" must be a number between 0 and 1');
  if (!Array.isArray(json.points)) throw not('no "points" array');
  json.points.forEach((p, i) => {
    const problem = pointProblem(p);
    if (problem) throw not(`point ${i + 1} ${problem}`);
  });
  if (json.partial === true) throw new BumpscanError(`${label} is a partial scan (interrupted): run its shard again`);
  if (json.shard !== undefined && (typeof json.shard !== "string" || !/^\d+\/\d+$/.test(json.shard)))
    throw not('"shard" must be "k/N"');
  return json as unknown as ScanResult;
}

/**
 * Join the results of the shards of one scan into exactly what one run gives. Each part must be
 * a scan result of the same spec, method and CL; every point must sit on the spec's grid (its
 * index inside the grid, its mass the grid's mass there); no point may come twice or be missing.
 * `labels` name the parts (file names) in errors.
 * @example
 * const whole = mergeScans([shard1, shard2, shard3], ["s1.json", "s2.json", "s3.json"]);
 */
export function mergeScans(parts: ScanResult[], labels: string[] = parts.map((_, i) => `result ${i + 1}`)): ScanResult {
  if (parts.length === 0) throw new BumpscanError("merge: no scan results given");
  parts.forEach((p, i) => checkScanResult(p, labels[i]));
  const first = parts[0];
  const key = JSON.stringify([first.spec, first.method, first.cl]);
  parts.forEach((p, i) => {
    if (JSON.stringify([p.spec, p.method, p.cl]) !== key)
      throw new BumpscanError(`merge: ${labels[i]} comes from a different spec, method or CL than ${labels[0]}`);
  });
  const grid = massGrid(first.spec);
  const byIndex = new Map<number, PointResult>();
  parts.forEach((part, i) => {
    for (const point of part.points) {
      const g = grid[point.index];
      if (!g)
        throw new BumpscanError(
          `merge: ${labels[i]} has mass point ${point.index}, outside the spec's grid of ${grid.length} points (0–${grid.length - 1})`,
        );
      if (!sameMass(point.mass, g.mass))
        throw new BumpscanError(
          `merge: ${labels[i]} has mass point ${point.index} at m = ${point.mass}, but the grid's mass there is ${g.mass}`,
        );
      if (byIndex.has(point.index))
        throw new BumpscanError(
          `merge: mass point ${point.index} (m = ${point.mass}) appears twice (again in ${labels[i]})`,
        );
      byIndex.set(point.index, point);
    }
  });
  if (byIndex.size !== grid.length)
    throw new BumpscanError(
      `merge: ${byIndex.size} of the scan's ${grid.length} mass points present; a shard is missing`,
    );
  return assemble(first.spec, first, [...byIndex.values()]);
}

/** Masses written by JSON round-trip exactly; a relative 1e-12 allows for any other writer's rounding. */
const sameMass = (a: number, b: number) => a === b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
