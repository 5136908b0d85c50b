// Runs the extracted examples one after another in this process (cwd: the examples' sandbox
// folder) and writes what each did to a JSON file: node runner.mjs list.json results.json
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [list, out] = process.argv.slice(2);
const results = {};
let current;
process.on("unhandledRejection", (e) => {
  if (current) results[current] ??= { ok: false, error: `unhandled rejection: ${e?.stack ?? e}` };
});
for (const { id, file } of JSON.parse(readFileSync(list, "utf8"))) {
  current = id;
  const t0 = performance.now();
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error("did not finish in 120 s")), 120_000);
  });
  try {
    await Promise.race([import(pathToFileURL(file).href), timeout]);
    results[id] ??= { ok: true, ms: Math.round(performance.now() - t0) };
  } catch (e) {
    results[id] = { ok: false, error: String(e?.stack ?? e) };
  } finally {
    clearTimeout(timer);
  }
}
writeFileSync(out, JSON.stringify(results));
process.exit(0);
