/**
 * Weighted events (sWeights-like, with negative weights): errors from the sandwich H⁻¹CH⁻¹ cover
 * the truth in toy studies where the plain HESSE errors do not; q0 on the likelihood scaled by
 * Σw/Σw² follows its asymptotic distribution; scans treat weights as fit does.
 */
import { describe, expect, test } from "vitest";
import { fitAtMass } from "../src/job/mass-job.js";
import { generate, seededUniform } from "../src/core/generate.js";
import { buildModel } from "../src/model/spec.js";
import { parseSpec } from "../src/model/parse.js";
import { nllScales } from "../src/infer/weights.js";
import { runScan } from "../src/scan/scan.js";

const spec = parseSpec({
  observable: { range: [0, 10] },
  signal: { shape: "gaussian", sigma: 0.2 },
  background: { shape: "exponential", lambda: -0.2 },
  scan: { masses: [3, 5, 7] },
});
const truth = { nsig: 100, nbkg: 1000, lambda: -0.2 };

/**
 * Events of the model with weights independent of the mass: 1.375 (80%) or −0.5 (20%), so
 * E[w] = 1 (the weighted likelihood is unbiased) and E[w²] = 1.5625 (the plain errors are
 * √1.5625 = 1.25 times too small).
 */
function weighted(t: number, values = truth) {
  const model = buildModel(spec, { mass: 5, nEvents: 1100 });
  const events = generate(model, values, 77, t)[0];
  const u = seededUniform(78, t);
  return { values: events, weights: Float64Array.from(events, () => (u() < 0.8 ? 1.375 : -0.5)) };
}

const width = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};

describe("weighted fits", () => {
  test("300 toys: pulls with the sandwich errors have width 1, with plain HESSE errors ≈ 1.25", async () => {
    const sandwich: number[] = [],
      sumw2: number[] = [],
      plain: number[] = [];
    for (let t = 0; t < 300; t++) {
      const data = weighted(t);
      const a = await fitAtMass(spec, data, 5);
      expect(a.errors).toBe("asymptotic");
      sandwich.push((a.parameters.nsig.value - truth.nsig) / a.parameters.nsig.error);
      const s = await fitAtMass(spec, data, 5, { errors: "sumw2" });
      sumw2.push((s.parameters.nsig.value - truth.nsig) / s.parameters.nsig.error);
      const h = await fitAtMass(spec, data, 5, { errors: "hesse" });
      expect(h.parameters.nsig.value).toBeCloseTo(a.parameters.nsig.value, 6); // the same fit
      plain.push((h.parameters.nsig.value - truth.nsig) / h.parameters.nsig.error);
    }
    // the width of 300 unit-normal pulls is 1 ± 0.041
    expect(Math.abs(width(sandwich) - 1)).toBeLessThan(0.12);
    expect(Math.abs(width(sumw2) - 1)).toBeLessThan(0.12);
    expect(width(plain)).toBeGreaterThan(1.13);
    expect(Math.abs(sandwich.reduce((a, b) => a + b, 0) / 300)).toBeLessThan(0.2); // unbiased
  }, 240_000);

  test("q0 of background-only weighted toys follows ½δ(0) + ½χ²₁: P(Z > 1.645) ≈ 5%", async () => {
    let above = 0;
    const n = 300;
    for (let t = 0; t < n; t++) {
      const r = await fitAtMass(spec, weighted(1000 + t, { ...truth, nsig: 0 }), 5);
      if (r.z > 1.645) above++;
    }
    // binomial: 15 ± 3.8 of 300; the unscaled likelihood gives P(χ²₁ > 2.71/1.5625)/2 ≈ 9% (27)
    expect(above).toBeGreaterThanOrEqual(5);
    expect(above).toBeLessThanOrEqual(24);
  }, 120_000);

  test("NLL scales: Σw/Σw² per weighted sample, 1 for unweighted ones", () => {
    expect(
      nllScales([{ values: new Float64Array(2), weights: Float64Array.of(2, 2) }, { values: new Float64Array(1) }]),
    ).toEqual([0.5, 1]);
  });

  test("a scan of weighted events gives at each point what fit gives at its mass", async () => {
    const data = weighted(5);
    const scan = await runScan(spec, data);
    for (const p of scan.points) {
      const f = await fitAtMass(spec, data, p.mass);
      expect(p.status).toBe("converged");
      expect(Math.abs(p.nsig! - f.parameters.nsig.value)).toBeLessThan(1e-3 * f.parameters.nsig.error);
      // the scan's fits start from its shared background fit, fit's from the model's start values:
      // the minima agree to the minimizer's tolerance, HESSE at them to a few 1e-3
      expect(Math.abs(p.nsigError! / f.parameters.nsig.error - 1)).toBeLessThan(5e-3);
      expect(p.z).toBeCloseTo(f.z, 3);
    }
  });

  test("weights of the wrong length are refused", async () => {
    await expect(fitAtMass(spec, { values: new Float64Array(3), weights: new Float64Array(2) }, 5)).rejects.toThrow(
      /2 weights for 3 events/,
    );
    await expect(runScan(spec, { values: new Float64Array(3), weights: new Float64Array(2) })).rejects.toThrow(
      /2 weights for 3 events/,
    );
  });
});
