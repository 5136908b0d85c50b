// data.cut and data.expr on every format: the same events as the cut and expression computed in
// JavaScript, the passing count, the errors (a missing column by field and position, column and
// expr together, a value that is not a number, jagged and list columns), and a fit with a cut
// equal to a fit on the file cut beforehand.
import { describe, expect, test } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeColumn } from "../src/io/decode.js";
import { readColumn } from "../src/io/files.js";
import { loadSpecData } from "../src/io/data.js";
import { rootBranchProblem } from "../src/io/root.js";
import { parseSpec } from "../src/model/parse.js";
import { fitAtMass as fit } from "../src/job/mass-job.js";
import { writeRootFile } from "./root-file.js";

const dir = mkdtempSync(join(tmpdir(), "bumpscan-selection-"));
const enc = (s: string) => new TextEncoder().encode(s);
const N = 3000;
// px, py from a fixed pattern; nTracks 0..3; w 0.5..2
const px = Float64Array.from({ length: N }, (_, i) => 5 * Math.sin(i * 0.37));
const py = Float64Array.from({ length: N }, (_, i) => 5 * Math.cos(i * 0.11));
const nTracks = Float64Array.from({ length: N }, (_, i) => (i * 7) % 4);
const cosTheta = Float64Array.from({ length: N }, (_, i) => Math.cos(i * 0.91));
const w = Float64Array.from({ length: N }, (_, i) => 0.5 + (i % 4) * 0.5);
const cols = { px, py, nTracks, cosTheta, w };

const EXPR = "sqrt(px*px + py*py)";
const CUT = "nTracks == 2 && abs(cosTheta) < 0.8";
const keep = [...Array(N).keys()].filter((i) => nTracks[i] === 2 && Math.abs(cosTheta[i]) < 0.8);
const want = Float64Array.from(keep, (i) => Math.sqrt(px[i] * px[i] + py[i] * py[i]));

async function files(): Promise<[string, Uint8Array][]> {
  const { tableFromArrays, tableToIPC } = await import("apache-arrow");
  const { writeParquet, Table } = await import("parquet-wasm/node");
  const table = tableFromArrays(cols);
  const names = Object.keys(cols) as (keyof typeof cols)[];
  const rows = [...Array(N).keys()];
  return [
    ["s.csv", enc(`${names.join(",")}\n${rows.map((i) => names.map((n) => cols[n][i]).join(",")).join("\n")}\n`)],
    ["s.tsv", enc(`${names.join("\t")}\n${rows.map((i) => names.map((n) => cols[n][i]).join("\t")).join("\n")}\n`)],
    ["s.json", enc(JSON.stringify(rows.map((i) => Object.fromEntries(names.map((n) => [n, cols[n][i]])))))],
    ["s.parquet", writeParquet(Table.fromIPCStream(tableToIPC(table, "stream")))],
    ["s.arrow", tableToIPC(table, "file")],
    [
      "s.root",
      writeRootFile(
        "T",
        names.map((name) => ({ name, values: cols[name], type: name === "nTracks" ? ("I" as const) : undefined })),
        700,
      ),
    ],
  ];
}

describe("cut and expr on every format", () => {
  test("the same events, weights and passing count, from bytes and from disk", async () => {
    expect(keep.length).toBeGreaterThan(300); // the cut keeps some and drops most
    for (const [name, bytes] of await files()) {
      writeFileSync(join(dir, name), bytes);
      const choice = { expr: EXPR, cut: CUT, weights: "w", tree: "T" };
      for (const c of [await decodeColumn(name, bytes, choice), await readColumn(join(dir, name), choice)]) {
        expect(c.selected, name).toEqual({ events: N, passed: keep.length, cut: CUT, expr: EXPR });
        expect(c.values.length, name).toBe(keep.length);
        for (let k = 0; k < keep.length; k++) expect(Math.abs(c.values[k] - want[k])).toBeLessThan(1e-15 * 8);
        expect(Array.from(c.weights!), name).toEqual(keep.map((i) => w[i]));
      }
      // a cut on the column itself (no expr); and the column also the weight
      const own = await decodeColumn(name, bytes, { column: "px", cut: "px > 1 || w >= 2", weights: "w", tree: "T" });
      const mine = [...Array(N).keys()].filter((i) => px[i] > 1 || w[i] >= 2);
      expect(Array.from(own.values), name).toEqual(mine.map((i) => px[i]));
      expect(own.selected?.passed).toBe(mine.length);
    }
  });

  test("without cut or expr nothing changes: no selection is reported", async () => {
    const c = await decodeColumn("p.csv", enc("m,x\n1,2\n3,4\n"), { column: "m" });
    expect(c).toEqual({ values: new Float64Array([1, 3]), weights: undefined });
  });
});

