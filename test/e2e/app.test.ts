// The web app (web/, built with Vite) end to end in a real Chromium (Debian's, via playwright-core):
// the demo scan gives Node's numbers, cancel stops the workers, bad input shows a message.
// Screenshots of the main states go to test/e2e/screenshots/ (not committed).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "vite";
import type { Browser, Page } from "playwright-core";
import { demoEvents, demoSpec } from "../../src/demo-data.js";
import { runScan, type ScanResult } from "../../src/scan/scan.js";
import { WorkerPool } from "../../src/scan/pool.js";
import { fitAtMass } from "../../src/job/mass-job.js";
import { parseSpec } from "../../src/model/parse.js";
import { chromiumPath, launchChromium } from "./chromium.js";
import { serveFiles } from "./static-server.js";
import { expectSame, waitState } from "./app-harness.js";
import { writeRootFile } from "../root-file.js";

const dist = resolve("web/dist");
const shots = resolve("test/e2e/screenshots");
let browser: Browser;
let url = "";
let close = () => {};

beforeAll(async () => {
  if (!chromiumPath) return;
  await build({ configFile: resolve("web/vite.config.ts"), logLevel: "error" });
  mkdirSync(shots, { recursive: true });
  ({ url, close } = await serveFiles((p) => join(dist, p === "/" ? "index.html" : p)));
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  close();
});

/** The app, opened fresh, with every page error collected. */
async function openApp(): Promise<{ page: Page; errors: string[] }> {
  // no service worker (web/offline-plugin.ts): its cache would answer the requests these tests route
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, serviceWorkers: "block" });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]");
  return { page, errors };
}

const state = (page: Page) => page.evaluate(() => document.body.dataset.state);
const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

/** Vertices of an SVG path (its M and L commands). */
const vertices = (d: string) => (d.match(/[ML]/g) ?? []).length;

