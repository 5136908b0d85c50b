// The language of real searches (docs/spec.md): mass functions, the hypothesis mapped onto the
// observable, per-sample ranges, luminosity × efficiency, the POI's name, free and constrained
// fields, nuisances on any component, regions, and the one-line errors of specs that cannot work.
import { describe, expect, test } from "vitest";
import { generate } from "../src/core/generate.js";
import { OracleNll } from "../src/core/oracle.js";
import { fitAtMass, limitAtMass } from "../src/job/mass-job.js";
import { massFunctionAt, massFunctionSlope } from "../src/model/mass-function.js";
import { parseSpec } from "../src/model/parse.js";
import { regionSpec } from "../src/model/regions.js";
import { buildModel } from "../src/model/spec.js";
import { layoutAt } from "../src/model/window.js";
import { massGrid } from "../src/scan/grid.js";
import { runScan } from "../src/scan/scan.js";
import { compile, relDiff } from "./helpers.js";

const base = {
  observable: { name: "m", unit: "GeV", range: [0, 10] },
  signal: { shape: "gaussian", sigma: 0.1 },
  background: { shape: "expPoly", order: 1 },
};

describe("mass functions", () => {
  test("number, polynomial and table; a table has no value outside its masses", () => {
    expect(massFunctionAt(2.5, 7, "x")).toBe(2.5);
    expect(massFunctionAt({ poly: [1, 2, 3] }, 2, "x")).toBe(1 + 4 + 12);
    expect(massFunctionSlope({ poly: [1, 2, 3] }, 2, "x")).toBe(2 + 12);
    const t = {
      table: [
        [5, 0.031],
        [8, 0.027],
      ] as [number, number][],
    };
    expect(massFunctionAt(t, 5, "eff")).toBe(0.031);
    expect(massFunctionAt(t, 8, "eff")).toBe(0.027);
    expect(massFunctionAt(t, 6.5, "eff")).toBeCloseTo(0.029, 15);
    expect(massFunctionSlope(t, 6, "eff")).toBeCloseTo(-0.004 / 3, 15);
    expect(() => massFunctionAt(t, 8.01, "samples.Y3S.efficiency")).toThrow(
      "samples.Y3S.efficiency: mass 8.01 is outside its table [5, 8] (no extrapolation)",
    );
  });

  test("every signal field and the yield scale follow the hypothesis mass", () => {
    const spec = parseSpec({
      ...base,
      signal: {
        shape: "crystalBall",
        sigma: { poly: [0.01, 0.02] },
        alpha: {
          table: [
            [1, 1],
            [5, 2],
          ],
        },
        n: 3,
      },
      samples: [
        {
          name: "A",
          data: { path: "a.csv" },
          luminosity: 28,
          efficiency: {
            table: [
              [1, 0.1],
              [9, 0.3],
            ],
          },
        },
      ],
    });
    const model = buildModel(spec, { mass: 3, nEvents: 100 });
    const signal = model.samples[0].components[0];
    expect(signal.args).toEqual([3, 0.01 + 0.02 * 3, 1.5, 3]);
    expect(signal.yieldConstant).toBeCloseTo(28 * 0.15, 12);
    expect(signal.yieldFactors).toEqual([{ param: "mu" }]);
  });
});

describe("the hypothesis is not the observable", () => {
  // fit M_X² while scanning m_A': the signal peaks at m², the step follows dσ/(d peak/dm)
  const spec = parseSpec({
    observable: { name: "M_X^2", unit: "GeV^2", range: [20, 70] },
    hypothesis: { name: "m_A'", unit: "GeV" },
    signal: { shape: "gaussian", peak: { poly: [0, 0, 1] }, sigma: 0.3 },
    background: { shape: "expPoly", order: 1 },
    scan: { from: 5, to: 6, step: 1 },
  });

  test("the peak is m² and a window centres on it", () => {
    const layout = layoutAt(spec, 6, 10);
    expect(layout.peak).toBe(36);
    expect(layout.samples[0].range).toEqual([33, 39]);
    expect(buildModel(spec, { mass: 6, nEvents: 10, layout }).samples[0].components[0].args).toEqual([36, 0.3]);
  });

  test("the grid steps by step × σ / |d peak/dm| in the hypothesis mass", () => {
    const masses = massGrid(spec).map((p) => p.mass);
    // masses carry 12 significant digits
    for (let i = 1; i < masses.length; i++) expect(masses[i] - masses[i - 1]).toBeCloseTo(0.3 / (2 * masses[i - 1]), 9);
    expect(masses[0]).toBe(5);
    expect(masses[masses.length - 1]).toBeLessThanOrEqual(6);
  });
});

