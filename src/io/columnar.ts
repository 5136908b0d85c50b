/**
 * Columnar event files: Parquet and Arrow IPC (.arrow, .feather, file or stream format).
 * Parquet: hyparquet reads the footer; a flat column of numbers without nulls in PLAIN,
 * BYTE_STREAM_SPLIT or dictionary pages is then read page by page straight into doubles
 * (parquet-pages.ts; snappy ours, zstd by zstddec's WASM); any other column (and a file whose
 * pages do not add up) is read by hyparquet with hyparquet-compressors, which words its errors.
 * Only the asked-for columns' chunks are read, from a Blob or a file's byte ranges.
 * Arrow: a file of flat, uncompressed columns has only the asked-for columns' buffers read
 * (arrow-file.ts); any other goes through apache-arrow, one record batch at a time, a plain numeric
 * column copied straight from its buffer. Values must be finite numbers; a null or NaN names its
 * row. The libraries load only when such a file is read.
 */
import type { DataType, RecordBatch } from "apache-arrow";
import type { ColumnChunk, Compressors, FileMetaData, SchemaElement } from "hyparquet";
import { BumpscanError } from "../errors.js";
import { type Column, type ColumnChoice, Growing, resolveColumns, type Wanted } from "./column.js";
import { readPlanned } from "./select.js";
import { ArrowCorrupt, type ColumnPart, arrowLayout, type NumberType } from "./arrow-file.js";
import { type Decompress, PageReader } from "./parquet-pages.js";
import { blobRanges, bytesRanges, type FileHandleLike, type FileRanges, handleRanges, sliceOf } from "./ranges.js";
import { snappyInto } from "./snappy.js";

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

type Decode = (input: Uint8Array, length: number) => Uint8Array;
let zstd: Promise<Decompress | undefined> | undefined;

/** The exports of zstddec's WebAssembly (emscripten's build of zstd) that a decode needs. */
interface ZstdExports {
  memory: WebAssembly.Memory;
  malloc(size: number): number;
  free(pointer: number): void;
  ZSTD_decompress(dst: number, dstSize: number, src: number, srcSize: number): number;
  ZSTD_isError(code: number): number;
}

/**
 * zstddec's WebAssembly zstd (about twice fzstd's speed), decoding into the caller's buffer (its
 * own decode returns a fresh copy per page); undefined where it cannot start (a page that allows
 * no WASM from a data: URL).
 */
function zstdDecoder(): Promise<Decompress | undefined> {
  zstd ??= (async () => {
    try {
      const { ZSTDDecoder } = await import("zstddec");
      const decoder = new ZSTDDecoder();
      let wasm: ZstdExports | undefined;
      decoder._init = (result) => {
        wasm = result.instance.exports as unknown as ZstdExports;
        ZSTDDecoder.prototype._init.call(decoder, result);
      };
      await withoutNodeFetch(() => decoder.init());
      return wasm && ((input: Uint8Array, output: Uint8Array) => zstdInto(wasm!, input, output));
    } catch {
      return undefined;
    }
  })();
  return zstd;
}

/** One zstd frame into `output` (exactly its size), through the WebAssembly memory. */
function zstdInto(wasm: ZstdExports, input: Uint8Array, output: Uint8Array): void {
  const src = wasm.malloc(input.length);
  const dst = wasm.malloc(output.length);
  try {
    if (!src || !dst) throw new Error("zstd: out of memory");
    new Uint8Array(wasm.memory.buffer, src, input.length).set(input); // a view after malloc: memory may grow
    const n = wasm.ZSTD_decompress(dst, output.length, src, input.length);
    if (wasm.ZSTD_isError(n) || n !== output.length) throw new Error(`zstd: ${n} bytes, not ${output.length}`);
    output.set(new Uint8Array(wasm.memory.buffer, dst, n));
  } finally {
    wasm.free(src);
    wasm.free(dst);
  }
}

