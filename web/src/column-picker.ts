/**
 * Choosing the event column from the file's own: its numeric columns (CSV/TSV: those whose first
 * row holds numbers; Parquet, Arrow: the schema's columns; ROOT: the tree's branches) listed in a
 * select, the choice read at once; and the observable's range (and the scan's) set from the data.
 */
import { parse } from "csv-parse/browser/esm/sync";
import { decodeColumn, formatOf } from "../../src/io/decode.js";
import { CSV_OPTIONS, type ColumnChoice, decimal, NoSuchColumn } from "../../src/io/column.js";
import { BumpscanError } from "../../src/errors.js";

/** The head of a CSV file read for its header and first row. */
const HEAD_BYTES = 64 * 1024;

/**
 * The numeric columns of a file, or undefined where it cannot tell (JSON, a file it cannot read):
 * runs in the reading worker (read-worker.ts).
 */
export async function numericColumns(file: File, choice: ColumnChoice): Promise<string[] | undefined> {
  try {
    if (formatOf(file.name) === "csv") {
      const head = await file.slice(0, HEAD_BYTES).text();
      // whole lines only (the last may be cut); the header and the first data row are enough
      const text = head.length < file.size ? head.slice(0, head.lastIndexOf("\n") + 1) : head;
      const rows = parse(text, { ...CSV_OPTIONS, relax_column_count: true, to: 2 }) as string[][];
      if (rows.length < 2) return undefined;
      const [names, first] = rows;
      if (names.every((n) => Number.isFinite(decimal(n)))) return undefined; // no header
      return names.filter((n, i) => n !== "" && Number.isFinite(decimal(first[i] ?? "")));
    }
    if (formatOf(file.name) === "json") return undefined;
    // a column no file has: the columnar readers answer with the schema's columns (ROOT: the branches)
    await decodeColumn(file.name, file, { tree: choice.tree, column: "\u0000" });
  } catch (e) {
    if (e instanceof NoSuchColumn && e.have) return e.have;
  }
  return undefined;
}

/**
 * The column select: shown when the file has several columns, the current one selected; a choice
 * puts it in the column field and reads the file again (the field's change event).
 */
export function showColumns(select: HTMLSelectElement, column: HTMLInputElement, columns?: string[]): void {
  select.hidden = !columns || columns.length < 2;
  if (select.hidden || !columns) {
    select.replaceChildren();
    return;
  }
  const current = column.value.trim();
  const option = (value: string, text: string) => {
    const o = document.createElement("option");
    o.value = value;
    o.textContent = text; // a header is the file's content: text, never HTML
    return o;
  };
  select.replaceChildren(
    option("", columns.includes(current) ? "columns …" : "choose a column …"),
    ...columns.map((c) => option(c, c)),
  );
  select.value = columns.includes(current) ? current : "";
}

/** Wire the select to the column field. */
export function pickColumns(select: HTMLSelectElement, column: HTMLInputElement): void {
  select.addEventListener("change", () => {
    if (!select.value) return;
    column.value = select.value;
    column.dispatchEvent(new Event("change"));
  });
}

/**
 * The spec's JSON with observable.range, and the scan's from and to, set to the data's smallest
 * and largest value.
 * @example
 * rangeFromData('{"observable":{"range":[0,8]},"scan":{"from":1,"to":7}}', [Float64Array.of(2, 5)]);
 */
export function rangeFromData(json: string, data: Float64Array[]): object {
  let lo = Infinity,
    hi = -Infinity;
  for (const values of data)
    for (const x of values) {
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  if (!(hi > lo)) throw new BumpscanError("the data have no spread: load at least two different values");
  let spec: { observable?: { range?: number[] }; scan?: { from?: number; to?: number } };
  try {
    spec = JSON.parse(json);
  } catch {
    throw new BumpscanError("spec: fix the JSON first (the range goes into it)");
  }
  spec.observable = { ...spec.observable, range: [lo, hi] };
  if (spec.scan) spec.scan = { ...spec.scan, from: lo, to: hi };
  return spec;
}
