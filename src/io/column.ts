/** An event column as read from a file, and the helpers every reader shares. */
import { BumpscanError } from "../errors.js";

export interface Column {
  values: Float64Array;
  weights?: Float64Array;
  /** With a cut or an expression: the events read and those that passed the cut. */
  selected?: Selection;
}

/** The events of a file and those passing its cut (all of them without one). */
export interface Selection {
  events: number;
  passed: number;
  cut?: string;
  expr?: string;
}

/**
 * Which column of a file to read: the events (a branch, for ROOT) or an expression of columns,
 * optional weights, a cut the events must pass, the TTree of a ROOT file.
 */
export interface ColumnChoice {
  column?: string;
  weights?: string;
  tree?: string;
  /** The observable as an expression of columns (instead of `column`; docs/spec.md). */
  expr?: string;
  /** The events kept: those for which this expression is true (not 0). */
  cut?: string;
}

/** The columns a reader reads: the event column first (undefined: the file's only one), then others by name. */
export type Wanted = (string | undefined)[];

/** A column the file does not have: the selection names the expression that asked for it. */
export class NoSuchColumn extends BumpscanError {
  constructor(
    message: string,
    readonly column: string,
    /** The file's columns, when a message may list them (never a CSV header). */
    readonly have?: string[],
  ) {
    super(message);
  }
}

/**
 * The wanted columns among a file's: `read`, the file's column indices to read (each once), and
 * for each wanted column the index of its array in `read`.
 */
export function resolveColumns(
  label: string,
  names: string[],
  wanted: Wanted,
  listNames = true,
  noun: Noun = COLUMN,
): { read: number[]; slot: number[] } {
  const read: number[] = [];
  const slot = wanted.map((name) => {
    const i = columnIndex(label, names, name, listNames, noun);
    if (!read.includes(i)) read.push(i);
    return read.indexOf(i);
  });
  return { read, slot };
}

/** What a file's columns are called, one and many: a ROOT tree's are its branches. */
export type Noun = [string, string];
const COLUMN: Noun = ["column", "columns"];

/** A Float64Array that grows by doubling. */
export class Growing {
  data: Float64Array;
  length = 0;
  /** `capacity`: the expected count (a good guess saves the copies of doubling). */
  constructor(capacity = 1024) {
    this.data = new Float64Array(Math.max(16, Math.min(capacity, 1 << 27)));
  }
  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }
  /** Room for n more values: the index to write them at (the length is already counted). */
  reserve(n: number): number {
    if (this.length + n > this.data.length) this.grow(this.length + n);
    this.length += n;
    return this.length - n;
  }
  private grow(size: number): void {
    let capacity = 2 * this.data.length;
    while (capacity < size) capacity *= 2;
    const next = new Float64Array(capacity);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  /**
   * The values. A view of the buffer when it is at least half full: a copy of a large column costs
   * more than its idle tail (every fresh page of a copy is a page fault).
   */
  done(): Float64Array {
    return 2 * this.length >= this.data.length ? this.data.subarray(0, this.length) : this.data.slice(0, this.length);
  }
}

/**
 * The index of the named column, or of the only one when none is named. `names` are listed in the
 * message only when `listNames` is set (a columnar file's schema); a CSV header is the file's
 * first line, which may be anything, so it is never echoed.
 */
export function columnIndex(
  label: string,
  names: string[],
  name?: string,
  listNames = true,
  [one, many]: Noun = COLUMN,
): number {
  if (name === undefined) {
    if (names.length === 1) return 0;
    throw new BumpscanError(
      `${label} has ${listNames ? `${many} ${names.join(", ")}` : `${names.length} ${many}`}: name one in the ` +
        `spec's data.column`,
    );
  }
  const i = names.indexOf(name);
  if (i < 0)
    throw new NoSuchColumn(
      `${label} has no ${one} "${name}"${listNames ? ` (${many}: ${names.join(", ")})` : ""}`,
      name,
      listNames ? names : undefined,
    );
  return i;
}

/** A decimal number: digits with an optional point and exponent (no 0x/0b/0o, no "_", no Infinity). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The value of a decimal number's text (surrounding blanks allowed), NaN for anything else:
 * Number() would also take "0x4", "0b101", "1_000" is refused by it but "Infinity" is not.
 */
export function decimal(text: string): number {
  const t = text.trim();
  return DECIMAL.test(t) ? Number(t) : NaN;
}

/** Values a message may quote: they say what is wrong without showing a file's content. */
const QUOTABLE = /^[+-]?(nan|inf|infinity)?$/i;

