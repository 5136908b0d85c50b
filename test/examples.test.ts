/**
 * Every `@example` in src/ runs: extracted from the TSDoc, written as ES modules inside the package
 * (so `import … from "bumpscan"` resolves to the built package through its exports, as for a user),
 * and run in one Node process whose working folder holds the files the examples read (see
 * docs/api.md). Result comments are checked: `expr; // => value` to the digits value shows,
 * `expr; // throws: text` by the error's message.
 */
import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { writeRootFile } from "./root-file.js";

interface Example {
  id: string;
  code: string;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** The code of each `@example` tag: the comment's lines after it, up to the next tag or the end. */
function extractExamples(file: string): Example[] {
  const lines = readFileSync(file, "utf8").split("\n");
  const found: Example[] = [];
  lines.forEach((line, i) => {
    if (!/^\s*\*\s*@example/.test(line)) return;
    const code: string[] = [];
    for (let j = i + 1; j < lines.length && !/^\s*\*\//.test(lines[j]); j++) {
      const text = lines[j].replace(/^\s*\* ?/, "");
      if (/^@\w/.test(text)) break;
      code.push(text);
    }
    found.push({ id: `${relative("src", file)}:${i + 1}`, code: code.join("\n") });
  });
  return found;
}

const CHECK = resolve("test/examples/check.mjs");

/** Result comments into checks; the rest of the code as written. */
function instrument({ id, code }: Example): string {
  const lines = code.split("\n").map((line, k) => {
    const where = JSON.stringify(`${id} +${k + 1}`);
    const thrown = line.match(/^(\s*)(.*?);?\s*\/\/ throws: (.+)$/);
    if (thrown)
      return `${thrown[1]}await __throws(async () => { ${thrown[2]}; }, ${JSON.stringify(thrown[3])}, ${where});`;
    const result = line.match(/^(\s*)(.*?);?\s*\/\/ => (.+)$/);
    if (!result) return line;
    const [, indent, statement, expected] = result;
    const declared = statement.match(/^(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=/);
    const check =
      `await __check(async () => (${declared ? declared[1] : statement}), ${JSON.stringify(expected)}, ` +
      `() => (${expected}), ${where})`;
    return declared ? `${indent}${statement}; ${check};` : `${indent}${check};`;
  });
  return [
    `import { check as __c, throws as __throws } from ${JSON.stringify(CHECK)};`,
    "const __check = (thunk, text, expected, where) => __c(thunk, text, expected(), where);",
    ...lines,
  ].join("\n");
}

const examples = sources("src").flatMap(extractExamples);
const RUN = resolve("test/examples/.run");
let sandbox = "";
let results: Record<string, { ok: boolean; error?: string }> = {};

/** The files the examples read, in the folder they run in. */
async function writeSandbox(dir: string) {
  copyFileSync("test/fixtures/bump-1e4.csv", join(dir, "bump-1e4.csv"));
  const spec = {
    observable: { name: "m", unit: "GeV", range: [0, 10] },
    data: { path: "bump-1e4.csv", column: "m" },
    signal: { shape: "crystalBall", sigma: 0.05, alpha: 1.5, n: 3 },
    background: { shape: "expPoly", order: 2 },
  };
  writeFileSync(join(dir, "spec.json"), `${JSON.stringify(spec, null, 2)}\n`);
  const masses = readFileSync("test/fixtures/bump-1e4.csv", "utf8").trim().split("\n").slice(1, 1001).map(Number);
  writeFileSync(join(dir, "events.csv"), `m\n${masses.join("\n")}\n`);
  writeFileSync(join(dir, "events.root"), writeRootFile("events", [{ name: "mass", values: masses }]));
  const { tableFromArrays, tableToIPC } = await import("apache-arrow");
  const table = tableFromArrays({ m: Float64Array.from(masses) });
  writeFileSync(join(dir, "events.arrow"), tableToIPC(table, "file"));
  const { writeParquet, Table } = await import("parquet-wasm/node");
  writeFileSync(join(dir, "events.parquet"), writeParquet(Table.fromIPCStream(tableToIPC(table, "stream"))));
}

beforeAll(async () => {
  rmSync(RUN, { recursive: true, force: true });
  mkdirSync(RUN, { recursive: true });
  sandbox = mkdtempSync(join(tmpdir(), "bumpscan-examples-"));
  await writeSandbox(sandbox);
  const list = examples.map((e, i) => {
    const file = join(RUN, `${String(i).padStart(3, "0")}-${e.id.replace(/[/:.]/g, "_")}.mjs`);
    writeFileSync(file, instrument(e));
    return { id: e.id, file };
  });
  writeFileSync(join(RUN, "list.json"), JSON.stringify(list));
  execFileSync(
    process.execPath,
    [resolve("test/examples/runner.mjs"), join(RUN, "list.json"), join(RUN, "results.json")],
    {
      cwd: sandbox,
      stdio: ["ignore", "ignore", "inherit"],
      timeout: 600_000,
    },
  );
  results = JSON.parse(readFileSync(join(RUN, "results.json"), "utf8"));
}, 620_000);

afterAll(() => {
  if (sandbox) rmSync(sandbox, { recursive: true, force: true });
});

test("src/ has examples to run", () => {
  expect(examples.length).toBeGreaterThan(40);
});

test.each(examples.map((e) => [e.id, e]))("example %s runs as written", (id) => {
  const r = results[id as string];
  expect(r, "the runner did not report this example").toBeDefined();
  expect(r.error ?? "").toBe("");
});
