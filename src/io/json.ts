/** JSON event files: an array of numbers, or an array of objects with the named column. */
import { readFile } from "node:fs/promises";
import { BumpscanError } from "../errors.js";
import { Column } from "./csv.js";

/**
 * Read one numeric column (and optional weights) from a JSON array file.
 * @example
 * await readJsonColumn("events.json");          // [4.1, 4.2, …]
 * await readJsonColumn("events.json", "m", "w"); // [{ "m": 4.1, "w": 1 }, …]
 */
export async function readJsonColumn(path: string, column?: string, weights?: string): Promise<Column> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BumpscanError(code ? `cannot read data file ${path}: ${code}` : `${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(json)) throw new BumpscanError(`${path}: expected a JSON array of events`);
  const pick = (entry: unknown, i: number, key?: string): number => {
    const raw = key === undefined ? entry : (entry as Record<string, unknown> | null)?.[key];
    if (key !== undefined && (entry === null || typeof entry !== "object" || !(key in entry))) throw new BumpscanError(`${path} entry ${i + 1}: no field "${key}"`);
    if (typeof raw !== "number" || !Number.isFinite(raw)) throw new BumpscanError(`${path} entry ${i + 1}: ${JSON.stringify(raw)} is not a finite number`);
    return raw;
  };
  return {
    values: Float64Array.from(json, (e, i) => pick(e, i, column)),
    weights: weights ? Float64Array.from(json, (e, i) => pick(e, i, weights)) : undefined,
  };
}
