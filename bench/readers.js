// Reading 1e6 events (issue 14, item 3): bumpscan's readers against numpy.loadtxt, and against
// the readers they replaced (csv-parse, a record of strings per row; parquet-wasm + apache-arrow),
// all in one run on the same files: `node bench/readers.js [--rows 1000000] [--runs 5]` (after
// `npm run build`; numpy from python3, skipped with a note if it is missing).
// Files (in a temporary folder, removed at the end): a header "m,w" and N rows of two uniform
// doubles, m in [0, 10) and w in [0.5, 1.5), written as
//   fixed.csv  with 9 decimals (the format of test/fixtures: 0.188554126),
//   fixed.tsv  the same with tabs,
//   repr.csv   shortest round trip (JavaScript's String(x), Python's repr: 16–17 digits),
//   *.parquet  float64 columns, by parquet-wasm (Rust's parquet crate), snappy / zstd / none,
//   m.arrow    Arrow IPC file format.
// Each reader runs `runs` times, cases and readers interleaved (numpy in a python process per
// timing, timed inside it); the table shows the medians and bumpscan's ratio to numpy.loadtxt's on
// the same file (usecols: the same columns).
import { spawnSync } from "node:child_process";
import { createReadStream, mkdtempSync, openAsBlob, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse";
import { readColumn } from "../dist/io/files.js";
import { CSV_OPTIONS, CsvColumns } from "../dist/io/column.js";

const arg = (name, dflt) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : dflt);
const rows = arg("--rows", 1_000_000);
const runs = arg("--runs", 5);
const dir = mkdtempSync(join(tmpdir(), "bumpscan-readers-bench-"));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// the data: a seeded generator, so every run reads the same numbers
let seed = 12345;
const random = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const m = Float64Array.from({ length: rows }, () => 10 * random());
const w = Float64Array.from({ length: rows }, () => 0.5 + random());
const text = (sep, f) => {
  const lines = [`m${sep}w`];
  for (let i = 0; i < rows; i++) lines.push(`${f(m[i])}${sep}${f(w[i])}`);
  return `${lines.join("\n")}\n`;
};
writeFileSync(
  join(dir, "fixed.csv"),
  text(",", (x) => x.toFixed(9)),
);
writeFileSync(
  join(dir, "fixed.tsv"),
  text("\t", (x) => x.toFixed(9)),
);
writeFileSync(join(dir, "repr.csv"), text(",", String));
const arrow = await import("apache-arrow");
const pq = await import("parquet-wasm/node");
const table = arrow.tableFromArrays({ m, w });
writeFileSync(join(dir, "m.arrow"), arrow.tableToIPC(table, "file"));
for (const codec of ["SNAPPY", "ZSTD", "UNCOMPRESSED"]) {
  const props = new pq.WriterPropertiesBuilder().setCompression(pq.Compression[codec]).build();
  writeFileSync(
    join(dir, `${codec.toLowerCase()}.parquet`),
    pq.writeParquet(pq.Table.fromIPCStream(arrow.tableToIPC(table, "stream")), props),
  );
}

/** The CSV reader before the scanner: csv-parse streaming a record of strings per row. */
async function csvParseReader(path, choice) {
  const columns = new CsvColumns(path, choice);
  for await (const record of createReadStream(path).pipe(parse(CSV_OPTIONS))) columns.add(record);
  return columns.done();
}

/** The Parquet reader before hyparquet: parquet-wasm to Arrow IPC, apache-arrow, a value at a time. */
async function parquetWasmReader(path, choice) {
  const file = await pq.ParquetFile.fromFile(await openAsBlob(path));
  const names = [choice.column, choice.weights].filter(Boolean);
  const t = arrow.tableFromIPC((await file.read({ columns: names })).intoIPCStream());
  file.free();
  const out = names.map((name) => {
    const v = t.getChild(name);
    const a = new Float64Array(v.length);
    for (let i = 0; i < v.length; i++) {
      a[i] = v.get(i);
      if (!Number.isFinite(a[i])) throw new Error("bad value");
    }
    return a;
  });
  return { values: out[0], weights: out[1] };
}

/** numpy.loadtxt's time (ms) on a file, timed inside python (its start-up and import left out). */
function numpyTime(file, cols, sep) {
  const script = [
    "import time, numpy as np",
    "t = time.perf_counter()",
    `a = np.loadtxt(${JSON.stringify(join(dir, file))}, delimiter=${JSON.stringify(sep)},`,
    `               skiprows=1, usecols=${cols})`,
    "print(1000 * (time.perf_counter() - t))",
    `assert a.shape[0] == ${rows}`,
  ].join("\n");
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE; // only BLAS kernels read these; loadtxt parses text
  delete env.OPENBLAS_L2_SIZE;
  const r = spawnSync("python3", ["-c", script], { encoding: "utf8", env });
  return r.status === 0 ? Number(r.stdout.trim()) : undefined;
}

const cases = [
  ["fixed.csv", "m", "(0,)", ","],
  ["fixed.csv", "m + w", "(0, 1)", ","],
  ["fixed.tsv", "m", "(0,)", "\t"],
  ["repr.csv", "m", "(0,)", ","],
  ["repr.csv", "m + w", "(0, 1)", ","],
  ["snappy.parquet", "m"],
  ["zstd.parquet", "m"],
  ["uncompressed.parquet", "m"],
  ["snappy.parquet", "m + w"],
  ["m.arrow", "m"],
  ["m.arrow", "m + w"],
];
const results = cases.map(() => ({ now: [], before: [], numpy: [] }));
for (let run = 0; run < runs; run++) {
  for (const [k, [file, columns, cols, sep]] of cases.entries()) {
    const path = join(dir, file);
    const choice = columns === "m" ? { column: "m" } : { column: "m", weights: "w" };
    let t = performance.now();
    const c = await readColumn(path, choice);
    results[k].now.push(performance.now() - t);
    if (
      c.values.length !== rows ||
      c.values[rows - 1] !== (file.includes("fixed") ? Number(m[rows - 1].toFixed(9)) : m[rows - 1])
    )
      throw new Error(`${file}: wrong values (${c.values.length} read, last ${c.values[c.values.length - 1]})`);
    const before = file.endsWith(".parquet") ? parquetWasmReader : file.endsWith(".arrow") ? undefined : csvParseReader;
    if (before) {
      t = performance.now();
      await before(path, choice);
      results[k].before.push(performance.now() - t);
    }
    const np = cols ? numpyTime(file, cols, sep) : undefined;
    if (np !== undefined) results[k].numpy.push(np);
  }
  console.error(`run ${run + 1} of ${runs} done`);
}
const ms = (x) => (x === undefined ? "—" : `${x.toFixed(0)} ms`);
console.log(`${rows} rows, median of ${runs}; Node ${process.version}`);
console.log("| file | columns | bumpscan | before (csv-parse / parquet-wasm) | numpy.loadtxt | bumpscan ÷ numpy |");
console.log("|---|---|---:|---:|---:|---:|");
for (const [k, [file, cols]] of cases.entries()) {
  const now = median(results[k].now);
  const before = results[k].before.length ? median(results[k].before) : undefined;
  const np = results[k].numpy.length ? median(results[k].numpy) : undefined;
  console.log(`| ${file} | ${cols} | ${ms(now)} | ${ms(before)} | ${ms(np)} | ${np ? (now / np).toFixed(2) : "—"} |`);
}
if (results.every((r) => r.numpy.length === 0)) console.log("(no numpy figures: python3 -c 'import numpy' failed)");
rmSync(dir, { recursive: true, force: true });
