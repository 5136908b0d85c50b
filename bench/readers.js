// Reading 1e6 events (issue 14, item 3): bumpscan's readers against numpy.loadtxt, and against
// the readers they replaced (csv-parse, a record of strings per row; parquet-wasm + apache-arrow;
// Arrow values one Vector.get at a time),
// all in one run on the same files: `node bench/readers.js [--rows 1000000] [--runs 5]` (after
// `npm run build`; numpy from python3, skipped with a note if it is missing). With --browser: the
// web app in Debian's Chromium instead, reading the same files in its Web Worker.
// Files (in a temporary folder, removed at the end): a header "m,w" and N rows of two uniform
// doubles, m in [0, 10) and w in [0.5, 1.5), written as
//   fixed.csv  with 9 decimals (the format of test/fixtures: 0.188554126),
//   fixed.tsv  the same with tabs,
//   repr.csv   shortest round trip (JavaScript's String(x), Python's repr: 16–17 digits),
//   *.parquet  float64 columns, by parquet-wasm (Rust's parquet crate), snappy / zstd / none,
//   m.arrow    Arrow IPC file format.
// Each reader runs `runs` times, cases and readers interleaved. numpy runs in a python process per
// timing, timed inside it; bumpscan in a Node process of its own per timing that reads the file
// READS times (the first read is a fresh process's, as the CLI reads; the others are warm, as a
// library or the web app reads again), so no other reader's garbage is collected in its time; the
// readers before each in a process of their own too (`--before NAME PATH CHOICE`), so that no
// reader's background work (parquet-wasm's 5 MB of WebAssembly compiled on another core, a
// collector's threads) runs during another's timing. The
// table shows the medians and bumpscan's (warm) ratio to numpy.loadtxt's on the same file (usecols:
// the same columns).
import { spawnSync } from "node:child_process";
import { createReadStream, mkdtempSync, openAsBlob, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse";
import { CSV_OPTIONS, CsvColumns } from "../dist/io/column.js";

const arg = (name, dflt) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : dflt);
const rows = arg("--rows", 1_000_000);
const runs = arg("--runs", 5);
/** bumpscan's reads per process: the first is a fresh process's (as the CLI reads), the others warm. */
const READS = 4;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const arrow = await import("apache-arrow");
const pq = await import("parquet-wasm/node");
const before = process.argv.indexOf("--before");
const dir = before < 0 ? mkdtempSync(join(tmpdir(), "bumpscan-readers-bench-")) : "";

// the data: a seeded generator, so every run reads the same numbers
let seed = 12345;
const random = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const m = Float64Array.from({ length: before < 0 ? rows : 0 }, () => 10 * random());
const w = Float64Array.from({ length: before < 0 ? rows : 0 }, () => 0.5 + random());

/** The files read, written into `dir`. */
function writeFiles() {
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
  const table = arrow.tableFromArrays({ m, w });
  writeFileSync(join(dir, "m.arrow"), arrow.tableToIPC(table, "file"));
  for (const codec of ["SNAPPY", "ZSTD", "UNCOMPRESSED"]) {
    const props = new pq.WriterPropertiesBuilder().setCompression(pq.Compression[codec]).build();
    writeFileSync(
      join(dir, `${codec.toLowerCase()}.parquet`),
      pq.writeParquet(pq.Table.fromIPCStream(arrow.tableToIPC(table, "stream")), props),
    );
  }
}