describe("samples with their own ranges", () => {
  // BABAR's Υ(2S) reaches M_X² = 63.5, Υ(3S) 69: a background-only spectrum must show no excess at
  // the Υ(2S) endpoint, and a sample whose range misses the peak takes no part in the signal
  const spec = parseSpec({
    observable: { name: "M_X^2", range: [24, 69] },
    signal: { shape: "gaussian", sigma: 0.4 },
    background: { shape: "expPoly", order: 1 },
    samples: [
      { name: "Y2S", data: { path: "y2s.csv" }, range: [24, 63.5], luminosity: 14 },
      { name: "Y3S", data: { path: "y3s.csv" }, luminosity: 28 },
    ],
    scan: { from: 61, to: 66, step: 2 },
  });
  const bkg = (range: [number, number], n: number, seed: number) => {
    const m = buildModel(
      parseSpec({ observable: { range }, signal: { shape: "gaussian", sigma: 0.4 }, background: base.background }),
      { mass: (range[0] + range[1]) / 2, nEvents: n },
    );
    return generate(m, { nsig: 0, nbkg: n, c1: -0.8 }, seed)[0];
  };
  const data = [{ values: bkg([24, 63.5], 4000, 11) }, { values: bkg([24, 69], 8000, 12) }];

  test("the layout: Y2S has no signal above 63.5; its background stays", () => {
    const at65 = layoutAt(spec, 65);
    expect(at65.samples.map((s) => [s.name, s.signal])).toEqual([
      ["Y2S", false],
      ["Y3S", true],
    ]);
    const model = buildModel(spec, { mass: 65, nEvents: [4000, 8000], layout: at65 });
    expect(model.samples[0].components.map((c) => c.name)).toEqual(["background"]);
    expect(model.samples[0].range).toEqual([24, 63.5]);
    expect(model.samples[1].components[0].yieldConstant).toBe(28);
  });

  test("no excess at the Y2S endpoint; each point says which samples' signal it fits", async () => {
    const result = await runScan(spec, data, { method: "none" });
    const fitted = result.points.filter((p) => p.status === "converged");
    expect(fitted.length).toBe(result.points.length);
    for (const p of fitted) expect(Math.abs(p.z ?? 0)).toBeLessThan(3);
    for (const p of fitted) expect(p.samples).toEqual(p.mass <= 63.5 ? ["Y2S", "Y3S"] : ["Y3S"]);
    const r = await fitAtMass(spec, data, 64);
    expect(r.samples).toEqual(["Y3S"]);
  });

  test("the likelihood equals the oracle's over each sample's own range", async () => {
    const model = buildModel(spec, { mass: 62, nEvents: [4000, 8000] });
    const cm = await compile(model, data);
    const oracle = new OracleNll(model, data);
    const values = model.parameters.map((p) => p.value + (p.name === "mu" ? 1 : 0));
    expect(relDiff(cm.nll(values), oracle.nll(values))).toBeLessThan(1e-10);
  });
});

