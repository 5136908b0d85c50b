// The readers' fast paths against their references: the byte-level CSV scanner against Number()
// (every value bit for bit) and against the csv-parse reader (the same events or the same error
// message on random and adversarial files), read whole, in random pieces and streamed from disk;
// Parquet read by hyparquet from files another implementation wrote; Arrow columns.
import { describe, expect, test } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decimal } from "../src/io/column.js";
import { CsvScanner, decimalBytes, NotPlainCsv } from "../src/io/csv-scan.js";
import { decodeCsvColumn, parseCsvColumn, parseCsvGeneral } from "../src/io/csv.js";
import { readColumn } from "../src/io/files.js";
import type { Column, ColumnChoice } from "../src/io/column.js";
import { arrowLayout } from "../src/io/arrow-file.js";
import { BumpscanError } from "../src/errors.js";
import { arrowColumn, parquetColumn } from "../src/io/columnar.js";
import { bytesRanges } from "../src/io/ranges.js";

const dir = mkdtempSync(join(tmpdir(), "bumpscan-readers-"));
const enc = (s: string) => new TextEncoder().encode(s);
const ascii = (s: string) => [...s].every((c) => c.charCodeAt(0) < 128);

/** A small seeded generator (mulberry32): the random cases are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ADVERSARIAL = [
  "0",
  "-0",
  "+0",
  "0.0",
  "-0.000",
  "0e0",
  "-0e-400",
  "00012.5000",
  ".5",
  "-.5",
  "+.5e-3",
  "5.",
  "7.e2",
  "1e22",
  "1e23",
  "9.999999999999999e22",
  "123456789012345e-22",
  "1234567890123456e-22",
  "9007199254740992",
  "9007199254740993",
  "9007199254740991",
  "9.007199254740991", // 16 digits: below 2^53, Clinger's path
  "9.007199254740993", // 16 digits: above 2^53, the long path
  "9.999999999999999e-5",
  "0.000000000000001",
  "-0.000000000000000",
  "1234567890.123456",
  "123456789012345.6",
  "1.234567890123456e-30",
  "900719925474099.1",
  "900719925474099.9",
  "18014398509481985",
  "0.1",
  "0.30000000000000004",
  "2.2250738585072011e-308",
  "2.2250738585072014e-308",
  "4.9e-324",
  "5e-324",
  "2.4703282292062327e-324",
  "2.4703282292062328e-324",
  "1e-400",
  "1.7976931348623157e308",
  "1.7976931348623158e308",
  "1.7976931348623159e308",
  "1e308",
  "1e309",
  "-1e309",
  "1e999",
  "0.1000000000000000055511151231257827021181583404541015625",
  "123456789012345678901234567890",
  "4.200000000000000178e+00",
  "1E5",
  "1e+05",
  "1e-05",
  "3.14159",
  "  42  ",
  "\t-1.5\r",
  "1e",
  "1e+",
  "e5",
  ".",
  "-",
  "+",
  "",
  " ",
  "1.2.3",
  "1e5.5",
  "--1",
  "+-1",
  "0x10",
  "0b1",
  "1_000",
  "Infinity",
  "-Infinity",
  "inf",
  "nan",
  "NaN",
  "4,2",
  "1 2",
  "١٢",
  "\u00a04.5\u00a0",
  "\ufeff7",
  "1e00000000000000000000005",
  "1e-00000000000000000000005",
  "0.000000000000000000000000000000000000000000001",
  "100000000000000000000000000000000000000e-38",
];

/** Random decimal text: fixed, shortest round trip, exponent forms, long mantissas, tiny and huge values. */
function randomNumber(r: () => number): string {
  const x = (r() - 0.5) * 10 ** Math.floor(r() * 40 - 20);
  switch (Math.floor(r() * 8)) {
    case 0:
      return x.toFixed(Math.floor(r() * 15));
    case 1:
      return String(x);
    case 2:
      return x.toExponential(Math.floor(r() * 20));
    case 3:
      return String(r() * 10 ** (Math.floor(r() * 640) - 330)); // subnormals to 1e308
    case 4: {
      const digits = Array.from({ length: 1 + Math.floor(r() * 25) }, () => Math.floor(r() * 10)).join("");
      const point = Math.floor(r() * (digits.length + 1));
      const mantissa = `${digits.slice(0, point)}.${digits.slice(point)}`.replace(/^\.$/, "0");
      return `${r() < 0.3 ? "-" : ""}${mantissa}${r() < 0.5 ? `e${Math.floor(r() * 700) - 350}` : ""}`;
    }
    case 5:
      return String(Math.floor(r() * 2 ** 60) * (r() < 0.5 ? 1 : -1));
    case 6:
      return x.toPrecision(1 + Math.floor(r() * 21));
    default:
      return ADVERSARIAL[Math.floor(r() * ADVERSARIAL.length)];
  }
}

const same = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  a.length === b.length && Array.from(a).every((x, i) => Object.is(x, b[i]));

