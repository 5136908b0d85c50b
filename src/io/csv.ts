/**
 * CSV/TSV event files: a header line naming the columns, '#' comment lines, one event per row.
 * The file is streamed through csv-parse: only the event (and weight) column is kept in memory.
 */
import { createReadStream } from "node:fs";
import { access } from "node:fs/promises";
import { parse } from "csv-parse";
import { BumpscanError } from "../errors.js";

export interface Column {
  values: Float64Array;
  weights?: Float64Array;
}

/** A Float64Array that grows by doubling. */
class Growing {
  data = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(2 * this.data.length);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  done(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * Read one numeric column (and optionally a weights column) from a CSV or TSV file.
 * Rejects a missing file, a missing column and any value that is not a finite number, naming the
 * file and line. A header with no rows gives zero events (a valid observation).
 * @example
 * const { values } = await readCsvColumn("test/fixtures/bump-1e4.csv", "m"); // 10112 events
 */
export async function readCsvColumn(path: string, column?: string, weights?: string): Promise<Column> {
  try {
    await access(path);
  } catch (e) {
    throw new BumpscanError(`cannot read data file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const parser = createReadStream(path).pipe(parse({ comment: "#", delimiter: [",", "\t", ";"], skip_empty_lines: true, trim: true }));
  let col = -1, wcol = -1;
  let header: string[] | undefined;
  const values = new Growing(), w = new Growing();
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!header) {
        header = record;
        col = columnIndex(path, header, column);
        wcol = weights ? columnIndex(path, header, weights) : -1;
        continue;
      }
      row++;
      const v = Number(record[col] === "" ? NaN : record[col]);
      const wv = wcol >= 0 ? Number(record[wcol] === "" ? NaN : record[wcol]) : 1;
      if (!Number.isFinite(v) || !Number.isFinite(wv)) {
        const bad = !Number.isFinite(v) ? col : wcol;
        throw new BumpscanError(`${path} line ${await lineOfRow(path, row)}: column ${header[bad]} is "${record[bad] ?? ""}", not a finite number`);
      }
      values.push(v);
      if (wcol >= 0) w.push(wv);
    }
  } catch (e) {
    if (e instanceof BumpscanError) throw e;
    throw new BumpscanError(`${path}: not a readable CSV file (${(e as Error).message})`);
  }
  if (!header) throw new BumpscanError(`${path}: empty file (expected a header line)`);
  return { values: values.done(), weights: wcol >= 0 ? w.done() : undefined };
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

/** The 1-based file line of data row `row` (after the header; comments and blank lines skipped): error messages only. */
async function lineOfRow(path: string, row: number): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  let line = 0, seen = -1; // the header is row 0
  for (const raw of (await readFile(path, "utf8")).split(/\r?\n/)) {
    line++;
    const t = raw.trim();
    if (t === "" || t.startsWith("#")) continue;
    if (++seen === row) return line;
  }
  return line;
}