describe("POI, free fields, constraints, nuisances on any component", () => {
  test("the POI's name, a free signal width and a constrained background yield", () => {
    const spec = parseSpec({
      ...base,
      background: [
        { name: "cont", shape: "expPoly", order: 1 },
        { name: "peak", shape: "gaussian", mean: 3.1, sigma: 0.05, free: ["mean"] },
      ],
      signal: { shape: "gaussian", sigma: 0.1, free: ["sigma"] },
      poi: { name: "sigma_sig", unit: "fb" },
      parameters: {
        nbkg_peak: { constraint: { mean: 410, sigma: 25 } },
        mean_peak: { constraint: { mean: 3.1, sigma: 0.01 } },
      },
    });
    const model = buildModel(spec, { mass: 5, nEvents: 1000 });
    expect(model.poi).toBe("sigma_sig");
    expect(model.parameters.map((p) => p.name)).toEqual([
      "sigma_sig",
      "nbkg_cont",
      "nbkg_peak",
      "c1_cont",
      "sigma_signal",
      "mean_peak",
    ]);
    const [signal, , peak] = model.samples[0].components;
    expect(signal.args).toEqual([5, "sigma_signal"]);
    expect(peak.args).toEqual(["mean_peak", 0.05]);
    expect(model.constraints).toEqual([
      { param: "nbkg_peak", mean: 410, sigma: 25 },
      { param: "mean_peak", mean: 3.1, sigma: 0.01 },
    ]);
  });

  test("lnN and gauss nuisances on background yields, per sample or all", () => {
    const spec = parseSpec({
      ...base,
      background: [
        { name: "cont", shape: "expPoly", order: 1 },
        { name: "mc", shape: "uniform", yield: 50 },
      ],
      samples: [
        { name: "A", data: { path: "a.csv" } },
        { name: "B", data: { path: "b.csv" } },
      ],
      nuisances: [
        { name: "tau", lnN: 1.22, on: [{ component: "cont" }] },
        { name: "bmc", gauss: 0.1, on: [{ sample: "B", component: "mc" }] },
      ],
    });
    const model = buildModel(spec, { mass: 5, nEvents: [100, 100] });
    const [a, b] = model.samples;
    expect(a.components[1].yieldFactors).toEqual([{ param: "nbkg_cont_A" }, { param: "tau", kappa: 1.22 }]);
    expect(a.components[2].yieldFactors).toEqual([]);
    expect(b.components[2].yieldConstant).toBe(50);
    expect(b.components[2].yieldFactors).toEqual([{ param: "bmc", gauss: 0.1 }]);
    expect(model.parameters.find((p) => p.name === "bmc")?.lo).toBe(-10);
    expect(model.constraints.map((c) => c.param)).toEqual(["tau", "bmc"]);
  });

  test("a nuisance on a shape field makes it a base times a factor", () => {
    const spec = parseSpec({
      ...base,
      signal: { shape: "doubleCrystalBall", sigmaL: 0.1, sigmaR: 0.12, alpha: 1.5, n: 3 },
      nuisances: [{ name: "res", gauss: 0.05, on: [{ component: "signal", field: "sigma" }] }],
    });
    const model = buildModel(spec, { mass: 5, nEvents: 100 });
    const args = model.samples[0].components[0].args;
    expect(args[1]).toEqual({ base: 0.1, factors: [{ param: "res", gauss: 0.05 }] });
    expect(args[2]).toEqual({ base: 0.12, factors: [{ param: "res", gauss: 0.05 }] });
    expect(args[3]).toBe(1.5);
    expect(model.parameters.find((p) => p.name === "res")?.lo).toBeCloseTo(-0.999 / 0.05, 12);
  });
});

