/**
 * Parquet column chunks of numbers read page by page into doubles. Pages are read through one
 * window and decompressed into one buffer, both reused for every page, and their values written
 * straight into the result: no copy of a whole chunk, no array per page (on a fresh process every
 * new megabyte costs page faults). It reads PLAIN, BYTE_STREAM_SPLIT and dictionary-encoded pages
 * (v1 and v2) of a flat DOUBLE, FLOAT, INT32 or INT64 column without nulls. Anything else — another
 * encoding, a null, a type whose numbers mean something else (unsigned, decimal, time), a chunk
 * whose structure does not add up — answers false, and the caller has hyparquet read the file (and
 * word its errors).
 */
import type { ColumnMetaData, SchemaElement } from "hyparquet";
import { deserializeTCompactProtocol } from "hyparquet/src/thrift.js";
import type { FileRanges } from "./ranges.js";

/** Decompresses a page into `output`, which is exactly its uncompressed size. */
export type Decompress = (input: Uint8Array, output: Uint8Array) => void;

/** Bytes per value of the physical types read here. */
const WIDTH: Record<string, number> = { DOUBLE: 8, FLOAT: 4, INT32: 4, INT64: 8 };
const PAGE = { DATA: 0, INDEX: 1, DICTIONARY: 2, DATA_V2: 3 };
const ENCODING = { PLAIN: 0, PLAIN_DICTIONARY: 2, RLE: 3, RLE_DICTIONARY: 8, BYTE_STREAM_SPLIT: 9 };
/** The window's least size, unless the file asks for more: a page and the next header, for the usual 1 MiB pages. */
const WINDOW = 2 << 20;

/** Whether a column's stored numbers are its values: floats, or signed integers of no other meaning. */
export function readsAsStored(element: SchemaElement): boolean {
  if (element.type === "DOUBLE" || element.type === "FLOAT") return element.logical_type === undefined;
  if (element.type !== "INT32" && element.type !== "INT64") return false;
  const logical = element.logical_type as { type: string; isSigned?: boolean } | undefined;
  const converted = element.converted_type;
  return (
    (logical === undefined || (logical.type === "INTEGER" && logical.isSigned === true)) &&
    (converted === undefined || /^INT_(8|16|32|64)$/.test(converted))
  );
}

/** A page header's fields (thrift compact struct, fields by number). */
interface Thrift {
  [field: string]: number | boolean | Thrift | undefined;
}

/** Reads column chunks of one file; its buffers serve every page of every chunk. */
export class PageReader {
  private window = new Uint8Array(0);
  private windowStart = 0;
  private windowLength = 0;
  private page = new Uint8Array(0);
  private indices = new Int32Array(0);
  private split = new Uint8Array(0);
  /** The chunk being read: how its pages are decompressed (undefined: stored as they are), nullable or not. */
  private decompress?: Decompress;
  private optional = false;

  constructor(private readonly file: FileRanges) {}

  /**
   * A column chunk's values into `out` (its length: the row group's rows); false when this reader
   * does not read it (see the module comment).
   */
  async chunk(meta: ColumnMetaData, element: SchemaElement, decompress: Decompress | undefined, out: Float64Array) {
    const width = WIDTH[meta.type];
    if (!width || !readsAsStored(element) || element.repetition_type === "REPEATED") return false;
    if (meta.codec !== "UNCOMPRESSED" && !decompress) return false;
    this.decompress = meta.codec !== "UNCOMPRESSED" ? decompress : undefined;
    this.optional = element.repetition_type === "OPTIONAL";
    let pos = Number(meta.dictionary_page_offset || meta.data_page_offset);
    const end = pos + Number(meta.total_compressed_size);
    if (!(end <= this.file.size)) return false;
    let dictionary: Float64Array | undefined;
    let filled = 0;
    while (filled < out.length && pos < end) {
      const header = await this.header(pos, end);
      if (!header) return false;
      const { fields, length } = header;
      const stored = fields.field_3 as number;
      const size = fields.field_2 as number;
      // sizes are signed in the header: a negative one (damage) would never move `pos` on
      if (!Number.isSafeInteger(stored) || stored < 0 || !Number.isSafeInteger(size) || size < 0) return false;
      const at = await this.ensure(pos, length + stored, end);
      if (at < 0) return false;
      const bytes = this.window.subarray(at + length, at + length + stored);
      pos += length + stored;
      const type = fields.field_1 as number;
      if (type === PAGE.INDEX) continue;
      if (type === PAGE.DICTIONARY) {
        const head = fields.field_7 as Thrift | undefined;
        const n = head?.field_1 as number;
        const encoding = head?.field_2 as number;
        if (!(n >= 0) || (encoding !== ENCODING.PLAIN && encoding !== ENCODING.PLAIN_DICTIONARY)) return false;
        const data = this.decompressed(bytes, size, this.decompress);
        if (!data || data.length < n * width) return false;
        dictionary = new Float64Array(n);
        plainInto(meta.type, data, 0, n, dictionary, 0);
        continue;
      }
      const n = type === PAGE.DATA ? this.levelsV1(fields, bytes, size) : undefined;
      const page = type === PAGE.DATA_V2 ? this.levelsV2(fields, bytes, size) : n;
      if (!page || filled + page.count > out.length) return false;
      if (!this.values(page, meta.type, width, dictionary, out, filled)) return false;
      filled += page.count;
    }
    return filled === out.length;
  }

