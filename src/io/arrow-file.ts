/**
 * Where an Arrow IPC file keeps its columns' values, read from its footer and record batch headers
 * without apache-arrow (whose import alone takes longer than reading 1e6 events): the file format,
 * little-endian, uncompressed, without dictionaries, every column flat. Anything else (the stream
 * format, compression, nested columns, a file cut short) gives undefined, and apache-arrow reads
 * the file and names what is wrong; a file of this layout whose structure contradicts itself is
 * refused here (ArrowCorrupt). The layout follows the format's flatbuffers schemas (File.fbs,
 * Message.fbs, Schema.fbs): a table starts with the signed distance back to its vtable, whose
 * 16-bit entries give each field's offset in the table (0: absent, the default).
 */
import type { FileRanges } from "./ranges.js";

/** A column of numbers: Int (8 to 64 bits, signed or not) or FloatingPoint (32 or 64 bits). */
export interface NumberType {
  float: boolean;
  bits: number;
  signed: boolean;
}

/** A column of a record batch: its null count and where its values are in the file. */
export interface ColumnPart {
  nulls: number;
  position: number;
  bytes: number;
}

export interface ArrowLayout {
  names: string[];
  types: (NumberType | undefined)[];
  /** Per record batch: its rows and, per column, its part (undefined for a column of no number type). */
  batches: { rows: number; parts: (ColumnPart | undefined)[] }[];
}

const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"
/** Type union tags (Schema.fbs) of flat types by their buffers: validity and values; validity, offsets and data. */
const TWO_BUFFERS = new Set([2, 3, 6, 7, 8, 9, 10, 11, 15, 18]); // Int, FloatingPoint, Bool, Decimal, … Duration
const THREE_BUFFERS = new Set([4, 5, 19, 20]); // Binary, Utf8, LargeBinary, LargeUtf8
const INT = 2;
const utf8 = new TextDecoder();
const FLOATING_POINT = 3;
const RECORD_BATCH = 3; // MessageHeader union tag

/** A file this module does not read (another layout, a feature it does not decode): apache-arrow's turn. */
class Unsupported extends Error {}
const need = (ok: boolean) => {
  if (!ok) throw new Unsupported();
};

/** An Arrow file whose structure contradicts itself (apache-arrow may take minutes over some of these). */
export class ArrowCorrupt extends Error {}
const check = (ok: boolean, why: string) => {
  if (!ok) throw new ArrowCorrupt(why);
};

/** A flatbuffer in a DataView: tables, their fields, vectors, strings (every read bounds-checked by the view). */
class Flat {
  constructor(readonly v: DataView) {}
  /** The table an offset at p points to. */
  table(p: number): number {
    return p + this.v.getUint32(p, true);
  }
  /** Where field i of the table at t is, or 0 when absent. */
  field(t: number, i: number): number {
    const vt = t - this.v.getInt32(t, true);
    const entry = 4 + 2 * i;
    if (entry >= this.v.getUint16(vt, true)) return 0;
    const at = this.v.getUint16(vt + entry, true);
    return at === 0 ? 0 : t + at;
  }
  /** The vector (start, length) of field i, or length 0 when absent. */
  vector(t: number, i: number): { start: number; length: number } {
    const p = this.field(t, i);
    if (p === 0) return { start: 0, length: 0 };
    const q = this.table(p);
    return { start: q + 4, length: this.v.getUint32(q, true) };
  }
  /** Field i of the table at t as a 64-bit count (0 when absent). */
  longField(t: number, i: number): number {
    const p = this.field(t, i);
    return p === 0 ? 0 : this.long(p);
  }
  long(p: number): number {
    const value = this.v.getUint32(p, true) + this.v.getInt32(p + 4, true) * 2 ** 32;
    check(Number.isSafeInteger(value) && value >= 0, "a negative or huge size");
    return value;
  }
  small(t: number, i: number, bytes: 1 | 2 | 4, fallback: number): number {
    const p = this.field(t, i);
    if (p === 0) return fallback;
    return bytes === 1 ? this.v.getUint8(p) : bytes === 2 ? this.v.getInt16(p, true) : this.v.getInt32(p, true);
  }
  string(t: number, i: number): string {
    const { start, length } = this.vector(t, i);
    return utf8.decode(new Uint8Array(this.v.buffer, this.v.byteOffset + start, length));
  }
}

async function read(file: FileRanges, position: number, length: number): Promise<DataView> {
  check(position >= 0 && length >= 0 && position + length <= file.size, "a part past the end of the file");
  const bytes = new Uint8Array(length);
  await file.readInto(bytes, position);
  return new DataView(bytes.buffer);
}

/**
 * The file's column names, number types, and every record batch's parts; undefined when apache-arrow
 * must read it. Throws ArrowCorrupt for an Arrow file whose footer or batch headers contradict
 * themselves (an offset past the end, a batch of another number of columns).
 */