describe("counting searches and fixed yields as mass functions", () => {
  test("a yield table is the window's expected background, not scaled again", () => {
    const spec = parseSpec({
      observable: { range: [0, 10] },
      signal: { shape: "uniform", sigma: 0.1 },
      background: {
        shape: "uniform",
        yield: {
          table: [
            [1, 4],
            [9, 12],
          ],
        },
      },
      scan: { window: 2 },
    });
    const layout = layoutAt(spec, 5);
    expect(layout.samples[0].range).toEqual([4.8, 5.2]);
    const model = buildModel(spec, { mass: 5, nEvents: 3, layout, share: () => 0.04 });
    expect(model.samples[0].components[1].yieldConstant).toBe(8);
  });

  test("uniform signal over a known background in a window: the classic limit with b", async () => {
    // n = 3 observed in a window with b = 1 expected: the Bayesian flat-prior 90% limit solves
    // ∫₀^s (b+x)³e^{−x} dx / ∫₀^∞ … = 0.9 (numerically 5.6 for b = 1)
    const spec = parseSpec({
      observable: { range: [0, 10] },
      signal: { shape: "uniform", sigma: 0.5 },
      background: { shape: "uniform", yield: { poly: [1] } },
      scan: { window: 1 },
    });
    const r = await limitAtMass(spec, { values: new Float64Array([4.8, 5.1, 5.3, 1, 9]) }, 5, { method: "bayes" });
    expect(r.events).toBe(3);
    const post = (s: number) => (1 + s) ** 3 * Math.exp(-s);
    const integral = (to: number) => {
      let sum = 0;
      const n = 20000;
      for (let i = 0; i < n; i++) sum += post(((i + 0.5) * to) / n);
      return (sum * to) / n;
    };
    const total = integral(60);
    let lo = 0,
      hi = 30;
    for (let i = 0; i < 60; i++) {
      const mid = (lo + hi) / 2;
      if (integral(mid) / total < 0.9) lo = mid;
      else hi = mid;
    }
    expect(Math.abs(r.observed - lo)).toBeLessThan(2e-3 * lo);
  });
});

describe("regions", () => {
  test("a region is laid over the top level; objects merge, lists replace", () => {
    const spec = parseSpec({
      ...base,
      scan: { step: 0.5 },
      regions: [
        { name: "low", observable: { range: [0, 5] }, scan: { from: 0.5, to: 4.5 } },
        {
          name: "high",
          observable: { range: [4, 10] },
          scan: { from: 4.5, to: 9.5 },
          background: { shape: "uniform" },
        },
      ],
    });
    const low = regionSpec(spec, "low");
    expect(low.observable).toEqual({ name: "m", unit: "GeV", range: [0, 5] });
    expect(low.scan).toEqual({ step: 0.5, from: 0.5, to: 4.5 });
    expect(low.background).toEqual(base.background);
    expect(regionSpec(spec, "high").background).toEqual({ shape: "uniform" });
    expect(() => regionSpec(spec, "mid")).toThrow('no region named "mid" (have low, high)');
  });
});

