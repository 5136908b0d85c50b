/**
 * Joining the shards of a scan (`bumpscan merge`): every part is checked to be a scan result of
 * the same spec, method, CL, seed and toys whose points lie on the spec's grid, so a wrong or
 * corrupted file is an error naming it, never a silently dropped or misplaced point; a missing
 * shard is named. The shards' LEE toy scans are joined by toy index into the one run's `lee`.
 */
import { BumpscanError } from "../errors.js";
import { parseSpec } from "../model/parse.js";
import { scanGrid } from "./grid.js";
import type { PointResult } from "./point.js";
import { assemble, leeFromToys, type ScanResult } from "./result.js";

const METHODS = ["asymptotic", "toys", "bayes", "fc"];
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
  const interval = p.interval;
  if (interval !== undefined && !(Array.isArray(interval) && interval.length === 2 && interval.every(numberOrNull)))
    return "has a malformed interval";
  return undefined;
}

const isCount = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;

/** Why a shard's LEE toy scans are malformed, or undefined when they are fine. */
function leeShardProblem(l: unknown): string | undefined {
  if (!isRecord(l)) return "is not an object";
  if (!isCount(l.toys) || (l.toys as number) < 1) return "has no toy count ≥ 1";
  const { index, maxZ, upcrossings } = l;
  if (!Array.isArray(index) || !Array.isArray(maxZ) || !Array.isArray(upcrossings))
    return "needs index, maxZ and upcrossings arrays";
  if (maxZ.length !== index.length || upcrossings.length !== index.length) return "has arrays of different lengths";
  if (!index.every(isCount)) return "has a toy index that is not an integer ≥ 0";
  if (!maxZ.every((z) => typeof z === "number" && Number.isFinite(z))) return "has a maxZ that is not a finite number";
  if (!upcrossings.every(isCount)) return "has an up-crossing count that is not an integer ≥ 0";
  return undefined;
}

/**
 * Check that `json` (the parsed content of `label`) has the shape of a scan result: a valid spec
 * with a scan grid, a method, a CL in (0, 1), and a `points` array of well-formed points.
 * @example
 * import { readFileSync } from "node:fs";
 * import { parseSpec, readColumn, scan } from "bumpscan";
 * const spec = parseSpec({ ...JSON.parse(readFileSync("spec.json", "utf8")), scan: { from: 4, to: 4.4, step: 2 } });
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * const result = await scan(spec, values);
 * import { checkScanResult } from "bumpscan/scan";
 * const again = checkScanResult(JSON.parse(JSON.stringify(result)), "results.json"); // a results file, checked
 * again.points.length; // => 5
 * checkScanResult({ points: [] }, "results.json"); // throws: results.json
 */
