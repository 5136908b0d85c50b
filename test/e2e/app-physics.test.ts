// The web app's physics views end to end in Chromium (Debian's, via playwright-core): the limit at
// one mass by every method, LEE toys and marginalised Bayes in scans, clicking, hovering and zooming
// the scan plots, the whole spectrum with the background-only fit, the column picker and the range
// from the data, and one file per sample. Every number is compared with the same computation in Node.
// The app is built into a folder of its own (test/e2e/app-harness.ts; app.test.ts builds web/dist: the two may
// run at once).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { demoEvents, demoSpec } from "../../src/demo-data.js";
import { type FitReport, fitAtMass, type LimitReport, limitAtMass } from "../../src/job/mass-job.js";
import { runScan, type ScanResult } from "../../src/scan/scan.js";
import { parseSpec } from "../../src/model/parse.js";
import type { SampleSpectrum } from "../../web/src/job-worker.js";
import { chromiumPath } from "./chromium.js";
import {
  expectSame,
  type Harness,
  openApp as openPage,
  setSpec as setPageSpec,
  startHarness,
  waitState,
} from "./app-harness.js";
import { writeRootFile } from "../root-file.js";

const shots = resolve("test/e2e/screenshots");
let h: Harness;

beforeAll(async () => {
  if (!chromiumPath) return;
  h = await startHarness();
  mkdirSync(shots, { recursive: true });
}, 180_000);

afterAll(async () => {
  await h?.close();
});

type Win = { bumpscan: Record<string, unknown> & { running?: unknown } };

const openApp = () => openPage(h.browser, h.url);
const state = (page: Page) => page.evaluate(() => document.body.dataset.state);
const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
const appValue = <T>(page: Page, key: string) =>
  page.evaluate((k) => (window as unknown as Win).bumpscan[k], key) as Promise<T>;

/** Set the spec's JSON (the form follows it) and check that it validates. */
async function setSpec(page: Page, spec: object): Promise<void> {
  await setPageSpec(page, spec);
  expect(await page.textContent("#spec-status")).toBe("Spec valid.");
}

const limitOf = (r: LimitReport) => ({ observed: r.observed, expected: r.expected, nuisances: r.nuisances });