describe.skipIf(!chromiumPath && !process.env.CI)("the web app in Chromium", () => {
  test("Chromium is installed (CI installs Debian's)", () => expect(chromiumPath).not.toBe(""));

  test("the page loads with the demo spec, validated, and no errors", async () => {
    const { page, errors } = await openApp();
    await shot(page, "01-loaded");
    expect(await page.textContent("#spec-status")).toBe("Spec valid.");
    expect(await page.isDisabled("#scan")).toBe(true); // no data yet
    expect(errors).toEqual([]);
    await page.close();
  });

  test("the demo scan completes, plots every mass point, and equals the Node run", async () => {
    const { page, errors } = await openApp();
    await page.click("#demo");
    await page.click("#scan");
    await page.waitForFunction(
      () =>
        (document.getElementById("progress") as HTMLProgressElement).value >= 120 &&
        document.querySelector("#brazil svg"),
    );
    await shot(page, "02-scanning");
    await waitState(page, "done", "error");
    await shot(page, "03-scan-done");
    expect(errors).toEqual([]);
    expect(await state(page)).toBe("done");
    const there = await page.evaluate(
      () => (window as unknown as { bumpscan: { result: ScanResult } }).bumpscan.result,
    );
    const pool = await WorkerPool.start(2);
    const here = await runScan(demoSpec(), demoEvents(), { pool }).finally(() => pool.close());
    expect(there.points.length).toBe(372);
    expectSame(there.points, here.points, "points");
    expectSame(there.maxLocalZ, here.maxLocalZ, "maxLocalZ");
    expectSame(there.globalZ, here.globalZ, "globalZ");
    // one vertex per fitted mass point in the observed line and the significance curve
    const fitted = here.points.filter((p) => p.status !== "skipped" && p.status !== "failed").length;
    expect(vertices((await page.getAttribute("#brazil path.observed", "d"))!)).toBe(fitted);
    expect(vertices((await page.getAttribute("#significance path.local-z", "d"))!)).toBe(fitted);
    expect(await page.textContent("#summary")).toMatch(/372 mass points .* local Z = 4\.70σ at 5\.10\d GeV/);
    // the downloads hold the same result
    const names = await page.$$eval("#downloads a", (as) => as.map((a) => (a as HTMLAnchorElement).download));
    expect(names).toEqual([
      "results.json",
      "limits.csv",
      "brazil.svg",
      "significance.svg",
      "hepdata-submission.yaml",
      "hepdata-limits.yaml",
      "hepdata-significance.yaml",
    ]);
    const json = await page.evaluate(() =>
      fetch((document.querySelector("#downloads a") as HTMLAnchorElement).href).then((r) => r.json()),
    );
    expect(json.points).toEqual(there.points);
    await page.close();
  }, 120_000);

  test("a fit at one mass plots data, model and pulls, with Node's numbers", async () => {
    const { page, errors } = await openApp();
    await page.click("#demo");
    await page.fill("#fit-mass", "5.1");
    await page.click("#fit");
    await waitState(page, "done", "error");
    await shot(page, "04-fit");
    expect(errors).toEqual([]);
    const there = await page.evaluate(
      () => (window as unknown as { bumpscan: { fit: { parameters: object; z: number } } }).bumpscan.fit,
    );
    const here = await fitAtMass(demoSpec(), { values: demoEvents() }, 5.1);
    expectSame(there.parameters, here.parameters, "parameters");
    expectSame(there.z, here.z, "z");
    expect(await page.textContent("#fit-plot svg")).toMatch(/pull/i);
    await page.close();
  });

  test("cancel stops the scan and its workers at once; a new scan then runs", async () => {
    const { page, errors } = await openApp();
    await page.click("#demo");
    await page.click("#scan");
    await page.waitForFunction(() => (document.getElementById("progress") as HTMLProgressElement).value >= 20);
    const t0 = Date.now();
    await page.click("#cancel");
    await waitState(page, "cancelled");
    const stopMs = Date.now() - t0;
    const doneAtCancel = await page.$eval("#progress", (p) => (p as HTMLProgressElement).value);
    await shot(page, "05-cancelled");
    await page.waitForTimeout(1000);
    expect(await page.$eval("#progress", (p) => (p as HTMLProgressElement).value)).toBe(doneAtCancel);
    expect(doneAtCancel).toBeLessThan(372);
    expect(stopMs).toBeLessThan(1000);
    expect(await page.textContent("#run-status")).toMatch(/Scan cancelled after \d+ of 372 mass points/);
    expect(await page.isEnabled("#scan")).toBe(true);
    await page.click("#scan");
    await waitState(page, "done", "error");
    expect(await state(page)).toBe("done");
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  test("a worker script that cannot be loaded (404) shows the pool's error in the page instead of " +
    "hanging", async () => {
    const { page } = await openApp();
    await page.route(/web-worker[^/]*\.js/, (route) => route.fulfill({ status: 404, body: "not found" }));
    await page.click("#demo");
    const t0 = Date.now();
    await page.click("#scan");
    await waitState(page, "error", "done");
    await shot(page, "05b-worker-404");
    expect(await state(page)).toBe("error");
    expect(await page.textContent("#error")).toMatch(
      /^worker \d of the pool failed to start: its script .*could not be loaded/,
    );
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(await page.isEnabled("#scan")).toBe(true);
    await page.close();
  }, 60_000);

  test("a malformed file shows a message naming the file and line", async () => {
    const { page } = await openApp();
    await page.setInputFiles("#file", { name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from("m\n1.5\nx\n") });
    await page.waitForSelector("#error:not([hidden])");
    await shot(page, "06-bad-file");
    // the cell's text is file content: not echoed
    expect(await page.textContent("#error")).toBe("bad.csv line 3: column 1 is not a decimal number");
    expect(await page.isDisabled("#scan")).toBe(true);
    await page.close();
  });

  test("a dropped CSV file, a chosen Parquet file and a ROOT file load, and a fit runs", async () => {
    const { page, errors } = await openApp();
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(
        new File(
          ["# recoil masses\nm,w\n" + Array.from({ length: 400 }, (_, i) => `${(i * 10) / 400 + 0.01},1`).join("\n")],
          "dropped.csv",
        ),
      );
      document.getElementById("drop")!.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true }));
    });
    // two columns: the error names them; naming one loads the file
    await page.waitForSelector("#error:not([hidden])");
    // the header is file content: not listed
    expect(await page.textContent("#error")).toBe("dropped.csv has 2 columns: name one in the spec's data.column");
    await page.fill("#column", "m");
    await page.dispatchEvent("#column", "change");
    await page.waitForFunction(
      () => document.getElementById("data-status")!.textContent === "dropped.csv: 400 events.",
    );
    expect(await page.isHidden("#error")).toBe(true);
    // the demo spec's range is [0, 8]: the 80 events above it are left out, and the page says so
    await page.click("#fit");
    await waitState(page, "done", "error");
    expect(await page.textContent("#run-status")).toBe("80 of 400 events outside the range [0, 8] left out.");
    expect(await page.getAttribute("#fit-download a", "download")).toBe("fit-5.1.svg");
    const { tableFromArrays, tableToIPC } = await import("apache-arrow");
    const { writeParquet, Table } = await import("parquet-wasm/node");
    const table = tableFromArrays({
      mass: Float64Array.from({ length: 500 }, (_, i) => (i * 8) / 500 + 0.004),
      other: new Float64Array(500),
    });
    await page.fill("#column", "mass");
    await page.setInputFiles("#file", {
      name: "events.parquet",
      mimeType: "application/octet-stream",
      buffer: Buffer.from(writeParquet(Table.fromIPCStream(tableToIPC(table, "stream")))),
    });
    await page.waitForFunction(() =>
      document.getElementById("data-status")!.textContent!.startsWith("events.parquet: 500 events"),
    );
    await page.click("#fit");
    await waitState(page, "done", "error");
    expect(await state(page)).toBe("done");
    // an Arrow file: its column's buffer read without apache-arrow, in the page's reading worker
    await page.setInputFiles("#file", {
      name: "events.arrow",
      mimeType: "application/octet-stream",
      buffer: Buffer.from(tableToIPC(table, "file")),
    });
    await page.waitForFunction(() =>
      document.getElementById("data-status")!.textContent!.startsWith("events.arrow: 500 events"),
    );
    await page.fill("#tree", "events");
    await page.setInputFiles("#file", {
      name: "run1.root",
      mimeType: "application/octet-stream",
      buffer: Buffer.from(writeRootFile("events", [{ name: "mass", values: table.getChild("mass")!.toArray() }])),
    });
    await page.waitForFunction(() =>
      document.getElementById("data-status")!.textContent!.startsWith("run1.root: 500 events"),
    );
    await shot(page, "08-root-file");
    // a cut reads the file again through the same expression module as the CLI
    await page.fill("#cut", "mass > 4 && abs(mass - 6) < 5");
    await page.dispatchEvent("#cut", "change");
    await page.waitForFunction(() =>
      document.getElementById("data-status")!.textContent!.startsWith("run1.root: 250 events (of 500 read"),
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  test("a large CSV is decoded in a Web Worker (read-worker), which ends when the file is read", async () => {
    const { page, errors } = await openApp();
    const workers: string[] = [];
    const closed: string[] = [];
    page.on("worker", (w) => {
      workers.push(w.url());
      w.on("close", () => closed.push(w.url()));
    });
    await page.evaluate(() => {
      const rows = Array.from({ length: 200_000 }, (_, i) => `${((i * 7919) % 80000) / 10000}\n`);
      const dt = new DataTransfer();
      dt.items.add(new File(["m\n", ...rows], "large.csv"));
      document.getElementById("drop")!.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true }));
    });
    await page.waitForFunction(
      () => document.getElementById("data-status")!.textContent === "large.csv: 200,000 events.",
    );
    expect(workers.filter((u) => /read-worker/.test(u))).toHaveLength(1);
    await expect.poll(() => closed.filter((u) => /read-worker/.test(u)).length).toBe(1);
    const sum = await page.evaluate(() =>
      (window as unknown as { bumpscan: { events: { values: Float64Array } } }).bumpscan.events.values.reduce(
        (a, b) => a + b,
        0,
      ),
    );
    let want = 0;
    for (let i = 0; i < 200_000; i++) want += ((i * 7919) % 80000) / 10000;
    expect(sum).toBeCloseTo(want, 6);
    // the worker reported its progress: bytes read, rising to the file's size, then decoding
    type Step = { stage: string; loaded: number; total: number };
    const reading = await page.evaluate(
      () => (window as unknown as { bumpscan: { reading: Step[] } }).bumpscan.reading,
    );
    const size = 2; // the header, "m\n"
    const bytes = Array.from({ length: 200_000 }, (_, i) => `${((i * 7919) % 80000) / 10000}\n`.length).reduce(
      (a, b) => a + b,
      size,
    );
    const read = reading.filter((p) => p.stage === "reading");
    expect(read.length).toBeGreaterThan(0);
    expect(read.every((p, i) => p.total === bytes && (i === 0 || p.loaded >= read[i - 1].loaded))).toBe(true);
    expect(read.at(-1)!.loaded).toBe(bytes);
    expect(reading.at(-1)).toEqual({ stage: "decoding", loaded: bytes, total: bytes });
    expect(errors).toEqual([]);
    await page.close();
  });

  test("a spec in the language of real searches (a veto, a POI with a unit) scans as in Node", async () => {
    const { page, errors } = await openApp();
    await page.click("#demo");
    await page.click("summary");
    const spec = JSON.parse(await page.inputValue("#spec-json"));
    spec.observable.exclude = [[3.0, 3.2]];
    spec.poi = { name: "N_sig", unit: "events" };
    spec.scan = { ...spec.scan, from: 2.5, to: 3.8, step: 2 };
    await page.fill("#spec-json", JSON.stringify(spec));
    expect(await page.textContent("#spec-status")).toBe("Spec valid.");
    await page.click("#scan");
    await waitState(page, "done", "error");
    expect(errors).toEqual([]);
    const there = await page.evaluate(
      () => (window as unknown as { bumpscan: { result: ScanResult } }).bumpscan.result,
    );
    const here = await runScan(parseSpec(spec), demoEvents());
    expect(there.points.some((p) => p.reason?.startsWith("vetoed"))).toBe(true);
    expectSame(there.points, here.points, "points");
    await page.close();
  }, 120_000);

  test("the spec form and the JSON stay in step; a schema error names the field and blocks the run", async () => {
    const { page } = await openApp();
    await page.click("#demo");
    await page.fill('[data-spec="scan.step"]', "1");
    expect(JSON.parse(await page.inputValue("#spec-json")).scan.step).toBe(1);
    await page.click("summary");
    const spec = JSON.parse(await page.inputValue("#spec-json"));
    spec.signal.alpha = "wide";
    await page.fill("#spec-json", JSON.stringify(spec));
    expect(await page.textContent("#spec-status")).toMatch(/signal\.alpha must be number/);
    await shot(page, "07-spec-error");
    expect(await page.isDisabled("#scan")).toBe(true);
    spec.signal.alpha = 1.2;
    await page.fill("#spec-json", JSON.stringify(spec));
    expect(await page.textContent("#spec-status")).toBe("Spec valid.");
    expect(await page.isEnabled("#scan")).toBe(true);
    await page.close();
  });
});
