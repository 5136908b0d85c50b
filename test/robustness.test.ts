// Issue 10 (items 9, 10, 14, 17, 19 and Ctrl-C): I/O faults and bad input as one line naming the
// path and the problem (exit 2), output paths checked before the work, files written atomically,
// merge inputs validated, a global Z that stays finite, no file content in any message, and a scan
// interrupted by SIGINT that writes what is done, marked partial, with exit code 130.
import { describe, expect, test, beforeAll } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { grossVitells, logUpperTail, zFromLogP } from "../src/scan/global.js";
import { decimal } from "../src/io/column.js";
import { parseCsvColumn } from "../src/io/csv.js";
import { parseJsonColumn, parseJsonText } from "../src/io/json.js";
import { readColumn } from "../src/io/files.js";
import { checkOutputFile, checkOutputFolder, writeAtomic } from "../src/report/write.js";
import { mergeScans, checkScanResult } from "../src/scan/merge.js";
import { massGrid } from "../src/scan/grid.js";
import { parseSpec } from "../src/model/parse.js";

const cli = resolve("dist/cli/main.js");
const fixture = resolve("test/fixtures/bump-1e4.csv");
let dir: string;
const base = {
  observable: { name: "m", unit: "GeV", range: [0, 10] },
  signal: { shape: "gaussian", sigma: 0.05 },
  background: { shape: "expPoly", order: 2 },
};

function run(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", cwd: dir });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A spec file in the test folder; `data` defaults to the reference events. */
function spec(name: string, extra: object = {}): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ ...base, data: { path: fixture, column: "m" }, ...extra }));
  return path;
}

/** One line on stderr starting "bumpscan: ", exit code 2, no stack trace, nothing on stdout. */
function expectOneLine(r: { code: number | null; out: string; err: string }, message: RegExp) {
  expect(r.err).toMatch(message);
  expect(r.err.trim().split("\n")).toHaveLength(1);
  expect(r.err).toMatch(/^bumpscan: /);
  expect(r.err).not.toMatch(/internal error|\n\s+at /);
  expect(r.code).toBe(2);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "bumpscan-robust-"));
});

describe("item 10: the global Z stays finite however small the p-value", () => {
  // ln(1 − Φ(z)) from mpmath at 40 digits
  const tails: [number, number][] = [
    [0.5, -1.1759117615936186],
    [2, -3.7831843336820319],
    [5, -15.064998393988726],
    [5.1, -15.588487091871466],
    [10, -53.231285150512471],
    [20, -203.91715537109726],
    [38, -726.55721601882013],
    [40, -804.60844201375379],
    [100, -5005.5242086942051],
  ];

  test("ln Q(z) against closed forms, and 1 − Φ(10) = 7.619853024160527e-24", () => {
    for (const [z, ln] of tails) expect(Math.abs(logUpperTail(z) - ln) / Math.abs(ln), `z = ${z}`).toBeLessThan(1e-13);
    expect(Math.abs(Math.exp(logUpperTail(10)) / 7.619853024160527e-24 - 1)).toBeLessThan(1e-13);
  });

  test("zFromLogP inverts ln Q, also beyond the smallest double", () => {
    for (const [z, ln] of tails) expect(Math.abs(zFromLogP(ln) - z), `z = ${z}`).toBeLessThan(1e-9 * z);
    expect(zFromLogP(Math.log(0.5))).toBe(0);
    expect(zFromLogP(0)).toBe(0);
  });

  test("Gross–Vitells with q0 = 1e4 (p_local ≈ 1e-2174): a finite global Z just below the local one", () => {
    const g = grossVitells([
      { mass: 1, q0: 0 },
      { mass: 2, q0: 1e4, z: 100 },
      { mass: 3, q0: 0 },
    ]);
    expect(Number.isFinite(g.globalZ)).toBe(true);
    expect(g.globalZ).toBeGreaterThan(99.9);
    expect(g.globalZ).toBeLessThan(100);
    expect(JSON.stringify(g)).not.toMatch(/null|Infinity|NaN/);
  });

  test("the CLI: a scan over a huge peak prints a finite global Z and no Infinity/NaN", () => {
    // 3000 events of a narrow peak on 3000 flat ones: q0 in the thousands
    const values = [
      ...Array.from({ length: 3000 }, (_, i) => (i * 10) / 3000 + 0.001),
      ...Array.from({ length: 3000 }, (_, i) => 5 + 0.05 * Math.sqrt(2) * inverf((2 * (i + 0.5)) / 3000 - 1)),
    ];
    writeFileSync(join(dir, "peak.csv"), "m\n" + values.join("\n") + "\n");
    const path = spec("peak", {
      data: { path: "peak.csv", column: "m" },
      background: { shape: "uniform" },
      scan: { masses: [4, 4.5, 5, 5.5, 6] },
    });
    const r = run(["scan", path, "--workers", "1", "--out", "peak-out.json"]);
    expect(r.err).toBe("");
    expect(r.out).toMatch(/global Z = \d+(\.\d+)?σ/);
    expect(r.out).not.toMatch(/Infinity|NaN/);
    const out = JSON.parse(readFileSync(join(dir, "peak-out.json"), "utf8"));
    expect(out.maxLocalZ.z).toBeGreaterThan(40);
    expect(out.globalZ).toBeGreaterThan(40);
    expect(out.globalZ).toBeLessThanOrEqual(out.maxLocalZ.z);
  });
});