/**
 * Runs `start` with Node's global fetch hidden: zstddec loads its WASM through fetch where there is
 * one, and Node's first fetch loads undici (60 ms); without it, zstddec decodes its bytes itself.
 */
function withoutNodeFetch<T>(start: () => T): T {
  const fetch = Object.getOwnPropertyDescriptor(globalThis, "fetch");
  const node = typeof process !== "undefined" && process.versions?.node !== undefined;
  if (!node || !fetch?.configurable) return start();
  Object.defineProperty(globalThis, "fetch", { value: undefined, configurable: true, writable: true });
  try {
    return start();
  } finally {
    Object.defineProperty(globalThis, "fetch", fetch);
  }
}

/** hyparquet's page decoders: hyparquet-compressors' (snappy in WASM, gzip, brotli, lz4, zstd) and zstddec. */
async function decoders(withZstd: boolean): Promise<Compressors> {
  const { compressors } = await import("hyparquet-compressors");
  const decompress = withZstd ? await zstdDecoder() : undefined;
  if (!decompress) return compressors;
  const ZSTD: Decode = (input, length) => {
    const page = new Uint8Array(length);
    decompress(input, page);
    return page;
  };
  return { ...compressors, ZSTD };
}

/**
 * How the page reader decompresses a codec's pages into its buffer: undefined for none, null for a
 * codec it leaves to hyparquet. Snappy is ours (no copy out of a WASM memory per page).
 */
async function pageDecompressor(codec: string): Promise<Decompress | undefined | null> {
  if (codec === "UNCOMPRESSED") return undefined;
  if (codec === "SNAPPY") return snappyInto;
  const zstd = codec === "ZSTD" ? await zstdDecoder() : undefined;
  if (zstd) return zstd;
  const decode = (await decoders(false))[codec as keyof Compressors];
  if (!decode) return null;
  return (input, output) => {
    const page = decode(input, output.length);
    if (page.length !== output.length) throw new Error(`a page of ${page.length}, not ${output.length} bytes`);
    output.set(page);
  };
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
  const { parquetMetadataAsync, parquetSchema } = await import("hyparquet/src/metadata.js");
  const unreadable = (e: unknown) =>
    new BumpscanError(`${label}: not a readable Parquet file (${(e as Error).message ?? e})`);
  const ranges = source instanceof Blob ? blobRanges(source) : source;
  const file = { byteLength: ranges.size, slice: (start: number, end?: number) => sliceOf(ranges, start, end) };
  let metadata: FileMetaData;
  let schema: ReturnType<typeof parquetSchema>["children"];
  try {
    metadata = await parquetMetadataAsync(file, { initialFetchSize: 1 << 16 });
    schema = parquetSchema(metadata).children;
    rowsOf(metadata); // the counts checked before any array is sized by them
  } catch (e) {
    throw unreadable(e);
  }
  const { picked, slot } = chosen(
    schema.map((c) => c.element.name),
    label,
    wanted,
    (i) => schema[i].children.length > 0 || schema[i].element.repetition_type === "REPEATED",
  );
  const elements = picked.map((name) => schema.find((c) => c.element.name === name)!.element);
  const out =
    (await parquetDirect(ranges, metadata, picked, elements)) ??
    (await parquetByHyparquet(file, label, metadata, picked).catch((e) => {
      throw e instanceof BumpscanError ? e : unreadable(e);
    }));
  const bad = out.map(firstNotFinite);
  const row = Math.min(...bad.filter((i) => i >= 0));
  if (Number.isFinite(row)) {
    const k = bad.indexOf(row);
    throw badRow(label, row + 1, picked[k], out[k][row]);
  }
  return slot.map((k) => out[k]);
}

/**
 * The picked columns read page by page straight into doubles (parquet-pages.ts); undefined when a
 * chunk is not of the kinds read there, or the file does not add up: hyparquet then reads it.
 */
