// The package as a user meets it (issue 15, item 1): `npm pack`, then `npm install <tarball>` in a
// fresh folder from the registry with install scripts on (no native build may be needed), its
// node_modules weighed (≤ 60 MB), a fit through the public API as ESM and as CommonJS
// (require(esm)), the CLI (--version, and a ROOT file without jsroot: one line, exit 2), and a
// Vite page that runs a scan on a WorkerPool, built by `vite build` and served by `vite preview`,
// and served by the dev server, each driven in Debian's Chromium until the scan completes.
// Needs the registry: without it the install fails and the test says so.
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { chromiumPath, launchChromium } from "./e2e/chromium.js";
import { writeRootFile } from "./root-file.js";
import { fitAtMass } from "../src/job/mass-job.js";
import { demoEvents, demoSpec } from "../src/demo-data.js";

const repo = resolve(".");
const pkg = JSON.parse(readFileSync(join(repo, "package.json"), "utf8"));
const NEEDS_JSROOT = "reading ROOT files needs jsroot: npm install jsroot";
const LIMIT_MB = 60;

let dir = "";
let installSeconds = 0;
let sizeMB = 0;
let browser: Browser | undefined;
const servers: ChildProcess[] = [];

/** Run a command in the consumer's folder; on failure, throw with what it printed. */
function sh(cmd: string, args: string[], what: string, timeout = 300_000): string {
  const r = spawnSync(cmd, args, { cwd: dir, encoding: "utf8", timeout, env: { ...process.env, CI: "true" } });
  if (r.status !== 0)
    throw new Error(
      `${what} failed (${r.error?.message ?? `exit ${r.status}`}):\n${(r.stderr || r.stdout || "").slice(-3000)}`,
    );
  return r.stdout;
}

/** npm install from the registry, scripts on; a failure says whether the registry could be reached. */
function npmInstall(specs: string[]): void {
  try {
    sh("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts=false", ...specs], `npm install ${specs}`);
  } catch (e) {
    const ping = spawnSync("npm", ["ping"], { cwd: dir, encoding: "utf8", timeout: 60_000 });
    const reach =
      ping.status === 0
        ? "the registry answers npm ping"
        : `the npm registry cannot be reached (npm ping: ${(ping.stderr || ping.error?.message || "").trim()})`;
    throw new Error(`${(e as Error).message}\n(${reach}; this test installs the packed tarball from the registry)`);
  }
}

