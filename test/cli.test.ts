// The CLI as a user meets it (the built dist/, as `npm test` builds first): JSON output, and bad
// input answered by one line naming the problem, exit code 2, never a stack trace or a wrong number.
import { describe, expect, test, beforeAll } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { reference } from "./helpers.js";
import { parseSpec } from "../src/model/parse.js";

const cli = resolve("dist/cli/main.js");
let dir: string;
const base = {
  observable: { name: "m", unit: "GeV", range: [0, 10] },
  signal: { shape: "crystalBall", sigma: 0.05, alpha: 1.5, n: 3 },
  background: { shape: "expPoly", order: 2 },
};

function run(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", cwd: dir });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function spec(name: string, extra: object, csv?: string): string {
  if (csv !== undefined) writeFileSync(join(dir, `${name}.csv`), csv);
  const path = join(dir, `${name}.json`);
  writeFileSync(
    path,
    JSON.stringify({ ...base, ...(csv !== undefined ? { data: { path: `${name}.csv`, column: "m" } } : {}), ...extra }),
  );
  return path;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "bumpscan-cli-"));
});

describe("bumpscan fit", () => {
  test("--json prints the documented JSON (docs/spec.md, Outputs) with timing, and the reference numbers", () => {
    const path = spec("ref", { data: { path: resolve("test/fixtures/bump-1e4.csv"), column: "m" } });
    const r = run(["fit", path, "--mass", "4.2", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    const ref = reference("bump-1e4").fit;
    expect(out.status).toBe("converged");
    expect(Math.abs(out.parameters.nsig.value - ref.nsig_hat)).toBeLessThan(0.05 * ref.nsig_err_hesse);
    expect(Math.abs(out.q0 - ref.q0)).toBeLessThan(0.02 + 0.005 * ref.q0);
    expect(out.timing.readMs).toBeGreaterThan(0);
    expect(out.timing.fitMs).toBeGreaterThan(0);
    expect(out.dropped).toBe(0);
    for (const key of ["mass", "status", "nll", "edm", "parameters", "q0", "z"]) expect(out).toHaveProperty(key);
  });

  test("the table output names parameters, values and errors", () => {
    const path = spec("table", { data: { path: resolve("test/fixtures/bump-1e4.csv"), column: "m" } });
    const r = run(["fit", path, "--mass", "4.2"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/nsig\s+47\.84\d*\s+15\.49/);
    expect(r.out).toMatch(/local Z = 3\.36/);
  });

  test("events outside the range are dropped and counted", () => {
    const r = run([
      "fit",
      spec(
        "outside",
        {},
        "m\n-1\n12\n" + Array.from({ length: 300 }, (_, i) => (i * 10) / 300 + 0.01).join("\n") + "\n",
      ),
      "--mass",
      "4.2",
      "--json",
    ]);
    const out = JSON.parse(r.out);
    expect(out.dropped).toBe(2);
    expect(out.events).toBe(300);
  });

  test("a header with zero events is a valid observation: nsig at its boundary 0, status reported", () => {
    const r = run(["fit", spec("empty", {}, "m\n"), "--mass", "4.2", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.events).toBe(0);
    expect(out.status).toBe("converged");
    // at its bound to the minimizer's precision (Minuit's bound transform: x − lo ~ u²/2)
    expect(Math.abs(out.parameters.nsig.value)).toBeLessThan(1e-7);
    expect(out.atLimit).toContain("nsig");
    expect(out.parameters.nbkg.value).toBeLessThan(1e-3);
    expect(out.q0).toBe(0);
  });

  test("data.path - reads CSV from standard input: the same fit as from the file; not with a spec from it too", () => {
    const csv = readFileSync(resolve("test/fixtures/bump-1e4.csv"), "utf8");
    const fromFile = JSON.parse(
      run(["fit", spec("file", { data: { path: resolve("test/fixtures/bump-1e4.csv") } }), "--mass", "4.2", "--json"])
        .out,
    );
    const path = spec("stdin", { data: { path: "-", column: "m" } });
    const r = spawnSync(process.execPath, [cli, "fit", path, "--mass", "4.2", "--json"], {
      cwd: dir,
      input: csv,
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.file).toBe("-");
    expect(out.events).toBe(fromFile.events);
    expect(out.parameters.nsig.value).toBe(fromFile.parameters.nsig.value);
    const both = spawnSync(process.execPath, [cli, "fit", "-", "--mass", "4.2"], {
      cwd: dir,
      input: readFileSync(path, "utf8"),
      encoding: "utf8",
    });
    expect(both.status).toBe(2);
    expect(both.stderr).toBe('bumpscan: standard input (-) is already the spec: the data cannot be "-" too\n');
    const twice = spec("twice", {
      samples: ["a", "b"].map((name) => ({ name, data: { path: "-", column: "m" }, scale: 1 })),
    });
    const two = spawnSync(process.execPath, [cli, "fit", twice, "--mass", "4.2"], {
      cwd: dir,
      input: csv,
      encoding: "utf8",
    });
    expect(two.stderr).toBe("bumpscan: samples a, b all read standard input (-): at most one sample can\n");
    expect(two.status).toBe(2);
  });
});

describe("bumpscan completion", () => {
  test("bash completes the commands, then the options of the command typed", () => {
    const complete = (...words: string[]) =>
      spawnSync(
        "bash",
        [
          "-c",
          `source <("${process.execPath}" "${cli}" completion); COMP_WORDS=(${words.join(" ")}); ` +
            `COMP_CWORD=${words.length - 1}; _bumpscan; echo "\${COMPREPLY[@]}"`,
        ],
        { encoding: "utf8" },
      ).stdout.trim();
    expect(complete("bumpscan", "sc")).toBe("scan");
    expect(complete("bumpscan", "limit", "--ma")).toBe("--mass --marginalise");
    expect(complete("bumpscan", "scan", "--lee")).toBe("--lee-toys");
  });
});

describe("bad input: one clear line, exit code 2, no stack trace", () => {
  const cases: [string, () => string[], RegExp][] = [
    [
      "a NaN value",
      () => ["fit", spec("nan", {}, "m\n1.5\n2.5\nnan\n"), "--mass", "4.2"],
      /nan\.csv line 4: column m is "nan", not a finite number/,
    ],
    [
      "an infinite value",
      () => ["fit", spec("inf", {}, "m\n1.5\nInfinity\n"), "--mass", "4.2"],
      /inf\.csv line 3: .*not a finite number/,
    ],
    [
      "an empty cell",
      () => ["fit", spec("blank", {}, "m,w\n1.5,1\n,2\n"), "--mass", "4.2"],
      /blank\.csv line 3: column m is ""/,
    ],
    [
      "a missing data file",
      () => ["fit", spec("missing", { data: { path: "nowhere.csv", column: "m" } }), "--mass", "4.2"],
      /cannot read data file .*nowhere\.csv: ENOENT/,
    ],
    [
      "a file without the named column",
      () => ["fit", spec("nocol", {}, "x,y\n1,2\n"), "--mass", "4.2"],
      /has no column "m"$/m,
    ], // the header is file content: not listed
    [
      "a missing spec",
      () => ["fit", join(dir, "absent.json"), "--mass", "4.2"],
      /cannot read spec .*absent\.json: ENOENT/,
    ],
    [
      "a spec that is not JSON",
      () => {
        writeFileSync(join(dir, "broken.json"), '{ "observable": ');
        return ["fit", join(dir, "broken.json"), "--mass", "4"];
      },
      /broken\.json is not valid JSON/,
    ],
    [
      "an unknown shape",
      () => ["fit", spec("shape", { signal: { shape: "breitWigner", sigma: 0.1 } }, "m\n1\n"), "--mass", "4"],
      /signal\.shape must be equal to one of the allowed values: uniform, gaussian/,
    ],
    [
      "an inverted range",
      () => ["fit", spec("range", { observable: { range: [10, 0] } }, "m\n1\n"), "--mass", "4"],
      /observable\.range \[10, 0\] must have lo < hi/,
    ],
    [
      "a missing field",
      () => ["fit", spec("field", { signal: undefined }, "m\n1\n"), "--mass", "4"],
      /must have required property 'signal'/,
    ],
    [
      "σ ≤ 0",
      () => ["fit", spec("sigma", { signal: { shape: "gaussian", sigma: 0 } }, "m\n1\n"), "--mass", "4"],
      /signal\.sigma must be > 0/,
    ],
    [
      "σ(m) ≤ 0 from a polynomial",
      () => [
        "fit",
        spec("poly", { signal: { shape: "gaussian", sigma: { poly: [0.05, -0.1] } } }, "m\n1\n"),
        "--mass",
        "4",
      ],
      /signal\.sigma at mass 4 is -0\.35.*must be > 0/,
    ],
    [
      "an unknown parameter override",
      () => ["fit", spec("param", { parameters: { nsgi: { init: 1 } } }, "m\n1\n"), "--mass", "4"],
      /parameters\.nsgi: no such parameter/,
    ],
    [
      "a density ≤ 0 at the start values",
      () => ["fit", spec("dens", { parameters: { nsig: { init: -100 } } }, "m\n4.2\n4.21\n3\n"), "--mass", "4.2"],
      /density is ≤ 0 at some event for the start values \(nsig = -100/,
    ],
    [
      "a mass outside the range",
      () => ["fit", spec("mass", {}, "m\n1\n"), "--mass", "11"],
      /mass 11 is outside the observable range \[0, 10\]/,
    ],
    [
      "a mass that is not a number",
      () => ["fit", spec("massnan", {}, "m\n1\n"), "--mass", "abc"],
      /"abc" is not a decimal number/,
    ],
  ];
  for (const [what, args, message] of cases) {
    test(what, () => {
      const r = run(args());
      expect(r.err).toMatch(message);
      expect(r.code).toBe(2);
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(r.out).toBe("");
    });
  }
});

test("a fit that cannot converge says so in its status and exit code", () => {
  // three events cannot determine four parameters: the fit is not valid (the signal yield sits at
  // its floor, where its HESSE error means nothing), and a fit that did not converge exits 1
  const r = run(["fit", spec("sparse", {}, "m\n1\n5\n9\n"), "--mass", "4.2", "--json"]);
  const out = JSON.parse(r.out);
  expect(out.valid).toBe(false);
  if (out.status !== "converged" || out.background.status !== "converged") expect(r.code).toBe(1);
  else expect(out.atLimit.length).toBeGreaterThan(0);
});

test("bumpscan demo scans its spectrum, finds the injected signal and writes results, table and plots", () => {
  const out = join(dir, "demo");
  const r = run(["demo", "--out", out, "--workers", "1"]);
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/largest excess: local Z = [3-9]\.\d+σ at m = 5\.\d+ GeV/);
  const result = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
  expect(result.points.length).toBeGreaterThan(300);
  expect(Math.abs(result.maxLocalZ.mass - 5.1)).toBeLessThan(0.1);
  expect(result.points.every((p: { status: string }) => p.status === "converged")).toBe(true);
  const csv = readFileSync(join(out, "limits.csv"), "utf8").trim().split("\n");
  expect(csv[0]).toBe(
    "mass,status,nsig,nsig_error,q0,local_z,observed," +
      "expected_minus2,expected_minus1,expected_median,expected_plus1,expected_plus2",
  );
  expect(csv).toHaveLength(result.points.length + 1);
  for (const name of ["brazil.svg", "significance.svg"]) {
    const svg = readFileSync(join(out, name), "utf8");
    expect(svg).toMatch(/^<\?xml[^>]*>\s*<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.trim().endsWith("</svg>")).toBe(true);
    expect(svg).not.toMatch(/NaN|undefined/);
  }
  expect(readFileSync(join(out, "brazil.svg"), "utf8")).toMatch(/fill="#ffd700"[\s\S]*fill="#00b140"/);
  // the written spec and events refit to the same numbers
  const again = run(["fit", join(out, "spec.json"), "--mass", "5.1", "--json"]);
  expect(again.code).toBe(0);
});

test("bumpscan plot fit writes the fit over a histogram of the data with pulls", () => {
  const path = spec("plotfit", { data: { path: resolve("test/fixtures/bump-1e4.csv"), column: "m" } });
  const out = join(dir, "fit.svg");
  const r = run(["plot", "fit", path, "--mass", "4.2", "--out", out, "--bins", "40"]);
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/nsig = 47\.8\d* ± 15\.\d+ \(converged\)/);
  const svg = readFileSync(out, "utf8");
  expect((svg.match(/<circle /g) ?? []).length).toBe(40 + 1); // 40 data points + the legend's marker
  expect(svg).toContain("fit: signal + background");
  expect(svg).not.toMatch(/NaN/);
});

test("JSON event files: an array of numbers, or an array of objects with the named column", () => {
  writeFileSync(join(dir, "arr.json"), JSON.stringify(Array.from({ length: 500 }, (_, i) => (i * 10) / 500 + 0.01)));
  writeFileSync(
    join(dir, "obj.json"),
    JSON.stringify(Array.from({ length: 500 }, (_, i) => ({ m: (i * 10) / 500 + 0.01, w: 1 }))),
  );
  for (const [file, column] of [
    ["arr.json", undefined],
    ["obj.json", "m"],
  ]) {
    const r = run([
      "fit",
      spec(`json-${file}`, { data: { path: file, ...(column ? { column } : {}) } }),
      "--mass",
      "4.2",
      "--json",
    ]);
    expect(r.err).toBe("");
    expect(JSON.parse(r.out).events).toBe(500);
  }
  writeFileSync(join(dir, "bad.json"), JSON.stringify([1, 2, "x"]));
  const bad = run(["fit", spec("json-bad", { data: { path: "bad.json" } }), "--mass", "4.2"]);
  expect(bad.code).toBe(2);
  expect(bad.err).toMatch(/bad\.json entry 3: a string, not a finite number/);
});

describe("the language of real searches on the command line", () => {
  test("a mass in a veto is refused with exit 2; the vetoed events are counted; --region picks a model", () => {
    const csv = "m\n" + Array.from({ length: 400 }, (_, i) => ((i + 0.5) * 10) / 400).join("\n") + "\n";
    const vetoed = spec("veto", { observable: { name: "m", unit: "GeV", range: [0, 10], exclude: [[3, 3.2]] } }, csv);
    const inVeto = run(["fit", vetoed, "--mass", "3.1"]);
    expect(inVeto.code).toBe(2);
    expect(inVeto.err.trim()).toBe("bumpscan: vetoed: the signal peak 3.1 lies in the veto (3, 3.2)");
    const beside = run(["fit", vetoed, "--mass", "5", "--json"]);
    expect(beside.code).toBe(0);
    expect(JSON.parse(beside.out).eventsVetoed).toBe(8);
    const regions = spec(
      "regions",
      {
        regions: [
          { name: "low", observable: { range: [0, 6] } },
          { name: "high", observable: { range: [4, 10] } },
        ],
      },
      csv,
    );
    const none = run(["fit", regions, "--mass", "5"]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/has regions \(low, high\): choose one with --region/);
    const high = run(["fit", regions, "--mass", "5", "--region", "high", "--json"]);
    expect(high.code).toBe(0);
    expect(JSON.parse(high.out).events).toBe(240);
    const table = run([
      "fit",
      spec(
        "table-end",
        {
          signal: {
            shape: "gaussian",
            sigma: {
              table: [
                [1, 0.1],
                [4, 0.1],
              ],
            },
          },
        },
        csv,
      ),
      "--mass",
      "5",
    ]);
    expect(table.code).toBe(2);
    expect(table.err).toMatch(/signal\.sigma: mass 5 is outside its table \[1, 4\] \(no extrapolation\)/);
  });
});

test("bumpscan init writes a commented starter spec that validates and runs", () => {
  const path = join(dir, "starter.json");
  const r = run(["init", path]);
  expect(r.code).toBe(0);
  const text = readFileSync(path, "utf8");
  expect(text).toMatch(/"\$schema"/);
  expect(parseSpec(JSON.parse(text), "starter").scan).toEqual({
    $comment: expect.any(String),
    from: 0.5,
    to: 9.5,
    step: 0.5,
  });
  const again = run(["init", path]);
  expect(again.code).toBe(2);
  expect(again.err).toMatch(/already exists/);
});

test("Parquet and Arrow event files: the named column (and weights), errors naming the column or row", async () => {
  const { tableFromArrays, tableToIPC } = await import("apache-arrow");
  const { writeParquet, Table: WasmTable } = await import("parquet-wasm/node");
  const m = Float64Array.from({ length: 600 }, (_, i) => (i * 10) / 600 + 0.005);
  const table = tableFromArrays({ m, w: new Float64Array(600).fill(1), other: Int32Array.from(m, (_, i) => i) });
  writeFileSync(join(dir, "ev.parquet"), writeParquet(WasmTable.fromIPCStream(tableToIPC(table, "stream"))));
  writeFileSync(join(dir, "ev.arrow"), tableToIPC(table, "file"));
  for (const file of ["ev.parquet", "ev.arrow"]) {
    const r = run([
      "fit",
      spec(`col-${file}`, { data: { path: file, column: "m", weights: "w" } }),
      "--mass",
      "4.2",
      "--json",
    ]);
    expect(r.err).toBe("");
    expect(JSON.parse(r.out).events).toBe(600);
    const bad = run(["fit", spec(`colbad-${file}`, { data: { path: file, column: "mass" } }), "--mass", "4.2"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(new RegExp(`${file.replace(".", "\\.")} has no column "mass" \\(columns: m, w, other\\)`));
  }
  const withNaN = tableFromArrays({ m: Float64Array.from([1, 2, NaN, 4]) });
  writeFileSync(join(dir, "nan.parquet"), writeParquet(WasmTable.fromIPCStream(tableToIPC(withNaN, "stream"))));
  const nan = run(["fit", spec("colnan", { data: { path: "nan.parquet", column: "m" } }), "--mass", "4.2"]);
  expect(nan.code).toBe(2);
  expect(nan.err).toMatch(/nan\.parquet row 3: column m is NaN, not a finite number/);
});

test("ROOT TTree event files: a branch of the named tree, read by jsroot", async () => {
  const { writeRootFile } = await import("./root-file.js");
  const m = Float64Array.from({ length: 600 }, (_, i) => (i * 10) / 600 + 0.005);
  writeFileSync(
    join(dir, "ev.root"),
    writeRootFile(
      "events",
      [
        { name: "mass", values: m },
        { name: "w", values: new Float64Array(600).fill(1) },
      ],
      250,
    ),
  );
  const r = run([
    "fit",
    spec("root", { data: { path: "ev.root", tree: "events", column: "mass", weights: "w" } }),
    "--mass",
    "4.2",
    "--json",
  ]);
  expect(r.err).toBe("");
  expect(JSON.parse(r.out).events).toBe(600);
  const bad = run([
    "fit",
    spec("rootbad", { data: { path: "ev.root", tree: "events", column: "m" } }),
    "--mass",
    "4.2",
  ]);
  expect(bad.code).toBe(2);
  expect(bad.err).toMatch(/ev\.root tree events has no branch "m" \(branches: mass, w\)/);
});

describe("fit ranges, failed points and weights on the command line", () => {
  const flat = Array.from({ length: 400 }, (_, i) => ((i + 0.5) * 10) / 400).join("\n");

  test("a scan with a failed point exits 1 and says which point failed", () => {
    const path = spec("failpt", { parameters: { nsig: { init: -100 } }, scan: { masses: [4.2] } }, "m\n4.2\n4.21\n3\n");
    const r = run(["scan", path, "--workers", "1", "--json"]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.out);
    expect(out.points[0].status).toBe("failed");
    expect(out.points[0].reason).toMatch(/density is ≤ 0/);
  });

  test("fit and limit take the spec's scan window (or --window, or --no-window) and say which events they used", () => {
    const path = spec("win", { scan: { masses: [5], window: 10 } }, "m\n" + flat + "\n");
    const inWindow = JSON.parse(run(["fit", path, "--mass", "5", "--json"]).out);
    expect(inWindow.range).toEqual([4.5, 5.5]);
    expect(inWindow.events).toBe(40);
    expect(inWindow.eventsOutside).toBe(360);
    const wider = JSON.parse(run(["fit", path, "--mass", "5", "--window", "20", "--json"]).out);
    expect(wider.events).toBe(80);
    const whole = JSON.parse(run(["fit", path, "--mass", "5", "--no-window", "--json"]).out);
    expect(whole.events).toBe(400);
    const limit = JSON.parse(run(["limit", path, "--mass", "5", "--json"]).out);
    expect(limit.events).toBe(40);
    const scan = JSON.parse(run(["scan", path, "--workers", "1", "--json"]).out);
    expect(scan.points[0].events).toBe(40);
    expect(scan.points[0].observed).toBeCloseTo(limit.observed, 8);
  });

  test("weighted events: fit reports sandwich errors (or --errors hesse), scan accepts them", () => {
    const rows = Array.from({ length: 400 }, (_, i) => `${((i + 0.5) * 10) / 400},${i % 5 === 0 ? -0.5 : 1.375}`).join(
      "\n",
    );
    const path = spec("wfit", { data: { path: "wfit.csv", column: "m", weights: "w" }, scan: { masses: [3, 6] } });
    writeFileSync(join(dir, "wfit.csv"), "m,w\n" + rows + "\n");
    const a = JSON.parse(run(["fit", path, "--mass", "5", "--json"]).out);
    expect(a.errors).toBe("asymptotic");
    expect(a.nllScales[0]).toBeCloseTo(400 / 625, 10); // Σw = 400, Σw² = 320·1.375² + 80·0.25 = 625
    const h = JSON.parse(run(["fit", path, "--mass", "5", "--errors", "hesse", "--json"]).out);
    expect(h.errors).toBe("hesse");
    expect(h.parameters.nsig.value).toBeCloseTo(a.parameters.nsig.value, 6);
    expect(a.parameters.nsig.error / h.parameters.nsig.error).toBeGreaterThan(1.1);
    const r = run(["scan", path, "--workers", "1", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).points.every((p: { status: string }) => p.status === "converged")).toBe(true);
    expect(run(["limit", path, "--mass", "5", "--method", "toys"]).err).toMatch(
      /toy limits on weighted events are not supported/,
    );
  });
});

test("a cut and an expression: the passing count in the summary and in --json, for fit and limit", () => {
  const rows = ["px,py,flag"];
  for (let i = 0; i < 800; i++) {
    const m = ((i + 0.5) * 10) / 800;
    rows.push(`${m * 0.6},${m * 0.8},${i % 4 === 0 ? 0 : 1}`); // sqrt(px² + py²) = m
  }
  writeFileSync(join(dir, "sel.csv"), `${rows.join("\n")}\n`);
  const data = { path: "sel.csv", expr: "sqrt(px^2 + py^2)", cut: "flag == 1" };
  const path = spec("sel", { data });
  const json = run(["fit", path, "--mass", "5", "--json"]);
  expect(json.err).toBe("");
  const out = JSON.parse(json.out);
  expect(out.selected).toEqual({ file: join(dir, "sel.csv"), events: 800, passed: 600, ...data, path: undefined });
  expect(out.events).toBe(600);
  const text = run(["fit", path, "--mass", "5"]);
  expect(text.out).toContain(
    "selected   " +
      join(dir, "sel.csv") +
      ': 600 of 800 events pass data.cut "flag == 1"; ' +
      'observable data.expr "sqrt(px^2 + py^2)"',
  );
  const limit = run(["limit", path, "--mass", "5", "--json"]);
  expect(JSON.parse(limit.out).selected.passed).toBe(600);
  const bad = run(["fit", spec("selbad", { data: { ...data, cut: "flg == 1" } }), "--mass", "5"]);
  expect(bad.code).toBe(2);
  expect(bad.err).toMatch(/sel\.csv: data\.cut: unknown column "flg" at 1\n/);
});
