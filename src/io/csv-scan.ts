/**
 * The fast path of CSV/TSV reading: a byte-level scanner that takes the event (and weight) field
 * of each row straight from the file's bytes and parses it exactly as Number() would, without
 * building a string per field or a record per row. It reads what tools write: a header line, '#'
 * comments, blank lines, ',' ';' or tab between fields (csv-parse's CSV_OPTIONS: any of the three
 * anywhere), LF or CRLF line ends, a UTF-8 byte order mark, fields in double quotes with no quote
 * or line break inside. Anything else (a quote inside a field, a row with another number of
 * fields than the header, CR-only line ends, UTF-16) makes it throw NotPlainCsv, and the caller
 * reads the whole file again with csv-parse, which says what is wrong or reads it as before.
 */
import { parse } from "csv-parse/browser/esm/sync";
import { BumpscanError } from "../errors.js";
import { badCell, CSV_OPTIONS, decimal, Growing, resolveColumns, type Wanted } from "./column.js";

/** The powers of ten that are exact doubles. */
const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];
/** The significant digits the mantissa's high part holds: below 10^15 < 2^53 every step is exact. */
const HIGH_DIGITS = 15;
/** The significant digits read in all (high and low parts): 10^19 < 2^64, two doubles hold it exactly. */
const MAX_DIGITS = 19;

/** 10^k for |k| ≤ POW_RANGE as a double-double hi + lo (relative error below 2^-105). */
const POW_RANGE = 64;
const POW_HI = new Float64Array(2 * POW_RANGE + 1);
const POW_LO = new Float64Array(2 * POW_RANGE + 1);
for (let k = -POW_RANGE; k <= POW_RANGE; k++) {
  // 10^k exactly (k ≥ 0) or 10^k·2^400 truncated (k < 0, 187 bits and more), split into two doubles
  const exact = k >= 0 ? 10n ** BigInt(k) : 2n ** 400n / 10n ** BigInt(-k);
  const hi = Number(exact);
  const scale = k >= 0 ? 1 : 2 ** -400;
  POW_HI[k + POW_RANGE] = hi * scale;
  POW_LO[k + POW_RANGE] = Number(exact - BigInt(hi)) * scale;
}

