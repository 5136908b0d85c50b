// The worked examples (examples/README.md) end to end: each search's run.mjs with --quick writes its
// data, scans it and writes results.json, limits.csv, brazil.svg and significance.svg; the results
// must be those of a background-only spectrum (no failed point, no excess of 4σ, finite limits) and
// show the feature the search is there for (vetoes, regions, per-sample ranges, counting windows,
// peaking backgrounds). The examples import the built package (dist/), as a user's script would.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { massFunctionAt } from "../src/model/mass-function.js";
import { parseSpec } from "../src/model/parse.js";
import type { MassFunction } from "../src/model/mass-function.js";
import type { Spec } from "../src/model/types.js";
import { checkScanResult } from "../src/scan/merge.js";
import { massGrid, scanGrid } from "../src/scan/grid.js";
import type { PointResult } from "../src/scan/point.js";
import type { ScanResult } from "../src/scan/scan.js";

const SEARCHES = [
  "babar-invisible-dark-photon",
  "babar-visible-dark-photon",
  "babar-muonic-zprime",
  "belle2-invisible-zprime",
  "belle2-alp-3photon",
] as const;
type Search = (typeof SEARCHES)[number];

const root = join(import.meta.dirname, "..");
const work = mkdtempSync(join(tmpdir(), "bumpscan-examples-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  out: string;
  status: number | null;
  stdout: string;
  stderr: string;
  result: ScanResult;
}

/** `node examples/<search>/run.mjs --out <tmp> --quick`, and its results.json checked as a scan result. */
function runExample(search: Search, out = join(work, search)): Run {
  const r = spawnSync(process.execPath, [join(root, "examples", search, "run.mjs"), "--out", out, "--quick"], {
    cwd: root,
    encoding: "utf8",
    timeout: 120_000,
  });
  const text = existsSync(join(out, "results.json")) ? readFileSync(join(out, "results.json"), "utf8") : "null";
  let result: ScanResult;
  try {
    result = checkScanResult(JSON.parse(text), `${search}/results.json`);
  } catch (e) {
    throw new Error(`${search}: ${(e as Error).message}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
  return { out, status: r.status, stdout: r.stdout, stderr: r.stderr, result };
}

/** The first problem with an XML document's tags (well-formed start, end and empty tags, nested), or undefined. */
function xmlProblem(text: string): string | undefined {
  const body = text.replace(/^<\?xml[^?]*\?>\s*/, "");
  const stack: string[] = [];
  const attribute = String.raw`\s+[A-Za-z_:][\w:.-]*="[^"<]*"`;
  const element = new RegExp(String.raw`^<(/?)([A-Za-z][\w:.-]*)((?:${attribute})*)\s*(/?)>$`);
  for (const tag of body.match(/<[^>]*>/g) ?? []) {
    if (tag.startsWith("<!--")) continue;
    const m = element.exec(tag);
    if (!m) return `malformed tag ${tag.slice(0, 120)}`;
    const [, close, name, , empty] = m;
    if (close) {
      if (stack.pop() !== name) return `</${name}> closes nothing open`;
    } else if (!empty) stack.push(name);
  }
  if (stack.length) return `<${stack[stack.length - 1]}> is never closed`;
  if (!body.trimStart().startsWith("<svg")) return "the document is not an <svg>";
  return undefined;
}

const fitted = (r: ScanResult) => r.points.filter((p) => p.status !== "skipped");
const finitePositive = (x: number | undefined) => typeof x === "number" && Number.isFinite(x) && x > 0;

const runs = {} as Record<Search, Run>;
beforeAll(() => {
  // one at a time: each example already spreads its scan over every core
  for (const search of SEARCHES) runs[search] = runExample(search);
}, 300_000);

describe.each(SEARCHES)("%s --quick", (search) => {
  test("exits 0 with its summary, and writes the data, the spec and the four outputs", () => {
    const { out, status, stdout, stderr } = runs[search];
    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect(stdout).toMatch(/^\S+: \d+ mass points \(\d+ fitted, \d+ skipped, 0 not converged\) in [\d.]+ s$/m);
    expect(stdout).toMatch(/^largest local Z -?[\d.]+σ at .*; global Z [\d.]+σ \(Gross–Vitells\)$/m);
    for (const file of ["spec.json", "results.json", "limits.csv", "brazil.svg", "significance.svg"])
      expect(existsSync(join(out, file)), file).toBe(true);
    // the spec as run sits beside its data, and is the spec the result records
    const spec = parseSpec(JSON.parse(readFileSync(join(out, "spec.json"), "utf8")), "spec.json");
    expect(JSON.parse(JSON.stringify(runs[search].result.spec))).toEqual(JSON.parse(JSON.stringify(spec)));
    const paths = [spec.data, ...(spec.samples ?? []), ...(spec.regions ?? []).flatMap((r) => r.samples ?? [])]
      .map((d) => (d && "data" in d ? d.data : d)?.path)
      .filter((p): p is string => p !== undefined);
    expect(paths.length).toBeGreaterThan(0);
    for (const p of paths) expect(readFileSync(join(out, p), "utf8").split("\n").length, p).toBeGreaterThan(100);
  });

  test("every point fitted or skipped with its reason; no excess of 4σ; finite limits", () => {
    const { result } = runs[search];
    expect(result.points.length).toBeGreaterThan(0);
    for (const p of result.points) {
      expect(["converged", "skipped"], `${p.mass}: ${p.status} ${p.reason ?? ""}`).toContain(p.status);
      if (p.status === "skipped") expect(p.reason, `skipped at ${p.mass}`).toMatch(/^(vetoed|the window)/);
    }
    const points = fitted(result);
    expect(points.length).toBeGreaterThanOrEqual(5);
    for (const p of points) {
      expect(Number.isFinite(p.z), `z at ${p.mass}`).toBe(true);
      expect(Math.abs(p.z!), `|z| at ${p.mass}`).toBeLessThan(4);
      expect(Number.isFinite(p.nsig) && finitePositive(p.nsigError), `fit at ${p.mass}`).toBe(true);
      expect(finitePositive(p.observed), `observed limit at ${p.mass}`).toBe(true);
      if (result.method === "asymptotic") {
        const e = p.expected!;
        const band = [e["-2"], e["-1"], e["0"], e["1"], e["2"]];
        expect(band.every(finitePositive), `expected band at ${p.mass}`).toBe(true);
        for (let k = 1; k < band.length; k++) expect(band[k]).toBeGreaterThanOrEqual(band[k - 1]);
      }
    }
    // the dark-photon and Z′ searches publish limits on their coupling (ε, g′): every fitted point has it
    if (result.spec.interpret)
      for (const p of points) {
        const poi1 = result.spec.interpret.poi1 as { table: [number, number][] };
        expect(p.coupling, `coupling at ${p.mass}`).toBeDefined();
        expect(p.coupling!.observed ** 2 * interpolate(poi1.table, p.mass)).toBeCloseTo(p.observed!, 6);
      }
    expect(result.maxLocalZ?.z).toBe(Math.max(...points.map((p) => p.z!)));
    expect(result.globalZ).toBeGreaterThanOrEqual(0);
    expect(result.globalZ).toBeLessThanOrEqual(result.maxLocalZ!.z + 1e-12);
  });

  test("limits.csv has a row per point with the JSON's numbers; both plots are well-formed SVG", () => {
    const { out, result } = runs[search];
    const [header, ...rows] = readFileSync(join(out, "limits.csv"), "utf8").trimEnd().split("\n");
    const columns = header.split(",");
    expect(columns).toContain("mass");
    expect(columns).toContain("observed");
    expect(rows.length).toBe(result.points.length);
    rows.forEach((row, i) => {
      const cells = row.split(",");
      const p = result.points[i];
      expect(Number(cells[columns.indexOf("mass")])).toBe(p.mass);
      if (p.observed !== undefined) expect(Number(cells[columns.indexOf("observed")])).toBe(p.observed);
    });
    for (const plot of ["brazil.svg", "significance.svg"]) {
      const svg = readFileSync(join(out, plot), "utf8");
      expect(xmlProblem(svg), plot).toBeUndefined();
      expect(svg, plot).toMatch(/<path [^>]*d="M/);
    }
  });
});

describe("what each search exercises", () => {
  const spec = (search: Search): Spec =>
    parseSpec(JSON.parse(readFileSync(join(root, "examples", search, "spec.json"), "utf8")), search);

  test("invisible dark photon: both M_X² regions, the Υ samples whose range reaches the peak m²", () => {
    const { result } = runs["babar-invisible-dark-photon"];
    const points = fitted(result);
    expect(new Set(result.points.map((p) => p.region))).toEqual(new Set(["low", "high"]));
    expect(points.filter((p) => p.region === "low").length).toBeGreaterThanOrEqual(3);
    expect(points.filter((p) => p.region === "high").length).toBeGreaterThanOrEqual(3);
    // Υ(2S) reaches M_X² = 63.5 in the high region: above it only Υ(3S) and Υ(4S) carry signal
    for (const p of points) {
      const all = p.region === "high" && p.mass ** 2 > 63.5 ? ["Y3S", "Y4S"] : ["Y2S", "Y3S", "Y4S"];
      expect(p.samples, `samples at ${p.mass}`).toEqual(all);
    }
    expect(points.some((p) => p.samples?.length === 2)).toBe(true);
    // the full grid: half-resolution steps in M_X² = m², overlapping in m_A' between the regions
    const grid = scanGrid(spec("babar-invisible-dark-photon"));
    const low = grid.filter((g) => g.region === "low"),
      high = grid.filter((g) => g.region === "high");
    expect(low.length + high.length).toBe(grid.length);
    expect(low.at(-1)!.mass).toBeGreaterThan(high[0].mass);
    // σ in M_X², peak m²; masses carry 12 digits
    for (const [a, b] of [low, high].flatMap((r) => r.slice(1).map((g, i) => [r[i], g])))
      expect(b.mass - a.mass).toBeCloseTo((0.5 * a.sigma) / (2 * a.mass), 9);
  });

  test("visible dark photon: J/ψ and ψ(2S) vetoed, windows leaving the range skipped, μμ above threshold", () => {
    const { result } = runs["babar-visible-dark-photon"];
    const skipped = result.points.filter((p) => p.status === "skipped");
    const vetoed = skipped.filter((p) => p.reason?.startsWith("vetoed"));
    expect(vetoed.map((p) => p.mass)).toEqual([3.097, 3.686]);
    expect(vetoed[0].reason).toBe("vetoed: the signal peak 3.097 lies in the veto (3.05, 3.15)");
    expect(skipped.filter((p) => p.reason?.startsWith("the window")).length).toBeGreaterThanOrEqual(1);
    for (const p of fitted(result)) expect(p.samples).toEqual(p.mass < 0.212 ? ["ee"] : ["ee", "mumu"]);
    // the data hold the J/ψ and ψ(2S) peaks: their events are dropped by the vetoes and counted
    expect(result.eventsOutside).toBeGreaterThan(5000);
    const grid = massGrid(spec("babar-visible-dark-photon"));
    expect(grid.length).toBeGreaterThan(4000);
    expect(grid.filter((g) => g.skipped?.startsWith("vetoed")).length).toBeGreaterThan(10);
  });

  test("muonic Z′: 2219 hypotheses beside the Υ(1S) veto, limits on a cross section", () => {
    const grid = massGrid(spec("babar-muonic-zprime"));
    expect(grid.filter((g) => !g.skipped).length).toBe(2219);
    expect(grid.filter((g) => g.skipped).every((g) => g.skipped?.startsWith("vetoed") && g.mass > 9.39)).toBe(true);
    const { result } = runs["babar-muonic-zprime"];
    expect(result.points.find((p) => p.mass === 9.46)?.reason).toMatch(/^vetoed: .* \(9\.39, 9\.53\)$/);
    expect(result.spec.poi).toEqual({ name: "sigma_mumuZ", unit: "fb" });
  });

  test("Belle II invisible Z′: 69 counting windows, Bayesian limits, counts as the simulation expects", () => {
    const s = spec("belle2-invisible-zprime");
    expect(massGrid(s).length).toBe(69);
    const { result } = runs["belle2-invisible-zprime"];
    expect(result.method).toBe("bayes");
    const table = (s.background as { yield: MassFunction }).yield;
    for (const p of fitted(result) as Required<PointResult>[]) {
      // each window's count: Poisson about the table's expected background (its digits: 2%)
      const b = massFunctionAt(table, p.mass, "yield");
      expect(Math.abs(p.events - b), `events at ${p.mass}`).toBeLessThan(4 * Math.sqrt(b) + 0.02 * b);
      expect(p.observed).toBeGreaterThan(0);
      // the expected band from background-only pseudo-experiments, in order
      const e = p.expected!;
      expect(e["-2"] <= e["-1"] && e["-1"] <= e["0"] && e["0"] <= e["1"] && e["1"] <= e["2"]).toBe(true);
    }
    expect(result.nuisances).toBe("marginalised");
    // the counting table: each window's count and expected background, the Bayesian limit of the
    // scan beside the CLs one
    const [header, ...rows] = readFileSync(join(runs["belle2-invisible-zprime"].out, "counting.csv"), "utf8")
      .trim()
      .split("\n")
      .map((line) => line.split(","));
    const col = (row: string[], name: string) => Number(row[header.indexOf(name)]);
    expect(rows).toHaveLength(result.points.length);
    for (const [i, p] of (fitted(result) as Required<PointResult>[]).entries()) {
      expect(col(rows[i], "observed")).toBe(p.events);
      expect(col(rows[i], "background")).toBeCloseTo(massFunctionAt(table, p.mass, "yield"), 9);
      expect(col(rows[i], "bayes_observed")).toBe(p.observed);
      // CLs and Bayesian limits at ~100 events per window: within 15% of each other
      expect(Math.abs(col(rows[i], "cls_observed") / p.observed - 1), `at ${p.mass}`).toBeLessThan(0.15);
    }
  });

  test("ALP → γγ: the π⁰, η, η′ peaks in the windows that reach them, out of the others", () => {
    const { result } = runs["belle2-alp-3photon"];
    const dropped = (m: number) => result.points.find((p) => p.mass === m)?.droppedComponents ?? [];
    expect(dropped(0.2)).toEqual([]);
    for (const m of [0.535, 0.56]) expect(dropped(m)).toEqual(["pi0"]);
    for (const m of [0.94, 0.975]) expect(dropped(m)).toEqual(["pi0", "eta"]);
    expect(dropped(2)).toEqual(["pi0", "eta", "etap"]);
    expect(result.cl).toBe(0.95);
  });

  test("the examples are deterministic: a second run writes the same data and results", () => {
    const again = runExample("belle2-invisible-zprime", join(work, "again"));
    const first = runs["belle2-invisible-zprime"];
    for (const file of ["recoil.csv", "results.json", "limits.csv"])
      expect(readFileSync(join(again.out, file), "utf8"), file).toBe(readFileSync(join(first.out, file), "utf8"));
  }, 60_000);
});

/** Linear interpolation in a [m, v] table (the tests' own, to check the coupling independently). */
function interpolate(table: [number, number][], m: number): number {
  const i = Math.max(
    1,
    table.findIndex(([x]) => x >= m),
  );
  const [[x0, y0], [x1, y1]] = [table[i - 1], table[i]];
  return y0 + ((y1 - y0) * (m - x0)) / (x1 - x0);
}