describe("guard rails: one-line errors naming the field", () => {
  const bad = (extra: object) => () => parseSpec({ ...base, ...extra }, "spec.json");
  test.each([
    [
      { observable: { range: [0, 10], exclude: [[3, 2]] } },
      "spec.json: observable.exclude[0] [3, 2] must have lo < hi",
    ],
    [{ observable: { range: [0, 10], exclude: [[9, 11]] } }, "observable.exclude[0] [9, 11] is not inside the range"],
    [
      {
        observable: {
          range: [0, 10],
          exclude: [
            [3, 4],
            [3.5, 5],
          ],
        },
      },
      "the vetoes [3,4] and [3.5,5] overlap",
    ],
    [
      {
        signal: {
          shape: "gaussian",
          sigma: {
            table: [
              [5, 0.1],
              [4, 0.2],
            ],
          },
        },
      },
      "signal.sigma: table must be sorted",
    ],
    [{ signal: { shape: "gaussian", sigma: 0.1, free: ["alpha"] } }, 'signal.free: gaussian has no field "alpha"'],
    [{ signal: { shape: "gaussian", sigma: 0.1, mean: 3 } }, "signal.mean: the signal sits at the scanned mass"],
    [{ nuisances: [{ name: "x", lnN: 1.1, gauss: 0.1 }] }, 'nuisances[0] (x): give exactly one of "lnN" and "gauss"'],
    [
      { nuisances: [{ name: "x", lnN: 1.1, on: [{ component: "peak" }] }] },
      'nuisances[0] (x).on[0]: no component "peak"',
    ],
    [
      { nuisances: [{ name: "x", lnN: 1.1, on: [{ component: "signal", field: "alpha" }] }] },
      'nuisances[0] (x).on[0]: gaussian has no field "alpha"',
    ],
    [
      { nuisances: [{ name: "x", lnN: 1.1, samples: [], on: [{ component: "signal" }] }] },
      'nuisances[0] (x): give "on" targets or the older "samples" list, not both',
    ],
    [
      {
        samples: [
          {
            name: "A",
            data: { path: "a" },
            efficiency: {
              table: [
                [2, 0.1],
                [2, 0.2],
              ],
            },
          },
        ],
      },
      "samples[0].efficiency: table must be sorted by increasing mass (row 2: 2 after 2)",
    ],
    [
      { samples: [{ name: "A", data: { path: "a" }, range: [0, 12] }] },
      "samples[0] (A).range [0,12] is not inside observable.range [0,10]",
    ],
    [
      { regions: [{ name: "r", observable: { range: [5, 1] } }] },
      "regions[0] (r): observable.range [5, 1] must have lo < hi",
    ],
  ])("%j", (extra, message) => {
    expect(bad(extra)).toThrow(message);
  });

  test("an efficiency ≤ 0 or a table ending inside the scan are errors before any fit", () => {
    const spec = parseSpec({
      ...base,
      samples: [{ name: "A", data: { path: "a" }, efficiency: { poly: [0.1, -0.02] } }],
      scan: { from: 1, to: 9, step: 2 },
    });
    expect(() => massGrid(spec)).toThrow(
      /samples\.A\.efficiency at mass 5\.\d+ is -?0(\.0+\d*)?; it must be > 0|samples\.A\.efficiency at mass/,
    );
    const table = parseSpec({
      ...base,
      signal: {
        shape: "gaussian",
        sigma: {
          table: [
            [1, 0.1],
            [5, 0.1],
          ],
        },
      },
      scan: { from: 1, to: 9, step: 2 },
    });
    expect(() => massGrid(table)).toThrow(/signal\.sigma: mass 5\.\d+ is outside its table \[1, 5\]/);
  });
});

describe("vetoes through the spec", () => {
  // J/ψ and ψ(2S)-like holes cut out of a background-only spectrum: declared as vetoes, no excess
  // appears beside them (normalising over the full range would fake one), and no toy lands in them
  const spec = parseSpec({
    observable: {
      name: "m",
      range: [2, 5],
      exclude: [
        [3.0, 3.2],
        [3.6, 3.75],
      ],
    },
    signal: { shape: "gaussian", sigma: 0.02 },
    background: { shape: "expPoly", order: 1 },
    scan: { from: 2.9, to: 3.9, step: 2 },
  });
  const model = buildModel(spec, { mass: 2.5, nEvents: 20000 });
  const values = generate(model, { nsig: 0, nbkg: 20000, c1: -0.5 }, 7)[0];

  test("the events in a veto are dropped and counted; a mass in a veto is skipped", async () => {
    const inside = Array.from(values).filter((x) => (x > 3 && x < 3.2) || (x > 3.6 && x < 3.75)).length;
    expect(inside).toBe(0);
    const withHole = Float64Array.from([...values, 3.1, 3.15, 3.7]);
    const r = await fitAtMass(spec, { values: withHole }, 3.3);
    expect(r.eventsVetoed).toBe(3);
    expect(r.events).toBe(values.length);
    await expect(fitAtMass(spec, { values }, 3.1)).rejects.toThrow(
      "vetoed: the signal peak 3.1 lies in the veto (3, 3.2)",
    );
  });

  test("a scan beside the holes shows no excess, and skips the masses inside them", async () => {
    const result = await runScan(spec, values, { method: "none" });
    const skipped = result.points.filter((p) => p.status === "skipped");
    expect(skipped.length).toBeGreaterThan(0);
    for (const p of skipped) expect(p.reason).toMatch(/^vetoed/);
    const fitted = result.points.filter((p) => p.status !== "skipped");
    expect(fitted.every((p) => p.status === "converged")).toBe(true);
    for (const p of fitted) expect(Math.abs(p.z ?? 0)).toBeLessThan(3.5);
  });

  test("the likelihood with holes equals the oracle's, normalised over the allowed pieces", async () => {
    const layout = layoutAt(spec, 3.4);
    const m = buildModel(spec, { mass: 3.4, nEvents: values.length, layout });
    expect(m.samples[0].exclude).toEqual([
      [3.0, 3.2],
      [3.6, 3.75],
    ]);
    const cm = await compile(m, [{ values }]);
    const at = [25, values.length - 20, -0.4];
    expect(relDiff(cm.nll(at), new OracleNll(m, [{ values }]).nll(at))).toBeLessThan(1e-10);
  });

  test("toy limits at a mass beside a hole: toys never fall in it and agree with the asymptotic limit", async () => {
    const toys = await limitAtMass(spec, { values }, 3.3, { method: "toys", toys: 400, seed: 3, expected: false });
    const asym = await limitAtMass(spec, { values }, 3.3);
    expect(toys.toys?.failed ?? 0).toBe(0);
    expect(Math.abs(toys.observed - asym.observed)).toBeLessThan(0.25 * asym.observed);
  });
});

