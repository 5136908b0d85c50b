/**
 * Columnar event files: Parquet (hyparquet, pure JavaScript, reading from a Blob or a file's byte
 * ranges only the chunks of the columns asked for; compressed pages through hyparquet-compressors —
 * snappy in WASM, gzip, brotli, lz4 — and zstddec for zstd, loaded only for such files) and Arrow
 * IPC (.arrow, .feather, file or stream format). An Arrow file of flat, uncompressed columns has
 * only the asked-for columns' buffers read (arrow-file.ts); any other goes through apache-arrow,
 * one record batch at a time, a plain numeric column copied straight from its buffer. Values must
 * be finite numbers; a null or NaN names its row. The libraries load only when such a file is read.
 */
import type { DataType, RecordBatch } from "apache-arrow";
import type { Compressors } from "hyparquet";
import { BumpscanError } from "../errors.js";
import { type Column, type ColumnChoice, Growing, resolveColumns, type Wanted } from "./column.js";
import { readPlanned } from "./select.js";
import { ArrowCorrupt, type ColumnPart, arrowLayout, type NumberType } from "./arrow-file.js";
import { bytesRanges, type FileHandleLike, type FileRanges, handleRanges, sliceOf } from "./ranges.js";

/**
 * The wanted columns among a file's (errors list the names): the names to read, each once, and
 * where each wanted column's array is among them. A column of lists is refused by name.
 */
function chosen(names: string[], label: string, wanted: Wanted, isList: (i: number) => boolean) {
  const { read, slot } = resolveColumns(label, names, wanted);
  const list = read.find(isList);
  if (list !== undefined)
    throw new BumpscanError(
      `${label}: column ${names[list]} holds lists (variable-length per event): bumpscan reads one number per event`,
    );
  return { picked: read.map((i) => names[i]), slot };
}

/** What a value that is not a finite number is, in words that show no text of the file. */
function describe(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "number") return String(v);
  if (typeof v === "bigint") return String(Number(v));
  return typeof v === "object" ? "not a number" : `a ${typeof v}`;
}

/**
 * Copies `values` into out[at…] as doubles; the index of the first one that is not a finite
 * number, or -1. Typed arrays of numbers are copied in one native set() and checked by native scans.
 */
function copyChecked(values: ArrayLike<unknown>, out: Float64Array, at: number): number {
  if (
    values instanceof Float64Array ||
    values instanceof Float32Array ||
    values instanceof Int32Array ||
    values instanceof Uint32Array ||
    values instanceof Int16Array ||
    values instanceof Uint16Array ||
    values instanceof Int8Array ||
    values instanceof Uint8Array
  ) {
    out.set(values, at);
    if (!(values instanceof Float64Array || values instanceof Float32Array)) return -1; // integers are finite
    return firstNotFinite(out.subarray(at, at + values.length));
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const x = typeof v === "bigint" ? Number(v) : v;
    if (typeof x !== "number" || x - x !== 0) return i;
    out[at + i] = x;
  }
  return -1;
}

/** The index of the first value that is not a finite number, or -1. */
function firstNotFinite(values: Float64Array): number {
  // native scans: a loop here runs cold (interpreted) on a process's first read, 25 ms per 1e6 values
  if (values.includes(Number.NaN) || values.includes(Infinity) || values.includes(-Infinity))
    return values.findIndex((x) => x - x !== 0);
  return -1;
}

/** A bad value's message: the row (1-based) and the column. */
function badRow(label: string, row: number, name: string, v: unknown): BumpscanError {
  return new BumpscanError(`${label} row ${row}: column ${name} is ${describe(v)}, not a finite number`);
}

let zstdDecoders: Promise<Compressors> | undefined;

/**
 * The page decoders: hyparquet-compressors' (snappy in WASM, gzip, brotli, lz4, zstd by fzstd),
 * and for zstd pages zstddec (WASM, about twice fzstd's speed) where it starts.
 */
async function decoders(zstd: boolean): Promise<Compressors> {
  const { compressors } = await import("hyparquet-compressors");
  if (!zstd) return compressors;
  zstdDecoders ??= (async () => {
    try {
      const { ZSTDDecoder } = await import("zstddec");
      const decoder = new ZSTDDecoder();
      await decoder.init();
      return { ...compressors, ZSTD: (input: Uint8Array, length: number) => decoder.decode(input, length) };
    } catch {
      return compressors; // a page that allows no WASM from a data: URL: fzstd
    }
  })();
  return zstdDecoders;
}