/** erf⁻¹ by Newton on erf (for the test's deterministic Gaussian sample). */
function inverf(y: number): number {
  let x = 0;
  for (let i = 0; i < 60; i++) x -= (erf(x) - y) / ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
  return x;
}
function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26 is too rough; series/continued fraction via the normal tail instead
  const q = Math.exp(logUpperTail(Math.abs(x) * Math.SQRT2));
  return Math.sign(x) * (1 - 2 * q);
}

describe("item 9: I/O faults name the path and the problem, exit 2", () => {
  test("writeAtomic: missing folder, a directory, a full disk; a failed write leaves no file behind", async () => {
    await expect(writeAtomic(join(dir, "nowhere", "x.json"), "{}")).rejects.toThrow(
      /cannot write .*nowhere\/x\.json: folder does not exist/,
    );
    mkdirSync(join(dir, "adir"), { recursive: true });
    await expect(writeAtomic(join(dir, "adir"), "{}")).rejects.toThrow(/adir: is a directory/);
    if (existsSync("/dev/full"))
      await expect(writeAtomic("/dev/full", "x".repeat(100))).rejects.toThrow(/cannot write \/dev\/full: disk full/);
    const target = join(dir, "atomic.json");
    await writeAtomic(target, "old\n");
    await writeAtomic(target, "new\n");
    expect(readFileSync(target, "utf8")).toBe("new\n");
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  test("CLI: --out into a missing folder, onto a directory, onto /dev/full; --hepdata onto a file", () => {
    const path = spec("io", { scan: { masses: [4.2] } });
    expectOneLine(
      run(["scan", path, "--workers", "1", "--out", "missing/x.json"]),
      /--out missing\/x\.json: folder does not exist/,
    );
    mkdirSync(join(dir, "outdir"), { recursive: true });
    expectOneLine(run(["scan", path, "--workers", "1", "--out", "outdir"]), /--out outdir: is a directory/);
    if (existsSync("/dev/full"))
      expectOneLine(run(["scan", path, "--workers", "1", "--out", "/dev/full", "--quiet"]), /\/dev\/full: disk full/);
    writeFileSync(join(dir, "afile"), "x");
    expectOneLine(
      run(["scan", path, "--workers", "1", "--hepdata", "afile"]),
      /--hepdata afile: is a file, not a folder/,
    );
    expectOneLine(
      run(["scan", path, "--workers", "1", "--plots", "afile/sub"]),
      /--plots afile\/sub: .*file, not a folder/,
    );
  });

  test("a truncated Arrow file and a data path that is a directory", async () => {
    const { tableFromArrays, tableToIPC } = await import("apache-arrow");
    const bytes = tableToIPC(tableFromArrays({ m: Float64Array.from({ length: 5000 }, (_, i) => i / 500) }), "file");
    writeFileSync(join(dir, "cut.arrow"), bytes.slice(0, Math.floor(bytes.length / 2)));
    writeFileSync(
      join(dir, "cut.arrows"),
      tableToIPC(tableFromArrays({ m: Float64Array.from({ length: 5000 }, (_, i) => i / 500) }), "stream").slice(
        0,
        20000,
      ),
    );
    for (const file of ["cut.arrow", "cut.arrows"]) {
      expectOneLine(
        run(["fit", spec(`cut-${file}`, { data: { path: file, column: "m" } }), "--mass", "4.2"]),
        new RegExp(`${file.replace(".", "\\.")}: not a readable Arrow IPC file`),
      );
    }
    mkdirSync(join(dir, "events.csv"), { recursive: true });
    mkdirSync(join(dir, "events.json"), { recursive: true });
    for (const file of ["events.csv", "events.json"]) {
      expectOneLine(
        run(["fit", spec(`dir-${file}`, { data: { path: file, column: "m" } }), "--mass", "4.2"]),
        new RegExp(`cannot read data file .*${file.replace(".", "\\.")}: it is a directory`),
      );
      await expect(readColumn(join(dir, file), { column: "m" })).rejects.toThrow(/it is a directory/);
    }
    expectOneLine(run(["fit", join(dir, "outdir"), "--mass", "4.2"]), /cannot read spec .*outdir: it is a directory/);
  });
});

describe("item 17: output paths are checked before the work", () => {
  test("checkOutputFile and checkOutputFolder", async () => {
    await expect(checkOutputFile(join(dir, "nope", "x.json"), "--out")).rejects.toThrow(
      /--out .*nope\/x\.json: folder does not exist/,
    );
    await expect(checkOutputFile(dir, "--csv")).rejects.toThrow(/is a directory/);
    await expect(checkOutputFile(join(dir, "fresh.json"), "--out")).resolves.toBeUndefined();
    await expect(checkOutputFolder(join(dir, "new", "deeper"), "--plots")).resolves.toBeUndefined();
    writeFileSync(join(dir, "plain"), "x");
    await expect(checkOutputFolder(join(dir, "plain"), "--plots")).rejects.toThrow(/is a file, not a folder/);
  });

  test("every output option fails at once, before the data are even read", () => {
    // the data file does not exist: an error about the output proves it came first
    const path = spec("early", { data: { path: "absent.csv", column: "m" }, scan: { masses: [4.2] } });
    writeFileSync(join(dir, "plainfile"), "x");
    for (const [opt, value, message] of [
      ["--out", "gone/r.json", /--out gone\/r\.json: folder does not exist/],
      ["--csv", "gone/l.csv", /--csv gone\/l\.csv: folder does not exist/],
      ["--hepdata", "plainfile", /--hepdata plainfile: is a file/],
      ["--plots", "plainfile", /--plots plainfile: is a file/],
    ] as const) {
      expectOneLine(run(["scan", path, "--workers", "1", opt, value]), message);
    }
    expectOneLine(
      run(["plot", "fit", path, "--mass", "4.2", "--out", "gone/fit.svg"]),
      /--out gone\/fit\.svg: folder does not exist/,
    );
    expectOneLine(
      run(["merge", join(dir, "absent-shard.json"), "-o", "gone/merged.json"]),
      /-o gone\/merged\.json: folder does not exist/,
    );
    expectOneLine(run(["demo", "--out", "plainfile"]), /--out plainfile: is a file, not a folder/);
  });
});

describe("item 14: merge refuses what is not a scan result of the grid", () => {
  const scanSpec = { ...base, scan: { masses: [3, 4, 5, 6] } };
  const point = (index: number, mass: number) => ({
    index,
    mass,
    status: "converged",
    nsig: 1,
    nsigError: 2,
    q0: 0.5,
    z: 0.7,
    observed: 5,
    expected: { "-2": 1, "-1": 2, "0": 3, "1": 4, "2": 5 },
    events: 100,
  });
  const shard = (k: number, points: object[]) => ({
    spec: scanSpec,
    method: "asymptotic",
    cl: 0.9,
    points,
    shard: `${k}/2`,
  });

  test("library: shape, index outside the grid, a mass off the grid, a partial scan", () => {
    const good = [shard(1, [point(0, 3), point(2, 5)]), shard(2, [point(1, 4), point(3, 6)])];
    expect(mergeScans(good as never, ["a", "b"]).points.map((p) => p.index)).toEqual([0, 1, 2, 3]);
    expect(() => checkScanResult(null, "n.json")).toThrow(
      /n\.json is not a bumpscan scan result: expected a JSON object/,
    );
    expect(() => checkScanResult({ ...good[0], points: 5 }, "p.json")).toThrow(/p\.json .*no "points" array/);
    expect(() => checkScanResult({ ...good[0], points: [null] }, "p.json")).toThrow(/point 1 is not an object/);
    expect(() => checkScanResult({ ...good[0], points: [{ ...point(0, 3), index: 0.5 }] }, "p.json")).toThrow(
      /point 1 has no integer index/,
    );
    expect(() => checkScanResult({ ...good[0], points: [{ ...point(0, 3), q0: "big" }] }, "p.json")).toThrow(
      /q0 that is not a finite number or null/,
    );
    expect(() => checkScanResult({ ...good[0], cl: 90 }, "p.json")).toThrow(/"cl" must be a number between 0 and 1/);
    expect(() => checkScanResult({ ...good[0], spec: { observable: 1 } }, "p.json")).toThrow(/its spec is invalid/);
    expect(() => mergeScans([good[0], shard(2, [point(1, 4), point(7, 6)])] as never, ["a.json", "b.json"])).toThrow(
      /b\.json has mass point 7, outside the spec's grid of 4 points/,
    );
    expect(() => mergeScans([good[0], shard(2, [point(1, 4.5), point(3, 6)])] as never, ["a.json", "b.json"])).toThrow(
      /b\.json has mass point 1 at m = 4\.5, but the grid's mass there is 4/,
    );
    expect(() => checkScanResult({ ...good[0], partial: true }, "a.json")).toThrow(/a\.json is a partial scan/);
  });

  test("CLI: a JSON that is not a scan result, null, and a point outside the grid: exit 2 naming the file", () => {
    writeFileSync(join(dir, "notscan.json"), JSON.stringify({ hello: "world" }));
    writeFileSync(join(dir, "null.json"), "null");
    writeFileSync(join(dir, "s1.json"), JSON.stringify(shard(1, [point(0, 3), point(2, 5)])));
    writeFileSync(join(dir, "s2.json"), JSON.stringify(shard(2, [point(1, 4), point(3, 6), point(9, 7)])));
    expectOneLine(run(["merge", "notscan.json", "-o", "m.json"]), /notscan\.json is not a bumpscan scan result/);
    expectOneLine(run(["merge", "null.json", "-o", "m.json"]), /null\.json is not a bumpscan scan result/);
    expectOneLine(
      run(["merge", "s1.json", "s2.json", "-o", "m.json"]),
      /s2\.json has mass point 9, outside the spec's grid/,
    );
    expect(existsSync(join(dir, "m.json"))).toBe(false);
    expect(massGrid(parseSpec(scanSpec))).toHaveLength(4);
  });

  test("--lee-toys shards from different seeds are refused, naming the file", () => {
    const path = spec("leeshard", { scan: { masses: [4.2, 4.4] } });
    const shard = (k: number, seed: number) =>
      run(["scan", path, "--lee-toys", "2", "--seed", `${seed}`, "--shard", `${k}/2`, "--out", `lee-${k}.json`]);
    expect(shard(1, 1).code).toBe(0);
    expect(shard(2, 2).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "lee-2.json"), "utf8")).leeShard.index).toEqual([1]);
    expectOneLine(
      run(["merge", "lee-1.json", "lee-2.json", "-o", "lee.json"]),
      /^bumpscan: merge: lee-2\.json comes from a different seed than lee-1\.json \(2, not 1\)$/m,
    );
    expect(existsSync(join(dir, "lee.json"))).toBe(false);
  });
});