describe("a resolution nuisance", () => {
  test("σ × (1 + 0.1·θ) loosens the limit on a peak, and the fit matches the oracle", async () => {
    const plain = parseSpec({ ...base, signal: { shape: "gaussian", sigma: 0.1 } });
    const withRes = parseSpec({
      ...base,
      nuisances: [{ name: "res", gauss: 0.1, on: [{ component: "signal", field: "sigma" }] }],
    });
    const model = buildModel(plain, { mass: 5, nEvents: 5000 });
    const values = generate(model, { nsig: 60, nbkg: 5000, c1: -0.3 }, 21)[0];
    const a = await limitAtMass(plain, { values }, 5);
    const b = await limitAtMass(withRes, { values }, 5);
    expect(b.observed).toBeGreaterThan(a.observed);
    expect(b.observed).toBeLessThan(1.3 * a.observed);
    const m = buildModel(withRes, { mass: 5, nEvents: values.length });
    const cm = await compile(m, [{ values }]);
    const at = [40, 4990, -0.3, 0.7];
    expect(relDiff(cm.nll(at), new OracleNll(m, [{ values }]).nll(at))).toBeLessThan(1e-10);
  });
});

describe("a scan over regions", () => {
  const spec = parseSpec({
    observable: { name: "M_X^2", range: [0, 20] },
    signal: { shape: "gaussian", sigma: 0.3 },
    background: { shape: "expPoly", order: 1 },
    scan: { step: 3 },
    regions: [
      { name: "low", observable: { range: [0, 12] }, scan: { from: 2, to: 10 } },
      { name: "high", observable: { range: [8, 20] }, scan: { from: 9, to: 18 }, background: { shape: "uniform" } },
    ],
  });
  const draw = (region: string, n: number, seed: number, truth: Record<string, number>) =>
    generate(buildModel(regionSpec(spec, region), { mass: 10, nEvents: n }), truth, seed)[0];
  const events = {
    low: draw("low", 3000, 31, { nsig: 0, nbkg: 3000, c1: -0.4 }),
    high: draw("high", 2000, 32, { nsig: 0, nbkg: 2000 }),
  };

  test("one result: points carry their region, one global significance, shards merge into it", async () => {
    const { mergeScans } = await import("../src/scan/merge.js");
    const { limitsCsv } = await import("../src/report/tables.js");
    const { brazilPlot } = await import("../src/plot/scan-plots.js");
    const whole = await runScan(spec, events);
    const regions = [...new Set(whole.points.map((p) => p.region))];
    expect(regions).toEqual(["low", "high"]);
    expect(whole.points.map((p) => p.index)).toEqual(whole.points.map((_, i) => i));
    expect(whole.points.every((p) => p.status === "converged")).toBe(true);
    // one global significance: Gross–Vitells over the points of both regions in grid order
    const { grossVitells } = await import("../src/scan/global.js");
    expect(whole.upcrossings).toBe(grossVitells(whole.points).upcrossings);
    expect(whole.maxLocalZ?.z).toBe(Math.max(...whole.points.map((p) => p.z ?? -Infinity)));
    const parts = [
      await runScan(spec, events, { shard: { k: 1, n: 2 } }),
      await runScan(spec, events, { shard: { k: 2, n: 2 } }),
    ];
    const strip = (r: object) => JSON.stringify(r, (k, v) => (k === "timing" ? undefined : v));
    expect(strip(mergeScans(parts, ["a", "b"]))).toBe(strip(whole));
    expect(limitsCsv(whole).split("\n")[1].startsWith("low,2,")).toBe(true);
    expect(brazilPlot(whole)).toContain("</svg>");
  });

  test("a region's events must be given under its name", async () => {
    await expect(runScan(spec, { low: events.low } as never)).rejects.toThrow(
      'the scan has regions: give the events of region "high" under its name',
    );
  });
});

