// Signal injection (bumpscan inject): toys with a known signal on the data's background, fitted as
// the data are. On the demo model the pulls must be unbiased and of unit width within their errors.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect, test } from "vitest";
import { demoEvents, demoSpec } from "../src/demo-data.js";
import { injectAtMass } from "../src/job/inject.js";

test("the demo model with 45 injected events: pull mean 0 and width 1 within their errors (200 toys)", async () => {
  const r = await injectAtMass(demoSpec(), { values: demoEvents() }, 5.1, { events: 45, toys: 200, seed: 11 });
  expect(r.toys).toBe(200);
  expect(r.failed).toBeLessThanOrEqual(2);
  expect(r.injected.events).toBe(45);
  expect(r.injected.poi).toBeCloseTo(45, 10); // one sample of scale 1: the POI is the event count
  expect(Math.abs(r.pullMean.value)).toBeLessThan(3 * r.pullMean.error);
  expect(Math.abs(r.pullWidth.value - 1)).toBeLessThan(3 * r.pullWidth.error);
  expect(Math.abs(r.meanFitted.value - 45)).toBeLessThan(3 * r.meanFitted.error);
  // the errors are what they claim: σ/√n for the mean, σ/√(2(n−1)) for the width
  const n = r.pulls.length;
  expect(r.pullMean.error).toBeCloseTo(r.pullWidth.value / Math.sqrt(n), 12);
  expect(r.pullWidth.error).toBeCloseTo(r.pullWidth.value / Math.sqrt(2 * (n - 1)), 12);
}, 120_000);

test("the same seed gives the same toys; another seed other toys", async () => {
  const run = (seed: number) => injectAtMass(demoSpec(), { values: demoEvents() }, 5.1, { events: 20, toys: 5, seed });
  const [a, b, c] = [await run(4), await run(4), await run(5)];
  expect(a.pulls).toEqual(b.pulls);
  expect(a.pulls).not.toEqual(c.pulls);
});

test("coverage: CLs upper limits cover the injected signal at least at their CL (CLs over-covers)", async () => {
  const r = await injectAtMass(demoSpec(), { values: demoEvents() }, 5.1, {
    events: 30,
    toys: 60,
    seed: 2,
    coverage: true,
    cl: 0.9,
  });
  expect(r.coverage?.cl).toBe(0.9);
  expect(r.coverage!.value).toBeGreaterThan(0.9 - 3 * r.coverage!.error);
});

test("bumpscan inject: the summary, --json, the pull plot; bad input is exit 2", () => {
  const dir = mkdtempSync(join(tmpdir(), "bumpscan-inject-"));
  const values = demoEvents();
  writeFileSync(join(dir, "events.csv"), `m\n${Array.from(values).join("\n")}\n`);
  writeFileSync(join(dir, "spec.json"), JSON.stringify({ ...demoSpec(), data: { path: "events.csv", column: "m" } }));
  const cli = resolve("dist/cli/main.js");
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", cwd: dir });
  const text = run("inject", "spec.json", "--mass", "5.1", "--events", "45", "--toys", "20", "--plot", "pulls.svg");
  expect(text.stdout).toMatch(/^injected 45 events \(nsig = 45\) at m = 5\.1: 20 toys, \d+ failed/);
  expect(text.stdout).toMatch(/pull width\s+\d/);
  expect(readFileSync(join(dir, "pulls.svg"), "utf8")).toContain("</svg>");
  const json = JSON.parse(
    run("inject", "spec.json", "--mass", "5.1", "--events", "45", "--toys", "20", "--json").stdout,
  );
  expect(json.pulls.length + json.failed).toBe(20);
  const bad = run("inject", "spec.json", "--mass", "5.1", "--events", "-3", "--toys", "20");
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/"-3" must be ≥ 0/);
});

test("weighted events are refused (the toys would be unweighted)", async () => {
  const values = demoEvents();
  const weights = new Float64Array(values.length).fill(0.5);
  await expect(injectAtMass(demoSpec(), { values, weights }, 5.1, { events: 10, toys: 5 })).rejects.toThrow(
    "inject on weighted events is not supported (the toys would be unweighted)",
  );
});