/** Why a cell is not a usable number, quoting it only when it is one of the well-known non-numbers. */
export function badCell(cell: string | undefined): string {
  const t = (cell ?? "").trim();
  if (QUOTABLE.test(t)) return `is "${t}", not a finite number`;
  return DECIMAL.test(t) ? "is out of range, not a finite number" : "is not a decimal number";
}

/**
 * The wanted columns of CSV records, the first being the header; a value that is not a finite
 * number throws a BadValue naming its data row, for the caller to turn into a line number.
 */
export class CsvColumns {
  private header?: string[];
  private cols: number[] = [];
  private slot: number[] = [];
  private columns: Growing[] = [];
  private row = 0;

  constructor(
    private readonly label: string,
    private readonly wanted: Wanted,
  ) {}

  add(record: string[]): void {
    if (!this.header) {
      this.header = record;
      const { read, slot } = resolveColumns(this.label, record, this.wanted, false);
      [this.cols, this.slot, this.columns] = [read, slot, read.map(() => new Growing())];
      return;
    }
    this.row++;
    const row = this.cols.map((c) => decimal(record[c] ?? ""));
    const bad = row.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      // the column by the name the spec gave (the header itself is file content)
      const name = this.wanted[this.slot.indexOf(bad)] ?? "1";
      throw new BadValue(this.row, `column ${name} ${badCell(record[this.cols[bad]])}`);
    }
    row.forEach((v, k) => this.columns[k].push(v));
  }

  done(): Float64Array[] {
    if (!this.header) throw new BumpscanError(`${this.label}: empty file (expected a header line)`);
    const arrays = this.columns.map((c) => c.done());
    return this.slot.map((k) => arrays[k]);
  }
}

/** A bad value in data row `row` (1-based, after the header). */
export class BadValue extends Error {
  constructor(
    readonly row: number,
    readonly what: string,
  ) {
    super(what);
  }
}

/**
 * The 1-based line of data row `row` in CSV text (the header is row 0; comments and blank lines are
 * skipped). Blank is csv-parse's: space, form feed and CR; a tab is a delimiter, so "\t# c" is a row.
 */
export function lineOfRow(text: string, row: number): number {
  let line = 0,
    seen = -1;
  for (const raw of text.split(/\r?\n/)) {
    line++;
    const t = raw.replace(/^\uFEFF/, "").replace(/^[ \f\r]+|[ \f\r]+$/g, "");
    if (t === "" || t.startsWith("#")) continue;
    if (++seen === row) return line;
  }
  return line;
}

/**
 * The options every CSV parse uses: '#' comments, comma, tab or semicolon delimiters, a UTF-8 byte order mark skipped.
 */
export const CSV_OPTIONS = { bom: true, comment: "#", delimiter: [",", "\t", ";"], skip_empty_lines: true, trim: true };

/**
 * A csv-parse error as a message naming the line and the problem, never the text (csv-parse
 * quotes fields in some of its messages).
 */
export function csvProblem(e: unknown): string {
  const err = e as { code?: string; lines?: number; record?: unknown[]; message?: string };
  const line = typeof err.lines === "number" ? `line ${err.lines}: ` : "";
  switch (err.code) {
    case "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH":
    case "CSV_RECORD_DONT_MATCH_COLUMNS_LENGTH":
      return `${line}a row has a different number of fields than the header`;
    case "CSV_QUOTE_NOT_CLOSED":
      return `${line}a quote is not closed`;
    case "CSV_INVALID_OPENING_QUOTE":
      return `${line}a quote inside an unquoted field`;
    case "CSV_INVALID_CLOSING_QUOTE":
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
      return `${line}characters after a closing quote`;
    case "CSV_MAX_RECORD_SIZE":
      return `${line}a row is too long`;
    case undefined:
      return "unreadable";
    default:
      return `${line}${err.code.toLowerCase().replace(/^csv_/, "").replace(/_/g, " ")}`;
  }
}

/**
 * Keep the events with lo ≤ m ≤ hi.
 * @example
 * import { inRange } from "bumpscan/io";
 * inRange(new Float64Array([-1, 2, 11]), undefined, [0, 10]); // => { values: [2], dropped: 2 }
 */
export function inRange(
  values: Float64Array,
  weights: Float64Array | undefined,
  [lo, hi]: [number, number],
): { values: Float64Array; weights?: Float64Array; dropped: number } {
  const keep: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] >= lo && values[i] <= hi) keep.push(i);
  if (keep.length === values.length) return { values, weights, dropped: 0 };
  return {
    values: Float64Array.from(keep, (i) => values[i]),
    weights: weights ? Float64Array.from(keep, (i) => weights[i]) : undefined,
    dropped: values.length - keep.length,
  };
}
