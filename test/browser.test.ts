// The library in a real browser (Debian's Chromium through playwright-core): the core compiled
// with fetch, a pool of module Web Workers, and toys identical to those of Node.
import { afterAll, beforeAll, expect, test } from "vitest";
import { execSync } from "node:child_process";
import { createServer, Server } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import { build } from "esbuild";
import { chromium, Browser } from "playwright-core";
import { ToyCalculator } from "../src/infer/toys.js";
import { referenceModel } from "./helpers.js";

const chromiumPath = (() => {
  try {
    return execSync("which chromium", { encoding: "utf8" }).trim();
  } catch {
    return "";
  }
})();
const root = resolve(".");
let server: Server;
let browser: Browser;
let url = "";

beforeAll(async () => {
  if (!chromiumPath) return;
  // page and worker bundles side by side
  const out = join(root, "test/browser/out/bundle");
  await build({
    entryPoints: { page: "test/browser/page.ts", "web-worker": "src/scan/web-worker.ts" },
    bundle: true, format: "esm", platform: "browser", outdir: out, external: ["node:*", "comlink/dist/esm/node-adapter.mjs"], logLevel: "error",
  });
  const types: Record<string, string> = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };
  server = createServer(async (req, res) => {
    try {
      // the bundles are served at /b/b/: two levels below the root, as dist/core/ is
      const asked = decodeURIComponent(req.url!.split("?")[0]);
      const path = asked.startsWith("/b/b/") ? "/test/browser/out/bundle/" + asked.slice(5) : asked;
      const body = asked === "/"
        ? '<!doctype html><meta charset="utf-8"><script type="module" src="/b/b/page.js"></script>'
        : await readFile(join(root, path));
      res.writeHead(200, { "content-type": asked === "/" ? "text/html" : types[extname(path)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
});

test.skipIf(!chromiumPath && !process.env.CI)("a Web Worker pool in Chromium runs the same toys as Node", async () => {
  expect(chromiumPath, "Debian's chromium must be installed (CI installs it)").not.toBe("");
  const { cm, values } = await referenceModel("bump-1e4");
  const here = await new ToyCalculator(cm, { toys: 1, seed: 42 }).runBatch({ nsig: 50, nbkg: 10000, c1: -1.2, c2: 0.3 }, 1, 3, 60, 0, 13);
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForFunction(() => typeof (window as unknown as { runToys?: unknown }).runToys === "function");
  const there = await page.evaluate((v) => (window as unknown as { runToys: (v: number[]) => Promise<{ q: number[]; workers: number }> }).runToys(v), Array.from(values));
  expect(errors).toEqual([]);
  expect(there.workers).toBe(2);
  expect(there.q).toEqual(Array.from(here.q));
}, 120_000);
