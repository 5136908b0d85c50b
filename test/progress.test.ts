// Progress on long jobs: the reporter's terminal line and log lines, and the CLI's lines in a log
// (stderr not a terminal) for toy limits, Bayesian bands, LEE toy scans and injection.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { Reporter } from "../src/cli/progress.js";
import { demoEvents, demoSpec } from "../src/demo-data.js";

const sink = (isTTY: boolean) => {
  const out: string[] = [];
  return { out, stream: { isTTY, write: (t: string) => out.push(t) } };
};

describe("the reporter", () => {
  test("a log: a first line after the interval, then one per interval, naming work, total, time", async () => {
    const { out, stream } = sink(false);
    const r = new Reporter("scan", stream, { BUMPSCAN_PROGRESS_SECONDS: "0.05" });
    r.update(0, 10, "mass points"); // before the first interval: no line
    await new Promise((ok) => setTimeout(ok, 80));
    r.update(1, 10, "mass points");
    r.update(2, 10, "mass points"); // within the interval: no line
    await new Promise((ok) => setTimeout(ok, 80));
    r.update(3, 10, "mass points", "look-elsewhere");
    r.stop();
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/^bumpscan: scan: 1\/10 mass points, 0 s, ETA \d+ s\n$/);
    expect(out[1]).toMatch(/^bumpscan: scan \(look-elsewhere\): 3\/10 mass points, 0 s, ETA \d+ s\n$/);
  });

  test("a terminal gets one line redrawn in place, ended by stop; no stream: nothing", () => {
    const { out, stream } = sink(true);
    const r = new Reporter("limit", stream, {});
    r.update(2000, undefined, "toys");
    r.update(4000, undefined, "toys"); // within 200 ms: not redrawn
    r.stop();
    expect(out).toEqual(["\rlimit: 2000 toys, 0 s\u001b[K", "\n"]);
    const quiet = new Reporter("limit", null);
    quiet.update(1, 2, "toys");
    quiet.stop();
  });

  test("in a log, a job shorter than 2 s (the first line's delay) writes nothing, even when it ends", () => {
    const { out, stream } = sink(false);
    const r = new Reporter("x", stream, {});
    r.update(1, 100, "toys");
    r.update(50, 100, "toys");
    r.update(100, 100, "toys");
    r.stop();
    expect(out).toHaveLength(0);
  });
});

describe("the CLI's progress lines in a log", () => {
  const dir = mkdtempSync(join(tmpdir(), "bumpscan-progress-"));
  const spec = { ...demoSpec(), data: { path: "demo.csv", column: "m" }, scan: { masses: [4, 5.1] } };
  writeFileSync(join(dir, "spec.json"), JSON.stringify(spec));
  writeFileSync(join(dir, "demo.csv"), `m\n${[...demoEvents()].join("\n")}\n`);
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [resolve("dist/cli/main.js"), ...args], {
      encoding: "utf8",
      cwd: dir,
      env: { ...process.env, BUMPSCAN_PROGRESS_SECONDS: "0" },
    });

  test("toy limits count their toys; Bayesian bands their pseudo-experiments; --quiet none", () => {
    const toys = cli("limit", "spec.json", "--mass", "5.1", "--method", "toys", "--toys", "200", "--workers", "1");
    expect(toys.status, toys.stderr).toBe(0);
    expect(toys.stderr).toMatch(/^bumpscan: limit: 200 toys, \d+ s$/m);
    const bayes = cli("limit", "spec.json", "--mass", "5.1", "--method", "bayes", "--expected-toys", "10");
    expect(bayes.stderr).toMatch(/^bumpscan: limit: 10\/10 pseudo-experiments, \d+ s$/m);
    const quiet = cli("limit", "spec.json", "--mass", "5.1", "--method", "bayes", "--expected-toys", "10", "--quiet");
    expect(quiet.stderr).toBe("");
  }, 60_000);

  test("a scan reports its mass points, then its background-only toy scans", () => {
    const r = cli("scan", "spec.json", "--lee-toys", "3", "--workers", "1");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^bumpscan: scan: 2\/2 mass points, \d+ s$/m);
    expect(r.stderr).toMatch(/^bumpscan: scan \(look-elsewhere\): 3\/3 background-only toy scans, \d+ s$/m);
  }, 60_000);

  test("injection counts its toys", () => {
    const r = cli("inject", "spec.json", "--mass", "5.1", "--events", "45", "--toys", "5");
    expect(r.stderr).toMatch(/^bumpscan: inject: 5\/5 toys, \d+ s$/m);
  }, 60_000);
});