describe("item 19: bounds, decimal numbers, a BOM, and messages that never echo a file", () => {
  test("decimal numbers only", () => {
    expect(decimal(" 4.2e1 ")).toBe(42);
    expect(decimal("-.5")).toBe(-0.5);
    expect(decimal("7.")).toBe(7);
    for (const bad of ["0x4", "0b101", "0o7", "1_000", "Infinity", "-Infinity", "", " ", "1e", "4,2", "NaN"])
      expect(decimal(bad), bad).toBeNaN();
    expect(() => parseCsvColumn("m\n1\n0x4\n", "h.csv", { column: "m" })).toThrow(
      /h\.csv line 3: column m is not a decimal number/,
    );
    expect(() => parseCsvColumn("m\n1\n1_000\n", "h.csv", { column: "m" })).toThrow(/line 3/);
  });

  test("CLI options: 0x4, 0b101, 1_000 and Infinity refused; --toys, --target-error, --workers bounded", () => {
    const path = spec("opts", { scan: { masses: [4.2] } });
    for (const v of ["0x4", "0b101", "0o7", "1_000", "Infinity"])
      expectOneLine(run(["fit", path, "--mass", v]), new RegExp(`"${v}" is not a decimal number`));
    expectOneLine(
      run(["limit", path, "--mass", "4.2", "--method", "toys", "--toys", "1e12"]),
      /--toys.*"1e12" is more than 10000000, the most allowed/,
    );
    expectOneLine(run(["scan", path, "--toys", "0", "--method", "toys"]), /--toys.*"0" must be at least 1/);
    for (const v of ["0", "-1"])
      expectOneLine(
        run(["limit", path, "--mass", "4.2", "--target-error", v]),
        new RegExp(`--target-error.*"${v}" must be > 0`),
      );
    const many = run(["scan", path, "--workers", "1000", "--json"]);
    expect(many.code).toBe(0);
    expect(many.err).toMatch(/^bumpscan: --workers 1000: using the \d+ available cores\n$/);
    expect(JSON.parse(many.out).points).toHaveLength(1);
  });

  test("a UTF-8 byte order mark at the start of a CSV (or JSON) is accepted", async () => {
    expect(Array.from(parseCsvColumn("\uFEFFm\n4.2\n", "b.csv", { column: "m" }).values)).toEqual([4.2]);
    expect(Array.from(parseJsonColumn("\uFEFF[4.2]", "b.json", {}).values)).toEqual([4.2]);
    writeFileSync(
      join(dir, "bom.csv"),
      "\uFEFF# comment\nm\n" + Array.from({ length: 300 }, (_, i) => (i * 10) / 300 + 0.01).join("\n") + "\n",
    );
    expect((await readColumn(join(dir, "bom.csv"), { column: "m" })).values).toHaveLength(300);
    const r = run(["fit", spec("bom", { data: { path: "bom.csv", column: "m" } }), "--mass", "4.2", "--json"]);
    expect(r.err).toBe("");
    expect(JSON.parse(r.out).events).toBe(300);
  });

  test("JSON syntax errors name the line and column, not the text", () => {
    expect(() => parseJsonText('{\n  "a": 1,\n  "b": hunter2\n}', "spec.json")).toThrow(
      /^spec\.json is not valid JSON \(line 3, column 8\)$/,
    );
    expect(() => parseJsonText('{"a": [1, 2', "x.json")).toThrow(/x\.json is not valid JSON \(it ends early\)/);
    expect(() => parseJsonText("", "x.json")).toThrow(/the file is empty/);
    expect(() => parseJsonText("[1] x", "x.json")).toThrow(/line 1, column 5/);
  });

  test("a secrets file named as spec, data or shard never appears in a message", () => {
    const secret = "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYzEXAMPLEKEY";
    const secretFile = join(dir, "secrets.env");
    writeFileSync(secretFile, `${secret}\nDB_PASSWORD=hunter2,tiger\n`);
    writeFileSync(join(dir, "secrets.json"), `{"token": ${secret}}`);
    writeFileSync(join(dir, "secrets-arr.json"), `["${secret}"]`);
    const runs = [
      run(["fit", secretFile, "--mass", "4.2"]),
      run(["fit", join(dir, "secrets.json"), "--mass", "4.2"]),
      run(["fit", spec("sec1", { data: { path: secretFile } }), "--mass", "4.2"]),
      run(["fit", spec("sec2", { data: { path: secretFile, column: "m" } }), "--mass", "4.2"]),
      run(["fit", spec("sec3", { data: { path: "secrets-arr.json" } }), "--mass", "4.2"]),
      run(["merge", secretFile, "-o", "merged.json"]),
    ];
    for (const r of runs) {
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^bumpscan: /);
      for (const piece of ["wJalrXUtnFEMI", "AWS_SECRET", "hunter2", "tiger", "DB_PASSWORD"])
        expect(r.err).not.toContain(piece);
    }
  });
});

