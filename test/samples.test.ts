// Several samples sharing one POI (Υ(2S), Υ(3S), Υ(4S) style): nsig_k = mu × scale_k, log-normal
// nuisances on chosen samples, per-sample backgrounds; fits, limits and scans over them.
import { describe, expect, test } from "vitest";
import { buildModel, type Spec } from "../src/model/spec.js";
import { parseSpec } from "../src/model/parse.js";
import { generate } from "../src/core/generate.js";
import { fitAtMass, limitAtMass } from "../src/job/mass-job.js";
import { runScan } from "../src/scan/scan.js";
import { WorkerPool } from "../src/scan/pool.js";
import { events, relDiff } from "./helpers.js";

const base = {
  observable: { name: "m", unit: "GeV", range: [0, 10] },
  signal: { shape: "crystalBall", sigma: 0.05, alpha: 1.5, n: 3 },
  background: { shape: "expPoly", order: 2 },
};

function threeSamples(extra: object = {}): Spec {
  return parseSpec({
    ...base,
    samples: [
      { name: "Y2S", data: { path: "y2s.csv" }, scale: 1 },
      { name: "Y3S", data: { path: "y3s.csv" }, scale: 2 },
      { name: "Y4S", data: { path: "y4s.csv" }, scale: 0.5 },
    ],
    nuisances: [{ name: "eff", lnN: 1.06, samples: ["Y3S"] }],
    ...extra,
  });
}

test("one sample of scale 1 is the single-sample model: mu = nsig, same errors, q0 and limit", async () => {
  const values = await events("bump-1e4");
  const single = parseSpec(base);
  const multi = parseSpec({ ...base, samples: [{ name: "only", data: { path: "x.csv" }, scale: 1 }] });
  const a = await fitAtMass(single, { values }, 4.2);
  const b = await fitAtMass(multi, [{ values }], 4.2);
  expect(relDiff(b.parameters.mu.value, a.parameters.nsig.value)).toBeLessThan(1e-6);
  expect(relDiff(b.parameters.mu.error, a.parameters.nsig.error)).toBeLessThan(1e-6);
  expect(b.parameters.nbkg_only.value).toBeCloseTo(a.parameters.nbkg.value, 3);
  expect(Math.abs(b.q0 - a.q0)).toBeLessThan(1e-6);
  const la = await limitAtMass(single, { values }, 4.2);
  const lb = await limitAtMass(multi, [{ values }], 4.2);
  expect(relDiff(lb.observed, la.observed)).toBeLessThan(1e-6);
});

describe("three samples with a log-normal nuisance", () => {
  const spec = threeSamples();
  const truth = {
    mu: 25,
    eff: 0,
    nbkg_Y2S: 3000,
    c1_Y2S: -1.2,
    c2_Y2S: 0.3,
    nbkg_Y3S: 5000,
    c1_Y3S: -1,
    c2_Y3S: 0.2,
    nbkg_Y4S: 2000,
    c1_Y4S: -1.5,
    c2_Y4S: 0.4,
  };
  const data = generate(buildModel(spec, { mass: 4.2, nEvents: [3000, 5000, 2000] }), truth, 31).map((values) => ({
    values,
  }));

  test("the model: POI mu, per-sample backgrounds, yields mu × scale × 1.06^eff, a unit constraint on eff", () => {
    const model = buildModel(spec, { mass: 4.2, nEvents: [3000, 5000, 2000] });
    expect(model.poi).toBe("mu");
    expect(model.parameters.map((p) => p.name)).toEqual([
      "mu",
      "eff",
      "nbkg_Y2S",
      "c1_Y2S",
      "c2_Y2S",
      "nbkg_Y3S",
      "c1_Y3S",
      "c2_Y3S",
      "nbkg_Y4S",
      "c1_Y4S",
      "c2_Y4S",
    ]);
    expect(model.samples[1].components[0].yieldConstant).toBe(2);
    expect(model.samples[1].components[0].yieldFactors).toEqual([{ param: "mu" }, { param: "eff", kappa: 1.06 }]);
    expect(model.samples[0].components[0].yieldFactors).toEqual([{ param: "mu" }]);
    expect(model.constraints).toEqual([{ param: "eff", mean: 0, sigma: 1 }]);
  });

  test("the simultaneous fit recovers mu; the limit and a scan run over all samples", async () => {
    const fit = await fitAtMass(spec, data, 4.2);
    expect(fit.status).toBe("converged");
    expect(Math.abs(fit.parameters.mu.value - 25)).toBeLessThan(3 * fit.parameters.mu.error);
    expect(Math.abs(fit.parameters.eff.value)).toBeLessThan(3);
    const lim = await limitAtMass(spec, data, 4.2);
    expect(lim.poi).toBe("mu");
    expect(lim.observed).toBeGreaterThan(fit.parameters.mu.value);
    const scanSpec = { ...spec, scan: { masses: [3, 4.2, 6] } };
    const serial = await runScan(
      scanSpec,
      data.map((d) => d.values),
    );
    expect(serial.points.map((p) => p.status)).toEqual(["converged", "converged", "converged"]);
    expect(serial.maxLocalZ!.mass).toBe(4.2);
    const pool = await WorkerPool.start(2);
    try {
      expect(
        JSON.stringify(
          await runScan(
            scanSpec,
            data.map((d) => d.values),
            { pool },
          ),
        ),
      ).toBe(JSON.stringify(serial));
    } finally {
      await pool.close();
    }
  }, 60_000);

  test("toys generate every sample and randomise the nuisance's auxiliary measurement", async () => {
    const lim = await limitAtMass(spec, data, 4.2, { method: "toys", toys: 100, seed: 3, expected: false });
    expect(lim.toys!.failed).toBe(0);
    expect(lim.observedError).toBeGreaterThan(0);
  }, 60_000);
});

test("bad multi-sample specs are errors naming the problem", () => {
  expect(() =>
    parseSpec({ ...base, data: { path: "a.csv" }, samples: [{ name: "A", data: { path: "a.csv" }, scale: 1 }] }),
  ).toThrow(/either "data" or "samples"/);
  expect(() => parseSpec({ ...base, samples: [{ name: "A", data: { path: "a.csv" }, scale: 0 }] })).toThrow(
    /samples.0.scale must be > 0/,
  );
  expect(() =>
    buildModel(threeSamples({ nuisances: [{ name: "x", lnN: 1.1, samples: ["Y5S"] }] }), {
      mass: 4,
      nEvents: [1, 1, 1],
    }),
  ).toThrow(/nuisances\[0\] \(x\)\.samples: no sample named "Y5S"/);
});
