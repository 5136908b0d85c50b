/**
 * JSON event text: an array of numbers, or an array of objects with the named column; and JSON parsing whose errors
 * name a position, never the text.
 */
import { BumpscanError } from "../errors.js";
import { type Column, type ColumnChoice, NoSuchColumn } from "./column.js";
import { readPlannedSync } from "./select.js";

/**
 * The offset of the first syntax error in JSON text (text.length when it ends early), found by a
 * small recursive-descent scan: JSON.parse's own messages quote the text, which may be anything
 * (a secrets file named by mistake), so errors are built from this position instead.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const lit = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const str = () => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) fail();
      const c = text.charCodeAt(i);
      if (c === 0x22) return void i++;
      if (c < 0x20) fail();
      if (c === 0x5c) {
        i++;
        if (text[i] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 5;
        } else if ('"\\/bfnrt'.includes(text[i] ?? "x")) i++;
        else fail();
      } else i++;
    }
  };
  const num = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === "" || m[0] === "-") fail();
    i += m![0].length;
  };
  const value = (depth: number): void => {
    if (depth > 10000) fail();
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        str();
        ws();
        if (text[i] !== ":") fail();
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") return void i++;
        fail();
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") return void i++;
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") return void i++;
        fail();
      }
    }
    if (c === '"') return str();
    if (c === "t") return lit("true");
    if (c === "f") return lit("false");
    if (c === "n") return lit("null");
    return num();
  };
  try {
    value(0);
    ws();
    return i < text.length ? i : -1;
  } catch (at) {
    if (typeof at === "number") return at;
    throw at;
  }
}

/**
 * Parse JSON text; a syntax error names `label` and the line and column, never the text itself.
 */
export function parseJsonText(text: string, label: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const at = jsonErrorOffset(text);
    if (at < 0 || text.trim() === "")
      throw new BumpscanError(`${label} is not valid JSON${text.trim() === "" ? " (the file is empty)" : ""}`);
    if (at >= text.length) throw new BumpscanError(`${label} is not valid JSON (it ends early)`);
    const before = text.slice(0, at);
    const line = before.split("\n").length;
    const column = at - before.lastIndexOf("\n");
    throw new BumpscanError(`${label} is not valid JSON (line ${line}, column ${column})`);
  }
}

/** What a JSON value is, in words, without showing it. */
function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return "a string";
  if (typeof v === "boolean") return "a boolean";
  return typeof v;
}

/**
 * Read one numeric column (and optional weights) from a JSON array.
 * @example
 * import { parseJsonColumn } from "bumpscan/io";
 * parseJsonColumn("[4.1, 4.2]", "ev.json", {}).values; // => [4.1, 4.2]
 * const rows = '[{"m": 4.1, "w": 1}]';
 * parseJsonColumn(rows, "ev.json", { column: "m", weights: "w" }); // => { values: [4.1], weights: [1] }
 */
export function parseJsonColumn(text: string, label: string, choice: ColumnChoice): Column {
  const json = parseJsonText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, label);
  if (!Array.isArray(json)) throw new BumpscanError(`${label}: expected a JSON array of events`);
  const pick = (entry: unknown, i: number, key?: string): number => {
    const raw = key === undefined ? entry : (entry as Record<string, unknown> | null)?.[key];
    if (key !== undefined && (entry === null || typeof entry !== "object" || !Object.hasOwn(entry, key))) {
      throw new NoSuchColumn(`${label} entry ${i + 1}: no field "${key}"`, key);
    }
    // a number in JSON is always decimal; 1e999 parses as Infinity and is refused here
    if (typeof raw !== "number" || !Number.isFinite(raw)) {
      throw new BumpscanError(
        `${label} entry ${i + 1}: ${typeof raw === "number" ? "out of range" : kindOf(raw)}, not a finite number`,
      );
    }
    return raw;
  };
  return readPlannedSync(label, choice, (wanted) =>
    wanted.map((key) => Float64Array.from(json, (e, i) => pick(e, i, key))),
  );
}