describe("the number scanner", () => {
  test("adversarial texts give exactly decimal()'s value (and so Number()'s), or NaN where decimal() refuses", () => {
    for (const s of ADVERSARIAL) {
      const b = enc(`${s},`); // a delimiter after the field, as in a row
      const fast = decimalBytes(b, 0, b.length - 1);
      if (Number.isNaN(fast)) {
        // not a plain decimal in ASCII: the scanner's caller asks decimal() of the decoded text
        expect(/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(s) && ascii(s), s).toBe(false);
      } else expect(Object.is(fast, decimal(s)), `${s}: ${fast} vs ${decimal(s)}`).toBe(true);
    }
    expect(decimalBytes(enc("1e23"), 0, 4)).toBe(1e23);
    expect(decimalBytes(enc("9007199254740993"), 0, 16)).toBe(9007199254740992);
    expect(decimalBytes(enc("2.4703282292062328e-324"), 0, 23)).toBe(5e-324);
    expect(Object.is(decimalBytes(enc("-0.0"), 0, 4), -0)).toBe(true);
    expect(decimalBytes(enc("1.7976931348623159e308"), 0, 22)).toBe(Infinity);
  });

  test("200 000 random texts: bit for bit Number() of the same text", () => {
    const r = rng(1);
    let checked = 0;
    for (let n = 0; n < 200_000; n++) {
      const s = randomNumber(r);
      const b = enc(`${s}\n`);
      const fast = decimalBytes(b, 0, b.length - 1);
      const want = decimal(s);
      if (!Number.isNaN(want)) checked++;
      if (!Object.is(fast, want)) {
        // the only difference allowed: NaN from the scanner where decimal() trims non-ASCII blanks
        expect(Number.isNaN(fast) && !ascii(s), `${JSON.stringify(s)}: ${fast} vs ${want}`).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(150_000);
  });

  test("50 000 texts within 1e-19 of a midpoint between two doubles, 16 to 19 digits: Number()'s value", () => {
    for (const s of nearMidpoints(rng(2), 50_000)) {
      for (const text of [s, `-${s}`, s.replace(/e/, "0e")]) {
        const b = enc(`${text},`);
        expect(Object.is(decimalBytes(b, 0, b.length - 1), Number(text)), text).toBe(true);
      }
    }
  });
});

/**
 * Texts next to a midpoint between two neighbouring doubles, where a correctly rounded parser must
 * look at every digit: the exact midpoint's first 16 to 19 significant digits, truncated, and with
 * the last digit one up (the midpoints themselves have up to 767 digits).
 */
function nearMidpoints(r: () => number, count: number): string[] {
  const view = new DataView(new ArrayBuffer(8));
  const out: string[] = [];
  while (out.length < count) {
    view.setFloat64(0, (0.5 + r()) * 10 ** Math.floor(r() * 60 - 30));
    const bits = view.getBigUint64(0);
    const exp = Number((bits >> 52n) & 0x7ffn) - 1075; // x = mantissa · 2^exp
    const mantissa = (bits & ((1n << 52n) - 1n)) | (1n << 52n);
    // the midpoint (2·mantissa + 1)·2^(exp − 1) as digits · 10^-q
    const q = Math.max(0, 1 - exp);
    const digits = ((2n * mantissa + 1n) * (q > 0 ? 5n ** BigInt(q) : 2n ** BigInt(exp - 1))).toString();
    const n = 16 + Math.floor(r() * 4);
    const head = digits.slice(0, n);
    const decimals = q - (digits.length - n); // head · 10^-decimals
    for (const m of [BigInt(head), BigInt(head) + 1n]) out.push(`${m}e${-decimals}`);
  }
  return out;
}

/** A random CSV text, usually well formed, sometimes not; with the choice to read it with. */
function randomCsv(r: () => number): { text: string; choice: ColumnChoice } {
  const pick = <T>(a: T[]): T => a[Math.floor(r() * a.length)];
  const delim = pick([",", ",", ";", "\t"]);
  const eol = pick(["\n", "\n", "\r\n"]);
  const names = ["m", "w", "x"].slice(0, 1 + Math.floor(r() * 3));
  const quote = (s: string) => (r() < 0.1 ? `"${s}"` : r() < 0.1 ? ` ${s}  ` : s);
  const lines: string[] = [];
  if (r() < 0.2) lines.push("# written by a test", "");
  lines.push(names.map(quote).join(delim));
  const rows = Math.floor(r() * 30);
  for (let k = 0; k < rows; k++) {
    const u = r();
    if (u < 0.04) lines.push(pick(["", "   ", "# a comment, with; delimiters", '  # "quoted" comment', "\f"]));
    else if (u < 0.05)
      lines.push(
        names
          .concat(["extra"])
          .map(() => "1")
          .join(delim),
      ); // a field too many
    else if (u < 0.055) lines.push(pick(['"1""5"', '"1', "1\r2", '1"', '"1"x', "\u00a04.5"]));
    else {
      const fields = names.map(() => {
        const v = r() < 0.97 ? randomNumber(r) : pick(["", "nan", "inf", "abc"]);
        return r() < 0.08 ? `"${v}"` : r() < 0.08 ? ` ${v} ` : v;
      });
      if (fields.some((f) => f.trim() !== "")) lines.push(fields.join(delim) + (r() < 0.03 ? " # note" : ""));
    }
  }
  let text = lines.join(eol) + (r() < 0.7 ? eol : "") + (r() < 0.1 ? eol + eol : "");
  if (r() < 0.1) text = `\uFEFF${text}`;
  const choice: ColumnChoice = names.length === 1 && r() < 0.5 ? {} : { column: "m" };
  if (names.length > 1 && r() < 0.5) choice.weights = "w";
  return { text, choice };
}

function outcome(read: () => Column): { values?: number[]; weights?: number[]; error?: string } {
  try {
    const c = read();
    return { values: Array.from(c.values), weights: c.weights && Array.from(c.weights) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

describe("the CSV scanner against csv-parse", () => {
  test("3000 random files: the same events bit for bit, or the same error message", () => {
    const r = rng(7);
    let read = 0,
      refused = 0;
    for (let n = 0; n < 3000; n++) {
      const { text, choice } = randomCsv(r);
      const fast = outcome(() => parseCsvColumn(text, "r.csv", choice));
      const general = outcome(() => parseCsvGeneral(text, "r.csv", choice));
      expect(fast, JSON.stringify(text)).toEqual(general);
      if (fast.values) {
        // toEqual counts -0 as 0: compare bits as well
        expect(same(fast.values, general.values!), JSON.stringify(text)).toBe(true);
        read++;
      } else refused++;
    }
    expect(read).toBeGreaterThan(800);
    expect(refused).toBeGreaterThan(300);
  });

  test("a skipped field of bytes next to the four-at-a-time range ('.'..'9') is skipped as csv-parse reads it", () => {
    const r = rng(13);
    // bytes just outside the range and inside it, now and then one the scanner stops at or a non-ASCII one
    const [plain, special] = [[..."-./0189:e+"], [...';,#"\t\r é\u00ff']];
    const char = (a: string[]) => a[Math.floor(r() * a.length)];
    const field = () => Array.from({ length: Math.floor(r() * 12) }, () => char(r() < 0.97 ? plain : special));
    let read = 0;
    for (let n = 0; n < 2000; n++) {
      const rows = Array.from({ length: 1 + Math.floor(r() * 5) }, (_, k) => `${field().join("")},${k + 0.5}`);
      const text = `x,m\n${rows.join("\n")}\n`;
      const fast = outcome(() => parseCsvColumn(text, "s.csv", { column: "m" }));
      expect(fast, JSON.stringify(text)).toEqual(outcome(() => parseCsvGeneral(text, "s.csv", { column: "m" })));
      if (fast.values) read++;
    }
    expect(read).toBeGreaterThan(1000);
  });

  test("bytes pushed in random pieces, through one reused buffer, read as the whole", () => {
    const r = rng(11);
    let compared = 0;
    const scratch = new Uint8Array(8);
    for (let n = 0; n < 500; n++) {
      const { text, choice } = randomCsv(r);
      const bytes = enc(text);
      const whole = outcome(() => parseCsvColumn(text, "p.csv", choice));
      const pieces = outcome(() => {
        const s = new CsvScanner("p.csv", [choice.column, ...(choice.weights ? [choice.weights] : [])]);
        for (let at = 0; at < bytes.length; ) {
          const piece = bytes.subarray(at, at + 1 + Math.floor(r() * 7));
          scratch.set(piece);
          s.push(scratch.subarray(0, piece.length));
          scratch.fill(0x37); // the reader's next read overwrites the buffer: nothing of it may be kept
          at += piece.length;
        }
        const [values, weights] = s.end();
        return { values, weights };
      });
      if (pieces.error?.startsWith("not plain CSV")) continue; // handed to csv-parse, as the whole is
      expect(pieces, JSON.stringify(text)).toEqual(whole);
      compared++;
    }
    expect(compared).toBeGreaterThan(350);
  });

  test("CRLF, a byte order mark, comments, TSV, quoted fields, blank lines at the end", () => {
    const read = (t: string, c: ColumnChoice = { column: "m" }) => parseCsvColumn(t, "f.csv", c);
    expect(Array.from(read("m,w\r\n1.5,2\r\n-0.25,3\r\n\r\n\r\n").values)).toEqual([1.5, -0.25]);
    expect(Array.from(read("\uFEFF# comment\nm\n4.2\n", {}).values)).toEqual([4.2]);
    expect(Array.from(read("# a\n\n  # b\nm;w # names\n1;2 # first\n# between\n3;4\n\n\n").values)).toEqual([1, 3]);
    const tsv = read("x\tm\tw\n1\t 2.5 \t3\n4\t5e-1\t6\n", { column: "m", weights: "w" });
    expect(Array.from(tsv.values)).toEqual([2.5, 0.5]);
    expect(Array.from(tsv.weights!)).toEqual([3, 6]);
    const quoted = read('"m","w"\n"4.25","a, b; c # d"\n  "1e2"  ,""\n', { column: "m" });
    expect(Array.from(quoted.values)).toEqual([4.25, 100]);
    expect(Object.is(read("m\n-0\n").values[0], -0)).toBe(true);
    expect(Array.from(read("m\n1\n2").values)).toEqual([1, 2]); // no line end at the end
    expect(read("m\n").values).toHaveLength(0);
  });

  test("errors name the file, the line in the file and the column", () => {
    const fails = (t: string, c: ColumnChoice, msg: RegExp) => expect(() => parseCsvColumn(t, "e.csv", c)).toThrow(msg);
    fails("# c\nm,w\n1,1\n\n2,x\n", { column: "m", weights: "w" }, /^e\.csv line 5: column w is not a decimal number$/);
    fails("m\r\n1\r\n\r\nnan\r\n", {}, /^e\.csv line 4: column 1 is "nan", not a finite number$/);
    fails("m\n1\n1e400\n", { column: "m" }, /^e\.csv line 3: column m is out of range, not a finite number$/);
    fails('m\n"inf"\n', { column: "m" }, /^e\.csv line 2: column m is "inf", not a finite number$/);
    fails("m,w\n1,2\n3\n", { column: "m" }, /^e\.csv: not a readable CSV file \(line 3: a row has a different number/);
    fails('m\n"1""2"\n', { column: "m" }, /^e\.csv line 2: column m is not a decimal number$/); // csv-parse reads 1"2
    fails("", {}, /^e\.csv: empty file/);
    fails("\n# only a comment\n", {}, /^e\.csv: empty file/);
  });

  test("what the scanner leaves to csv-parse is read as before", () => {
    const cr = "m\r1.5\r2.5\r"; // classic Mac line ends
    expect(() => {
      const s = new CsvScanner("cr.csv", [undefined]);
      s.push(enc(cr));
      s.end();
    }).toThrow(NotPlainCsv);
    expect(Array.from(parseCsvColumn(cr, "cr.csv", {}).values)).toEqual([1.5, 2.5]);
    expect(Array.from(parseCsvColumn('m,w\n"1,5",2\n', "q.csv", { column: "w" }).values)).toEqual([2]);
    expect(() => parseCsvColumn('m\n"1\n2"\n3\n', "q.csv", {})).toThrow(/^q\.csv line 2: column 1 is not a decimal/);
  });
});

describe("CSV files on disk", () => {
  test("a file of several read chunks: every value, and a bad value's line near the end", async () => {
    const r = rng(3);
    const values = Array.from({ length: 200_000 }, () => randomNumber(r)).filter(
      (s) => /^[-+.\deE]+$/.test(s) && Number.isFinite(decimal(s)),
    );
    const path = join(dir, "big.csv");
    writeFileSync(path, `\uFEFF# big\r\nm,w\r\n${values.map((v, i) => `${v},${i % 7}`).join("\r\n")}\r\n`);
    const c = await readColumn(path, { column: "m", weights: "w" });
    expect(same(c.values, values.map(Number))).toBe(true);
    expect(c.weights![values.length - 1]).toBe((values.length - 1) % 7);
    writeFileSync(path, `m\n${values.slice(0, 150_000).join("\n")}\n1.5x\n2\n`);
    await expect(readColumn(path, { column: "m" })).rejects.toThrow(
      new RegExp(`big\\.csv line ${150_002}: column m is not a decimal number$`),
    );
  });

  test("a file the scanner hands to csv-parse, and a Blob read as a stream", async () => {
    const path = join(dir, "escaped.csv");
    writeFileSync(path, 'name,m\n"a ""quoted"" name",4.5\nb,5.5\n');
    expect(Array.from((await readColumn(path, { column: "m" })).values)).toEqual([4.5, 5.5]);
    const blob = new Blob([enc("m\n1\n"), enc("2.5\n3"), enc("e-1\n")]);
    expect(Array.from((await decodeCsvColumn(blob, "b.csv", {})).values)).toEqual([1, 2.5, 0.3]);
  });
});

describe("Parquet (hyparquet) from files parquet-wasm wrote", () => {
  const n = 3000;
  const m = Float64Array.from({ length: n }, (_, i) => 0.5 + Math.sin(i) * 0.25 + i / 1000);
  const w = Float32Array.from({ length: n }, (_, i) => 0.5 + (i % 5) / 3);

  async function writeParquet(columns: Record<string, unknown>, compression?: string, rowGroup?: number) {
    const arrow = await import("apache-arrow");
    const pq = await import("parquet-wasm/node");
    const table = new arrow.Table(columns as Record<string, import("apache-arrow").Vector>);
    let props = new pq.WriterPropertiesBuilder();
    if (compression) props = props.setCompression(pq.Compression[compression as keyof typeof pq.Compression]);
    if (rowGroup) props = props.setMaxRowGroupSize(rowGroup);
    return pq.writeParquet(pq.Table.fromIPCStream(arrow.tableToIPC(table, "stream")), props.build());
  }

  test("every codec, float32 weights, several row groups: the same numbers, from disk and from bytes", async () => {
    const { makeVector } = await import("apache-arrow");
    for (const codec of ["UNCOMPRESSED", "SNAPPY", "ZSTD", "GZIP", "BROTLI", "LZ4_RAW"]) {
      const bytes = await writeParquet({ m: makeVector(m), w: makeVector(w) }, codec, 700);
      const path = join(dir, `${codec}.parquet`);
      writeFileSync(path, bytes);
      const disk = await readColumn(path, { column: "m", weights: "w" });
      expect(same(disk.values, m), codec).toBe(true);
      expect(same(disk.weights!, Float64Array.from(w)), codec).toBe(true);
      const { decodeColumn } = await import("../src/io/decode.js");
      expect(same((await decodeColumn("x.parquet", bytes, { column: "m" })).values, m), codec).toBe(true);
    }
  });

  test("integer columns; a null, a NaN and a string name their row", async () => {
    const arrow = await import("apache-arrow");
    const ints = await writeParquet({
      i32: arrow.makeVector(Int32Array.from({ length: 10 }, (_, i) => i - 5)),
      i64: arrow.makeVector(BigInt64Array.from({ length: 10 }, (_, i) => BigInt(i) * 1000000000000n)),
    });
    writeFileSync(join(dir, "ints.parquet"), ints);
    expect(Array.from((await readColumn(join(dir, "ints.parquet"), { column: "i32" })).values)).toEqual([
      -5, -4, -3, -2, -1, 0, 1, 2, 3, 4,
    ]);
    expect((await readColumn(join(dir, "ints.parquet"), { column: "i64" })).values[9]).toBe(9e12);
    const withNull = arrow.vectorFromArray([1.5, 2.5, null, 4.5], new arrow.Float64());
    writeFileSync(join(dir, "null.parquet"), await writeParquet({ m: withNull }));
    await expect(readColumn(join(dir, "null.parquet"), { column: "m" })).rejects.toThrow(
      /null\.parquet row 3: column m is null, not a finite number$/,
    );
    const nan = Float64Array.from(m);
    nan[2345] = Number.NaN;
    writeFileSync(join(dir, "nan.parquet"), await writeParquet({ m: arrow.makeVector(nan) }, "SNAPPY", 1000));
    await expect(readColumn(join(dir, "nan.parquet"), { column: "m" })).rejects.toThrow(
      /nan\.parquet row 2346: column m is NaN, not a finite number$/,
    );
    const text = arrow.vectorFromArray(["secret", "4.2"], new arrow.Utf8());
    writeFileSync(join(dir, "text.parquet"), await writeParquet({ m: text }));
    await expect(readColumn(join(dir, "text.parquet"), { column: "m" })).rejects.toThrow(
      /text\.parquet row 1: column m is a string, not a finite number$/,
    );
    const truncated = ints.slice(0, ints.length - 20);
    writeFileSync(join(dir, "cut.parquet"), truncated);
    await expect(readColumn(join(dir, "cut.parquet"), { column: "i32" })).rejects.toThrow(
      /cut\.parquet: not a readable Parquet file/,
    );
  });
});

describe("Parquet pages read straight into doubles", () => {
  const n = 5000;
  const random = rng(77);
  const columns = {
    m: Float64Array.from({ length: n }, () => 4 + 2 * random()), // distinct: a dictionary that falls back
    five: Float64Array.from({ length: n }, (_, i) => 0.5 + (i % 5) / 3), // 3-bit dictionary indices
    runs: Float64Array.from({ length: n }, (_, i) => Math.floor(i / 700) + 0.25), // long RLE runs
    f32: Float32Array.from({ length: n }, () => random() * 10),
    i32: Int32Array.from({ length: n }, () => Math.floor((random() - 0.5) * 2 ** 31)),
    i64: BigInt64Array.from({ length: n }, () => BigInt(Math.floor((random() - 0.5) * 2 ** 53))),
  };

  /** A Parquet file of the columns (nullable or not) by parquet-wasm, with a writer's options. */
  async function written(options: {
    codec: string;
    version: number;
    dictionary: boolean;
    page: number;
    group: number;
    nullable: boolean;
    byteStreamSplit?: boolean;
  }) {
    const arrow = await import("apache-arrow");
    const pq = await import("parquet-wasm/node");
    const vectors = Object.fromEntries(
      Object.entries(columns).map(([name, values]) => [
        name,
        options.nullable
          ? arrow.vectorFromArray(
              values as unknown as number[],
              values instanceof BigInt64Array
                ? new arrow.Int64()
                : values instanceof Int32Array
                  ? new arrow.Int32()
                  : values instanceof Float32Array
                    ? new arrow.Float32()
                    : new arrow.Float64(),
            )
          : arrow.makeVector(values),
      ]),
    );
    const table = new arrow.Table(vectors);
    let builder = new pq.WriterPropertiesBuilder()
      .setCompression(pq.Compression[options.codec as keyof typeof pq.Compression])
      .setWriterVersion(options.version)
      .setDictionaryEnabled(options.dictionary)
      .setDataPageSizeLimit(options.page)
      .setDictionaryPageSizeLimit(options.page)
      .setMaxRowGroupSize(options.group);
    if (options.byteStreamSplit) builder = builder.setEncoding(pq.Encoding.BYTE_STREAM_SPLIT);
    const props = builder.build();
    return pq.writeParquet(pq.Table.fromIPCStream(arrow.tableToIPC(table, "stream")), props);
  }

  /** Each column chunk through the page reader: every one must be read, equal to the source. */
  async function readPages(bytes: Uint8Array, label: string, version2: boolean) {
    const { parquetMetadata, parquetSchema } = await import("hyparquet");
    const { PageReader } = await import("../src/io/parquet-pages.js");
    const { snappyInto } = await import("../src/io/snappy.js");
    const { compressors } = await import("hyparquet-compressors");
    const metadata = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    const schema = parquetSchema(metadata).children;
    const reader = new PageReader(bytesRanges(bytes));
    let skipped = 0;
    for (const [name, source] of Object.entries(columns)) {
      const element = schema.find((c) => c.element.name === name)!.element;
      const out = new Float64Array(n);
      let at = 0;
      for (const group of metadata.row_groups) {
        const meta = group.columns.find((c) => c.meta_data!.path_in_schema[0] === name)!.meta_data!;
        const decode = compressors[meta.codec as keyof typeof compressors];
        const decompress =
          meta.codec === "UNCOMPRESSED"
            ? undefined
            : meta.codec === "SNAPPY"
              ? snappyInto
              : (input: Uint8Array, output: Uint8Array) => output.set(decode!(input, output.length));
        const rows = Number(group.num_rows);
        const read = await reader.chunk(meta, element, decompress, out.subarray(at, at + rows));
        // v2 writers store integers that outgrow a dictionary as DELTA_BINARY_PACKED: left to hyparquet
        if (!read && version2 && meta.type.startsWith("INT") && meta.encodings.includes("DELTA_BINARY_PACKED")) {
          out.set(Float64Array.from(source.subarray(at, at + rows), Number), at);
          skipped++;
        } else expect(read, `${label} ${name}`).toBe(true);
        at += rows;
      }
      expect(same(out, Float64Array.from(source, Number)), `${label} ${name}`).toBe(true);
    }
    return skipped;
  }

  test("v1 and v2 pages, PLAIN and dictionaries, nullable or not, 4 codecs, 4 types: every chunk read", async () => {
    for (const codec of ["UNCOMPRESSED", "SNAPPY", "ZSTD", "GZIP"])
      for (const version of [0, 1])
        for (const dictionary of [true, false])
          for (const nullable of [false, true]) {
            const page = codec === "SNAPPY" ? 1 << 20 : 4096;
            const bytes = await written({ codec, version, dictionary, page, group: 1800, nullable });
            const label = `${codec} v${version + 1} dictionary ${dictionary} nullable ${nullable}`;
            const skipped = await readPages(bytes, label, version === 1);
            expect(skipped, label).toBeLessThanOrEqual(version === 1 ? 6 : 0); // i32 and i64 in 3 row groups
          }
  });

  test("BYTE_STREAM_SPLIT pages of every type, v1 and v2, nullable or not: every chunk read", async () => {
    for (const codec of ["UNCOMPRESSED", "ZSTD"])
      for (const version of [0, 1])
        for (const nullable of [false, true]) {
          const options = {
            codec,
            version,
            dictionary: false,
            page: 4096,
            group: 1800,
            nullable,
            byteStreamSplit: true,
          };
          const bytes = await written(options);
          const label = `BYTE_STREAM_SPLIT ${codec} v${version + 1} nullable ${nullable}`;
          expect(await readPages(bytes, label, false), label).toBe(0);
        }
  });

  test("readColumn from disk: the same numbers as hyparquet's; what it leaves, hyparquet reads", async () => {
    const { parquetReadObjects } = await import("hyparquet");
    const { compressors } = await import("hyparquet-compressors");
    const bytes = await written({
      codec: "ZSTD",
      version: 1,
      dictionary: true,
      page: 2048,
      group: 3000,
      nullable: true,
    });
    const path = join(dir, "pages.parquet");
    writeFileSync(path, bytes);
    const rows = await parquetReadObjects({ file: bytes.buffer as ArrayBuffer, compressors });
    for (const name of Object.keys(columns)) {
      const { values } = await readColumn(path, { column: name });
      expect(
        same(
          values,
          Float64Array.from(rows, (r) => Number(r[name])),
        ),
        name,
      ).toBe(true);
    }
    // unsigned integers are not read by pages (hyparquet reads them), beside BYTE_STREAM_SPLIT floats
    const arrow = await import("apache-arrow");
    const pq = await import("parquet-wasm/node");
    const u32 = Uint32Array.from({ length: 100 }, (_, i) => 4e9 + i);
    const table = new arrow.Table({ u: arrow.makeVector(u32), m: arrow.makeVector(columns.m.subarray(0, 100)) });
    const props = new pq.WriterPropertiesBuilder()
      .setDictionaryEnabled(false)
      .setColumnEncoding("m", pq.Encoding.BYTE_STREAM_SPLIT)
      .build();
    writeFileSync(path, pq.writeParquet(pq.Table.fromIPCStream(arrow.tableToIPC(table, "stream")), props));
    const both = await readColumn(path, { column: "m", weights: "u" });
    expect(same(both.values, columns.m.subarray(0, 100))).toBe(true);
    expect(same(both.weights!, Float64Array.from(u32))).toBe(true);
  });

  test("a column named a.b beside a struct a with a field b: the column, not the struct's field", async () => {
    const arrow = await import("apache-arrow");
    const pq = await import("parquet-wasm/node");
    const struct = new arrow.Struct([new arrow.Field("b", new arrow.Float64(), false)]);
    const fields = [new arrow.Field("a", struct, false), new arrow.Field("a.b", new arrow.Float64(), false)];
    const schema = new arrow.Schema(fields);
    const doubles = (xs: number[]) =>
      arrow.makeData({ type: new arrow.Float64(), length: 3, data: Float64Array.from(xs) });
    const a = arrow.makeData({ type: struct, length: 3, nullCount: 0, children: [doubles([100, 200, 300])] });
    const rows = arrow.makeData({
      type: new arrow.Struct(fields),
      length: 3,
      nullCount: 0,
      children: [a, doubles([1, 2, 3])],
    });
    const table = new arrow.Table(schema, new arrow.RecordBatch(schema, rows));
    const bytes = pq.writeParquet(pq.Table.fromIPCStream(arrow.tableToIPC(table, "stream")));
    const { values } = await parquetColumn(bytesRanges(bytes), "dots.parquet", { column: "a.b" });
    expect(Array.from(values)).toEqual([1, 2, 3]);
  });

  test("a page header of negative size is refused (the reader does not loop for ever)", async () => {
    const { PageReader } = await import("../src/io/parquet-pages.js");
    // an index page (field 1 = 1) of 0 bytes uncompressed, -7 stored: its own header's length back
    const header = Uint8Array.of(0x15, 0x02, 0x15, 0x00, 0x15, 13, 0x00);
    const bytes = new Uint8Array(64);
    bytes.set(header);
    const meta = {
      type: "DOUBLE",
      codec: "UNCOMPRESSED",
      data_page_offset: 0n,
      total_compressed_size: 64n,
      num_values: 4n,
      encodings: ["PLAIN"],
      path_in_schema: ["x"],
      total_uncompressed_size: 64n,
    } as import("hyparquet").ColumnMetaData;
    const reader = new PageReader(bytesRanges(bytes));
    const element = { name: "x", type: "DOUBLE", repetition_type: "REQUIRED" } as const;
    expect(await reader.chunk(meta, element, undefined, new Float64Array(4))).toBe(false);
  });

  test("a row group of -1 rows: 'not a readable Parquet file', not a RangeError", async () => {
    const bytes = await written({
      codec: "UNCOMPRESSED",
      version: 0,
      dictionary: false,
      page: 1 << 20,
      group: 4,
      nullable: false,
    });
    const small = bytes.slice();
    // num_rows (i64 field 3 of a row group, and field 3 of the footer) of 4: zigzag 8 → 1, that is -1
    const footer = small.length - 8 - new DataView(small.buffer).getUint32(small.length - 8, true);
    let patched = 0;
    for (let i = footer; i < small.length - 8; i++)
      if (small[i] === 0x16 && small[i + 1] === 0x08) {
        small[i + 1] = 0x01;
        patched++;
      }
    expect(patched).toBeGreaterThan(0);
    await expect(parquetColumn(bytesRanges(small), "neg.parquet", { column: "m" })).rejects.toThrow(
      /^neg\.parquet: not a readable Parquet file \(a row group of -1 rows\)$/,
    );
  });

  test("600 one-byte corruptions of pages: hyparquet's numbers where it reads them, else one line", async () => {
    const { parquetMetadata, parquetReadObjects } = await import("hyparquet");
    const { parquetHeader } = await import("hyparquet/src/column.js");
    const { compressors } = await import("hyparquet-compressors");
    const base = await written({
      codec: "SNAPPY",
      version: 0,
      dictionary: true,
      page: 1024,
      group: 2500,
      nullable: true,
    });
    // where the pages of column "five" start: the corruptions fall on their headers, levels and indices
    const starts: number[] = [];
    for (const group of parquetMetadata(base.buffer as ArrayBuffer).row_groups) {
      const meta = group.columns.find((c) => c.meta_data!.path_in_schema[0] === "five")!.meta_data!;
      const reader = {
        view: new DataView(base.buffer),
        offset: Number(meta.dictionary_page_offset || meta.data_page_offset),
      };
      const end = reader.offset + Number(meta.total_compressed_size);
      while (reader.offset < end) {
        starts.push(reader.offset);
        reader.offset += parquetHeader(reader).compressed_page_size;
      }
    }
    const random = rng(5);
    const outcomes = { same: 0, refused: 0, hyparquetFails: 0 };
    for (let k = 0; k < 600; k++) {
      const bytes = Uint8Array.from(base);
      bytes[starts[Math.floor(random() * starts.length)] + Math.floor(random() * 48)] ^= 1 << Math.floor(random() * 8);
      const ours = await parquetColumn(new Blob([bytes]), "c.parquet", { column: "five" }).then(
        (c) => c.values,
        (e: Error) => e,
      );
      const theirs = await parquetReadObjects({
        file: bytes.buffer as ArrayBuffer,
        compressors,
        columns: ["five"],
      }).then(
        (rows) => Float64Array.from(rows, (r) => Number(r.five)),
        (e: Error) => e,
      );
      if (ours instanceof Error) {
        expect(ours, String(ours)).toBeInstanceOf(BumpscanError);
        expect(ours.message).toMatch(/^c\.parquet(: not a readable Parquet file \(| row \d+: column five is )/);
        expect(ours.message).not.toContain("\n");
        outcomes.refused++;
      } else if (theirs instanceof Error) outcomes.hyparquetFails++;
      else {
        expect(same(ours, theirs), `corruption ${k}`).toBe(true);
        outcomes.same++;
      }
    }
    expect(outcomes.same, JSON.stringify(outcomes)).toBeGreaterThan(100);
    expect(outcomes.refused, JSON.stringify(outcomes)).toBeGreaterThan(100);
  });
});

describe("Parquet files of other writers (test/fixtures/parquet)", () => {
  const fixture = (name: string) => join("test/fixtures/parquet", name);

  test("parquet-mr v2 pages: dictionary doubles read by pages, DELTA_BINARY_PACKED integers by hyparquet", async () => {
    const path = fixture("datapage_v2.snappy.parquet");
    expect(Array.from((await readColumn(path, { column: "c" })).values)).toEqual([2, 3, 4, 5, 2]);
    expect(Array.from((await readColumn(path, { column: "b" })).values)).toEqual([1, 2, 3, 4, 5]);
    await expect(readColumn(path, { column: "a" })).rejects.toThrow(
      /row 1: column a is a string, not a finite number$/,
    );
  });

  test("a footer that counts 0 rows: the row groups' 6 are read (not 0 events, no unhandled rejection)", async () => {
    const { values } = await readColumn(fixture("repeated_no_annotation.parquet"), { column: "id" });
    expect(Array.from(values)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe("snappy", () => {
  test("blocks hysnappy compressed, of random, repetitive and mixed bytes: the same bytes back", async () => {
    const { snappyCompress } = await import("hysnappy");
    const { snappyInto } = await import("../src/io/snappy.js");
    const random = rng(3);
    for (let k = 0; k < 200; k++) {
      const length = Math.floor(random() ** 3 * 300000);
      const period = 1 + Math.floor(random() * 40);
      const kind = k % 3;
      const data = Uint8Array.from({ length }, (_, i) =>
        kind === 0 ? random() * 256 : kind === 1 ? i % period : i % period < 3 ? random() * 256 : 7,
      );
      const out = new Uint8Array(length);
      snappyInto(snappyCompress(data), out);
      expect(same(Float64Array.from(out), Float64Array.from(data)), `block ${k}`).toBe(true);
    }
  });

  test("a damaged block throws SnappyCorrupt (never a hang, never bytes of another length)", async () => {
    const { snappyCompress } = await import("hysnappy");
    const { snappyInto, SnappyCorrupt } = await import("../src/io/snappy.js");
    const random = rng(4);
    const data = Uint8Array.from({ length: 5000 }, (_, i) => (i % 97 < 10 ? random() * 256 : i % 13));
    const block = snappyCompress(data);
    let thrown = 0;
    for (let k = 0; k < 2000; k++) {
      const bad = Uint8Array.from(block.subarray(0, k % 7 === 0 ? Math.floor(random() * block.length) : block.length));
      bad[Math.floor(random() * bad.length)] ^= 1 + Math.floor(random() * 255);
      try {
        snappyInto(bad, new Uint8Array(data.length));
      } catch (e) {
        expect(e).toBeInstanceOf(SnappyCorrupt);
        thrown++;
      }
    }
    expect(thrown).toBeGreaterThan(500);
  });
});

describe("Arrow columns", () => {
  test("float32, int64 and a nullable column; a null names its row", async () => {
    const arrow = await import("apache-arrow");
    const f32 = Float32Array.from({ length: 1000 }, (_, i) => i / 7);
    const table = new arrow.Table({
      f: arrow.makeVector(f32),
      i: arrow.makeVector(BigInt64Array.from({ length: 1000 }, (_, i) => BigInt(i))),
      n: arrow.vectorFromArray(
        Array.from({ length: 1000 }, (_, i) => (i === 777 ? null : i / 2)),
        new arrow.Float64(),
      ),
    });
    const bytes = arrow.tableToIPC(table, "file");
    writeFileSync(join(dir, "types.arrow"), bytes);
    const c = await readColumn(join(dir, "types.arrow"), { column: "f", weights: "i" });
    expect(same(c.values, Float64Array.from(f32))).toBe(true);
    expect(c.weights![999]).toBe(999);
    await expect(readColumn(join(dir, "types.arrow"), { column: "n" })).rejects.toThrow(
      /types\.arrow row 778: column n is null, not a finite number$/,
    );
  });

  test("read without apache-arrow: every number type after strings and booleans, over record batches", async () => {
    const arrow = await import("apache-arrow");
    const n = 700;
    const ramp = (f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
    const numbers = {
      i8: Int8Array.from(ramp((i) => (i % 256) - 128)),
      u16: Uint16Array.from(ramp((i) => i * 93)),
      i32: Int32Array.from(ramp((i) => i * 3_000_001 - 1e9)),
      u32: Uint32Array.from(ramp((i) => i * 6_000_001)),
      i64: BigInt64Array.from(
        ramp((i) => i * 1e12 - 3e14),
        BigInt,
      ),
      u64: BigUint64Array.from(
        ramp((i) => i * 1e13),
        BigInt,
      ),
      f32: Float32Array.from(ramp((i) => i / 7 - 11)),
      f64: Float64Array.from(ramp((i) => Math.sin(i) * 1e3)),
    };
    const batches = [0, 250, 251, 700].slice(1).map((end, b, ends) => {
      const start = b === 0 ? 0 : ends[b - 1];
      return new arrow.Table({
        name: arrow.vectorFromArray(ramp((i) => `event ${i}`).slice(start, end), new arrow.Utf8()),
        ok: arrow.vectorFromArray(ramp((i) => i % 3 === 0).slice(start, end), new arrow.Bool()),
        ...Object.fromEntries(Object.entries(numbers).map(([k, v]) => [k, arrow.makeVector(v.slice(start, end))])),
      }).batches[0];
    });
    const bytes = arrow.tableToIPC(new arrow.Table(batches), "file");
    const layout = await arrowLayout(bytesRanges(bytes));
    expect(layout?.names).toEqual(["name", "ok", ...Object.keys(numbers)]);
    expect(layout?.batches.map((b) => b.rows)).toEqual([250, 1, 449]);
    expect(layout?.types.slice(0, 3)).toEqual([undefined, undefined, { float: false, bits: 8, signed: true }]);
    for (const [name, v] of Object.entries(numbers)) {
      const c = await arrowColumn(bytes, "t.arrow", { column: name, weights: "f64" });
      expect(same(c.values, Float64Array.from(v as ArrayLike<number | bigint>, Number)), name).toBe(true);
      expect(same(c.weights!, numbers.f64)).toBe(true);
    }
    // the same through a file handle, and a wanted column of no number type from apache-arrow, with its message
    const path = join(dir, "types-direct.arrow");
    writeFileSync(path, bytes);
    expect(same((await readColumn(path, { column: "u64" })).values, Float64Array.from(numbers.u64, Number))).toBe(true);
    await expect(readColumn(path, { column: "name" })).rejects.toThrow(/row 1: column name is a string, not a finite/);
    await expect(readColumn(path, { column: "none" })).rejects.toThrow(
      /types-direct\.arrow has no column "none" \(columns: name, ok, i8, u16, i32, u32, i64, u64, f32, f64\)$/,
    );
  });

  test("a stream goes to apache-arrow; a damaged file: read, refused as corrupt or left to apache-arrow", async () => {
    const arrow = await import("apache-arrow");
    const m = Float64Array.from({ length: 300 }, (_, i) => i / 3);
    const table = arrow.tableFromArrays({ m, w: Float64Array.from(m, (x) => 2 * x) });
    const stream = arrow.tableToIPC(table, "stream");
    expect(await arrowLayout(bytesRanges(stream))).toBeUndefined();
    expect(same((await arrowColumn(stream, "s.arrows", { column: "m" })).values, m)).toBe(true);
    const file = arrow.tableToIPC(table, "file");
    const r = rng(5);
    const seen = { read: 0, corrupt: 0, unsupported: 0 };
    for (let k = 0; k < 600; k++) {
      // a byte of the batch's header or the footer changed (the values' bytes are data); apache-arrow,
      // which takes what this reader leaves, is not run here: some damage makes it take seconds
      const bad = file.slice();
      const at = r() < 0.3 ? 8 + Math.floor(r() * 192) : file.length - 1 - Math.floor(r() * 220);
      bad[at] ^= 1 + Math.floor(r() * 255);
      const layout = await arrowLayout(bytesRanges(bad)).catch((e: Error) => e);
      if (layout instanceof Error) {
        expect(layout.constructor.name, `byte ${at}: ${layout.message}`).toBe("ArrowCorrupt");
        await expect(arrowColumn(bad, "d.arrow", { column: "w" })).rejects.toThrow(
          /^d\.arrow: not a readable Arrow IPC file \(corrupt: /,
        );
        seen.corrupt++;
      } else if (layout === undefined) seen.unsupported++;
      else {
        const read = await arrowColumn(bad, "d.arrow", { column: layout.names[1] ?? "w" }).catch((e: Error) => e);
        if (read instanceof Error) expect(read instanceof BumpscanError, read.message).toBe(true);
        else expect(read.values.length).toBeLessThanOrEqual(300);
        seen.read++;
      }
    }
    expect(Math.min(seen.read, seen.corrupt, seen.unsupported), JSON.stringify(seen)).toBeGreaterThan(30);
  });
});
