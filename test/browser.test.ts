// The library in a real browser (Debian's Chromium through playwright-core): a minimal page built
// by esbuild against the package itself, for the browser, with no Node built-ins allowed; the core
// fetched, a pool of module Web Workers, and numbers equal to those of Node.
import { afterAll, beforeAll, expect, test } from "vitest";
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import type { Browser } from "playwright-core";
import { ToyCalculator } from "../src/infer/toys.js";
import { fitAtMass } from "../src/job/mass-job.js";
import { runScan } from "../src/scan/scan.js";
import { WorkerPool } from "../src/scan/pool.js";
import { parseSpec } from "../src/model/parse.js";
import { events, referenceModel } from "./helpers.js";
import { chromiumPath, launchChromium } from "./e2e/chromium.js";
import { serveFiles } from "./e2e/static-server.js";

const root = resolve(".");
let browser: Browser;
let url = "";
let close = () => {};

beforeAll(async () => {
  if (!chromiumPath) return;
  // page and worker bundles side by side
  const out = join(root, "test/browser/out/bundle");
  await build({
    entryPoints: { page: "test/browser/page.ts", "web-worker": "test/browser/worker.ts" },
    bundle: true,
    format: "esm",
    platform: "browser",
    outdir: out,
    logLevel: "error",
    metafile: true,
  }).then((r) => {
    // nothing of Node may reach the bundle
    const inputs = Object.keys(r.metafile!.inputs);
    const node = inputs.filter((i) => /^node:|platform\/node|(^|\/)(fs|worker_threads|os|path)$/.test(i));
    if (node.length) throw new Error(`Node modules in the browser bundle: ${node.join(", ")}`);
    if (!inputs.some((i) => i.endsWith("dist/browser.js")))
      throw new Error("the bundle did not resolve bumpscan to dist/browser.js");
  });
  // worker scripts that die on load: one throws, one imports a CommonJS file (what Vite's dev
  // server once served the pool's worker: "exports is not defined"), one is missing
  await writeFile(join(out, "throws.js"), 'throw new Error("boom at load");\n');
  await writeFile(join(out, "cjs.js"), 'import "./cjs-dep.js";\n');
  await writeFile(join(out, "cjs-dep.js"), "exports.x = 1;\n");
  // the page, and the bundles at /b/b/: two levels below the root, as dist/core/ is
  await writeFile(
    join(out, "index.html"),
    '<!doctype html><meta charset="utf-8"><script type="module" src="/b/b/page.js"></script>',
  );
  ({ url, close } = await serveFiles((p) =>
    join(
      root,
      p === "/"
        ? "test/browser/out/bundle/index.html"
        : p.startsWith("/b/b/")
          ? "test/browser/out/bundle/" + p.slice(5)
          : p,
    ),
  ));
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  close();
});

test.skipIf(!chromiumPath && !process.env.CI)(
  "a Web Worker pool in Chromium runs the same toys as Node",
  async () => {
    expect(chromiumPath, "Debian's chromium must be installed (CI installs it)").not.toBe("");
    const { cm, values } = await referenceModel("bump-1e4");
    const here = await new ToyCalculator(cm, { toys: 1, seed: 42 }).runBatch(
      { nsig: 50, nbkg: 10000, c1: -1.2, c2: 0.3 },
      1,
      3,
      60,
      0,
      13,
    );
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => typeof (window as unknown as { runToys?: unknown }).runToys === "function");
    const there = await page.evaluate(
      (v) => (window as unknown as { runToys: (v: number[]) => Promise<{ q: number[]; workers: number }> }).runToys(v),
      Array.from(values),
    );
    expect(errors).toEqual([]);
    expect(there.workers).toBe(2);
    expect(there.q).toEqual(Array.from(here.q));
  },
  120_000,
);

const scanSpec = {
  observable: { range: [0, 10] as [number, number] },
  signal: { shape: "crystalBall", sigma: 0.05, alpha: 1.5, n: 3 },
  background: { shape: "expPoly", order: 2 },
  scan: { masses: [3.9, 4.0, 4.1, 4.2, 4.3, 4.4] },
};

test.skipIf(!chromiumPath && !process.env.CI)(
  "the package's browser build decodes, fits and scans on Web Workers as Node does",
  async () => {
    const values = await events("bump-1e4");
    const csv = "m\n" + Array.from(values).join("\n") + "\n";
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => typeof (window as unknown as { fitAndScan?: unknown }).fitAndScan === "function");
    const there = await page.evaluate(
      (text) =>
        (
          window as unknown as {
            fitAndScan: (t: string) => Promise<{
              events: number;
              fit: { parameters: Record<string, { value: number }>; z: number };
              scan: { points: { observed: number; z: number }[] };
            }>;
          }
        ).fitAndScan(text),
      csv,
    );
    expect(errors).toEqual([]);
    const spec = parseSpec(scanSpec);
    const fit = await fitAtMass(spec, { values }, 4.2);
    const pool = await WorkerPool.start(2);
    const scan = await runScan(spec, values, { pool }).finally(() => pool.close());
    expect(there.events).toBe(values.length);
    // equal to Node up to the last bits of V8's Math functions, which differ between versions
    expect(there.fit.parameters.nsig.value).toBeCloseTo(fit.parameters.nsig.value, 8);
    expect(there.fit.z).toBeCloseTo(fit.z, 8);
    expect(there.scan.points.length).toBe(6);
    there.scan.points.forEach((p, i) => {
      expect(p.observed).toBeCloseTo(scan.points[i].observed!, 6);
      expect(p.z).toBeCloseTo(scan.points[i].z!, 8);
    });
  },
  120_000,
);

test.skipIf(!chromiumPath && !process.env.CI)(
  "a Web Worker that dies on load rejects WorkerPool.start at once with its error (it never hangs)",
  async () => {
    expect(chromiumPath, "Debian's chromium must be installed (CI installs it)").not.toBe("");
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(
      () => typeof (window as unknown as { startBroken?: unknown }).startBroken === "function",
    );
    const start = (script: string) =>
      page.evaluate(
        (s) =>
          (window as unknown as { startBroken: (s: string) => Promise<{ message: string; ms: number }> }).startBroken(
            s,
          ),
        script,
      );
    const threw = await start("/b/b/throws.js");
    expect(threw.message).toMatch(/^worker \d of the pool failed to start: .*boom at load/);
    const cjs = await start("/b/b/cjs.js");
    expect(cjs.message).toMatch(/^worker \d of the pool failed to start: .*exports is not defined/);
    const missing = await start("/b/b/missing.js");
    expect(missing.message).toMatch(/^worker \d of the pool failed to start: its script .* could not be loaded/);
    // the worker's own error event, not the 30 s start-up timeout
    for (const r of [threw, cjs, missing]) expect(r.ms).toBeLessThan(5000);
    await page.close();
  },
  60_000,
);