export function checkScanResult(json: unknown, label: string): ScanResult {
  const not = (why: string) => new BumpscanError(`${label} is not a bumpscan scan result: ${why}`);
  if (!isRecord(json)) throw not("expected a JSON object");
  if (!isRecord(json.spec)) throw not('no "spec" object');
  try {
    parseSpec(structuredClone(json.spec), "spec");
    scanGrid(json.spec as never);
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
  for (const k of ["seed", "toys", "eventsOutside"])
    if (json[k] !== undefined && !(Number.isInteger(json[k]) && (json[k] as number) >= 0))
      throw not(`"${k}" must be an integer ≥ 0`);
  if (json.leeShard !== undefined) {
    const problem = leeShardProblem(json.leeShard);
    if (problem) throw not(`"leeShard" ${problem}`);
  }
  return json as unknown as ScanResult;
}

/**
 * Join the results of the shards of one scan into exactly what one run gives. Each part must be
 * a scan result of the same spec, method and CL; every point must sit on the spec's grid (its
 * index inside the grid, its mass the grid's mass there); no point may come twice or be missing.
 * `labels` name the parts (file names) in errors.
 * @example
 * import { readFileSync } from "node:fs";
 * import { mergeScans, parseSpec, readColumn, scan } from "bumpscan";
 * const spec = parseSpec({ ...JSON.parse(readFileSync("spec.json", "utf8")), scan: { from: 4, to: 4.4, step: 2 } });
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * const shard = (k) => scan(spec, values, { shard: { k, n: 2 } });
 * const shards = [await shard(1), await shard(2)];
 * const whole = mergeScans(shards, ["shard-1.json", "shard-2.json"]);
 * JSON.stringify(whole) === JSON.stringify(await scan(spec, values)); // => true
 */
export function mergeScans(parts: ScanResult[], labels: string[] = parts.map((_, i) => `result ${i + 1}`)): ScanResult {
  if (parts.length === 0) throw new BumpscanError("merge: no scan results given");
  parts.forEach((p, i) => checkScanResult(p, labels[i]));
  const first = parts[0];
  parts.forEach((p, i) => {
    const differs = RUN.find((r) => JSON.stringify(r.of(p) ?? null) !== JSON.stringify(r.of(first) ?? null));
    if (differs)
      throw new BumpscanError(
        `merge: ${labels[i]} comes from a different ${differs.name} than ${labels[0]}` +
          (differs.show ? ` (${differs.show(p)}, not ${differs.show(first)})` : ""),
      );
    if (p.lee)
      throw new BumpscanError(
        `merge: ${labels[i]} holds combined LEE toy scans ("lee"): merge takes the shards of a run with --shard`,
      );
  });
  const grid = scanGrid(first.spec);
  const byIndex = new Map<number, PointResult>();
  parts.forEach((part, i) => {
    for (const point of part.points) {
      const g = grid[point.index];
      if (!g)
        throw new BumpscanError(
          `merge: ${labels[i]} has mass point ${point.index}, ` +
            `outside the spec's grid of ${grid.length} points (0–${grid.length - 1})`,
        );
      if (!sameMass(point.mass, g.mass))
        throw new BumpscanError(
          `merge: ${labels[i]} has mass point ${point.index} at m = ${point.mass}, ` +
            `but the grid's mass there is ${g.mass}`,
        );
      if (byIndex.has(point.index))
        throw new BumpscanError(
          `merge: mass point ${point.index} (m = ${point.mass}) appears twice (again in ${labels[i]})`,
        );
      byIndex.set(point.index, point);
    }
  });
  const toys = leeToyScans(parts, labels);
  const missingPoints = grid.map((g) => g.index).filter((i) => !byIndex.has(i));
  if (missingPoints.length > 0 || toys?.missing.length)
    throw new BumpscanError(
      `merge: a shard is missing${missingShards(parts, missingPoints, toys?.missing ?? [])}: ` +
        [
          missingPoints.length > 0 ? `${byIndex.size} of the scan's ${grid.length} mass points present` : "",
          toys?.missing.length ? `${toys.n - toys.missing.length} of its ${toys.n} LEE toy scans present` : "",
        ]
          .filter(Boolean)
          .join(", "),
    );
  const merged = assemble(first.spec, first, [...byIndex.values()]);
  if (first.eventsOutside !== undefined) merged.eventsOutside = first.eventsOutside;
  if (toys) merged.lee = leeFromToys(toys.maxZ, toys.upcrossings, merged.maxLocalZ?.z ?? 0);
  return merged;
}

/** What a run's shards must share, named in the error when one differs. */
const RUN: { name: string; of: (r: ScanResult) => unknown; show?: (r: ScanResult) => string }[] = [
  { name: "spec", of: (r) => r.spec },
  { name: "method", of: (r) => r.method, show: (r) => r.method },
  { name: "CL", of: (r) => r.cl, show: (r) => `${r.cl}` },
  {
    name: "number of LEE toy scans",
    of: (r) => r.leeShard?.toys ?? r.lee?.toys,
    show: (r) => `${r.leeShard?.toys ?? r.lee?.toys ?? 0}`,
  },
  { name: "seed", of: (r) => r.seed, show: (r) => (r.seed === undefined ? "none" : `${r.seed}`) },
  { name: "number of toys", of: (r) => r.toys, show: (r) => (r.toys === undefined ? "none" : `${r.toys}`) },
  { name: "number of expected-band toys", of: (r) => r.expectedToys, show: (r) => `${r.expectedToys ?? "none"}` },
  { name: "nuisance treatment", of: (r) => r.nuisances, show: (r) => r.nuisances ?? "profiled" },
  { name: "event count outside the range", of: (r) => r.eventsOutside, show: (r) => `${r.eventsOutside ?? 0}` },
];

/** The shards' LEE toy scans joined in toy order (undefined when the run had none), and the toy indices missing. */
function leeToyScans(parts: ScanResult[], labels: string[]) {
  const n = parts[0].leeShard?.toys;
  if (n === undefined) return undefined;
  const maxZ: number[] = new Array(n);
  const upcrossings: number[] = new Array(n);
  const seen = new Set<number>();
  parts.forEach((part, i) => {
    const l = part.leeShard!;
    l.index.forEach((t, j) => {
      if (t >= n)
        throw new BumpscanError(`merge: ${labels[i]} has LEE toy scan ${t}, beyond the run's ${n} (0–${n - 1})`);
      if (seen.has(t)) throw new BumpscanError(`merge: LEE toy scan ${t} appears twice (again in ${labels[i]})`);
      seen.add(t);
      maxZ[t] = l.maxZ[j];
      upcrossings[t] = l.upcrossings[j];
    });
  });
  const missing = Array.from({ length: n }, (_, t) => t).filter((t) => !seen.has(t));
  return { n, maxZ, upcrossings, missing };
}

/**
 * The missing shards, " k/N, …", when the parts are shards of one N (mass point and toy index
 * i belong to shard i mod N + 1); otherwise the first missing mass points or toy scans.
 */
function missingShards(parts: ScanResult[], points: number[], toys: number[]): string {
  const ns = new Set(parts.map((p) => p.shard?.split("/")[1]));
  const n = ns.size === 1 ? Number([...ns][0]) : NaN;
  if (Number.isInteger(n) && n > 0) {
    const ks = [...new Set([...points, ...toys].map((i) => (i % n) + 1))].sort((a, b) => a - b);
    return ` (shard${ks.length > 1 ? "s" : ""} ${ks.map((k) => `${k}/${n}`).join(", ")})`;
  }
  const few = (what: string, list: number[]) =>
    list.length > 0 ? `${what} ${list.slice(0, 5).join(", ")}${list.length > 5 ? ", …" : ""}` : "";
  const named = [few("mass points", points), few("LEE toy scans", toys)].filter(Boolean).join("; ");
  return ` (no ${named})`;
}

/** Masses written by JSON round-trip exactly; a relative 1e-12 allows for any other writer's rounding. */
const sameMass = (a: number, b: number) => a === b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
