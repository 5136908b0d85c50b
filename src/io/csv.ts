/**
 * CSV/TSV event text: a header line naming the columns, '#' comment lines, one event per row
 * (browser-safe; files on disk are streamed by readCsvColumn in files.ts). The bytes go through
 * the byte-level scanner (csv-scan.ts); a file it does not read plainly is read again by csv-parse.
 */
import { parse } from "csv-parse/browser/esm/sync";
import { BumpscanError } from "../errors.js";
import {
  BadValue,
  type Column,
  type ColumnChoice,
  CSV_OPTIONS,
  csvProblem,
  CsvColumns,
  lineOfRow,
  type Wanted,
} from "./column.js";
import { CsvScanner, NotPlainCsv } from "./csv-scan.js";
import { readPlanned, readPlannedSync } from "./select.js";

/**
 * Read one numeric column (and optionally a weights column) from CSV or TSV text. Rejects a
 * missing column and any value that is not a finite number, naming `label` and the line.
 * @example
 * import { parseCsvColumn } from "bumpscan/io";
 * const text = "m,w\n4.2,1\n4.3,2\n";
 * parseCsvColumn(text, "ev.csv", { column: "m", weights: "w" }); // => { values: [4.2, 4.3], weights: [1, 2] }
 */
export function parseCsvColumn(text: string, label: string, choice: ColumnChoice): Column {
  return readPlannedSync(label, choice, (wanted) => {
    try {
      const bytes = new TextEncoder().encode(text);
      const scanner = new CsvScanner(label, wanted, bytes.length);
      scanner.push(bytes);
      return scanner.end();
    } catch (e) {
      if (!(e instanceof NotPlainCsv)) throw e;
    }
    return csvGeneral(text, label, wanted);
  });
}

/**
 * Read one numeric column (and optionally a weights column) from CSV or TSV bytes, or from a Blob
 * (a browser File), which is streamed: only the columns are kept, not the text. Errors as
 * parseCsvColumn's. What decodeColumn does with a .csv/.tsv name (its example shows it).
 */
export async function decodeCsvColumn(source: Uint8Array | Blob, label: string, choice: ColumnChoice): Promise<Column> {
  return readPlanned(label, choice, (wanted) => decodeCsv(source, label, wanted));
}

async function decodeCsv(source: Uint8Array | Blob, label: string, wanted: Wanted): Promise<Float64Array[]> {
  try {
    const scanner = new CsvScanner(label, wanted, source instanceof Uint8Array ? source.length : source.size);
    if (source instanceof Uint8Array) scanner.push(source);
    else {
      const reader = source.stream().getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          scanner.push(value);
        }
      } catch (e) {
        reader.cancel().catch(() => {});
        throw e;
      }
    }
    return scanner.end();
  } catch (e) {
    if (!(e instanceof NotPlainCsv)) throw e;
  }
  const bytes = source instanceof Uint8Array ? source : new Uint8Array(await source.arrayBuffer());
  return csvGeneral(new TextDecoder().decode(bytes), label, wanted);
}

/**
 * The general reader (csv-parse, a record per row): what the scanner hands back, and the
 * reference the scanner is tested against.
 */
export function parseCsvGeneral(text: string, label: string, choice: ColumnChoice): Column {
  return readPlannedSync(label, choice, (wanted) => csvGeneral(text, label, wanted));
}

function csvGeneral(text: string, label: string, wanted: Wanted): Float64Array[] {
  const columns = new CsvColumns(label, wanted);
  try {
    // each record goes straight into the column; none is kept
    parse(text, { ...CSV_OPTIONS, on_record: (record: string[]) => (columns.add(record), null) });
  } catch (e) {
    if (e instanceof BadValue) throw new BumpscanError(`${label} line ${lineOfRow(text, e.row)}: ${e.what}`);
    if (e instanceof BumpscanError) throw e;
    throw new BumpscanError(`${label}: not a readable CSV file (${csvProblem(e)})`);
  }
  return columns.done();
}
