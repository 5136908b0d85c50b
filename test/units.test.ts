// Limits in physics units: the coupling (interpret), the signal events, the POI; what the plot,
// the CSV and the HEPData record show with --units; labels with sub- and superscripts.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { describe, expect, test } from "vitest";
import { generate } from "../src/core/generate.js";
import { limitAtMass } from "../src/job/mass-job.js";
import { couplingLimit } from "../src/model/interpret.js";
import { parseSpec } from "../src/model/parse.js";
import { buildModel } from "../src/model/spec.js";
import { richLabel } from "../src/plot/frame.js";
import { brazilPlot } from "../src/plot/scan-plots.js";
import { scanOutputs } from "../src/report/outputs.js";
import { runScan } from "../src/scan/scan.js";
import { inUnits } from "../src/scan/units.js";

const base = {
  observable: { name: "M_X^2", unit: "GeV^2", range: [0, 10] },
  signal: { shape: "gaussian", sigma: 0.1 },
  background: { shape: "expPoly", order: 1 },
};
const interpret = { name: "epsilon", unit: "", poi1: { poly: [1e6, 2e5] }, power: 2 };

test("a coupling limit computed by hand: ε = √(18 / 2e6) = 0.003", () => {
  const spec = parseSpec({ ...base, interpret: { name: "epsilon", poi1: 2e6, power: 2 } });
  expect(couplingLimit(spec, 5, 18)).toBeCloseTo(0.003, 15);
  expect(couplingLimit(parseSpec(base), 5, 18)).toBeUndefined();
});

describe("limits with interpret", () => {
  const spec = parseSpec({ ...base, interpret, scan: { masses: [3, 5, 7] } });
  const values = generate(buildModel(spec, { mass: 5, nEvents: 2000 }), { nsig: 0, nbkg: 2000, c1: -0.3 }, 3)[0];

  test("limit: coupling = (limit / poi1(m))^(1/power), observed and every band", async () => {
    const r = await limitAtMass(spec, { values }, 5);
    const poi1 = 1e6 + 2e5 * 5;
    expect(r.coupling!.observed).toBeCloseTo(Math.sqrt(r.observed / poi1), 15);
    for (const k of ["-2", "-1", "0", "1", "2"] as const)
      expect(r.coupling!.expected![k]).toBeCloseTo(Math.sqrt(r.expected![k] / poi1), 15);
  });

  test("scan: points carry coupling; --units picks what the CSV, plot and HEPData show", async () => {
    const result = await runScan(spec, values);
    for (const p of result.points)
      expect(p.coupling!.observed).toBeCloseTo(Math.sqrt(p.observed! / (1e6 + 2e5 * p.mass)), 15);
    const coupling = inUnits(result, "coupling");
    expect(coupling.points.map((p) => p.observed)).toEqual(result.points.map((p) => p.coupling!.observed));
    const files = Object.fromEntries(scanOutputs(result, "coupling").map((f) => [f.name, f.text]));
    const row = files["limits.csv"].split("\n")[1].split(",");
    expect(Number(row[6])).toBeCloseTo(result.points[0].coupling!.observed, 12);
    expect(files["brazil.svg"]).toContain("ε");
    const limits = parse(files["hepdata/limits.yaml"]);
    expect(limits.dependent_variables[0].header.name).toBe("Observed 90% CL upper limit on epsilon");
    expect(parse(files["hepdata/significance.yaml"]).dependent_variables[0].header.name).toBe("Local significance");
    // with the POI shown, the coupling gets a table of its own, listed in the submission
    const poiFiles = scanOutputs(result).map((f) => f.name);
    expect(poiFiles).toContain("hepdata/coupling.yaml");
    const sub = parseAllDocuments(scanOutputs(result).find((f) => f.name === "hepdata/submission.yaml")!.text);
    expect(sub.map((d) => d.toJS()?.data_file).filter(Boolean)).toEqual([
      "limits.yaml",
      "significance.yaml",
      "coupling.yaml",
    ]);
  });
});

test("--units events: the POI times Σ scale × luminosity × efficiency of the samples taking part", async () => {
  const spec = parseSpec({
    ...base,
    samples: [
      { name: "A", data: { path: "a" }, luminosity: 10, efficiency: 0.2 },
      { name: "B", data: { path: "b" }, luminosity: 5, efficiency: { poly: [0.1, 0.02] }, range: [0, 6] },
    ],
    scan: { masses: [4, 8] },
  });
  const model = buildModel(spec, { mass: 4, nEvents: [1000, 600] });
  const data = generate(model, { mu: 0, nbkg_A: 1000, c1_A: -0.2, nbkg_B: 600, c1_B: -0.1 }, 5).map((values) => ({
    values,
  }));
  const result = await runScan(spec, data);
  const events = inUnits(result, "events");
  expect(events.points[0].observed).toBeCloseTo(result.points[0].observed! * (10 * 0.2 + 5 * (0.1 + 0.02 * 4)), 9);
  expect(events.points[1].observed).toBeCloseTo(result.points[1].observed! * (10 * 0.2), 9); // B does not reach 8
  expect(brazilPlot(events)).toContain('N<tspan baseline-shift="sub"');
});

test("labels: subscripts, superscripts and Greek names", () => {
  expect(richLabel("M_X^2 (GeV^2)")).toBe(
    'M<tspan baseline-shift="sub" font-size="75%">X</tspan><tspan baseline-shift="super" font-size="75%">2</tspan> ' +
      '(GeV<tspan baseline-shift="super" font-size="75%">2</tspan>)',
  );
  expect(richLabel("epsilon")).toBe("ε");
  expect(richLabel("g' < 1")).toBe("g' &lt; 1");
  expect(richLabel("N_{sig}")).toBe('N<tspan baseline-shift="sub" font-size="75%">sig</tspan>');
});

test("bumpscan scan --units coupling without interpret is exit 2", () => {
  const dir = mkdtempSync(join(tmpdir(), "bumpscan-units-"));
  writeFileSync(join(dir, "e.csv"), "m\n1\n2\n3\n");
  writeFileSync(join(dir, "s.json"), JSON.stringify({ ...base, data: { path: "e.csv" }, scan: { masses: [2] } }));
  const r = spawnSync(process.execPath, [resolve("dist/cli/main.js"), "scan", "s.json", "--units", "coupling"], {
    cwd: dir,
    encoding: "utf8",
  });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/--units coupling: s\.json has no "interpret"/);
});
