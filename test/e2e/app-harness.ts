// The web app built once into a folder of its own (so that test files building it in parallel do
// not overwrite each other) and opened in Debian's Chromium with every page error collected.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "vite";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import { launchChromium } from "./chromium.js";
import { serveFiles } from "./static-server.js";

/** The header a strict deployment sends: scripts and WASM from the site only, no eval. */
export const STRICT_CSP = "script-src 'self' 'wasm-unsafe-eval'";

export interface Harness {
  browser: Browser;
  /** The app served as it is. */
  url: string;
  /** The app served with STRICT_CSP. */
  cspUrl: string;
  /** The folder of the build. */
  outDir: string;
  /** The built file for a URL path (to serve the app once more). */
  fileFor(path: string): string;
  close(): Promise<void>;
}

/** Build the app, serve it twice (plain and under the strict CSP) and start Chromium. */
export async function startHarness(): Promise<Harness> {
  const outDir = mkdtempSync(join(tmpdir(), "bumpscan-web-"));
  await build({ configFile: resolve("web/vite.config.ts"), logLevel: "error", build: { outDir, emptyOutDir: true } });
  const fileFor = (p: string) => join(outDir, p === "/" ? "index.html" : p);
  const plain = await serveFiles(fileFor);
  const strict = await serveFiles(fileFor, { headers: { "content-security-policy": STRICT_CSP } });
  const browser = await launchChromium();
  return {
    browser,
    url: plain.url,
    cspUrl: strict.url,
    outDir,
    fileFor,
    close: async () => {
      await browser.close();
      plain.close();
      strict.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** A page of the app, opened and ready, with page errors, console errors and CSP violations collected. */
export async function openApp(
  where: Browser | BrowserContext,
  url: string,
): Promise<{ page: Page; errors: string[]; violations: string[] }> {
  const page = await where.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  const violations: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.exposeFunction("__cspViolation", (v: string) => violations.push(v));
  await page.addInitScript(() =>
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as unknown as { __cspViolation(v: string): void }).__cspViolation(
        `${e.effectiveDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`,
      ),
    ),
  );
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]");
  return { page, errors, violations };
}

/** Wait until the app is in one of the states `s` with no scan running. */
export const waitState = (page: Page, ...s: string[]) =>
  page.waitForFunction(
    (want) =>
      want.includes(document.body.dataset.state!) &&
      !(window as unknown as { bumpscan: { running?: unknown } }).bumpscan.running,
    s,
    { timeout: 120_000 },
  );

/** Replace the spec's JSON in the page (opening its panel). */
export async function setSpec(page: Page, spec: object): Promise<void> {
  if (!(await page.isVisible("#spec-json"))) await page.click("summary");
  await page.fill("#spec-json", JSON.stringify(spec));
}

/** The spec the page holds. */
export const pageSpec = async (page: Page) => JSON.parse(await page.inputValue("#spec-json"));

/**
 * Browser and Node agree to the last few bits only: the JS Math functions (exp, log, pow …)
 * differ in the last bit between V8 versions (Node 20's and Chromium's), and the JS side of a fit
 * (HESSE, the Newton polish, normal quantiles) uses them. The WASM core itself is bit-identical.
 */
export function expectSame(there: unknown, here: unknown, path = ""): void {
  if (typeof here === "number" && typeof there === "number") {
    if (!(Math.abs(there - here) <= 1e-8 * Math.max(1, Math.abs(here))))
      expect.fail(`${path}: ${there} in Chromium, ${here} in Node`);
  } else if (here && typeof here === "object") {
    expect(Object.keys(there as object).sort(), path).toEqual(Object.keys(here).sort());
    for (const k of Object.keys(here))
      expectSame((there as Record<string, unknown>)[k], (here as Record<string, unknown>)[k], `${path}.${k}`);
  } else expect(there, path).toEqual(here);
}