/** A free TCP port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

/** Start `vite <args>` in the consumer's folder and wait until it listens on `port`. */
async function vite(args: string[], port: number): Promise<string> {
  const child = spawn(
    process.execPath,
    [
      join(dir, "node_modules/vite/bin/vite.js"),
      ...args,
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--strictPort",
    ],
    { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
  );
  servers.push(child);
  let log = "";
  child.stdout?.on("data", (d) => (log += d));
  child.stderr?.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}/`;
  for (let t0 = Date.now(); Date.now() - t0 < 60_000; ) {
    if (child.exitCode !== null) throw new Error(`vite ${args.join(" ")} exited ${child.exitCode}:\n${log}`);
    const up = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return url;
    await new Promise((ok) => setTimeout(ok, 250));
  }
  throw new Error(`vite ${args.join(" ")} did not answer at ${url} within 60 s:\n${log}`);
}

interface PageResult {
  done: boolean;
  error?: string;
  points?: { mass: number; status: string; z: number }[];
  workers?: number;
  root?: string;
}

/** Open the page in Chromium and wait for its result (the scan, then the ROOT file without jsroot). */
async function runPage(url: string): Promise<{ result: PageResult; errors: string[] }> {
  const page = await browser!.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  try {
    await page.goto(url);
    await page.waitForFunction(() => document.getElementById("out")?.textContent !== "running", null, {
      timeout: 90_000,
    });
    return { result: JSON.parse((await page.textContent("#out")) ?? "{}"), errors };
  } finally {
    await page.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "bumpscan-package-"));
  // the tarball exactly as `npm publish` would send it (npm test builds dist/ first)
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--pack-destination", dir], { cwd: repo, encoding: "utf8" }),
  );
  const tarball = join(dir, packed[0].filename);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, version: "1.0.0" }));
  const t0 = performance.now();
  npmInstall([tarball]);
  installSeconds = (performance.now() - t0) / 1000;
  sizeMB = Number(execFileSync("du", ["-sk", "node_modules"], { cwd: dir, encoding: "utf8" }).split("\t")[0]) / 1024;
  console.log(
    `npm install of the packed tarball: ${installSeconds.toFixed(1)} s, node_modules ${sizeMB.toFixed(1)} MB`,
  );
}, 600_000);

afterAll(async () => {
  await browser?.close();
  for (const s of servers) s.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("npm install of the packed tarball in a fresh folder", () => {
  test(`installs from the registry with scripts on, no native build, node_modules ≤ ${LIMIT_MB} MB`, () => {
    expect(sizeMB).toBeGreaterThan(1);
    expect(sizeMB).toBeLessThanOrEqual(LIMIT_MB);
    const installed = readdirSync(join(dir, "node_modules"));
    for (const heavy of ["jsroot", "canvas", "three", "mathjax", "jsdom", "@stdlib"])
      expect(installed).not.toContain(heavy);
    // what the package ships: the docs its README links to, the licence, the changelog
    const shipped = join(dir, "node_modules/bumpscan");
    const files = readdirSync(shipped);
    for (const f of ["LICENSE", "CHANGELOG.md", "README.md", "docs"]) expect(files).toContain(f);
    // every relative link of the README and the docs leads to a file in the package
    for (const md of ["README.md", ...readdirSync(join(shipped, "docs")).map((f) => `docs/${f}`)]) {
      const text = readFileSync(join(shipped, md), "utf8");
      for (const [, link] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(link)) continue; // https:, mailto:
        expect(existsSync(join(shipped, dirname(md), link)), `${md} links to ${link}`).toBe(true);
      }
    }
  });

  const fitJs = (load: string) => `${load}
(async () => {
  const spec = parseSpec(demoSpec());
  const r = await fit(spec, { values: demoEvents() }, 3.5);
  console.log(JSON.stringify({ status: r.status, nsig: r.parameters.nsig.value, z: r.z }));
})();
`;

  test("a fit through the public API as ESM (import) and CommonJS (require), equal to the repository's", async () => {
    const here = await fitAtMass(demoSpec(), { values: demoEvents() }, 3.5);
    writeFileSync(join(dir, "fit.mjs"), fitJs('import { fit, parseSpec, demoSpec, demoEvents } from "bumpscan";'));
    writeFileSync(join(dir, "fit.cjs"), fitJs('const { fit, parseSpec, demoSpec, demoEvents } = require("bumpscan");'));
    for (const file of ["fit.mjs", "fit.cjs"]) {
      const r = spawnSync(process.execPath, [file], { cwd: dir, encoding: "utf8" });
      expect(r.status, `${file}: ${r.stderr}`).toBe(0);
      expect(r.stderr, file).not.toMatch(/error/i);
      const there = JSON.parse(r.stdout);
      expect(there.status).toBe("converged");
      expect(there.nsig).toBe(here.parameters.nsig.value);
      expect(there.z).toBe(here.z);
    }
  });

  test("the CLI: --version is package.json's; a ROOT file without jsroot is one line and exit 2", () => {
    const bin = join(dir, "node_modules/.bin/bumpscan");
    expect(sh(bin, ["--version"], "bumpscan --version").trim()).toBe(pkg.version);
    writeFileSync(
      join(dir, "events.root"),
      writeRootFile("events", [{ name: "m", values: Float64Array.from({ length: 100 }, (_, i) => i / 10) }]),
    );
    writeFileSync(
      join(dir, "root-spec.json"),
      JSON.stringify({
        observable: { range: [0, 10] },
        data: { path: "events.root", tree: "events", column: "m" },
        signal: { shape: "gaussian", sigma: 0.05 },
        background: { shape: "expPoly", order: 1 },
      }),
    );
    const r = spawnSync(bin, ["fit", "root-spec.json", "--mass", "4"], { cwd: dir, encoding: "utf8" });
    expect(r.stderr).toBe(`bumpscan: ${NEEDS_JSROOT}\n`);
    expect(r.status).toBe(2);
  });
});

// the page: a scan of the demo spectrum on a pool of 2 Web Workers, then a ROOT file without jsroot
const PAGE_JS = `import { decodeColumn, demoEvents, demoSpec, parseSpec, scan, WorkerPool } from "bumpscan";

const out = document.getElementById("out");
try {
  const spec = parseSpec({ ...demoSpec(), scan: { masses: [3, 3.5, 4, 4.5] } });
  const pool = await WorkerPool.start(2, { startTimeoutMs: 60000 });
  const workers = pool.size;
  const result = await scan(spec, demoEvents(), { pool }).finally(() => pool.close());
  let root = "";
  await decodeColumn("e.root", new Uint8Array(16), { column: "m" }).catch((e) => (root = e.message));
  const points = result.points.map((p) => ({ mass: p.mass, status: p.status, z: p.z }));
  out.textContent = JSON.stringify({ done: true, points, workers, root });
} catch (e) {
  out.textContent = JSON.stringify({ done: false, error: String(e?.message ?? e) });
}
`;

describe("a Vite page with a WorkerPool scan, in Chromium", () => {
  beforeAll(async () => {
    expect(chromiumPath, "Debian's chromium must be installed (CI installs it)").not.toBe("");
    npmInstall([`vite@${pkg.devDependencies.vite}`]);
    mkdirSync(join(dir, "page"), { recursive: true });
    writeFileSync(
      join(dir, "page/index.html"),
      '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>bumpscan</title>' +
        '<pre id="out">running</pre><script type="module" src="./main.js"></script>',
    );
    writeFileSync(join(dir, "page/main.js"), PAGE_JS);
    browser = await launchChromium();
  }, 600_000);

  const check = ({ result, errors }: { result: PageResult; errors: string[] }) => {
    expect(result.error, "the page's error").toBeUndefined();
    expect(errors).toEqual([]);
    expect(result.done).toBe(true);
    expect(result.workers).toBe(2);
    expect(result.points?.map((p) => p.mass)).toEqual([3, 3.5, 4, 4.5]);
    for (const p of result.points ?? []) expect(p.status).toBe("converged");
    expect(result.root).toBe(NEEDS_JSROOT);
  };

  test("vite build, served by vite preview: the scan completes", async () => {
    sh(
      process.execPath,
      [join(dir, "node_modules/vite/bin/vite.js"), "build", "page", "--logLevel", "warn"],
      "vite build",
    );
    const url = await vite(["preview", "page"], await freePort());
    check(await runPage(url));
  }, 300_000);

  test("the Vite dev server: the scan completes (the worker loads in the dev server too)", async () => {
    const url = await vite(["page"], await freePort());
    check(await runPage(url));
  }, 300_000);
});