describe.skipIf(!chromiumPath && !process.env.CI)("the web app's physics views in Chromium", () => {
  test("the limit at one mass: asymptotic, Bayesian and Bayesian marginalised equal Node's", async () => {
    const { page, errors } = await openApp();
    await page.click("#demo");
    await page.fill("#fit-mass", "5.1");
    const spec = demoSpec();
    const events = { values: demoEvents() };
    // asymptotic (the demo spec's method)
    await page.click("#limit");
    await waitState(page, "done", "error");
    expect(await state(page)).toBe("done");
    let there = await appValue<LimitReport>(page, "limit");
    let here = await limitAtMass(spec, events, 5.1);
    expectSame(limitOf(there), limitOf(here), "asymptotic");
    expect(there.method).toBe("asymptotic");
    expect(await page.textContent("#limit-table .observed")).toBe(String(Number(here.observed.toPrecision(4))));
    expect(await page.textContent("#limit-table .expected")).toBe(String(Number(here.expected!["0"].toPrecision(4))));
    expect(await page.textContent("#limit-table")).toMatch(/expected ±2σ\[[\d.]+, [\d.]+\]/);
    await shot(page, "20-limit-asymptotic");
    // Bayesian, the band from 20 pseudo-experiments (progress shown as they go)
    const bayes = { ...JSON.parse(await page.inputValue("#spec-json")) };
    bayes.limit = { ...bayes.limit, method: "bayes" };
    await setSpec(page, bayes);
    await page.fill("#expected-toys", "20");
    for (const marginalise of [false, true]) {
      await page.setChecked("#marginalise", marginalise);
      await page.click("#limit");
      await page.waitForFunction(() => /pseudo-experiments/.test(document.getElementById("eta")!.textContent!));
      await waitState(page, "done", "error");
      expect(await state(page)).toBe("done");
      there = await appValue<LimitReport>(page, "limit");
      here = await limitAtMass(parseSpec(bayes), events, 5.1, { method: "bayes", marginalise, expectedToys: 20 });
      expect(there.method).toBe("bayes");
      expect(there.nuisances).toBe(marginalise ? "marginalised" : "profiled");
      expectSame(limitOf(there), limitOf(here), `bayes${marginalise ? ", marginalised" : ""}`);
      expect(await page.textContent("#limit-table")).toContain(`nuisances ${here.nuisances}`);
    }
    await shot(page, "21-limit-bayes");
    expect(await page.textContent("#limit-table")).not.toMatch(/NaN|Infinity/);
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);

  test("a toy limit runs on the worker pool with progress, and Cancel stops it", async () => {
    const { page, errors } = await openApp();
    await page.click("#demo");
    const spec = JSON.parse(await page.inputValue("#spec-json"));
    spec.limit = { ...spec.limit, method: "toys", toys: 200, seed: 7 };
    await setSpec(page, spec);
    await page.fill("#fit-mass", "5.1");
    await page.click("#limit");
    await page.waitForFunction(() => /\d toys/.test(document.getElementById("eta")!.textContent!));
    await waitState(page, "done", "error");
    expect(await state(page)).toBe("done");
    const there = await appValue<LimitReport>(page, "limit");
    const here = await limitAtMass(parseSpec(spec), { values: demoEvents() }, 5.1);
    expect(there.method).toBe("toys");
    expectSame({ observed: there.observed, toys: there.toys }, { observed: here.observed, toys: here.toys }, "toys");
    expect(await page.textContent("#limit-table")).toMatch(/± [\d.]+/);
    // a second run, cancelled at once
    await page.click("#limit");
    await page.click("#cancel");
    await waitState(page, "cancelled", "error");
    expect(await state(page)).toBe("cancelled");
    expect(await page.textContent("#run-status")).toBe("Limit cancelled.");
    expect(await page.isEnabled("#limit")).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);

  test("a short scan with LEE toy scans gives Node's global significance with the same seed", async () => {
    const { page, errors } = await openApp();
    await page.click("#demo");
    const spec = JSON.parse(await page.inputValue("#spec-json"));
    spec.scan = { ...spec.scan, from: 4.6, to: 5.6, step: 2 };
    spec.limit = { ...spec.limit, seed: 11 };
    await setSpec(page, spec);
    await page.fill("#lee-toys", "2.5");
    await page.click("#scan");
    expect(await page.textContent("#error")).toBe('LEE toys must be a whole number from 0 to 1,000,000 (got "2.5")');
    await page.fill("#lee-toys", "4");
    await page.click("#scan");
    await page.waitForFunction(() => /LEE toy scans/.test(document.getElementById("eta")!.textContent!));
    await waitState(page, "done", "error");
    expect(await state(page)).toBe("done");
    await shot(page, "22-scan-lee");
    const there = await appValue<ScanResult>(page, "result");
    const here = await runScan(parseSpec(spec), demoEvents(), { leeToys: 4 });
    expect(there.lee).toBeDefined();
    expect(there.seed).toBe(11);
    expectSame(there.points, here.points, "points");
    expectSame(there.lee, here.lee, "lee");
    const lee = here.lee!;
    const z = String(Number(lee.globalZ.toPrecision(3)));
    expect(await page.textContent("#summary")).toContain(
      lee.globalZIsLowerBound
        ? "LEE from 4 background-only toy scans: no toy scan reached the observed local Z: " +
            `global p < 0.25, global Z > ${z}σ.`
        : `LEE from 4 background-only toy scans: global p = ${Number(lee.globalP.toPrecision(3))} ± `,
    );
    expect(await page.textContent("#summary")).not.toMatch(/NaN|Infinity/);
    // a Bayesian scan with marginalised nuisances and a 5-experiment band: Node's numbers
    const bayes = { ...spec, scan: { ...spec.scan, from: 5, to: 5.2 }, limit: { ...spec.limit, method: "bayes" } };
    await setSpec(page, bayes);
    await page.fill("#lee-toys", "0");
    await page.fill("#expected-toys", "5");
    await page.setChecked("#marginalise", true);
    await page.click("#scan");
    await waitState(page, "done", "error");
    expect(await state(page)).toBe("done");
    const b = await appValue<ScanResult>(page, "result");
    const bHere = await runScan(parseSpec(bayes), demoEvents(), { marginalise: true, expectedToys: 5 });
    expect(b.nuisances).toBe("marginalised");
    expect(b.expectedToys).toBe(5);
    expectSame(b.points, bHere.points, "bayes points");
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);

  test("the scan plots: a clicked point is fitted, hovering shows its numbers, zoom and reset", async () => {
    const { page, errors } = await openApp();
    await page.click("#demo");
    const spec = JSON.parse(await page.inputValue("#spec-json"));
    spec.scan = { ...spec.scan, from: 4.6, to: 5.6, step: 1 };
    await setSpec(page, spec);
    await page.click("#scan");
    await waitState(page, "done", "error");
    const result = await appValue<ScanResult>(page, "result");
    const fitted = result.points.filter((p) => p.status !== "skipped" && p.status !== "failed");
    expect(await page.locator("#brazil rect.hit").count()).toBe(fitted.length);
    expect(await page.locator("#significance rect.hit").count()).toBe(fitted.length);
    // hover: the tooltip names the mass, the limit and Z
    const k = 5;
    await page.hover(`#significance rect.hit >> nth=${k}`);
    await page.waitForSelector("#plot-tip:not([hidden])");
    const tip = await page.textContent("#plot-tip");
    const p = fitted[k];
    expect(tip).toContain(`m = ${Number(p.mass.toPrecision(6))} GeV`);
    expect(tip).toContain(`limit ${Number(p.observed!.toPrecision(4))}`);
    expect(tip).toContain(`local Z = ${Number(p.z!.toPrecision(3))}σ`);
    expect(await page.textContent(`#brazil rect.hit >> nth=${k} >> title`)).toBe(tip);
    await shot(page, "23-plot-tooltip");
    // click: the fit at that mass, with Node's numbers
    const j = 8;
    await page.click(`#brazil rect.hit >> nth=${j}`);
    await page.waitForFunction((m) => (window as unknown as Win).bumpscan.fit?.mass === m, fitted[j].mass);
    await waitState(page, "done", "error");
    expect(await page.inputValue("#fit-mass")).toBe(String(fitted[j].mass));
    expect(await page.getAttribute("#fit-download a", "download")).toBe(`fit-${fitted[j].mass}.svg`);
    expect(await page.isVisible("#fit-view")).toBe(true);
    const fit = await appValue<FitReport>(page, "fit");
    const here = await fitAtMass(parseSpec(spec), { values: demoEvents() }, fitted[j].mass);
    expectSame(fit.parameters, here.parameters, "parameters");
    // the fit's PNG link comes a moment later and moves the plots below it: wait for it before dragging
    await page.waitForSelector("#fit-download-png a");
    // zoom: the buttons, a drag, the reset
    const range = async () => (await page.getAttribute("#brazil", "data-x-range"))!.split(" ").map(Number);
    const whole = await range();
    expect(whole).toEqual([result.points[0].mass, result.points.at(-1)!.mass]);
    await page.click("#zoom-in");
    const zoomed = await range();
    expect(zoomed[1] - zoomed[0]).toBeLessThan(0.6 * (whole[1] - whole[0]));
    expect(await range()).toEqual((await page.getAttribute("#significance", "data-x-range"))!.split(" ").map(Number));
    const masses = await page.$$eval("#brazil rect.hit", (rs) => rs.map((r) => Number(r.getAttribute("data-mass"))));
    expect(masses.length).toBeLessThan(fitted.length);
    expect(masses.every((m) => m >= zoomed[0] && m <= zoomed[1])).toBe(true);
    // the largest excess (at the upper end) is outside the zoomed range: its circle is not drawn off the frame
    expect(await page.locator("#significance svg circle").count()).toBe(
      result.maxLocalZ!.mass <= zoomed[1] && result.maxLocalZ!.mass >= zoomed[0] ? 1 : 0,
    );
    await page.click("#zoom-reset");
    expect(await range()).toEqual(whole);
    expect(await page.locator("#significance svg circle").count()).toBe(1);
    const box = (await page.locator('#brazil svg > rect[stroke="#333"]').first().boundingBox())!;
    await page.mouse.move(box.x + 0.2 * box.width, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 0.35 * box.width, box.y + box.height / 2, { steps: 5 });
    await page.mouse.move(box.x + 0.5 * box.width, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const dragged = await range();
    const at = (f: number) => whole[0] + f * (whole[1] - whole[0]);
    expect(dragged[0]).toBeGreaterThanOrEqual(at(0.2) - 1e-9);
    expect(dragged[1]).toBeLessThanOrEqual(at(0.5) + 1e-9);
    expect(dragged[1] - dragged[0]).toBeGreaterThan(0.2 * (whole[1] - whole[0]));
    await shot(page, "24-plot-zoomed");
    expect(await page.evaluate(() => (window as unknown as Win).bumpscan.fit)).toMatchObject({ mass: fitted[j].mass });
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);

  test("the whole spectrum with the background-only fit after a fit: its curve integrates to the events", async () => {
    const { page, errors } = await openApp();
    await page.click("#demo");
    await page.fill("#fit-mass", "3");
    await page.click("#fit");
    await waitState(page, "done", "error");
    await page.waitForSelector("#spectrum-view:not([hidden]) #spectrum svg path.background");
    type View = { spectrum: { status: string; parameters: Record<string, number>; samples: SampleSpectrum[] } };
    const there = await page.evaluate(
      () => (window as unknown as { bumpscan: { spectrum: View } }).bumpscan.spectrum.spectrum,
    );
    const events = demoEvents();
    const [s] = there.samples;
    expect(there.status).toBe("converged");
    expect(s.counts.length).toBe(100);
    expect(s.counts.reduce((a, b) => a + b, 0)).toBe(events.length);
    expect(s.events).toBe(events.length);
    // the extended background-only fit: its curve's integral over the whole range is the event count
    const integral = s.background.reduce((a, b) => a + b, 0);
    expect(Math.abs(integral - events.length) / events.length).toBeLessThan(1e-3);
    // the same fit in Node (the background-only fit of fitAtMass over the whole range)
    const node = await fitAtMass(demoSpec(), { values: events }, 3);
    for (const k of ["nbkg", "c1", "c2"])
      expect(Math.abs(there.parameters[k] - node.background.parameters[k])).toBeLessThan(
        1e-4 * Math.max(1, Math.abs(node.background.parameters[k])),
      );
    // one vertex per bin in the drawn curve; the text says the totals
    expect(((await page.getAttribute("#spectrum path.background", "d"))!.match(/[ML]/g) ?? []).length).toBe(100);
    expect(await page.textContent("#spectrum-status")).toMatch(
      /converged; it expects 2009\d\.?\d* events, the data have 20,098\./,
    );
    await page.check("#spectrum-log");
    expect(await page.locator("#spectrum svg").count()).toBe(1);
    await shot(page, "25-spectrum");
    expect(await page.textContent("#spectrum-view")).not.toMatch(/NaN|Infinity/);
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);

  test("a file's numeric columns in a select; choosing one loads it; the range from the data", async () => {
    const { page, errors } = await openApp();
    const mass = Array.from({ length: 300 }, (_, i) => 2.5 + ((i * 37) % 300) / 100);
    const csv =
      "# two numeric columns and a label\nmass,energy,label\n" +
      mass.map((m, i) => `${m},${(i % 7) + 0.5},run${i % 3}`).join("\n");
    await page.setInputFiles("#file", { name: "two.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.waitForSelector("#error:not([hidden])");
    expect(await page.textContent("#error")).toBe("two.csv has 3 columns: name one in the spec's data.column");
    await page.waitForSelector("#column-pick:not([hidden])");
    expect(await page.$$eval("#column-pick option", (os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual([
      "",
      "mass",
      "energy",
    ]);
    expect(await page.isDisabled("#range-from-data")).toBe(true);
    await page.selectOption("#column-pick", "energy");
    await page.waitForFunction(() => document.getElementById("data-status")!.textContent === "two.csv: 300 events.");
    expect(await page.inputValue("#column")).toBe("energy");
    const sum = await page.evaluate(() =>
      (window as unknown as { bumpscan: { events: { values: Float64Array } } }).bumpscan.events.values.reduce(
        (a, b) => a + b,
        0,
      ),
    );
    expect(sum).toBeCloseTo(
      mass.reduce((a, _, i) => a + (i % 7) + 0.5, 0),
      9,
    );
    await page.selectOption("#column-pick", "mass");
    await page.waitForFunction(() => document.getElementById("data-status")!.textContent === "two.csv: 300 events.");
    await page.waitForFunction(() => (document.getElementById("column") as HTMLInputElement).value === "mass");
    expect(await page.inputValue("#column-pick")).toBe("mass");
    expect(await page.isHidden("#error")).toBe(true);
    // the range from the data: observable.range and the scan's from/to, and the form shows them
    await page.click("#range-from-data");
    const spec = JSON.parse(await page.inputValue("#spec-json"));
    const [lo, hi] = [Math.min(...mass), Math.max(...mass)];
    expect(spec.observable.range).toEqual([lo, hi]);
    expect([spec.scan.from, spec.scan.to]).toEqual([lo, hi]);
    expect(await page.inputValue('[data-spec="observable.range.0"]')).toBe(String(lo));
    expect(await page.inputValue('[data-spec="scan.to"]')).toBe(String(hi));
    expect(await page.textContent("#spec-status")).toBe("Spec valid.");
    // every event is now inside the range: a fit uses them all
    await page.fill("#fit-mass", "4");
    await page.click("#fit");
    await waitState(page, "done", "error");
    expect(await state(page)).toBe("done");
    expect(await page.textContent("#run-status")).toBe("");
    const fit = await appValue<FitReport>(page, "fit");
    const here = await fitAtMass(parseSpec(spec), { values: Float64Array.from(mass) }, 4);
    expect(fit.events).toBe(300);
    expectSame(fit.parameters, here.parameters, "parameters");
    await shot(page, "26-column-picker");
    // a ROOT file: the tree's branches
    await page.fill("#column", "");
    await page.setInputFiles("#file", {
      name: "two.root",
      mimeType: "application/octet-stream",
      buffer: Buffer.from(
        writeRootFile("events", [
          { name: "mass", values: Float64Array.from(mass) },
          { name: "pt", values: Float64Array.from(mass, (m) => m / 2) },
        ]),
      ),
    });
    await page.waitForSelector("#error:not([hidden])");
    await page.waitForFunction(
      () => (document.getElementById("column-pick") as HTMLSelectElement).options.length === 3,
    );
    expect(await page.$$eval("#column-pick option", (os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual([
      "",
      "mass",
      "pt",
    ]);
    await page.selectOption("#column-pick", "pt");
    await page.waitForFunction(() => document.getElementById("data-status")!.textContent === "two.root: 300 events.");
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);

  test("a spec with two samples takes one file per sample; the scan and the fit equal Node's", async () => {
    const { page, errors } = await openApp();
    await page.click("#demo");
    const spec = JSON.parse(await page.inputValue("#spec-json"));
    delete spec.data;
    spec.samples = [
      { name: "Y3S", data: { path: "y3s.csv", column: "m" }, scale: 1 },
      { name: "Y4S", data: { path: "y4s.csv", column: "mass" }, scale: 0.5, range: [1, 8] },
    ];
    spec.scan = { ...spec.scan, from: 4.6, to: 5.6, step: 2 };
    await setSpec(page, spec);
    // the demo's single spectrum does not do for two samples: a file per sample, and the runs wait for them
    expect(await page.locator("#sample-files input[type=file]").count()).toBe(2);
    expect(await page.isDisabled("#scan")).toBe(true);
    const all = demoEvents();
    const a = all.filter((_, i) => i % 2 === 0);
    const b = all.filter((_, i) => i % 2 === 1);
    const csv = (name: string, v: Float64Array) => Buffer.from(`${name}\n${Array.from(v).join("\n")}\n`);
    await page.setInputFiles('#sample-files input[data-sample="Y3S"]', {
      name: "y3s.csv",
      mimeType: "text/csv",
      buffer: csv("m", a),
    });
    await page.waitForFunction(() =>
      /y3s\.csv: 10,049 events/.test(document.querySelector('.sample-status[data-sample="Y3S"]')!.textContent!),
    );
    expect(await page.isDisabled("#scan")).toBe(true);
    await page.setInputFiles('#sample-files input[data-sample="Y4S"]', {
      name: "y4s.csv",
      mimeType: "text/csv",
      buffer: csv("mass", b),
    });
    await page.waitForFunction(() => !(document.getElementById("scan") as HTMLButtonElement).disabled);
    await page.click("#scan");
    await waitState(page, "done", "error");
    expect(await state(page)).toBe("done");
    await shot(page, "27-two-samples");
    const there = await appValue<ScanResult>(page, "result");
    const parsed = parseSpec(spec);
    const here = await runScan(parsed, [{ values: a }, { values: b }]);
    expect(there.points.filter((p) => p.status === "failed")).toEqual([]);
    expect(there.points.length).toBeGreaterThan(5);
    expectSame(there.points, here.points, "points");
    expectSame(there.maxLocalZ, here.maxLocalZ, "maxLocalZ");
    // the fit at one mass fits both samples
    await page.fill("#fit-mass", "5.1");
    await page.click("#fit");
    await waitState(page, "done", "error");
    const fit = await appValue<FitReport>(page, "fit");
    const node = await fitAtMass(parsed, [{ values: a }, { values: b }], 5.1);
    expect(Object.keys(fit.parameters)).toContain("nbkg_Y4S");
    expectSame(fit.parameters, node.parameters, "parameters");
    // and the spectrum view shows each sample
    await page.waitForFunction(() => document.querySelectorAll("#spectrum svg").length === 2);
    // another file for a sample: the results of the old data go
    await page.setInputFiles('#sample-files input[data-sample="Y4S"]', {
      name: "y4s-half.csv",
      mimeType: "text/csv",
      buffer: csv("mass", b.slice(0, 5000)),
    });
    await page.waitForFunction(() =>
      /y4s-half\.csv: 5,000 events/.test(document.querySelector('.sample-status[data-sample="Y4S"]')!.textContent!),
    );
    expect(await page.isHidden("#scan-view")).toBe(true);
    expect(await page.isHidden("#spectrum-view")).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);
});
