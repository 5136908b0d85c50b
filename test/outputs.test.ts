// Outputs of a scan: the CSV table, the HEPData record (structure of HEPData's data-table and
// submission formats), and the SVG plots.
import { beforeAll, expect, test } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { runScan, type ScanResult } from "../src/scan/scan.js";
import { hepdataSubmission, hepdataTable } from "../src/report/hepdata.js";
import { Ajv } from "ajv";
import { hepdataDataSchema, hepdataSubmissionSchema } from "./hepdata-format.js";
import { limitsCsv } from "../src/report/tables.js";
import { brazilPlot, significancePlot } from "../src/plot/scan-plots.js";
import { parseSpec } from "../src/model/parse.js";
import { events } from "./helpers.js";

let result: ScanResult;
beforeAll(async () => {
  const spec = parseSpec({
    observable: { name: "m", unit: "GeV", range: [0, 10] },
    signal: { shape: "crystalBall", sigma: 0.05, alpha: 1.5, n: 3 },
    background: { shape: "expPoly", order: 2 },
    scan: { masses: [3.5, 4.2, 5, 9.99], window: 10 },
  });
  result = await runScan(spec, await events("bump-1e4"));
});

test("HEPData table: mass as the independent variable, observed and expected limits with ±1σ/±2σ errors", () => {
  const t = parse(hepdataTable(result));
  const fitted = result.points.filter((p) => p.status === "converged");
  expect(t.independent_variables).toHaveLength(1);
  expect(t.independent_variables[0].header).toEqual({ name: "m", units: "GeV" });
  expect(t.independent_variables[0].values.map((v: { value: number }) => v.value)).toEqual(
    fitted.map((p) => Number(p.mass.toPrecision(6))),
  );
  expect(t.dependent_variables).toHaveLength(2);
  for (const dv of t.dependent_variables) {
    expect(dv.header.name).toMatch(/^(Observed|Expected) 90% CL upper limit on N_sig$/);
    expect(dv.qualifiers).toContainEqual({ name: "CL", value: "90%" });
    expect(dv.values).toHaveLength(fitted.length);
    for (const v of dv.values) expect(Number.isFinite(v.value)).toBe(true);
  }
  for (const v of t.dependent_variables[1].values) {
    expect(v.errors.map((e: { label: string }) => e.label)).toEqual(["1 sigma", "2 sigma"]);
    for (const e of v.errors) {
      expect(e.asymerror.plus).toBeGreaterThan(0);
      expect(e.asymerror.minus).toBeLessThan(0);
    }
  }
  const sub = parseAllDocuments(hepdataSubmission(result, "limits.yaml")).map((d) => d.toJS());
  expect(sub).toHaveLength(2);
  // and both files follow HEPData's format rules
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
  const table = ajv.compile(hepdataDataSchema),
    submission = ajv.compile(hepdataSubmissionSchema);
  expect(table(t), ajv.errorsText(table.errors)).toBe(true);
  expect(submission(sub[1]), ajv.errorsText(submission.errors)).toBe(true);
  expect(table({ ...t, extra: 1 })).toBe(false); // the rules can fail
  expect(sub[1]).toMatchObject({ name: "Upper limits", data_file: "limits.yaml" });
  expect(typeof sub[1].description).toBe("string");
});

test("the CSV table has one row per mass point, empty cells where a point was skipped", () => {
  const rows = limitsCsv(result).trim().split("\n");
  expect(rows).toHaveLength(result.points.length + 1);
  expect(rows[4]).toMatch(/^9\.99,skipped,,,,,,,,,,$/);
  expect(Number(rows[2].split(",")[6])).toBeCloseTo(result.points[1].observed!, 6);
});

test("the SVG plots are self-contained documents with the bands, lines and the global significance", () => {
  const brazil = brazilPlot(result);
  expect(brazil).toMatch(/<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect((brazil.match(/<path /g) ?? []).length).toBe(4); // ±2σ, ±1σ, median, observed
  expect(brazil).toContain('90% CL upper limit on N<tspan baseline-shift="sub" font-size="75%">sig</tspan> (events)');
  const sig = significancePlot(result);
  expect(sig).toMatch(/global Z = \d\.\d\dσ \(Gross–Vitells\)/);
  expect(sig).not.toMatch(/NaN/);
});
