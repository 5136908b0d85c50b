/**
 * Columnar event files: Parquet (parquet-wasm, reading from a Blob only the column chunks asked
 * for) and Arrow IPC (.arrow, .feather, file or stream format; apache-arrow, one record batch at a
 * time). Values must be finite numbers; a null or NaN names its row. Both libraries load only when
 * such a file is read.
 */
import type { RecordBatch, Schema } from "apache-arrow";
import { BumpscanError } from "../errors.js";
import { type Column, type ColumnChoice, columnIndex, Growing } from "./column.js";

/** parquet-wasm: the Node build is ready when imported; the browser build fetches its WASM first. */
async function parquetWasm(): Promise<typeof import("parquet-wasm")> {
  const pq = await import("parquet-wasm");
  const init = (pq as unknown as { default?: unknown }).default;
  if (typeof init === "function") await (init as () => Promise<unknown>)();
  return pq;
}

/** The event and weight columns chosen from a schema's field names (errors list the names). */
function chosen(schema: Schema, label: string, { column, weights }: ColumnChoice): string[] {
  const names = schema.fields.map((f) => f.name);
  const picked = [names[columnIndex(label, names, column)]];
  if (weights) picked.push(names[columnIndex(label, names, weights)]);
  return picked;
}

/** Appends the chosen columns of record batches, checking every value. */
class Collect {
  private readonly out: Growing[];
  private rows = 0;
  constructor(
    private readonly label: string,
    private readonly names: string[],
  ) {
    this.out = names.map(() => new Growing());
  }
  add(batch: RecordBatch): void {
    this.names.forEach((name, k) => {
      const vector = batch.getChild(name)!;
      for (let i = 0; i < vector.length; i++) {
        const v = vector.get(i);
        const x = typeof v === "bigint" ? Number(v) : v;
        if (typeof x !== "number" || !Number.isFinite(x)) {
          throw new BumpscanError(
            `${this.label} row ${this.rows + i + 1}: column ${name} is ${x === null ? "null" : String(x)}, not a ` +
              `finite number`,
          );
        }
        this.out[k].push(x);
      }
    });
    this.rows += batch.numRows;
  }
  done(): Column {
    return { values: this.out[0].done(), weights: this.out[1]?.done() };
  }
}

/**
 * Read one numeric column (and optional weights) of a Parquet file given as a Blob (a browser
 * File, or Node's fs.openAsBlob): only those columns' chunks are read.
 * @example
 * import { openAsBlob } from "node:fs";
 * import { parquetColumn } from "bumpscan/io";
 * const { values } = await parquetColumn(await openAsBlob("events.parquet"), "events.parquet", { column: "m" });
 * values.length; // => 1000
 */
export async function parquetColumn(source: Blob, label: string, choice: ColumnChoice): Promise<Column> {
  const { ParquetFile } = await parquetWasm();
  const { tableFromIPC } = await import("apache-arrow");
  let file: Awaited<ReturnType<typeof ParquetFile.fromFile>>;
  try {
    file = await ParquetFile.fromFile(source);
  } catch (e) {
    throw new BumpscanError(`${label}: not a readable Parquet file (${(e as Error).message ?? e})`);
  }
  const names = chosen(tableFromIPC(file.schema().intoIPCStream()).schema, label, choice);
  const collect = new Collect(label, names);
  try {
    for (const batch of tableFromIPC((await file.read({ columns: names })).intoIPCStream()).batches) collect.add(batch);
  } catch (e) {
    if (e instanceof BumpscanError) throw e;
    throw new BumpscanError(`${label}: not a readable Parquet file (${(e as Error).message ?? e})`);
  } finally {
    file.free();
  }
  return collect.done();
}

/** Node's fs.promises FileHandle, as apache-arrow recognises it (declared here: this module is browser-safe). */
export interface FileHandleLike {
  fd: number;
  stat(): Promise<unknown>;
}

/**
 * Read one numeric column (and optional weights) of an Arrow IPC file, record batch by record
 * batch, from its bytes or (Node) an open fs.promises FileHandle.
 * @example
 * import { readFileSync } from "node:fs";
 * import { arrowColumn } from "bumpscan/io";
 * const { values } = await arrowColumn(readFileSync("events.arrow"), "events.arrow", { column: "m" });
 * values.length; // => 1000
 */
export async function arrowColumn(
  source: Uint8Array | FileHandleLike,
  label: string,
  choice: ColumnChoice,
): Promise<Column> {
  const { RecordBatchReader } = await import("apache-arrow");
  let reader: import("apache-arrow").RecordBatchReader;
  try {
    reader = await RecordBatchReader.from(source as Uint8Array); // a FileHandle too, under Node
    await reader.open();
    if (!reader.schema) throw new Error("no schema");
  } catch (e) {
    throw new BumpscanError(`${label}: not a readable Arrow IPC file (${(e as Error).message})`);
  }
  const collect = new Collect(label, chosen(reader.schema, label, choice));
  try {
    for await (const batch of reader) collect.add(batch);
  } catch (e) {
    if (e instanceof BumpscanError) throw e;
    throw new BumpscanError(`${label}: not a readable Arrow IPC file (truncated or corrupt: ${(e as Error).message})`);
  }
  return collect.done();
}