async function parquetDirect(
  ranges: FileRanges,
  metadata: FileMetaData,
  picked: string[],
  elements: SchemaElement[],
): Promise<Float64Array[] | undefined> {
  const rows = rowsOf(metadata);
  const out = picked.map(() => new Float64Array(rows));
  const reader = new PageReader(ranges);
  let at = 0;
  for (const group of metadata.row_groups) {
    const n = Number(group.num_rows);
    if (at + n > rows) return undefined;
    for (const [k, name] of picked.entries()) {
      // a top-level column by its own name (a struct's field "b" of "a" is not a column named "a.b")
      const path = (c: ColumnChunk) => c.meta_data?.path_in_schema;
      const meta = group.columns.find((c) => path(c)?.length === 1 && path(c)?.[0] === name)?.meta_data;
      const decompress = meta && (await pageDecompressor(meta.codec));
      if (!meta || decompress === null) return undefined;
      const read = await reader.chunk(meta, elements[k], decompress, out[k].subarray(at, at + n)).catch(() => false);
      if (!read) return undefined;
    }
    at += n;
  }
  return at === rows ? out : undefined;
}

/**
 * The rows of a file: its row groups' (some writers leave the footer's total at 0); a count that is
 * negative, not whole, or past what an array holds throws (the file is damaged).
 */
function rowsOf(metadata: FileMetaData): number {
  const rows = metadata.row_groups.reduce((n, g) => {
    const count = Number(g.num_rows);
    if (!Number.isSafeInteger(count) || count < 0) throw new Error(`a row group of ${g.num_rows} rows`);
    return n + count;
  }, 0);
  if (rows > 2 ** 31 - 1) throw new Error(`${rows} rows, more than an array holds`);
  return rows;
}

/** Every picked column through hyparquet's reader: any encoding, nulls (reported by row). */
async function parquetByHyparquet(
  file: { byteLength: number; slice(start: number, end?: number): Promise<ArrayBuffer> },
  label: string,
  metadata: FileMetaData,
  picked: string[],
): Promise<Float64Array[]> {
  const { parquetRead } = await import("hyparquet");
  const rows = rowsOf(metadata);
  const out = picked.map(() => new Float64Array(rows));
  const filled = picked.map(() => 0);
  let bad: { row: number; name: string; value: unknown } | undefined;
  let beyond = false; // an error thrown in onChunk would escape hyparquet as an unhandled rejection
  // the decoders load only for compressed chunks (hyparquet's own snappy is slower than hysnappy's WASM)
  const codecs = metadata.row_groups.flatMap((g) =>
    g.columns.filter((c) => picked.includes(c.meta_data?.path_in_schema[0] ?? "")).map((c) => c.meta_data?.codec),
  );
  const compressors = codecs.some((c) => c !== "UNCOMPRESSED") ? await decoders(codecs.includes("ZSTD")) : undefined;
  await parquetRead({
    file,
    metadata,
    columns: picked,
    compressors,
    onChunk: ({ columnName, columnData, rowStart }) => {
      const k = picked.indexOf(columnName);
      if (k < 0 || rowStart + columnData.length > rows) {
        beyond = true;
        return;
      }
      const i = copyChecked(columnData as ArrayLike<unknown>, out[k], rowStart);
      // chunks may come in any order: the first bad row is reported
      if (i >= 0 && (bad === undefined || rowStart + i + 1 < bad.row))
        bad = { row: rowStart + i + 1, name: columnName, value: columnData[i] };
      filled[k] += columnData.length;
    },
  });
  if (beyond) throw new Error(`a chunk of rows beyond the row groups' ${rows}`);
  if (bad) throw badRow(label, bad.row, bad.name, bad.value);
  const short = filled.findIndex((n) => n !== rows);
  if (short >= 0) throw new Error(`column ${picked[short]} has ${filled[short]} of ${rows} rows`);
  return out;
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