/** A float (not half precision) or integer column without nulls: its values buffer holds the numbers. */
function plainNumbers(type: DataType, nullCount: number): boolean {
  if (nullCount !== 0) return false;
  const t = type as DataType & { precision?: number; bitWidth?: number };
  return (t.typeId === 3 && t.precision !== 0) || t.typeId === 2; // Type.Float (not HALF), Type.Int
}

/** Appends the chosen columns of Arrow record batches into one array each, checking every value. */
class Collect {
  private readonly columns: Growing[];
  private rows = 0;
  /** `rows`: the expected count, when known (saves the copies of growing). */
  constructor(
    private readonly label: string,
    private readonly names: string[],
    rows?: number,
  ) {
    this.columns = names.map(() => new Growing(rows));
  }
  add(batch: RecordBatch): void {
    this.names.forEach((name, k) => {
      const vector = batch.getChild(name)!;
      const data = vector.data.length === 1 ? vector.data[0] : undefined;
      const values: ArrayLike<unknown> =
        data && plainNumbers(data.type, data.nullCount)
          ? (data.values as ArrayLike<number> & { subarray(s: number, e: number): ArrayLike<number> }).subarray(
              0,
              data.length,
            )
          : Array.from(vector);
      const column = this.columns[k];
      const at = column.reserve(values.length); // before reading column.data: it may grow
      const bad = copyChecked(values, column.data, at);
      if (bad >= 0) throw badRow(this.label, this.rows + bad + 1, name, values[bad]);
    });
    this.rows += batch.numRows;
  }
  done(): Float64Array[] {
    return this.columns.map((c) => c.done());
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
export async function parquetColumn(source: Blob | FileRanges, label: string, choice: ColumnChoice): Promise<Column> {
  return readPlanned(label, choice, (wanted) => parquetColumns(source, label, wanted));
}

async function parquetColumns(source: Blob | FileRanges, label: string, wanted: Wanted): Promise<Float64Array[]> {
  const { parquetMetadataAsync, parquetRead, parquetSchema } = await import("hyparquet");
  const unreadable = (e: unknown) =>
    new BumpscanError(`${label}: not a readable Parquet file (${(e as Error).message ?? e})`);
  const file =
    source instanceof Blob
      ? { byteLength: source.size, slice: (start: number, end?: number) => source.slice(start, end).arrayBuffer() }
      : { byteLength: source.size, slice: (start: number, end?: number) => sliceOf(source, start, end) };
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  let schema: ReturnType<typeof parquetSchema>["children"];
  try {
    metadata = await parquetMetadataAsync(file);
    schema = parquetSchema(metadata).children;
  } catch (e) {
    throw unreadable(e);
  }
  const { picked, slot } = chosen(
    schema.map((c) => c.element.name),
    label,
    wanted,
    (i) => schema[i].children.length > 0 || schema[i].element.repetition_type === "REPEATED",
  );
  const rows = Number(metadata.num_rows);
  const out = picked.map(() => new Float64Array(rows));
  const filled = picked.map(() => 0);
  let bad: { row: number; name: string; value: unknown } | undefined;
  // the decoders load only for compressed chunks (hyparquet's own snappy is slower than hysnappy's WASM)
  const codecs = metadata.row_groups.flatMap((g) =>
    g.columns.filter((c) => picked.includes(c.meta_data?.path_in_schema[0] ?? "")).map((c) => c.meta_data?.codec),
  );
  const compressors = codecs.some((c) => c !== "UNCOMPRESSED") ? await decoders(codecs.includes("ZSTD")) : undefined;
  try {
    await parquetRead({
      file,
      metadata,
      columns: picked,
      compressors,
      onChunk: ({ columnName, columnData, rowStart }) => {
        const k = picked.indexOf(columnName);
        if (k < 0 || rowStart + columnData.length > rows) throw new Error(`a chunk of rows beyond the file's ${rows}`);
        const i = copyChecked(columnData as ArrayLike<unknown>, out[k], rowStart);
        // chunks may come in any order: the first bad row is reported
        if (i >= 0 && (bad === undefined || rowStart + i + 1 < bad.row))
          bad = { row: rowStart + i + 1, name: columnName, value: columnData[i] };
        filled[k] += columnData.length;
      },
    });
  } catch (e) {
    throw unreadable(e);
  }
  if (bad) throw badRow(label, bad.row, bad.name, bad.value);
  const short = filled.findIndex((n) => n !== rows);
  if (short >= 0) throw unreadable(new Error(`column ${picked[short]} has ${filled[short]} of ${rows} rows`));
  return slot.map((k) => out[k]);
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
  return readPlanned(label, choice, (wanted) => arrowColumns(source, label, wanted));
}

async function arrowColumns(source: Uint8Array | FileHandleLike, label: string, wanted: Wanted) {
  const direct = await arrowDirect(
    source instanceof Uint8Array ? bytesRanges(source) : handleRanges(source, (await source.stat()).size),
    label,
    wanted,
  );
  if (direct) return direct;
  const { RecordBatchReader } = await import("apache-arrow");
  let reader: import("apache-arrow").RecordBatchReader;
  try {
    reader = await RecordBatchReader.from(source as Uint8Array); // a FileHandle too, under Node
    await reader.open();
    if (!reader.schema) throw new Error("no schema");
  } catch (e) {
    throw new BumpscanError(`${label}: not a readable Arrow IPC file (${(e as Error).message})`);
  }
  const fields = reader.schema.fields;
  const { picked, slot } = chosen(
    fields.map((f) => f.name),
    label,
    wanted,
    (i) => (fields[i].type.children?.length ?? 0) > 0,
  );
  let collect: Collect | undefined;
  try {
    for await (const batch of reader) {
      // a file's batches are counted in its footer: sized from the first, the columns need not grow
      collect ??= new Collect(label, picked, reader.isFile() ? batch.numRows * reader.numRecordBatches : undefined);
      collect.add(batch);
    }
  } catch (e) {
    if (e instanceof BumpscanError) throw e;
    throw new BumpscanError(`${label}: not a readable Arrow IPC file (truncated or corrupt: ${(e as Error).message})`);
  }
  const arrays = (collect ?? new Collect(label, picked)).done();
  return slot.map((k) => arrays[k]);
}

/**
 * The wanted columns read straight from an Arrow file of the common layout (see arrow-file.ts),
 * a float64 column's values from the file into the result; undefined when apache-arrow must read
 * the file: another layout, a wanted column that is not numbers or has nulls, a read that fails.
 */
async function arrowDirect(file: FileRanges, label: string, wanted: Wanted): Promise<Float64Array[] | undefined> {
  const layout = await arrowLayout(file).catch((e) => {
    if (e instanceof ArrowCorrupt)
      throw new BumpscanError(`${label}: not a readable Arrow IPC file (corrupt: ${e.message})`);
    throw e;
  });
  if (!layout) return undefined;
  const { read, slot } = resolveColumns(label, layout.names, wanted); // flat columns only: no lists here
  const parts = layout.batches.map((b) => read.map((i) => b.parts[i]));
  if (read.some((i) => !layout.types[i]) || parts.some((p) => p.some((part) => !part || part.nulls > 0))) {
    return undefined;
  }
  const out = read.map(() => new Float64Array(layout.batches.reduce((n, b) => n + b.rows, 0)));
  let at = 0;
  for (const [b, { rows }] of layout.batches.entries()) {
    for (const [k, i] of read.entries()) {
      const bad = await readNumbers(file, layout.types[i]!, parts[b][k]!, out[k].subarray(at, at + rows)).catch(
        () => undefined,
      );
      if (bad === undefined) return undefined;
      if (bad >= 0) throw badRow(label, at + bad + 1, layout.names[i], out[k][at + bad]);
    }
    at += rows;
  }
  return slot.map((k) => out[k]);
}

/** A column part's numbers into `out` (doubles read in place); the index of the first that is not finite, or -1. */
async function readNumbers(file: FileRanges, type: NumberType, part: ColumnPart, out: Float64Array): Promise<number> {
  if (type.float && type.bits === 64) {
    await file.readInto(new Uint8Array(out.buffer, out.byteOffset, 8 * out.length), part.position);
    return firstNotFinite(out);
  }
  const bytes = new Uint8Array((out.length * type.bits) / 8);
  await file.readInto(bytes, part.position);
  const values = type.float
    ? new Float32Array(bytes.buffer)
    : type.bits === 64
      ? type.signed
        ? new BigInt64Array(bytes.buffer)
        : new BigUint64Array(bytes.buffer)
      : new (INTS[`${type.signed}${type.bits}`] as Int32ArrayConstructor)(bytes.buffer);
  return copyChecked(values, out, 0);
}

const INTS: Record<string, unknown> = {
  true8: Int8Array,
  false8: Uint8Array,
  true16: Int16Array,
  false16: Uint16Array,
  true32: Int32Array,
  false32: Uint32Array,
};