/** Veltkamp's splitter for Dekker's exact product (no fused multiply-add in JavaScript). */
const SPLIT = 134217729; // 2^27 + 1
/** The rounding error of p = fl(a·b): a·b − p exactly (|a|, |b| < 2^996). */
function productError(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

const BITS = new Float64Array(1);
const WORDS = new Uint32Array(BITS.buffer);

/**
 * high·10^lowDigits + low (16 to 19 significant digits) times 10^k, correctly rounded; NaN when it
 * cannot tell (then Number() decides). The mantissa is two doubles holding it exactly, 10^k a
 * double-double, their product exact but for roundings below 2^-100 of the value: the nearest
 * double r of that product is the nearest of the true value unless the product lies within that
 * error of a midpoint between r and a neighbour. Then, and outside normal numbers, or at a power of
 * two (whose lower neighbour is nearer), it gives NaN.
 */
function nearest(high: number, lowDigits: number, low: number, k: number): number {
  if (k < -POW_RANGE || k > POW_RANGE) return Number.NaN;
  const p = POW10[lowDigits];
  const x = high * p; // an integer below 2^64: its error xe is an integer below 2^11
  const xe = productError(high, p, x);
  const s = x + low;
  const t = low - (s - x) + xe; // small integers: exact, s + t is the mantissa
  const m1 = s + t; // renormalised: |m2| ≤ half an ulp of m1
  const m2 = t - (m1 - s);
  const p1 = POW_HI[k + POW_RANGE];
  const p2 = POW_LO[k + POW_RANGE];
  const h = m1 * p1;
  const l = productError(m1, p1, h) + (m1 * p2 + m2 * p1);
  const r = h + l;
  const e = h - r + l; // the product less r
  BITS[0] = r;
  const top = WORDS[1];
  const biased = (top >>> 20) & 0x7ff;
  if (biased < 64 || biased > 2000 || ((top & 0xfffff) === 0 && WORDS[0] === 0)) return Number.NaN;
  WORDS[1] = (biased - 53) << 20; // half an ulp of r: 2^(biased − 1023 − 53)
  WORDS[0] = 0;
  const half = BITS[0];
  return half - Math.abs(e) > half * 2 ** -30 ? r : Number.NaN;
}

const utf8 = new TextDecoder();

/** The last buffer a field needed Number() for, as text with a character per byte (decoded once per buffer). */
let textOf: Uint8Array | undefined;
let text = "";
let latin1: TextDecoder | undefined;

function textSlice(b: Uint8Array, s: number, e: number): string {
  if (b !== textOf) {
    // UTF-8 decoding is the fastest, and keeps every offset when each byte became one character
    // (only ASCII does that); otherwise latin1, whose characters are the bytes
    text = utf8.decode(b);
    if (text.length !== b.length) {
      latin1 ??= new TextDecoder("latin1");
      text = latin1.decode(b);
    }
    textOf = b;
  }
  return text.slice(s, e);
}

/** Drops the decoded text of the last buffer (the scanner calls it when it is done). */
function forgetText(): void {
  textOf = undefined;
  text = "";
}

/** Where the last numberAt() stopped: the first byte after the number's text. */
let stop = 0;

/** The last buffer scanned, and a view of it for reading four bytes at once. */
let viewOf: Uint8Array | undefined;
let view: DataView = new DataView(new ArrayBuffer(0));

/** Points `view` at b (once per buffer: the scanner reads a whole chunk through it). */
function viewBytes(b: Uint8Array): void {
  if (b === viewOf) return;
  view = new DataView(b.buffer, b.byteOffset, b.length);
  viewOf = b;
}

/** Four bytes (little-endian) are all ASCII digits: each byte's high nibble is 3, and stays 3 with 6 added. */
function fourDigits(x: number): boolean {
  return ((x & 0xf0f0f0f0) | (((x + 0x06060606) & 0xf0f0f0f0) >>> 4)) === 0x33333333;
}

/**
 * Four bytes (little-endian) are all in '.'..'9', none of them a byte the line scanner stops at: no
 * byte has its high bit set, each byte + 82 has it (≥ 46) and each byte + 70 has not (≤ 57).
 */
function fourPlain(x: number): boolean {
  return ((x | (x + 0x46464646) | ~(x + 0x52525252)) & 0x80808080) === 0;
}

/** The value of four ASCII digits (little-endian, the first the most significant): pairs, then the pair of pairs. */
function valueOfFour(x: number): number {
  const d = (x - 0x30303030) | 0;
  const pairs = (Math.imul(d, 10) + (d >>> 8)) & 0x00ff00ff;
  return (Math.imul(pairs, 100) + (pairs >>> 16)) & 0x3fff;
}

/**
 * The value of the decimal number whose text starts at b[s] (a sign, digits with an optional
 * point, an optional exponent) and ends at the first byte that cannot continue it, left in `stop`;
 * NaN when there is no such number there. Up to 15 digits make an exact integer mantissa; with the
 * power of ten at most 22 either way, mantissa × 10^k or mantissa / 10^k is one correctly rounded
 * operation on exact doubles, so the result is Number()'s, bit for bit (Clinger's fast path).
 * Longer mantissas (shortest round-trip output has up to 17 digits) take long().
 */
function numberAt(b: Uint8Array, s: number): number {
  let i = s;
  let c = b[i];
  let negative = false;
  if (c === 45 || c === 43) {
    negative = c === 45;
    c = b[++i];
  }
  const intStart = i;
  let mantissa = 0; // exact while there are at most 15 digits
  while (c >= 48 && c <= 57) {
    mantissa = mantissa * 10 + (c - 48);
    c = b[++i];
  }
  const intEnd = i;
  let fracStart = i;
  let more = i; // where the digits past the first 15 start (a longer mantissa)
  if (c === 46) {
    fracStart = ++i;
    c = b[i];
    const exactEnd = fracStart + HIGH_DIGITS - (intEnd - intStart);
    // four digits at a time while they fit (fractions are long), then one at a time
    viewBytes(b);
    const last4 = Math.min(exactEnd, b.length) - 4;
    for (let x = 0; i <= last4 && fourDigits((x = view.getUint32(i, true))); i += 4) {
      mantissa = mantissa * 10000 + valueOfFour(x);
    }
    c = b[i];
    while (c >= 48 && c <= 57 && i < exactEnd) {
      mantissa = mantissa * 10 + (c - 48);
      c = b[++i];
    }
    more = i;
    while (c >= 48 && c <= 57) c = b[++i];
  }
  const fracEnd = i;
  const digits = intEnd - intStart + (fracEnd - fracStart);
  if (digits === 0) {
    stop = i;
    return Number.NaN;
  }
  let exponent = 0;
  if (c === 101 || c === 69) {
    c = b[++i];
    let minus = false;
    if (c === 45 || c === 43) {
      minus = c === 45;
      c = b[++i];
    }
    if (!(c >= 48 && c <= 57)) {
      stop = i;
      return Number.NaN;
    }
    while (c >= 48 && c <= 57) {
      if (exponent < 100000) exponent = exponent * 10 + (c - 48);
      c = b[++i];
    }
    if (minus) exponent = -exponent;
  }
  stop = i;
  let v = Number.NaN;
  const k = exponent - (fracEnd - fracStart);
  if (digits === HIGH_DIGITS + 1 && intEnd - intStart <= HIGH_DIGITS && k >= -22 && k <= 22) {
    // 16 digits (most shortest round-trip output): the 16th is the fraction's at `more`; below 2^53
    // the mantissa is exact and Clinger's path holds (a computed m < 2^53 means every step was exact)
    const m = mantissa * 10 + (b[more] - 48);
    v = m < 9007199254740992 ? (k < 0 ? m / POW10[-k] : m * POW10[k]) : long(b, mantissa, more, fracEnd, k);
  } else if (digits > HIGH_DIGITS) {
    v = intEnd - intStart > HIGH_DIGITS ? Number.NaN : long(b, mantissa, more, fracEnd, k);
  } else if (mantissa === 0) v = 0;
  else if (k >= -22 && k <= 22) v = k < 0 ? mantissa / POW10[-k] : mantissa * POW10[k];
  else v = nearest(mantissa, 0, 0, k);
  if (!Number.isNaN(v)) return negative ? -v : v;
  return Number(textSlice(b, s, i));
}

/**
 * A mantissa of more than 15 digits (the first 15 are `first`, the fraction's rest b[from, to))
 * times 10^k: its first 15 significant digits and the next 4 (at most 19: 10^19 < 2^64) to
 * nearest(), NaN beyond (then Number() decides).
 */
function long(b: Uint8Array, first: number, from: number, to: number, k: number): number {
  let high = first;
  let significant = HIGH_DIGITS; // digits of `first` from its first non-zero one
  while (significant > 0 && first < POW10[significant - 1]) significant--; // leading zeros: fewer
  let low = 0;
  for (let i = from; i < to; i++) {
    const d = b[i] - 48;
    if (significant < HIGH_DIGITS) {
      high = high * 10 + d;
      if (high !== 0) significant++;
    } else if (significant < MAX_DIGITS) {
      low = low * 10 + d;
      significant++;
    } else return Number.NaN;
  }
  if (high === 0) return 0;
  const lowDigits = Math.max(0, significant - HIGH_DIGITS);
  // a mantissa below 2^53 (16 digits, or leading zeros) takes Clinger's path still
  const m = high * POW10[lowDigits] + low;
  if (m < 9007199254740992 && k >= -22 && k <= 22) return k < 0 ? m / POW10[-k] : m * POW10[k];
  return nearest(high, lowDigits, low, k);
}

/**
 * The value of the decimal number in bytes [s, e) of `b` (surrounding ASCII blanks allowed),
 * bit for bit what decimal() (and so Number()) gives for the same text; NaN when the bytes are not
 * a plain decimal number (then decimal() of the decoded text decides: it also trims non-ASCII
 * blanks).
 */
export function decimalBytes(b: Uint8Array, s: number, e: number): number {
  let c = b[s];
  while (s < e && (c === 32 || (c >= 9 && c <= 13))) c = b[++s];
  c = b[e - 1];
  while (e > s && (c === 32 || (c >= 9 && c <= 13))) c = b[--e - 1];
  if (s === e) return NaN;
  c = b[e];
  if ((c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45) {
    // the number must not read on past e: parse a copy that ends there
    const copy = b.slice(s, e);
    const v = numberAt(copy, 0);
    return stop === copy.length ? v : NaN;
  }
  const v = numberAt(b, s);
  return stop === e ? v : NaN;
}

/** The file needs csv-parse: read it again with the general parser (which also names what is wrong). */
export class NotPlainCsv extends Error {
  constructor(why: string) {
    super(`not plain CSV: ${why}`);
  }
}

/** What a byte is to the line scanner: 0 for anything inside a field. */
const KIND = new Uint8Array(256);
const LINE_END = 1;
const DELIMITER = 2;
const COMMENT = 3;
const QUOTE = 4;
KIND[10] = LINE_END;
KIND[44] = KIND[59] = KIND[9] = DELIMITER; // ',' ';' tab
KIND[35] = COMMENT; // '#'
KIND[34] = QUOTE;

/** b[s, e) holds nothing but space, form feed and CR (csv-parse's blanks at the start of a field, bar tab). */
function blanks(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = b[i];
    if (c !== 32 && c !== 12 && c !== 13) return false;
  }
  return true;
}

/**
 * Reads the wanted columns (the event column, weights, an expression's) of CSV/TSV bytes pushed
 * in pieces of any size. Bad values throw a BumpscanError naming the label, the line (counted in
 * the file, 1-based) and the column, as csv-parse's reader does; what this scanner does not read throws NotPlainCsv.
 */
export class CsvScanner {
  private carry?: Uint8Array;
  private started = false;
  /** CRLF line ends (decided at the first line end, as csv-parse does); undefined before. */
  private crlf?: boolean;
  /** The line the next byte is on. */
  private line = 1;
  /** The header's number of fields; 0 before the header. */
  private fields = 0;
  /** For each field of a row, the wanted column it is (-1: none); empty before the header. */
  private slotOf = new Int32Array(0);
  /** The wanted columns' values, names (as the spec gives them) and, for the row being read, fields. */
  private columns: Growing[] = [];
  private names: string[] = [];
  private slot: number[] = [];
  private rowValue = new Float64Array(0);
  private rowStart = new Int32Array(0);
  private rowEnd = new Int32Array(0);
  /** The content of the last quoted field: b[qs, qe). */
  private qs = -1;
  private qe = -1;

  /** `bytes`: the file's size when known, to size the columns from the first rows' length. */
  constructor(
    private readonly label: string,
    private readonly wanted: Wanted,
    private readonly bytes = 0,
  ) {}

  /**
   * The next bytes of the file. Nothing of `chunk` is kept after the call (what a line needs from
   * the next chunk is copied), so the caller may read the file into one buffer over and over.
   */
  push(chunk: Uint8Array): void {
    if (!this.carry) return this.scan(chunk);
    // the carried start of a line, completed by this chunk's first line (a small copy), then the rest
    const nl = chunk.indexOf(10);
    const head = nl < 0 ? chunk : chunk.subarray(0, nl + 1);
    const b = new Uint8Array(this.carry.length + head.length);
    b.set(this.carry);
    b.set(head, this.carry.length);
    this.carry = undefined;
    this.scan(b);
    if (nl >= 0 && nl + 1 < chunk.length) this.push(chunk.subarray(nl + 1));
  }

  /** Bytes that follow what was read so far, with nothing carried before them. */
  private scan(b: Uint8Array): void {
    if (!this.started && b.length < 3) {
      this.carry = b.slice();
      return;
    }
    const from = this.begin(b);
    if (this.crlf === undefined && !this.lineEnds(b, from, false)) {
      this.carry = b.slice(from);
      return;
    }
    const last = b.lastIndexOf(10);
    if (last < from) {
      this.carry = b.slice(from);
      return;
    }
    this.lines(b, from, last + 1);
    if (last + 1 < b.length) this.carry = b.slice(last + 1);
  }

  /** The end of the file: the wanted columns, in their order. */
  end(): Float64Array[] {
    const rest = this.carry;
    this.carry = undefined;
    if (rest && rest.length > 0) {
      const from = this.begin(rest);
      if (this.crlf === undefined) this.lineEnds(rest, from, true);
      this.lines(rest, from, rest.length);
    }
    forgetText();
    if (this.fields === 0) throw new BumpscanError(`${this.label}: empty file (expected a header line)`);
    const arrays = this.columns.map((c) => c.done());
    return this.slot.map((k) => arrays[k]);
  }

  /** Where the text starts in the file's first bytes: after a UTF-8 byte order mark; UTF-16 is not read here. */
  private begin(b: Uint8Array): number {
    if (this.started) return 0;
    this.started = true;
    if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) throw new NotPlainCsv("UTF-16");
    return b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  }

  /** Decides LF or CRLF from the first line end in b (false: none yet); CR alone is not read here. */
  private lineEnds(b: Uint8Array, from: number, final: boolean): boolean {
    for (let i = from; i < b.length; i++) {
      const c = b[i];
      if (c === 10) {
        this.crlf = false;
        return true;
      }
      if (c === 13) {
        if (i + 1 === b.length && !final) return false;
        if (b[i + 1] !== 10) throw new NotPlainCsv("CR line ends");
        this.crlf = true;
        return true;
      }
    }
    return false;
  }

  /** The lines in b[from, to): whole lines, the last one ending at `to` (a '\n' or the file's end). */
  private lines(b: Uint8Array, from: number, to: number): void {
    const { slotOf, rowValue, rowStart, rowEnd, columns, fields } = this;
    const header = fields === 0;
    const crlf = this.crlf === true;
    let i = from;
    while (i < to) {
      const start = i;
      let field = 0;
      let fieldStart = i;
      let quoteStart = -1; // the content of a quoted field: b[quoteStart, quoteEnd)
      let quoteEnd = -1;
      for (let k = 0; k < rowValue.length; k++) rowValue[k] = Number.NaN; // the values read as plain numbers
      let kind = LINE_END;
      for (;;) {
        const slot = field < slotOf.length ? slotOf[field] : -1;
        if (slot >= 0) {
          // the column's number, parsed as the bytes are read; the field's end must follow it
          let j = i;
          let c = b[j];
          while (c === 32 || c === 11 || c === 12 || c === 13) c = b[++j];
          const x = numberAt(b, j);
          let k = stop;
          c = b[k];
          while (c === 32 || c === 11 || c === 12 || c === 13) c = b[++k];
          const next = k < to ? KIND[c] : LINE_END;
          if (!Number.isNaN(x) && next !== 0 && next !== QUOTE) {
            rowValue[slot] = x;
            i = k;
          } else i = j; // anything else: read on as any field, its value from its text at the end
        }
        for (;;) {
          // a field's digits and points four at a time (a skipped column, a number read on), then byte by
          // byte; the view is checked per field, as a bad value's message parses a copy of its bytes
          viewBytes(b);
          while (i <= to - 4 && fourPlain(view.getUint32(i, true))) i += 4;
          while (i < to && (kind = KIND[b[i]]) === 0) i++;
          if (i >= to) kind = LINE_END;
          if (kind !== QUOTE) break;
          i = this.quoted(b, fieldStart, i, to) + 1;
          quoteStart = this.qs;
          quoteEnd = this.qe;
        }
        if (slot >= 0) {
          rowStart[slot] = quoteStart >= 0 ? quoteStart : fieldStart;
          rowEnd[slot] = quoteStart >= 0 ? quoteEnd : i;
        }
        if (kind !== DELIMITER) break;
        quoteStart = -1;
        field++;
        fieldStart = ++i;
      }
      const end = i; // where the fields end: the line's '\n', a '#' or the file's end
      if (kind === COMMENT) {
        const nl = b.indexOf(10, i);
        i = nl < 0 || nl >= to ? to : nl;
      }
      if (i < to && crlf && b[i - 1] !== 13) throw new NotPlainCsv("LF in a CRLF file");
      // csv-parse skips a line of blanks (space, FF, CR), with or without a comment
      if (field > 0 || quoteStart >= 0 || !blanks(b, fieldStart, end)) {
        if (this.fields === 0) this.header(b, start, end, field + 1);
        else {
          if (field + 1 !== fields) throw new NotPlainCsv("a row with another number of fields");
          for (let k = 0; k < rowValue.length; k++) {
            const v = rowValue[k];
            columns[k].push(v - v === 0 ? v : this.value(b, rowStart[k], rowEnd[k], this.names[k]));
          }
        }
      }
      this.line++;
      i++; // past the '\n'
      // this line was the header: its columns, sized from the next rows' length, from here on
      if (header && this.fields !== 0) {
        const capacity = this.expectedRows(b, i, to);
        this.columns = this.columns.map(() => new Growing(capacity));
        return this.lines(b, i, to);
      }
    }
  }

  /** The file's rows as its size over the mean length of (up to 1000) lines after b[from]; 1024 when unknown. */
  private expectedRows(b: Uint8Array, from: number, to: number): number {
    let lines = 0;
    let end = from;
    for (let i = b.indexOf(10, from); lines < 1000 && i >= 0 && i < to; i = b.indexOf(10, i + 1)) {
      lines++;
      end = i + 1;
    }
    if (this.bytes === 0 || lines === 0) return 1024;
    return Math.ceil((1.02 * this.bytes * lines) / (end - from)) + 16;
  }

  /**
   * A field in quotes opening at b[at]: its content is b[qs, qe); returns the index of the last
   * blank after the closing quote (the loop goes on after it). Anything csv-parse would read
   * differently or refuse throws NotPlainCsv.
   */
  private quoted(b: Uint8Array, fieldStart: number, at: number, to: number): number {
    for (let k = fieldStart; k < at; k++) {
      const c = b[k];
      if (c !== 32 && c !== 12 && c !== 13) throw new NotPlainCsv("a quote inside a field");
    }
    let close = at + 1;
    while (close < to && b[close] !== 34 && b[close] !== 10) close++;
    if (close >= to || b[close] !== 34) throw new NotPlainCsv("a quoted field over lines");
    let k = close + 1;
    while (k < to && (b[k] === 32 || b[k] === 12 || b[k] === 13)) k++;
    const next = k < to ? b[k] : 10;
    if (next !== 44 && next !== 59 && next !== 9 && next !== 35 && next !== 10) {
      throw new NotPlainCsv("characters after a closing quote");
    }
    this.qs = at + 1;
    this.qe = close;
    return k - 1;
  }

  /** The header line: names parsed by csv-parse (they may be quoted), the columns looked up. */
  private header(b: Uint8Array, start: number, end: number, fields: number): void {
    const line = utf8.decode(b.subarray(start, end > start && b[end - 1] === 13 ? end - 1 : end));
    let records: string[][];
    try {
      records = parse(line, CSV_OPTIONS) as string[][];
    } catch {
      throw new NotPlainCsv("an unusual header");
    }
    if (records.length !== 1 || records[0].length !== fields) throw new NotPlainCsv("an unusual header");
    const { read, slot } = resolveColumns(this.label, records[0], this.wanted, false);
    this.slotOf = new Int32Array(fields).fill(-1);
    read.forEach((field, k) => (this.slotOf[field] = k));
    this.slot = slot;
    this.columns = read.map(() => new Growing());
    // a column by the name the spec gave it (the header itself is file content)
    this.names = read.map((_, k) => this.wanted[slot.indexOf(k)] ?? "1");
    this.rowValue = new Float64Array(read.length);
    this.rowStart = new Int32Array(read.length);
    this.rowEnd = new Int32Array(read.length);
    this.fields = fields;
  }

  /** A field's number, or a BumpscanError naming the line and column. */
  private value(b: Uint8Array, s: number, e: number, name: string): number {
    const x = decimalBytes(b, s, e);
    if (x - x === 0) return x; // finite
    const cell = utf8.decode(b.subarray(s, e));
    const y = decimal(cell); // non-ASCII blanks around a number
    if (Number.isFinite(y)) return y;
    throw new BumpscanError(`${this.label} line ${this.line}: column ${name} ${badCell(cell)}`);
  }
}
