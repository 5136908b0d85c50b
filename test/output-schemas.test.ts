// The results' contract: every JSON the CLI writes validates against the schema shipped in schema/
// (generated from src/cli/output-types.ts at build, no field outside it), and carries its
// provenance: the package's version, the spec's hash (the same for the same spec however it is
// written, another after --set) and the seed where the numbers depend on one.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Ajv from "ajv";
import { describe, expect, test } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "bumpscan-schemas-"));
const version = JSON.parse(readFileSync("package.json", "utf8")).version as string;
const ajv = new Ajv({ allErrors: true, strict: false });
const validators = Object.fromEntries(
  ["fit", "limit", "scan", "counting", "inject"].map((name) => [
    name,
    ajv.compile(JSON.parse(readFileSync(`schema/${name}.schema.json`, "utf8"))),
  ]),
);

function cli(...args: string[]): unknown {
  const r = spawnSync(process.execPath, [resolve("dist/cli/main.js"), ...args], { encoding: "utf8", cwd: dir });
  if (r.status !== 0) throw new Error(`bumpscan ${args.join(" ")}: exit ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** The result valid against its schema (the errors in the message when not). */
function valid(name: string, result: unknown): Record<string, unknown> {
  const validate = validators[name];
  expect(validate(result), JSON.stringify(validate.errors?.slice(0, 5), null, 1)).toBe(true);
  return result as Record<string, unknown>;
}

const demo = {
  observable: { name: "m", unit: "GeV", range: [0, 10] },
  data: { path: resolve("test/fixtures/bump-1e4.csv"), column: "m" },
  signal: { shape: "crystalBall", sigma: 0.05, alpha: 1.5, n: 3 },
  background: { shape: "expPoly", order: 2 },
  scan: { masses: [4.2, 5.1] },
};
writeFileSync(join(dir, "spec.json"), JSON.stringify(demo));
// the same spec, keys in another order and indented: the same hash
const { scan, signal, ...rest } = demo;
writeFileSync(join(dir, "again.json"), JSON.stringify({ scan, ...rest, signal }, null, 4));
writeFileSync(join(dir, "cut.json"), JSON.stringify({ ...demo, data: { ...demo.data, cut: "m > 1" } }));

describe("every result validates against its shipped schema", () => {
  test("fit and limit (asymptotic; toys with a seed; a cut's selection)", () => {
    const fit = valid("fit", cli("fit", "spec.json", "--mass", "4.2", "--json"));
    expect(fit.bumpscan).toEqual({ version, specHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const cut = valid("fit", cli("fit", "cut.json", "--mass", "4.2", "--json"));
    expect(cut.selected).toMatchObject({ passed: expect.any(Number), cut: "m > 1" });
    const asymptotic = valid("limit", cli("limit", "spec.json", "--mass", "4.2", "--json"));
    expect(asymptotic.bumpscan).not.toHaveProperty("seed");
    const toys = valid(
      "limit",
      cli("limit", "spec.json", "--mass", "4.2", "--method", "toys", "--toys", "50", "--seed", "7", "--json"),
    );
    expect(toys.bumpscan).toMatchObject({ version, seed: 7 });
  }, 120_000);

  test("scan (with LEE toys), its shards and their merge, count, inject", () => {
    const args = ["--workers", "1", "--lee-toys", "3", "--seed", "5"];
    const single = valid("scan", cli("scan", "spec.json", ...args, "--json"));
    expect(single.bumpscan).toMatchObject({ version, seed: 5 });
    for (const k of [1, 2]) cli("scan", "spec.json", ...args, "--shard", `${k}/2`, "--out", `s${k}.json`, "--json");
    const merged = valid("scan", cli("merge", "s1.json", "s2.json", "-o", "merged.json", "--json"));
    expect(merged.bumpscan).toEqual(single.bumpscan);
    const counting = {
      observable: { name: "M", unit: "GeV", range: [0, 10] },
      signal: { shape: "uniform", sigma: 0.25 },
      background: {
        shape: "uniform",
        yield: {
          table: [
            [1, 4],
            [9, 12],
          ],
        },
      },
      nuisances: [{ name: "bkg", lnN: 1.2, on: [{ component: "background" }] }],
      data: { path: "w.csv" },
      scan: { masses: [2, 6], window: 2 },
    };
    writeFileSync(join(dir, "w.csv"), `m\n${[1.7, 2.1, 2.3, 5.9, 6.2].join("\n")}\n`);
    writeFileSync(join(dir, "count.json"), JSON.stringify(counting));
    valid("counting", cli("count", "count.json", "--expected-toys", "5", "--json"));
    const inject = valid(
      "inject",
      cli("inject", "spec.json", "--mass", "5.1", "--events", "45", "--toys", "5", "--json"),
    );
    expect(inject.bumpscan).toHaveProperty("seed");
  }, 240_000);

  test("a field outside the schema is refused: the schemas are closed", () => {
    const fit = cli("fit", "spec.json", "--mass", "4.2", "--json") as Record<string, unknown>;
    expect(validators.fit({ ...fit, undocumented: 1 })).toBe(false);
  }, 60_000);
});

describe("provenance", () => {
  test("the spec's hash: the same however the spec is written, another after --set; seed only with toys", () => {
    const hash = (file: string, ...more: string[]) =>
      (cli("fit", file, "--mass", "4.2", "--json", ...more) as { bumpscan: { specHash: string } }).bumpscan.specHash;
    const h = hash("spec.json");
    expect(hash("again.json")).toBe(h);
    expect(hash("spec.json", "--set", "c1=-1")).not.toBe(h);
    const scanned = cli("scan", "spec.json", "--workers", "1", "--json") as { bumpscan: Record<string, unknown> };
    expect(scanned.bumpscan).toEqual({ version, specHash: h }); // the same spec in any command
  }, 120_000);

  test("the masses of a grid carry no floating noise", () => {
    writeFileSync(
      join(dir, "grid.json"),
      JSON.stringify({ ...demo, signal: { shape: "gaussian", sigma: 0.01 }, scan: { from: 1.2, to: 1.3, step: 0.5 } }),
    );
    const r = cli("scan", "grid.json", "--workers", "1", "--json") as { points: { mass: number }[] };
    const masses = r.points.map((p) => p.mass);
    expect(masses).toHaveLength(21);
    expect(masses).toContain(1.215);
    for (const m of masses) expect(String(m).length).toBeLessThanOrEqual(6);
  }, 120_000);
});