  /** A v1 data page: decompressed, its definition levels (if any) checked to be all defined. */
  private levelsV1(fields: Thrift, bytes: Uint8Array, size: number) {
    const head = fields.field_5 as Thrift | undefined;
    const count = head?.field_1 as number;
    if (!(count >= 0)) return undefined;
    const data = this.decompressed(bytes, size, this.decompress);
    if (!data) return undefined;
    let start = 0;
    if (this.optional) {
      if (head?.field_3 !== ENCODING.RLE || data.length < 4) return undefined;
      const levels = data[0] | (data[1] << 8) | (data[2] << 16) | (data[3] << 24);
      if (levels < 0 || 4 + levels > data.length || !allDefined(data, 4, 4 + levels, count)) return undefined;
      start = 4 + levels;
    }
    return { data, start, count, encoding: head?.field_2 as number };
  }

  /** A v2 data page: levels stored uncompressed before the (maybe compressed) values. */
  private levelsV2(fields: Thrift, bytes: Uint8Array, size: number) {
    const head = fields.field_8 as Thrift | undefined;
    const count = head?.field_1 as number;
    const repetition = (head?.field_6 as number) ?? 0;
    const definition = (head?.field_5 as number) ?? 0;
    if (!(count >= 0) || head?.field_2 !== 0 || repetition !== 0 || definition < 0 || definition > bytes.length)
      return undefined;
    if (definition > 0 && !(this.optional && allDefined(bytes, 0, definition, count))) return undefined;
    const decompress = head?.field_7 !== false ? this.decompress : undefined; // v2 pages may be stored as they are
    const data = this.decompressed(bytes.subarray(definition), size - definition, decompress);
    return data && { data, start: 0, count, encoding: head?.field_4 as number };
  }

  /** A page's values (PLAIN, or indices into the dictionary) into out[at…]; false if unreadable. */
  private values(
    page: { data: Uint8Array; start: number; count: number; encoding: number },
    type: string,
    width: number,
    dictionary: Float64Array | undefined,
    out: Float64Array,
    at: number,
  ): boolean {
    const { data, start, count, encoding } = page;
    if (encoding === ENCODING.PLAIN) {
      if (start + count * width !== data.length) return false; // a page holds its values and no more
      plainInto(type, data, start, count, out, at);
      return true;
    }
    if (encoding === ENCODING.BYTE_STREAM_SPLIT) {
      // byte k of value i is at k·count + i: gathered into PLAIN order, then read as PLAIN
      if (start + count * width !== data.length) return false;
      if (this.split.length < count * width) this.split = new Uint8Array(count * width);
      const plain = this.split;
      for (let k = 0; k < width; k++) {
        const from = start + k * count;
        for (let i = 0; i < count; i++) plain[i * width + k] = data[from + i];
      }
      plainInto(type, plain, 0, count, out, at);
      return true;
    }
    if ((encoding !== ENCODING.RLE_DICTIONARY && encoding !== ENCODING.PLAIN_DICTIONARY) || !dictionary) return false;
    if (this.indices.length < count) this.indices = new Int32Array(count);
    const indices = this.indices;
    if (start >= data.length || !hybridInto(data, start + 1, data.length, data[start], count, indices)) return false;
    let top = 0;
    for (let i = 0; i < count; i++) top = Math.max(indices[i], top);
    if (count > 0 && top >= dictionary.length) return false;
    for (let i = 0; i < count; i++) out[at + i] = dictionary[indices[i]];
    return true;
  }

  /** The page header at `pos`: its fields and its length in bytes; undefined if it cannot be read. */
  private async header(pos: number, end: number): Promise<{ fields: Thrift; length: number } | undefined> {
    for (let want = 256; ; want *= 16) {
      const at = await this.ensure(pos, Math.min(want, end - pos), end);
      if (at < 0) return undefined;
      const available = Math.min(this.windowLength - at, end - pos);
      const reader = { view: new DataView(this.window.buffer, this.window.byteOffset + at, available), offset: 0 };
      try {
        return { fields: deserializeTCompactProtocol(reader) as Thrift, length: reader.offset };
      } catch {
        if (available >= end - pos || want > 1 << 20) return undefined; // not a header, or a huge one
      }
    }
  }

