// Bayesian limits in scans: marginalised nuisances where asked, and expected bands from
// background-only pseudo-experiments (the Brazil plot and HEPData of a Bayesian scan have bands).
import { describe, expect, test } from "vitest";
import { instantiateCore } from "../src/core/wasm.js";
import { bayesianExpected } from "../src/infer/bayes-expected.js";
import { compileAt } from "../src/job/events.js";
import { limitAtMass } from "../src/job/mass-job.js";
import { parseSpec } from "../src/model/parse.js";
import { buildModel } from "../src/model/spec.js";
import { generate } from "../src/core/generate.js";
import { runScan } from "../src/scan/scan.js";
import { mergeScans } from "../src/scan/merge.js";

/** The flat-prior 90% upper limit on s for n events over a known background b, by integration. */
function poissonBayes(n: number, b: number, cl = 0.9): number {
  const post = (s: number) => Math.exp(n * Math.log(s + b) - (s + b));
  const integral = (to: number) => {
    const k = 4000;
    let sum = 0;
    for (let i = 0; i <= k; i++) sum += (i === 0 || i === k ? 1 : i % 2 ? 4 : 2) * post((to * i) / k);
    return (sum * to) / (3 * k);
  };
  const total = integral(80);
  let lo = 0,
    hi = 60;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (integral(mid) / total < cl) lo = mid;
    else hi = mid;
  }
  return lo;
}

describe("the expected Bayesian band of a counting experiment (b = 3)", () => {
  test("median, ±1σ: the limits at n = 3, 1, 5 (the Poisson(3) quantiles)", async () => {
    const spec = parseSpec({
      observable: { range: [0, 10] },
      signal: { shape: "uniform" },
      background: { shape: "uniform", yield: 3 },
    });
    const { cm } = compileAt(await instantiateCore(), spec, { values: new Float64Array([2, 4, 6]) }, 5);
    const band = await bayesianExpected(cm, { nsig: 0 }, { cl: 0.9, toys: 400, seed: 7 });
    expect(band["0"]).toBeCloseTo(poissonBayes(3, 3), 2);
    expect(band["-1"]).toBeCloseTo(poissonBayes(1, 3), 2);
    expect(band["1"]).toBeCloseTo(poissonBayes(5, 3), 2);
    expect(band["-2"]).toBeLessThanOrEqual(band["-1"]);
    expect(band["2"]).toBeGreaterThanOrEqual(band["1"]);
  });
});

describe("a Bayesian scan", () => {
  const spec = parseSpec({
    observable: { name: "m", range: [0, 10] },
    signal: { shape: "gaussian", sigma: 0.2 },
    background: { shape: "expPoly", order: 1 },
    nuisances: [{ name: "eff", lnN: 1.2 }],
    scan: { masses: [3, 5, 7] },
  });
  const values = generate(buildModel(spec, { mass: 5, nEvents: 400 }), { nsig: 0, nbkg: 400, c1: -0.4, eff: 0 }, 8)[0];

  test("--marginalise: every point is limit --method bayes --marginalise at its mass", async () => {
    const r = await runScan(spec, values, { method: "bayes", marginalise: true, expectedToys: 0 });
    expect(r.nuisances).toBe("marginalised");
    for (const p of r.points) {
      const one = await limitAtMass(spec, { values }, p.mass, { method: "bayes", marginalise: true, expected: false });
      expect(one.nuisances).toBe("marginalised");
      expect(Math.abs(p.observed! - one.observed)).toBeLessThan(1e-9 * one.observed);
    }
    const profiled = await runScan(spec, values, { method: "bayes", expectedToys: 0 });
    expect(profiled.points[1].observed).not.toBe(r.points[1].observed);
  });

  test("expected bands from toys: ordered, recorded, the same from shards", async () => {
    const whole = await runScan(spec, values, { method: "bayes", expectedToys: 20, seed: 4 });
    expect(whole.expectedToys).toBe(20);
    for (const p of whole.points) {
      const e = p.expected!;
      const band = [e["-2"], e["-1"], e["0"], e["1"], e["2"]];
      for (let i = 1; i < 5; i++) expect(band[i]).toBeGreaterThanOrEqual(band[i - 1]);
    }
    const parts = [1, 2].map((k) =>
      runScan(spec, values, { method: "bayes", expectedToys: 20, seed: 4, shard: { k, n: 2 } }),
    );
    const strip = (x: object) => JSON.stringify(x, (k, v) => (k === "timing" ? undefined : v));
    expect(strip(mergeScans(await Promise.all(parts), ["1", "2"]))).toBe(strip(whole));
  });
});