describe("toy LEE for any scan", () => {
  // windows, a veto, two samples with their own ranges: the toy spectra come from the background-only
  // fit over each sample's whole range, and every toy is scanned exactly as the data
  const spec = parseSpec({
    observable: { name: "m", range: [0, 10], exclude: [[4.9, 5.1]] },
    signal: { shape: "gaussian", sigma: 0.1 },
    background: { shape: "expPoly", order: 1 },
    samples: [
      { name: "A", data: { path: "a.csv" } },
      { name: "B", data: { path: "b.csv" }, range: [0, 8] },
    ],
    scan: { masses: [3, 4, 5, 6, 7], window: 8 },
  });
  const make = (range: [number, number], n: number, seed: number) =>
    generate(
      buildModel(
        parseSpec({ observable: { range, exclude: [[4.9, 5.1]] }, signal: base.signal, background: base.background }),
        { mass: 2, nEvents: n },
      ),
      { nsig: 0, nbkg: n, c1: -0.3 },
      seed,
    )[0];
  const data = [{ values: make([0, 10], 3000, 41) }, { values: make([0, 8], 2000, 42) }];

  test("windowed scans with vetoes and samples: a global p-value, the same from shards", async () => {
    const { mergeScans } = await import("../src/scan/merge.js");
    const whole = await runScan(spec, data, { leeToys: 12, seed: 5 });
    expect(whole.points.some((p) => p.reason?.startsWith("vetoed"))).toBe(true);
    const lee = whole.lee!;
    expect(lee.toys).toBe(12);
    expect(lee.maxZ.length).toBe(12);
    expect(lee.maxZ.every((z) => Number.isFinite(z))).toBe(true);
    expect(lee.globalP).toBe(lee.maxZ.filter((z) => z >= (whole.maxLocalZ?.z ?? 0)).length / 12);
    expect(lee.globalPError).toBeCloseTo(Math.sqrt(Math.max(lee.globalP * (1 - lee.globalP), 1 / 12) / 12), 12);
    const parts = [1, 2, 3].map((k) => runScan(spec, data, { leeToys: 12, seed: 5, shard: { k, n: 3 } }));
    const strip = (r: object) => JSON.stringify(r, (k, v) => (k === "timing" ? undefined : v));
    expect(strip(mergeScans(await Promise.all(parts), ["1", "2", "3"]))).toBe(strip(whole));
  });
});

