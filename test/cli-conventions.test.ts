// CLI conventions: a spec from standard input (`-`), parameter values from `--set`/`--fix`
// (Combine's --setParameters/--freezeParameters), the worker count from BUMPSCAN_WORKERS.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { demoEvents, demoSpec } from "../src/demo-data.js";

const dir = mkdtempSync(join(tmpdir(), "bumpscan-conventions-"));
const spec = { ...demoSpec(), data: { path: "demo.csv", column: "m" } };
writeFileSync(join(dir, "spec.json"), JSON.stringify(spec));
writeFileSync(join(dir, "demo.csv"), `m\n${[...demoEvents()].join("\n")}\n`);
const cli = (args: string[], input?: string, env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [resolve("dist/cli/main.js"), ...args], {
    encoding: "utf8",
    cwd: dir,
    input,
    env: { ...process.env, ...env },
  });
const fitJson = (args: string[], input?: string) => {
  const r = cli(["fit", ...args, "--mass", "5.1", "--json"], input);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

describe("CLI conventions", () => {
  test("a spec read from standard input (-) fits as the same spec from its file", () => {
    const fromFile = fitJson(["spec.json"]);
    const fromStdin = fitJson(["-"], readFileSync(join(dir, "spec.json"), "utf8"));
    expect(fromStdin.parameters).toEqual(fromFile.parameters);
    expect(fromStdin.nll).toBe(fromFile.nll);
  });

  test("--fix holds a parameter at a value (the fit moves the others); --set only starts it there", () => {
    const free = fitJson(["spec.json"]);
    const c1 = free.parameters.c1.value;
    const fixed = fitJson(["spec.json", "--fix", `c1=${c1 + 0.2}`]);
    expect(fixed.parameters.c1).toEqual({ value: c1 + 0.2, error: 0 }); // held, not fitted
    expect(fixed.nll).toBeGreaterThan(free.nll + 1e-3);
    const started = fitJson(["spec.json", "--set", `c1=${c1 + 0.2},nsig=10`]);
    expect(started.parameters.c1.value).toBeCloseTo(c1, 4);
    expect(Math.abs(started.nll - free.nll)).toBeLessThan(1e-6);
  });

  test("bad --set values and unknown parameters: one line, exit 2", () => {
    const bad = cli(["fit", "spec.json", "--mass", "5.1", "--set", "c1"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe(
      `bumpscan: option '--set <name=value,...>' argument 'c1' is invalid. "c1" is not name=number`,
    );
    const unknown = cli(["fit", "spec.json", "--mass", "5.1", "--fix", "c9=1"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^bumpscan: parameters\.c9: no such parameter \(have nsig, nbkg, c1/);
  });

  test("BUMPSCAN_WORKERS is the default of --workers, checked as it is", () => {
    const r = cli(["limit", "spec.json", "--mass", "5.1", "--method", "toys", "--toys", "50", "--no-expected"], "", {
      BUMPSCAN_WORKERS: "x",
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/BUMPSCAN_WORKERS/);
  });
});
