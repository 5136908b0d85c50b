// Event files decoded from bytes (what the browser does with a dropped file) in every format, and
// ROOT TTrees (a file the test writes: test/root-file.ts) read by branch, with errors naming the
// file, tree, branch or entry.
import { describe, expect, test } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeColumn, formatOf } from "../src/io/decode.js";
import { readColumn } from "../src/io/files.js";
import { writeRootFile } from "./root-file.js";

const dir = mkdtempSync(join(tmpdir(), "bumpscan-io-"));
const masses = Float64Array.from({ length: 2500 }, (_, i) => 0.5 + (i * 7) / 2500);
const enc = (s: string) => new TextEncoder().encode(s);

describe("ROOT TTrees", () => {
  const path = join(dir, "events.root");
  writeFileSync(
    path,
    writeRootFile(
      "events",
      [
        { name: "mass", values: masses },
        { name: "w", values: Float64Array.from(masses, (_, i) => 1 + (i % 3)), type: "F" },
        { name: "run", values: Float64Array.from(masses, (_, i) => 1000 + i), type: "I" },
      ],
      1000,
    ),
  ); // three baskets per branch

  test("a branch by name, across baskets, with weights from a float branch", async () => {
    const c = await readColumn(path, { tree: "events", column: "mass", weights: "w" });
    expect(c.values).toEqual(masses);
    expect(Array.from(c.weights!.slice(0, 4))).toEqual([1, 2, 3, 1]);
    const ints = await readColumn(path, { column: "run" }); // the only tree
    expect(ints.values[2499]).toBe(3499);
  });

  test("the same from the file's bytes (a browser File, read in pieces, is tested in test/e2e)", async () => {
    const bytes = writeRootFile("t", [{ name: "m", values: masses }]);
    expect((await decodeColumn("x.root", bytes)).values).toEqual(masses); // the only branch
  });

  test("errors name the file, the tree and the branches", async () => {
    await expect(readColumn(path, { column: "energy" })).rejects.toThrow(
      /events\.root tree events has no branch "energy" \(branches: mass, w, run\)/,
    );
    await expect(readColumn(path, { tree: "ntuple", column: "mass" })).rejects.toThrow(
      /events\.root has no TTree "ntuple" \(trees: events\)/,
    );
    await expect(readColumn(path, {})).rejects.toThrow(
      /tree events has branches mass, w, run: name one in the spec's data\.column/,
    );
    await expect(decodeColumn("bad.root", enc("this is not ROOT"))).rejects.toThrow(
      /bad\.root: not a readable ROOT file/,
    );
    await expect(readColumn(join(dir, "absent.root"))).rejects.toThrow(/cannot read data file .*absent\.root: ENOENT/);
    const nan = writeRootFile("events", [{ name: "mass", values: [1, 2, NaN, 4] }]);
    await expect(decodeColumn("nan.root", nan)).rejects.toThrow(
      /nan\.root tree events entry 2: branch mass is NaN, not a finite number/,
    );
  });
});

describe("every format from bytes", () => {
  test("the extension picks the format", () => {
    expect(
      ["a.csv", "a.tsv", "a.json", "a.root", "a.parquet", "a.feather", "A.ARROW", "a.arrows"].map(formatOf),
    ).toEqual(["csv", "csv", "json", "root", "parquet", "arrow", "arrow", "arrow"]);
  });

  test("CSV, TSV, JSON, Parquet and Arrow give the same events", async () => {
    const { tableFromArrays, tableToIPC } = await import("apache-arrow");
    const { writeParquet, Table } = await import("parquet-wasm/node");
    const table = tableFromArrays({ m: masses, other: new Float64Array(masses.length) });
    const files: [string, Uint8Array][] = [
      ["e.csv", enc("# masses\nm,other\n" + Array.from(masses, (m) => `${m},0`).join("\n"))],
      ["e.tsv", enc("m\tother\n" + Array.from(masses, (m) => `${m}\t0`).join("\n"))],
      ["e.json", enc(JSON.stringify(Array.from(masses, (m) => ({ m, other: 0 }))))],
      ["e.parquet", writeParquet(Table.fromIPCStream(tableToIPC(table, "stream")))],
      ["e.arrow", tableToIPC(table, "file")],
    ];
    for (const [name, bytes] of files)
      expect((await decodeColumn(name, bytes, { column: "m" })).values, name).toEqual(masses);
  });

  test("bad text names the file and line", async () => {
    await expect(decodeColumn("b.csv", enc("m\n1\n\n# note\nnope\n"), {})).rejects.toThrow(
      /^b\.csv line 5: column 1 is not a decimal number$/,
    ); // the cell is not quoted: it is file content
    await expect(decodeColumn("b.csv", enc(""), {})).rejects.toThrow(/b\.csv: empty file/);
    await expect(decodeColumn("b.csv", enc('m\n"1\n'), {})).rejects.toThrow(
      /b\.csv: not a readable CSV file \(line \d+: a quote is not closed\)/,
    );
    await expect(decodeColumn("b.json", enc("[1, 2,"), {})).rejects.toThrow(/b\.json is not valid JSON/);
    await expect(decodeColumn("b.parquet", enc("PAR1 not really"), {})).rejects.toThrow(
      /b\.parquet: not a readable Parquet file/,
    );
  });
});

describe("columnar files on disk, read in pieces", () => {
  test("Parquet row groups and Arrow record batches join in order; a bad value names its row in the file", async () => {
    const { tableFromArrays, tableToIPC, Table } = await import("apache-arrow");
    const pq = await import("parquet-wasm/node");
    const table = tableFromArrays({ m: masses, w: new Float64Array(masses.length).fill(0.5) });
    const props = new pq.WriterPropertiesBuilder().setMaxRowGroupSize(400).build(); // 7 row groups
    writeFileSync(
      join(dir, "groups.parquet"),
      pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(table, "stream")), props),
    );
    // five record batches of 500 rows
    const batches = Array.from(
      { length: 5 },
      (_, k) =>
        tableFromArrays({ m: masses.slice(500 * k, 500 * (k + 1)), w: new Float64Array(500).fill(0.5) }).batches[0],
    );
    writeFileSync(join(dir, "batches.arrow"), tableToIPC(new Table(batches), "file"));
    writeFileSync(join(dir, "batches.arrows"), tableToIPC(new Table(batches), "stream"));
    for (const file of ["groups.parquet", "batches.arrow", "batches.arrows"]) {
      const c = await readColumn(join(dir, file), { column: "m", weights: "w" });
      expect(c.values, file).toEqual(masses);
      expect(c.weights![2499], file).toBe(0.5);
    }
    const bad = Float64Array.from(masses);
    bad[1234] = NaN;
    const withNaN = Array.from(
      { length: 5 },
      (_, k) => tableFromArrays({ m: bad.slice(500 * k, 500 * (k + 1)) }).batches[0],
    );
    writeFileSync(join(dir, "nan.arrow"), tableToIPC(new Table(withNaN), "file"));
    await expect(readColumn(join(dir, "nan.arrow"), { column: "m" })).rejects.toThrow(
      /nan\.arrow row 1235: column m is NaN, not a finite number/,
    );
    await expect(readColumn(join(dir, "groups.parquet"), { column: "mass" })).rejects.toThrow(
      /groups\.parquet has no column "mass" \(columns: m, w\)/,
    );
  });
});
