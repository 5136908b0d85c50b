/** JSON event text: an array of numbers, or an array of objects with the named column. */
import { BumpscanError } from "../errors.js";
import { Column, ColumnChoice } from "./column.js";

/**
 * Read one numeric column (and optional weights) from a JSON array.
 * @example
 * parseJsonColumn("[4.1, 4.2]", "ev.json", {}).values;                            // [4.1, 4.2]
 * parseJsonColumn('[{"m": 4.1, "w": 1}]', "ev.json", { column: "m", weights: "w" }); // values [4.1], weights [1]
 */
export function parseJsonColumn(text: string, label: string, { column, weights }: ColumnChoice): Column {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new BumpscanError(`${label} is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(json)) throw new BumpscanError(`${label}: expected a JSON array of events`);
  const pick = (entry: unknown, i: number, key?: string): number => {
    const raw = key === undefined ? entry : (entry as Record<string, unknown> | null)?.[key];
    if (key !== undefined && (entry === null || typeof entry !== "object" || !(key in entry))) throw new BumpscanError(`${label} entry ${i + 1}: no field "${key}"`);
    if (typeof raw !== "number" || !Number.isFinite(raw)) throw new BumpscanError(`${label} entry ${i + 1}: ${JSON.stringify(raw)} is not a finite number`);
    return raw;
  };
  return {
    values: Float64Array.from(json, (e, i) => pick(e, i, column)),
    weights: weights ? Float64Array.from(json, (e, i) => pick(e, i, weights)) : undefined,
  };
}
