/** An event column as read from a file, and the helpers every reader shares. */
import { BumpscanError } from "../errors.js";

export interface Column {
  values: Float64Array;
  weights?: Float64Array;
}

/** Which column of a file to read: the events (a branch, for ROOT), optional weights, the TTree of a ROOT file. */
export interface ColumnChoice {
  column?: string;
  weights?: string;
  tree?: string;
}

/** A Float64Array that grows by doubling. */
export class Growing {
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
 * The index of the named column, or of the only one when none is named.
 * @example
 * columnIndex("ev.csv", ["m", "w"], "m"); // 0
 */
export function columnIndex(label: string, names: string[], name?: string): number {
  if (name === undefined) {
    if (names.length === 1) return 0;
    throw new BumpscanError(`${label} has columns ${names.join(", ")}: name one in the spec's data.column`);
  }
  const i = names.indexOf(name);
  if (i < 0) throw new BumpscanError(`${label} has no column "${name}" (columns: ${names.join(", ")})`);
  return i;
}

/**
 * The events of CSV records, the first being the header; a value that is not a finite number
 * throws a BadValue naming its data row, for the caller to turn into a line number.
 * @example
 * const c = new CsvColumns("ev.csv", { column: "m" }); c.add(["m"]); c.add(["4.2"]); c.done().values; // [4.2]
 */
export class CsvColumns {
  private header?: string[];
  private col = -1;
  private wcol = -1;
  private readonly values = new Growing();
  private readonly w = new Growing();
  private row = 0;

  constructor(private readonly label: string, private readonly choice: ColumnChoice) {}

  add(record: string[]): void {
    if (!this.header) {
      this.header = record;
      this.col = columnIndex(this.label, record, this.choice.column);
      this.wcol = this.choice.weights ? columnIndex(this.label, record, this.choice.weights) : -1;
      return;
    }
    this.row++;
    const v = Number(record[this.col] === "" ? NaN : record[this.col]);
    const wv = this.wcol >= 0 ? Number(record[this.wcol] === "" ? NaN : record[this.wcol]) : 1;
    if (!Number.isFinite(v) || !Number.isFinite(wv)) {
      const bad = !Number.isFinite(v) ? this.col : this.wcol;
      throw new BadValue(this.row, `column ${this.header[bad]} is "${record[bad] ?? ""}", not a finite number`);
    }
    this.values.push(v);
    if (this.wcol >= 0) this.w.push(wv);
  }

  done(): Column {
    if (!this.header) throw new BumpscanError(`${this.label}: empty file (expected a header line)`);
    return { values: this.values.done(), weights: this.wcol >= 0 ? this.w.done() : undefined };
  }
}

/** A bad value in data row `row` (1-based, after the header). */
export class BadValue extends Error {
  constructor(readonly row: number, readonly what: string) {
    super(what);
  }
}

/**
 * The 1-based line of data row `row` in CSV text (the header is row 0; comments and blank lines are skipped).
 * @example
 * lineOfRow("# c\nm\n1\nx\n", 2); // 4
 */
export function lineOfRow(text: string, row: number): number {
  let line = 0, seen = -1;
  for (const raw of text.split(/\r?\n/)) {
    line++;
    const t = raw.trim();
    if (t === "" || t.startsWith("#")) continue;
    if (++seen === row) return line;
  }
  return line;
}

/** The options every CSV parse uses: '#' comments, comma, tab or semicolon delimiters. */
export const CSV_OPTIONS = { comment: "#", delimiter: [",", "\t", ";"], skip_empty_lines: true, trim: true };

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
