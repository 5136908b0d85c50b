// The demo scan in Chromium (the web app, 2 Web Workers) against the same scan in Node (2
// worker_threads), measured in one run: `node bench/browser.js [--runs 5]` (after `npm run build`).
// Both sides time the same span: start a pool of 2 workers, scan the 372 points, close the pool.
// Runs alternate Node, Chromium, Node, … so that both see the same machine.
import { join, resolve } from "node:path";
import { build } from "vite";
import { WorkerPool } from "../dist/scan/pool.js";
import { runScan } from "../dist/scan/scan.js";
import { demoEvents, demoSpec } from "../dist/demo-data.js";
import { launchChromium } from "../test/e2e/chromium.js";
import { serveFiles } from "../test/e2e/static-server.js";

const runs = Number(process.argv[process.argv.indexOf("--runs") + 1] || 5);
await build({ configFile: resolve("web/vite.config.ts"), logLevel: "error" });
const dist = resolve("web/dist");
const { url, close } = await serveFiles((p) => join(dist, p === "/" ? "index.html" : p));
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
await page.goto(url);
await page.waitForSelector("body[data-ready=true]");
await page.click("#demo");
await page.selectOption("#workers", "2");

const spec = demoSpec(),
  values = demoEvents();
async function nodeScan() {
  const t0 = performance.now();
  const pool = await WorkerPool.start(2);
  const r = await runScan(spec, values, { pool });
  await pool.close();
  if (r.points.length !== 372) throw new Error("unexpected scan");
  return performance.now() - t0;
}
async function chromiumScan() {
  await page.evaluate(() => (document.body.dataset.state = "idle"));
  await page.click("#scan");
  await page.waitForFunction(() => document.body.dataset.state === "done" && !window.bumpscan.running, null, {
    timeout: 120000,
  });
  return page.evaluate(() => window.bumpscan.scanMs);
}

const node = [],
  web = [];
for (let i = 0; i < runs; i++) {
  node.push(await nodeScan());
  web.push(await chromiumScan());
  console.error(`run ${i + 1}: Node ${node.at(-1).toFixed(0)} ms, Chromium ${web.at(-1).toFixed(0)} ms`);
}
await browser.close();
close();
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
console.log(
  "| where | workers | first run | median of " + runs + " | ratio to Node (median) |\n|---|---:|---:|---:|---:|",
);
console.log(
  `| Node 20 (worker_threads) | 2 | ${(node[0] / 1000).toFixed(2)} s | ${(median(node) / 1000).toFixed(2)} s | 1 |`,
);
console.log(
  `| Chromium ${browser.version()} (Web Workers, live plots) | 2 | ${(web[0] / 1000).toFixed(2)} s | ` +
    `${(median(web) / 1000).toFixed(2)} s | ${(median(web) / median(node)).toFixed(2)} |`,
);
