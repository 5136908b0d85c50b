/**
 * CSV/TSV event files: a header line naming the columns, '#' comment lines, one event per row.
 */
import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import { BumpscanError } from "../errors.js";

export interface Column {
  values: Float64Array;
  weights?: Float64Array;
}

/**
 * Read one numeric column (and optionally a weights column) from a CSV or TSV file.
 * Rejects a missing file, a missing column and any value that is not a finite number, naming the
 * file and line. A header with no rows gives zero events (a valid observation).
 * @example
 * const { values } = await readCsvColumn("test/fixtures/bump-1e4.csv", "m"); // 10112 events
 */
export async function readCsvColumn(path: string, column?: string, weights?: string): Promise<Column> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new BumpscanError(`cannot read data file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let rows: string[][];
  try {
    rows = parse(text, { comment: "#", delimiter: [",", "\t", ";"], skip_empty_lines: true, trim: true, relax_column_count: false, info: false });
  } catch (e) {
    throw new BumpscanError(`${path}: not a readable CSV file (${(e as Error).message})`);
  }
  if (rows.length === 0) throw new BumpscanError(`${path}: empty file (expected a header line)`);
  const header = rows[0];
  const col = columnIndex(path, header, column);
  const wcol = weights ? columnIndex(path, header, weights) : -1;
  const lines = lineNumbers(text);
  const n = rows.length - 1;
  const values = new Float64Array(n);
  const w = wcol >= 0 ? new Float64Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    values[i] = number(rows[i + 1][col], path, lines[i + 1], header[col]);
    if (w) w[i] = number(rows[i + 1][wcol], path, lines[i + 1], header[wcol]);
  }
  return { values, weights: w };
}

function columnIndex(path: string, header: string[], name?: string): number {
  if (name === undefined) {
    if (header.length === 1) return 0;
    throw new BumpscanError(`${path} has columns ${header.join(", ")}: name one in the spec's data.column`);
  }
  const i = header.indexOf(name);
  if (i < 0) throw new BumpscanError(`${path} has no column "${name}" (columns: ${header.join(", ")})`);
  return i;
}

function number(text: string, path: string, line: number, column: string): number {
  const v = text === "" ? NaN : Number(text);
  if (!Number.isFinite(v)) throw new BumpscanError(`${path} line ${line}: column ${column} is "${text}", not a finite number`);
  return v;
}

/** 1-based line numbers of the data rows (skipping comments and blank lines), as csv-parse sees them. */
function lineNumbers(text: string): number[] {
  const out: number[] = [];
  let line = 0;
  for (const raw of text.split(/\r?\n/)) {
    line++;
    const t = raw.trim();
    if (t === "" || t.startsWith("#")) continue;
    out.push(line);
  }
  return out;
}