describe("errors", () => {
  test("a missing column names the field, its position and (not for CSV) the columns there are", async () => {
    const all = Object.fromEntries(await files());
    await expect(decodeColumn("s.root", all["s.root"], { column: "px", cut: "nTrk == 2" })).rejects.toThrow(
      's.root: data.cut: unknown column "nTrk" at 1 (have px, py, nTracks, cosTheta, w)',
    );
    await expect(decodeColumn("s.arrow", all["s.arrow"], { expr: "hypot(px, pz)" })).rejects.toThrow(
      's.arrow: data.expr: unknown column "pz" at 11 (have px, py, nTracks, cosTheta, w)',
    );
    await expect(decodeColumn("s.parquet", all["s.parquet"], { expr: "pz" })).rejects.toThrow(
      's.parquet: data.expr: unknown column "pz" at 1 (have',
    );
    await expect(decodeColumn("s.csv", all["s.csv"], { column: "px", cut: "px > 0 && q" })).rejects.toThrow(
      /^s\.csv: data\.cut: unknown column "q" at 11$/,
    ); // a CSV header is file content: not echoed
    await expect(decodeColumn("s.json", all["s.json"], { expr: "2 * q" })).rejects.toThrow(
      /^s\.json: data\.expr: unknown column "q" at 5$/,
    );
  });

  test("syntax, column with expr, values that are not numbers", async () => {
    const csv = enc("m,x\n1,0\n-1,1\n4,1\n");
    await expect(decodeColumn("a.csv", csv, { cut: "m >" })).rejects.toThrow(
      'data.cut: expected a number, a column or "(", found the end at 4',
    );
    await expect(decodeColumn("a.csv", csv, { column: "m", expr: "m" })).rejects.toThrow(
      "a.csv: give data.column or data.expr, not both",
    );
    await expect(decodeColumn("a.csv", csv, { expr: "sqrt(m)" })).rejects.toThrow(
      "a.csv event 2: data.expr is NaN, not a finite number",
    );
    // the event with sqrt(-1) fails the cut: no error
    const c = await decodeColumn("a.csv", csv, { expr: "sqrt(m)", cut: "m > 0" });
    expect(Array.from(c.values)).toEqual([1, 2]);
    await expect(decodeColumn("a.csv", csv, { column: "m", cut: "x / x" })).rejects.toThrow(
      "a.csv event 1: data.cut is NaN, not a finite number",
    ); // 0/0 is NaN: neither true nor false
  });

  test("a spec with both, or a bad expression, is refused when it is read", () => {
    const base = {
      observable: { range: [0, 10] },
      signal: { shape: "gaussian", sigma: 0.1 },
      background: { shape: "expPoly", order: 1 },
    };
    expect(() => parseSpec({ ...base, data: { path: "a.csv", column: "m", expr: "m" } }, "s.json")).toThrow(
      's.json: data: give "column" or "expr", not both',
    );
    expect(() => parseSpec({ ...base, data: { path: "a.csv", cut: "m >> 2" } }, "s.json")).toThrow(
      's.json: data.cut: expected a number, a column or "(", found ">" at 4',
    );
    const samples = [{ name: "a", scale: 1, data: { path: "a.csv", expr: "m +" } }];
    expect(() => parseSpec({ ...base, samples }, "s.json")).toThrow("s.json: samples[0] (a).data.expr: expected");
    expect(() => parseSpec({ ...base, data: { path: "a.csv", cut: "" } }, "s.json")).toThrow(/data\.cut/);
  });

  test("a jagged ROOT branch, a fixed-size array and a list column are refused by name", async () => {
    const leaf = (extra: object) => ({ fName: "hitE", fLeaves: { arr: [{ _typename: "TLeafF", fLen: 1, ...extra }] } });
    expect(rootBranchProblem(leaf({ fLeafCount: { fName: "nHits" } }))).toBe(
      "branch hitE[nHits] is jagged (variable-length per event): bumpscan reads one number per event",
    );
    expect(rootBranchProblem(leaf({ fLen: 4 }))).toBe(
      "branch hitE[4] holds 4 numbers per event: bumpscan reads one number per event",
    );
    expect(rootBranchProblem(leaf({}))).toBeUndefined();
    const { Table, vectorFromArray, tableToIPC } = await import("apache-arrow");
    const lists = new Table({
      m: vectorFromArray(new Float64Array([1, 2])),
      hits: vectorFromArray([[1, 2], [3]]),
    });
    await expect(decodeColumn("l.arrow", tableToIPC(lists, "file"), { column: "m", cut: "hits > 0" })).rejects.toThrow(
      "l.arrow: column hits holds lists (variable-length per event): bumpscan reads one number per event",
    );
    const { writeParquet, Table: PqTable } = await import("parquet-wasm/node");
    const pq = writeParquet(PqTable.fromIPCStream(tableToIPC(lists, "stream")));
    await expect(decodeColumn("l.parquet", pq, { column: "hits" })).rejects.toThrow(
      "l.parquet: column hits holds lists (variable-length per event): bumpscan reads one number per event",
    );
  });
});