  /**
   * Makes file bytes [pos, pos + need) lie in the window (read from `pos` on, up to the chunk's
   * end); their index in it, or -1 past the chunk's end.
   */
  private async ensure(pos: number, need: number, end: number): Promise<number> {
    if (pos + need > end) return -1;
    if (pos >= this.windowStart && pos + need <= this.windowStart + this.windowLength) return pos - this.windowStart;
    const size = Math.min(Math.max(need, this.file.readSize ?? WINDOW), end - pos);
    if (this.window.length < size) this.window = new Uint8Array(size);
    await this.file.readInto(this.window.subarray(0, size), pos);
    this.windowStart = pos;
    this.windowLength = size;
    return 0;
  }

  /** A page's bytes decompressed into the page buffer (or as they are); undefined if that fails. */
  private decompressed(bytes: Uint8Array, size: number, decompress?: Decompress): Uint8Array | undefined {
    if (!decompress) return bytes.length === size ? bytes : undefined;
    if (!(size >= 0)) return undefined;
    if (this.page.length < size) this.page = new Uint8Array(size);
    const page = this.page.subarray(0, size);
    try {
      decompress(bytes, page);
    } catch {
      return undefined;
    }
    return page;
  }
}

/** `count` PLAIN values of a physical type from bytes[start…] into out[at…], as doubles. */
function plainInto(type: string, bytes: Uint8Array, start: number, count: number, out: Float64Array, at: number) {
  if (type === "DOUBLE") {
    new Uint8Array(out.buffer, out.byteOffset + 8 * at, 8 * count).set(bytes.subarray(start, start + 8 * count));
    return;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, bytes.length - start);
  if (type === "FLOAT") for (let i = 0; i < count; i++) out[at + i] = view.getFloat32(4 * i, true);
  else if (type === "INT32") for (let i = 0; i < count; i++) out[at + i] = view.getInt32(4 * i, true);
  else for (let i = 0; i < count; i++) out[at + i] = Number(view.getBigInt64(8 * i, true));
}

/** An unsigned LEB128 varint at bytes[pos]: its value and the position after it (-1 if malformed). */
function varint(bytes: Uint8Array, pos: number, end: number): [number, number] {
  let value = 0;
  for (let shift = 0; pos < end && shift <= 28; shift += 7) {
    const c = bytes[pos++];
    value += (c & 0x7f) * 2 ** shift;
    if (c < 0x80) return [value, pos];
  }
  return [0, -1];
}

/**
 * Whether RLE/bit-packed definition levels (bit width 1) in bytes[pos, end) mark `count` values all
 * defined, and fill those bytes exactly (a run that claims more than the page holds is damage).
 */
function allDefined(bytes: Uint8Array, pos: number, end: number, count: number): boolean {
  let seen = 0;
  while (seen < count) {
    const [header, next] = varint(bytes, pos, end);
    if (next < 0) return false;
    pos = next;
    if ((header & 1) === 0) {
      if (header === 0 || header / 2 > count - seen || pos >= end || bytes[pos] !== 1) return false;
      pos += 1;
      seen += header / 2;
      continue;
    }
    const groups = (header - 1) / 2;
    const bits = Math.min(8 * groups, count - seen);
    if (groups === 0 || 8 * (groups - 1) >= count - seen || pos + groups > end) return false;
    for (let k = 0; k < bits >>> 3; k++) if (bytes[pos + k] !== 0xff) return false;
    const rest = (1 << (bits & 7)) - 1;
    if ((bytes[pos + (bits >>> 3)] & rest) !== rest) return false;
    pos += groups;
    seen += 8 * groups;
  }
  return pos === end;
}

/**
 * `count` values of an RLE/bit-packed hybrid run list of `width` bits (dictionary indices) from
 * bytes[pos, end) into `into`; false if malformed — a run past the values or the bytes, bytes left
 * over — or wider than 24 bits (a 16-million entry dictionary).
 */
function hybridInto(bytes: Uint8Array, pos: number, end: number, width: number, count: number, into: Int32Array) {
  if (width > 24) return false;
  const mask = (1 << width) - 1;
  const valueBytes = (width + 7) >>> 3;
  for (let i = 0; i < count; ) {
    const [header, next] = varint(bytes, pos, end);
    if (next < 0) return false;
    pos = next;
    if ((header & 1) === 0) {
      if (header === 0 || header / 2 > count - i || pos + valueBytes > end) return false;
      let value = 0;
      for (let k = 0; k < valueBytes; k++) value |= bytes[pos + k] << (8 * k);
      pos += valueBytes;
      const stop = Math.min(count, i + header / 2);
      into.fill(value & mask, i, stop);
      i = stop;
      continue;
    }
    const values = 4 * (header - 1); // 8 per group
    if (values === 0 || values - 8 >= count - i || pos + (values / 8) * width > end) return false;
    const stop = Math.min(count, i + values);
    for (let bit = 0; i < stop; i++, bit += width) {
      const p = pos + (bit >>> 3);
      // four bytes hold any value of ≤ 24 bits at any bit offset; past the end reads 0
      const word = bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24);
      into[i] = (word >>> (bit & 7)) & mask;
    }
    pos += (values / 8) * width;
  }
  return pos === end;
}