/** The CSV reader before the scanner: csv-parse streaming a record of strings per row. */
async function csvParseReader(path, choice) {
  const columns = new CsvColumns(path, [choice.column, choice.weights].filter(Boolean));
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

/** The Arrow reader before: record batches, a value at a time through Vector.get. */
async function arrowGetReader(path, choice) {
  const reader = await arrow.RecordBatchReader.from(readFileSync(path));
  const names = [choice.column, choice.weights].filter(Boolean);
  const out = names.map(() => []);
  for await (const batch of reader) {
    names.forEach((name, k) => {
      const v = batch.getChild(name);
      for (let i = 0; i < v.length; i++) {
        const x = v.get(i);
        if (!Number.isFinite(x)) throw new Error("bad value");
        out[k].push(x);
      }
    });
  }
  return { values: Float64Array.from(out[0]), weights: out[1] && Float64Array.from(out[1]) };
}

/**
 * bumpscan's times (ms) for the same read READS times in a Node process of its own, timed inside it
 * (its start-up and imports left out): the first read (fresh: what the CLI does) and the median of
 * the others (warm).
 */
function bumpscanTimes(path, choice, last) {
  const files = new URL("../dist/io/files.js", import.meta.url).href;
  const script = [
    `const { readColumn } = await import(${JSON.stringify(files)});`,
    "const times = [];",
    `for (let k = 0; k < ${READS}; k++) {`,
    "  const t = performance.now();",
    `  const c = await readColumn(${JSON.stringify(path)}, ${JSON.stringify(choice)});`,
    "  times.push(performance.now() - t);",
    `  if (c.values.length !== ${rows} || c.values[${rows - 1}] !== ${last})`,
    '    throw new Error(["read", c.values.length, "rows, the last", c.values.at(-1)].join(" "));',
    "}",
    "console.log(JSON.stringify(times));",
  ].join("\n");
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${path}: ${r.stderr}`);
  const times = JSON.parse(r.stdout);
  return { fresh: times[0], warm: median(times.slice(1)) };
}

/** The time (ms) of a reader before bumpscan's, in a Node process of its own (this script with --before). */
function beforeTime(reader, path, choice) {
  const args = [new URL(import.meta.url).pathname, "--before", reader, path, JSON.stringify(choice)];
  const r = spawnSync(process.execPath, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${reader} ${path}: ${r.stderr}`);
  return Number(r.stdout.trim());
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

/**
 * The web app in Chromium: a dropped file decoded by its reading worker, timed in the page from
 * the drop to the page's "N events" line, with the longest pause of a 5 ms timer on the main
 * thread meanwhile (what a user would see as a frozen page).
 */
async function chromiumTable() {
  const { resolve } = await import("node:path");
  const { build } = await import("vite");
  const { launchChromium } = await import("../test/e2e/chromium.js");
  const { serveFiles } = await import("../test/e2e/static-server.js");
  await build({ configFile: resolve("web/vite.config.ts"), logLevel: "error" });
  const dist = resolve("web/dist");
  const server = await serveFiles((p) =>
    p.startsWith("/data/") ? join(dir, p.slice(6)) : join(dist, p === "/" ? "index.html" : p),
  );
  const browser = await launchChromium();
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.waitForSelector("body[data-ready=true]");
  const files = ["fixed.csv", "repr.csv", "snappy.parquet", "zstd.parquet", "m.arrow"];
  const times = files.map(() => ({ read: [], pause: [] }));
  for (let run = 0; run < runs; run++) {
    for (const [k, name] of files.entries()) {
      await page.fill("#column", "m");
      const r = await page.evaluate(async (name) => {
        const file = new File([await (await fetch(`data/${name}`)).blob()], name);
        const status = document.getElementById("data-status");
        let last = performance.now();
        let pause = 0;
        const timer = setInterval(() => {
          const now = performance.now();
          pause = Math.max(pause, now - last);
          last = now;
        }, 5);
        const t0 = performance.now();
        const done = new Promise((ok) =>
          new MutationObserver((_, observer) => {
            if (/ events/.test(status.textContent) || /not loaded/.test(status.textContent)) {
              observer.disconnect();
              ok(performance.now());
            }
          }).observe(status, { childList: true, characterData: true, subtree: true }),
        );
        const dt = new DataTransfer();
        dt.items.add(file);
        document.getElementById("drop").dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true }));
        const t1 = await done;
        clearInterval(timer);
        return { read: t1 - t0, pause: Math.max(pause, performance.now() - last), status: status.textContent };
      }, name);
      if (!r.status.includes(`${rows.toLocaleString("en")} events`)) throw new Error(`${name}: ${r.status}`);
      times[k].read.push(r.read);
      times[k].pause.push(r.pause);
    }
  }
  console.log(`\nChromium ${browser.version()}, the web app, ${rows} rows, median of ${runs}`);
  console.log("| file | drop to loaded | longest main-thread pause |\n|---|---:|---:|");
  for (const [k, name] of files.entries())
    console.log(`| ${name} | ${ms(median(times[k].read))} | ${ms(median(times[k].pause))} |`);
  await browser.close();
  server.close();
}

const ms = (x) => (x === undefined ? "—" : `${x.toFixed(0)} ms`);

/** Node: bumpscan's readers, the readers before and numpy.loadtxt, interleaved. */
async function nodeTable() {
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
  const results = cases.map(() => ({ now: [], fresh: [], before: [], numpy: [] }));
  for (let run = 0; run < runs; run++) {
    for (const [k, [file, columns, cols, sep]] of cases.entries()) {
      const path = join(dir, file);
      const choice = columns === "m" ? { column: "m" } : { column: "m", weights: "w" };
      const last = file.includes("fixed") ? Number(m[rows - 1].toFixed(9)) : m[rows - 1];
      const { fresh, warm } = bumpscanTimes(path, choice, last);
      results[k].now.push(warm);
      results[k].fresh.push(fresh);
      const reader = file.endsWith(".parquet") ? "parquet-wasm" : file.endsWith(".arrow") ? "Vector.get" : "csv-parse";
      results[k].before.push(beforeTime(reader, path, choice));
      const np = cols ? numpyTime(file, cols, sep) : undefined;
      if (np !== undefined) results[k].numpy.push(np);
    }
    console.error(`run ${run + 1} of ${runs} done`);
  }
  console.log(`${rows} rows, median of ${runs}; Node ${process.version}`);
  console.log(
    "| file | columns | bumpscan (warm) | bumpscan, a fresh process | before (csv-parse / parquet-wasm / Vector.get) " +
      "| numpy.loadtxt | bumpscan ÷ numpy |",
  );
  console.log("|---|---|---:|---:|---:|---:|---:|");
  for (const [k, [file, cols]] of cases.entries()) {
    const now = median(results[k].now);
    const before = results[k].before.length ? median(results[k].before) : undefined;
    const np = results[k].numpy.length ? median(results[k].numpy) : undefined;
    const fresh = results[k].fresh.length ? median(results[k].fresh) : undefined;
    const ratio = np ? (now / np).toFixed(2) : "—";
    console.log(`| ${file} | ${cols} | ${ms(now)} | ${ms(fresh)} | ${ms(before)} | ${ms(np)} | ${ratio} |`);
  }
  if (results.every((r) => r.numpy.length === 0)) console.log("(no numpy figures: python3 -c 'import numpy' failed)");
}

if (before >= 0) {
  const [name, path, choice] = process.argv.slice(before + 1);
  const reader = { "parquet-wasm": parquetWasmReader, "Vector.get": arrowGetReader, "csv-parse": csvParseReader }[name];
  const t = performance.now();
  await reader(path, JSON.parse(choice));
  console.log(performance.now() - t);
} else {
  writeFiles();
  if (process.argv.includes("--browser")) await chromiumTable();
  else await nodeTable();
  rmSync(dir, { recursive: true, force: true });
}
