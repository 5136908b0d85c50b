/**
 * CSV/TSV event text: a header line naming the columns, '#' comment lines, one event per row
 * (browser-safe; files on disk are streamed by readCsvColumn in files.ts).
 */
import { parse } from "csv-parse/browser/esm/sync";
import { BumpscanError } from "../errors.js";
import { BadValue, type Column, type ColumnChoice, CSV_OPTIONS, csvProblem, CsvColumns, lineOfRow } from "./column.js";

/**
 * Read one numeric column (and optionally a weights column) from CSV or TSV text. Rejects a
 * missing column and any value that is not a finite number, naming `label` and the line.
 * @example
 * parseCsvColumn("m,w\n4.2,1\n4.3,2\n", "ev.csv", { column: "m", weights: "w" }).values; // [4.2, 4.3]
 */
export function parseCsvColumn(text: string, label: string, choice: ColumnChoice): Column {
  const columns = new CsvColumns(label, choice);
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