export async function arrowLayout(file: FileRanges): Promise<ArrowLayout | undefined> {
  try {
    return await layout(file);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    if (e instanceof RangeError) throw new ArrowCorrupt("an offset past the end of its part");
    throw e;
  }
}

async function layout(file: FileRanges): Promise<ArrowLayout> {
  need(file.size >= 24);
  const head = await read(file, 0, 8);
  const tail = await read(file, file.size - 10, 10);
  need(MAGIC.every((c, i) => head.getUint8(i) === c && tail.getUint8(4 + i) === c)); // a stream, or cut short
  const footerLength = tail.getInt32(0, true);
  check(footerLength > 0 && footerLength <= file.size - 18, "the footer's length");
  const footer = new Flat(await read(file, file.size - 10 - footerLength, footerLength));
  const root = footer.table(0);
  const schema = footer.field(root, 1);
  check(schema !== 0, "no schema");
  need(footer.vector(root, 2).length === 0); // no dictionaries
  const { names, types, buffers } = fields(footer, footer.table(schema));
  const blocks = footer.vector(root, 3);
  const batches: ArrowLayout["batches"] = [];
  for (let b = 0; b < blocks.length; b++) {
    const p = blocks.start + 24 * b; // Block: offset (long), metaDataLength (int, padded), bodyLength (long)
    batches.push(await batch(file, footer.long(p), footer.v.getInt32(p + 8, true), types, buffers));
  }
  return { names, types, batches };
}

/** The schema's flat fields: names, number types, and the index of each one's values buffer. */
function fields(f: Flat, schema: number) {
  need(f.small(schema, 0, 2, 0) === 0); // little-endian
  const list = f.vector(schema, 1);
  const names: string[] = [];
  const types: (NumberType | undefined)[] = [];
  const buffers: number[] = [];
  let buffer = 0;
  for (let i = 0; i < list.length; i++) {
    const field = f.table(list.start + 4 * i);
    const tag = f.small(field, 2, 1, 0);
    need(f.field(field, 4) === 0 && f.vector(field, 5).length === 0); // no dictionary, no children
    need(TWO_BUFFERS.has(tag) || THREE_BUFFERS.has(tag));
    names.push(f.string(field, 0));
    const type = f.field(field, 3) === 0 ? 0 : f.table(f.field(field, 3));
    types.push(type === 0 ? undefined : numberType(f, tag, type));
    buffers.push(buffer + 1);
    buffer += TWO_BUFFERS.has(tag) ? 2 : 3;
  }
  return { names, types, buffers };
}

function numberType(f: Flat, tag: number, type: number): NumberType | undefined {
  if (tag === INT) {
    const bits = f.small(type, 0, 4, 0);
    return [8, 16, 32, 64].includes(bits) ? { float: false, bits, signed: f.small(type, 1, 1, 0) !== 0 } : undefined;
  }
  if (tag !== FLOATING_POINT) return undefined;
  const precision = f.small(type, 0, 2, 0); // HALF, SINGLE, DOUBLE
  return precision === 1 || precision === 2
    ? { float: true, bits: precision === 1 ? 32 : 64, signed: true }
    : undefined;
}

/** A record batch's rows and each number column's part, from its message header. */
async function batch(
  file: FileRanges,
  offset: number,
  metaLength: number,
  types: (NumberType | undefined)[],
  buffers: number[],
): Promise<ArrowLayout["batches"][number]> {
  check(metaLength >= 8, "a record batch's header length");
  const m = new Flat(await read(file, offset, metaLength));
  const start = m.v.getInt32(0, true) === -1 ? 8 : 4; // a continuation marker and the length, or (old files) the length
  const message = m.table(start);
  check(m.small(message, 1, 1, 0) === RECORD_BATCH && m.field(message, 2) !== 0, "a block that is no record batch");
  const body = offset + metaLength;
  const bodyLength = m.longField(message, 3);
  const rb = m.table(m.field(message, 2));
  need(m.field(rb, 3) === 0); // no compression
  const rows = m.longField(rb, 0);
  const nodes = m.vector(rb, 1);
  const spans = m.vector(rb, 2);
  check(nodes.length === types.length, "a record batch of another number of columns");
  const parts = types.map((type, i) => {
    if (!type) return undefined;
    check(m.long(nodes.start + 16 * i) === rows && buffers[i] < spans.length, "a column of another length");
    const at = spans.start + 16 * buffers[i]; // Buffer: offset, length
    const part = { nulls: m.long(nodes.start + 16 * i + 8), position: body + m.long(at), bytes: m.long(at + 8) };
    check(
      part.bytes >= (rows * type.bits) / 8 && part.position + part.bytes <= body + bodyLength,
      "a column past its batch",
    );
    return part;
  });
  return { rows, parts };
}