describe("a peaking background with a free mean in a windowed scan", () => {
  test("it leaves the windows far from it (with its free mean) and floats in the windows that reach it", async () => {
    const spec = parseSpec({
      observable: { range: [0, 10] },
      signal: { shape: "gaussian", sigma: 0.01 },
      background: [
        { name: "cont", shape: "expPoly", order: 1 },
        { name: "eta", shape: "gaussian", mean: 0.548, sigma: 0.008, free: ["mean"] },
      ],
      parameters: { mean_eta: { constraint: { mean: 0.548, sigma: 0.002 } } },
      scan: { masses: [0.55, 3], window: 10 },
    });
    const cont = generate(
      buildModel(parseSpec({ ...base, observable: { range: [0, 10] } }), { mass: 5, nEvents: 4000 }),
      {
        nsig: 0,
        nbkg: 4000,
        c1: -0.5,
      },
      51,
    )[0];
    const peak = Float64Array.from(
      { length: 300 },
      (_, i) => 0.548 + 0.008 * Math.sqrt(2) * inverseErf(2 * ((i + 0.5) / 300) - 1),
    );
    const values = Float64Array.from([...cont, ...peak]);
    const share = (shape: string) => (shape === "gaussian" ? 0 : 1);
    const far = buildModel(spec, { mass: 3, nEvents: 100, layout: layoutAt(spec, 3), share });
    expect(far.parameters.map((p) => p.name)).toEqual(["nsig", "nbkg_cont", "c1_cont"]);
    expect(far.dropped).toEqual(["eta"]);
    const result = await runScan(spec, values, { method: "none" });
    expect(result.points.map((p) => p.status)).toEqual(["converged", "converged"]);
    const near = await fitAtMass(spec, { values }, 0.55);
    expect(Math.abs(near.parameters.mean_eta.value - 0.548)).toBeLessThan(0.002);
  });
});

/** erf⁻¹ by Newton's method on Math-free series (for quantiles of test data). */
function inverseErf(y: number): number {
  const erf = (x: number) => {
    // Abramowitz–Stegun 7.1.26 is too coarse for Newton; integrate e^{−t²} by Simpson instead
    const n = 200;
    let sum = 0;
    for (let i = 0; i <= n; i++) {
      const t = (x * i) / n;
      sum += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * Math.exp(-t * t);
    }
    return ((2 / Math.sqrt(Math.PI)) * sum * x) / (3 * n);
  };
  let x = 0;
  for (let k = 0; k < 50; k++) x -= (erf(x) - y) / ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
  return x;
}

describe("a signal shaped like a floating peak", () => {
  test("the expected band stays ordered (the fixed-point iteration gives way to the root search)", async () => {
    const spec = parseSpec({
      observable: { range: [0.3, 1.2] },
      signal: { shape: "gaussian", sigma: 0.008 },
      background: [
        { name: "cont", shape: "expPoly", order: 1 },
        { name: "eta", shape: "gaussian", mean: 0.548, sigma: 0.008 },
      ],
    });
    const model = buildModel(spec, { mass: 0.9, nEvents: 3000 });
    const values = generate(model, { nsig: 0, nbkg_cont: 2800, c1_cont: -0.5, nbkg_eta: 200 }, 61)[0];
    const r = await limitAtMass(spec, { values }, 0.548);
    const e = r.expected!;
    const band = [e["-2"], e["-1"], e["0"], e["1"], e["2"]];
    expect(band.every((x) => Number.isFinite(x) && x > 0)).toBe(true);
    for (let i = 1; i < 5; i++) expect(band[i]).toBeGreaterThan(band[i - 1]);
  });
});

describe("guard rails: a sample with no events where its model expects some", () => {
  test("is reported by fit, by every scan point and in the scan's summary", async () => {
    const { formatFit, formatScan } = await import("../src/report/format.js");
    const spec = parseSpec({
      ...base,
      samples: [
        { name: "A", data: { path: "a" } },
        { name: "B", data: { path: "b" } },
      ],
      scan: { masses: [4, 6] },
    });
    const a = generate(buildModel(parseSpec(base), { mass: 5, nEvents: 800 }), { nsig: 0, nbkg: 800, c1: -0.3 }, 71)[0];
    const data = [{ values: a }, { values: new Float64Array(0) }];
    const r = await fitAtMass(spec, data, 5);
    expect(r.emptySamples).toEqual(["B"]);
    expect(formatFit(r)).toContain("note: no event in the fit range of B, although the model expects some there");
    const result = await runScan(spec, data, { method: "none" });
    expect(result.points.map((p) => p.emptySamples)).toEqual([["B"], ["B"]]);
    expect(formatScan(result)).toMatch(/note: at 2 mass point\(s\) a sample had no event .*\(B at m = 4\)/);
    const full = await fitAtMass(spec, [{ values: a }, { values: a }], 5);
    expect(full.emptySamples).toBeUndefined();
  });
});
