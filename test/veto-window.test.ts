// A fit window narrower than a veto (a J/ψ veto of ±50 MeV around a peak of 4 MeV resolution, say):
// a hypothesis inside the veto is skipped as vetoed, not as "outside every sample's range".
import { expect, test } from "vitest";
import { parseSpec } from "../src/model/parse.js";
import { layoutAt } from "../src/model/window.js";
import { massGrid } from "../src/scan/grid.js";

const spec = parseSpec({
  observable: { name: "m_ll", range: [2, 5], exclude: [[3.05, 3.15]] },
  signal: { shape: "gaussian", sigma: 0.004 },
  background: { shape: "expPoly", order: 1 },
  samples: [
    { name: "ee", data: { path: "ee.csv" } },
    { name: "mumu", data: { path: "mumu.csv" } },
  ],
  scan: { masses: [3.04, 3.097, 3.149, 3.2], window: 10 },
});

test("a window wholly inside a veto: the mass is skipped as vetoed, the veto named", () => {
  expect(layoutAt(spec, 3.097).skipped).toBe("vetoed: the signal peak 3.097 lies in the veto (3.05, 3.15)");
  expect(layoutAt(spec, 3.097, false).skipped).toBe(layoutAt(spec, 3.097).skipped);
  const grid = massGrid(spec);
  expect(grid.map((g) => g.skipped?.slice(0, 7))).toEqual([undefined, "vetoed:", "vetoed:", undefined]);
  // beside the veto the window reaches into it: the hole is cut out of the fit range, the signal fitted
  const beside = layoutAt(spec, 3.04);
  expect(beside.samples.map((s) => [s.name, s.range, s.signal])).toEqual([
    ["ee", [3.0, 3.05], true],
    ["mumu", [3.0, 3.05], true],
  ]);
});