test("a fit with a cut and an expression equals a fit on the file cut beforehand", async () => {
  // 2000 events: half a gaussian bump in m = a + b at 5, half flat; a flag keeps about 3/4
  const rows = ["a,b,flag"];
  const cutRows = ["m"];
  for (let i = 0; i < 2000; i++) {
    const u = (i + 0.5) / 2000;
    const m = i % 2 ? 10 * u : 5 + 0.3 * Math.sqrt(-2 * Math.log(u)) * Math.cos(6.283 * ((i * 0.618) % 1));
    const a = m * 0.25;
    const flag = i % 4 === 3 ? 0 : 1;
    rows.push(`${a},${m - a},${flag}`);
    if (flag && m >= 0 && m <= 10) cutRows.push(String(a + (m - a)));
  }
  writeFileSync(join(dir, "raw.csv"), `${rows.join("\n")}\n`);
  writeFileSync(join(dir, "cut.csv"), `${cutRows.join("\n")}\n`);
  const base = {
    observable: { range: [0, 10] },
    signal: { shape: "gaussian", sigma: 0.3 },
    background: { shape: "expPoly", order: 1 },
  };
  const withCut = parseSpec({ ...base, data: { path: "raw.csv", expr: "a + b", cut: "flag" } });
  const preCut = parseSpec({ ...base, data: { path: "cut.csv", column: "m" } });
  const [x, y] = [await loadSpecData(withCut, dir), await loadSpecData(preCut, dir)];
  expect(x.selected).toEqual({ events: 2000, passed: 1500, cut: "flag", expr: "a + b" });
  expect(x.values.length).toBe(y.values.length);
  const [fx, fy] = [await fit(withCut, x, 5), await fit(preCut, y, 5)];
  expect(fx.parameters.nsig.value).toBeGreaterThan(100);
  for (const p of Object.keys(fy.parameters))
    expect(Math.abs(fx.parameters[p].value - fy.parameters[p].value)).toBeLessThanOrEqual(
      1e-12 * Math.max(1, Math.abs(fy.parameters[p].value)),
    );
  expect(fx.nll).toBeCloseTo(fy.nll, 9);
});
