/**
 * Event files on disk (Node), read without holding more than the event (and weight) column: CSV/TSV
 * streamed through the byte-level scanner (csv-scan.ts; csv-parse for what it hands back), ROOT
 * baskets read by jsroot as needed, Parquet's column chunks and Arrow's column buffers read by
 * position from the open file (ranges.ts). JSON is read whole.
 */
import { createReadStream } from "node:fs";
import { access, open, readFile, stat } from "node:fs/promises";
import { parse } from "csv-parse";
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
import { readPlanned } from "./select.js";
import { CsvScanner, NotPlainCsv } from "./csv-scan.js";
import { decodeColumn, formatOf } from "./decode.js";
import { rootColumn } from "./root.js";
import { decodeCsvColumn } from "./csv.js";
import { standardInput } from "./stdin.js";
import { arrowColumn, parquetColumn } from "./columnar.js";
import { handleRanges } from "./ranges.js";
import { errnoWords } from "../errors.js";

function unreadable(path: string, e: unknown): BumpscanError {
  const code = (e as NodeJS.ErrnoException).code;
  // "ENOENT" stays in the message: for a file to read it means the file itself is missing
  const words =
    code === "ENOENT"
      ? "ENOENT: no such file"
      : code === "EISDIR"
        ? "it is a directory, not a data file"
        : errnoWords(e);
  return new BumpscanError(`cannot read data file ${path}: ${words}`);
}

/** The path is an existing regular file (or a pipe or device) we may read; throws naming the problem. */
async function readable(path: string): Promise<void> {
  try {
    await access(path);
    if ((await stat(path)).isDirectory()) throw Object.assign(new Error("directory"), { code: "EISDIR" });
  } catch (e) {
    throw unreadable(path, e);
  }
}

/**
 * An event column from a file of any supported format, chosen by its extension: .root,
 * .parquet, .arrow/.feather, .json, otherwise CSV/TSV; `-` is standard input, as CSV/TSV.
 * @example
 * import { readColumn } from "bumpscan";
 * const { values } = await readColumn("events.root", { tree: "events", column: "mass" });
 * values.length; // => 1000
 */
export async function readColumn(path: string, choice: ColumnChoice = {}): Promise<Column> {
  if (path === "-") return decodeCsvColumn(await standardInput("the data"), "standard input", choice);
  const format = formatOf(path);
  if (format === "csv") return readPlanned(path, choice, (wanted) => readCsv(path, wanted));
  await readable(path);
  if (format === "root") return rootColumn(path, path, choice); // jsroot reads the baskets it needs
  if (format === "parquet") {
    const handle = await open(path); // only the column chunks
    return parquetColumn(handleRanges(handle, (await handle.stat()).size), path, choice).finally(() => handle.close());
  }
  if (format === "arrow") {
    const handle = await open(path); // the named columns' buffers (apache-arrow: a record batch at a time)
    return arrowColumn(handle, path, choice).finally(() => handle.close());
  }
  return decodeColumn(path, await readFile(path).catch((e) => Promise.reject(unreadable(path, e))), choice);
}

/**
 * Read one numeric column (and optionally a weights column) from a CSV or TSV file, streamed.
 * Rejects a missing file, a missing column and any value that is not a finite number, naming the
 * file and line. A header with no rows gives zero events (a valid observation).
 * @example
 * import { readCsvColumn } from "bumpscan/io";
 * const { values } = await readCsvColumn("bump-1e4.csv", "m");
 * values.length; // => 10112
 */
export async function readCsvColumn(path: string, column?: string, weights?: string): Promise<Column> {
  return readPlanned(path, { column, weights }, (wanted) => readCsv(path, wanted));
}

async function readCsv(path: string, wanted: Wanted): Promise<Float64Array[]> {
  await readable(path);
  try {
    const scanner = new CsvScanner(path, wanted, (await stat(path)).size);
    // two buffers read into again and again (the scanner keeps none of a chunk): the next chunk
    // is read while this one is scanned
    const file = await open(path, "r");
    const buffers = [new Uint8Array(1 << 20), new Uint8Array(1 << 20)];
    let next = file.read(buffers[0], 0, 1 << 20, null);
    try {
      for (let k = 0; ; k ^= 1) {
        const { bytesRead } = await next;
        if (bytesRead === 0) break;
        next = file.read(buffers[k ^ 1], 0, 1 << 20, null);
        scanner.push(buffers[k].subarray(0, bytesRead));
      }
    } finally {
      await next.catch(() => undefined); // no read left running on a closed file
      await file.close();
    }
    return scanner.end();
  } catch (e) {
    if (e instanceof BumpscanError) throw e;
    if ((e as NodeJS.ErrnoException).code?.startsWith("E")) throw unreadable(path, e); // an I/O error while streaming
    if (!(e instanceof NotPlainCsv)) throw e;
  }
  // csv-parse, a record per row: quotes inside fields, CR line ends, UTF-16, and what is wrong
  const columns = new CsvColumns(path, wanted);
  try {
    for await (const record of createReadStream(path).pipe(parse(CSV_OPTIONS)) as AsyncIterable<string[]>)
      columns.add(record);
  } catch (e) {
    // the line of a bad value is looked up only when there is one
    if (e instanceof BadValue)
      throw new BumpscanError(`${path} line ${lineOfRow(await readFile(path, "utf8"), e.row)}: ${e.what}`);
    if (e instanceof BumpscanError) throw e;
    if ((e as NodeJS.ErrnoException).code?.startsWith("E")) throw unreadable(path, e); // an I/O error while streaming
    throw new BumpscanError(`${path}: not a readable CSV file (${csvProblem(e)})`);
  }
  return columns.done();
}