describe("Ctrl-C during a scan: what is done is written, marked partial, exit code 130", () => {
  /**
   * Start a long scan (about 3600 points: far more than 2 workers finish in `after` ms, the fits
   * being fast), send `signals` SIGINTs once `after` ms have passed.
   */
  async function interrupted(name: string, workers: string, signals: number, after = 3500, extra: string[] = []) {
    const path = spec(name, { scan: { from: 0.5, to: 9.5, step: 0.05 } });
    const child = spawn(
      process.execPath,
      [cli, "scan", path, "--workers", workers, "--out", `${name}-out.json`, "--quiet", ...extra],
      { cwd: dir },
    );
    let err = "",
      out = "";
    child.stderr.on("data", (d) => (err += d));
    child.stdout.on("data", (d) => (out += d));
    const closed = new Promise<number | null>((r) => child.on("close", (c) => r(c)));
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, after));
    child.kill("SIGINT");
    let sent = performance.now();
    for (let i = 1; i < signals; i++)
      await new Promise((r) => setTimeout(r, 300)), child.kill("SIGINT"), (sent = performance.now());
    const code = await closed;
    return {
      code,
      err,
      out,
      stopMs: performance.now() - sent,
      totalMs: performance.now() - t0,
      file: join(dir, `${name}-out.json`),
    };
  }

  for (const workers of ["1", "2"]) {
    test(`first SIGINT: the points done, "partial": true, exit 130 (${workers} ` +
      `worker${workers === "1" ? "" : "s"})`, async () => {
      const r = await interrupted(`sigint${workers}`, workers, 1);
      expect(r.code).toBe(130);
      expect(r.stopMs).toBeLessThan(4000);
      const result = JSON.parse(readFileSync(r.file, "utf8"));
      expect(result.partial).toBe(true);
      expect(result.points.length).toBeGreaterThan(0);
      expect(result.points.length).toBeLessThan(3000); // of about 3600: the scan did not finish
      expect(result.points.map((p: { index: number }) => p.index)).toEqual(
        [...result.points.map((p: { index: number }) => p.index)].sort((a: number, b: number) => a - b),
      );
      expect(r.out).toMatch(/partial: interrupted/);
      expect(r.err).toMatch(/SIGINT: stopping/);
      expect(r.err).not.toMatch(/internal error|\n\s+at /);
    }, 60_000);
  }

  // long jobs at one mass on the calling thread (--workers 1) hear Ctrl-C between slices of toys:
  // toy CLs, Feldman–Cousins, the Bayesian band's pseudo-experiments, signal injection
  const longJobs: [string, string[]][] = [
    ["toy CLs", ["limit", "--mass", "4.2", "--method", "toys", "--toys", "20000", "--workers", "1"]],
    ["Feldman–Cousins", ["limit", "--mass", "4.2", "--method", "fc", "--toys", "20000", "--workers", "1"]],
    ["the Bayesian band", ["limit", "--mass", "4.2", "--method", "bayes", "--expected-toys", "5000", "--workers", "1"]],
    ["injection", ["inject", "--mass", "4.2", "--events", "40", "--toys", "20000"]],
  ];
  for (const [what, args] of longJobs)
    test(`Ctrl-C stops ${what} within a second, exit 130, no output`, async () => {
      const path = spec(`long-${args[0]}-${args[4]}`);
      const child = spawn(process.execPath, [cli, args[0], path, ...args.slice(1), "--quiet"], { cwd: dir });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      const closed = new Promise<number | null>((r) => child.on("close", (c) => r(c)));
      await new Promise((r) => setTimeout(r, 2500));
      const sent = performance.now();
      child.kill("SIGINT");
      const code = await closed;
      expect(code).toBe(130);
      expect(performance.now() - sent).toBeLessThan(1000);
      expect(out).toBe("");
    }, 30_000);

  test("a second SIGINT exits at once with 130 (while a slow toy point would still run for seconds)", async () => {
    const r = await interrupted("sigint-twice", "2", 2, 3000, ["--method", "toys", "--toys", "20000"]);
    expect(r.code).toBe(130);
    expect(r.stopMs).toBeLessThan(1000);
  }, 60_000);
});
