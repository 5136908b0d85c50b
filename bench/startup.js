// Start-up costs (issue 11): importing the pool worker's module, starting a pool, and
// `bumpscan --version`, each in a fresh process, median of N runs.
// `node bench/startup.js [--runs 7]` (after `npm run build`).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const runs = Number(process.argv[process.argv.indexOf("--runs") + 1] || 7);
const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Milliseconds a script reports (it prints one number). */
function reported(script) {
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return Number(r.stdout.trim());
}

/** Wall milliseconds of a whole process. */
function wall(args) {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return performance.now() - t;
}

const cases = {
  "node itself (empty script)": () => wall(["-e", ""]),
  "import the worker's module (scan/worker-api.js)": () =>
    reported(
      `const t = performance.now(); await import(${JSON.stringify(dist + "scan/worker-api.js")}); ` +
        `console.log(performance.now() - t)`,
    ),
  "WorkerPool.start(2) (2 workers ready)": () =>
    reported(
      `const { WorkerPool } = await import(${JSON.stringify(dist + "scan/pool.js")}); const t = performance.now(); ` +
        `const p = await WorkerPool.start(2); console.log(performance.now() - t); await p.close()`,
    ),
  "bumpscan --version (whole process)": () => wall([dist + "cli/main.js", "--version"]),
};
console.log(`| what | median of ${runs} |\n|---|---:|`);
for (const [what, run] of Object.entries(cases))
  console.log(`| ${what} | ${median(Array.from({ length: runs }, run)).toFixed(0)} ms |`);
