// Limits and significance: asymptotic CLs against the reference, the Asimov grid's convergence,
// Bayesian and toy limits against the classic Poisson values, asymptotic–toy agreement at large
// yields, coverage, q0's asymptotic distribution, and the toys' reproducibility.
import { describe, expect, test } from "vitest";
import kstest from "@stdlib/stats-kstest";
import chisquareCdf from "@stdlib/stats-base-dists-chisquare-cdf";
import { AsymptoticCalculator, asymptoticPvalues } from "../src/infer/asymptotic.js";
import { asimovData, glNodes, panelEdges } from "../src/infer/asimov.js";
import { bayesianLimit } from "../src/infer/bayes.js";
import { upperLimit } from "../src/infer/limits.js";
import { ToyCalculator } from "../src/infer/toys.js";
import { discovery } from "../src/infer/significance.js";
import { generate } from "../src/core/generate.js";
import { buildModel } from "../src/model/spec.js";
import { parseSpec } from "../src/model/parse.js";
import { compile, core, reference, referenceModel, referenceSpec, relDiff } from "./helpers.js";

const BANDS = { "-2": "-2", "-1": "-1", "0": "median", "1": "+1", "2": "+2" } as const;

describe("asymptotic CLs", () => {
  for (const name of ["bump-1e4", "nobump-1e5"] as const) {
    test(`${name}: observed and expected limits within 1% of the reference`, async () => {
      const ref = reference(name).limit_asymptotic;
      const { cm } = await referenceModel(name);
      const lim = await upperLimit(new AsymptoticCalculator(cm), { cl: 0.9 });
      expect(relDiff(lim.observed, ref.observed)).toBeLessThan(0.01);
      for (const [ours, theirs] of Object.entries(BANDS))
        expect(relDiff(lim.expected[ours as "0"], ref.expected[theirs])).toBeLessThan(0.01);
    });
  }

  test(
    "the CLs curve: q̃μ, q_A and CLs at the reference points (1e-3 relative; CLs+b, CLb formulas " + "exact)",
    async () => {
      const ref = reference("bump-1e4").limit_asymptotic;
      const { cm } = await referenceModel("bump-1e4");
      const calc = new AsymptoticCalculator(cm);
      for (const point of ref.cls_curve.slice(2, 6)) {
        const p = await calc.pvalues(point.mu);
        expect(Math.abs(p.q - point.qtilde_obs)).toBeLessThan(2e-3 * (1 + point.qtilde_obs));
        expect(relDiff(calc.qAsimov(point.mu), point.q_asimov)).toBeLessThan(1e-3);
        expect(relDiff(p.cls, point.CLs)).toBeLessThan(0.02);
        const exact = asymptoticPvalues(point.qtilde_obs, point.q_asimov);
        expect(relDiff(exact.clsb, point.CLsb)).toBeLessThan(1e-9);
        expect(relDiff(exact.clb, point.CLb)).toBeLessThan(1e-9);
      }
    },
  );

  test("the Asimov grid is fine enough: an 8× finer one moves no limit by more than 1e-4", async () => {
    const { cm } = await referenceModel("bump-1e4");
    const base = await upperLimit(new AsymptoticCalculator(cm));
    const fine = await upperLimit(new AsymptoticCalculator(cm, { grid: { panels: 800, peakPanelsPerWidth: 8 } }));
    const coarse = await upperLimit(new AsymptoticCalculator(cm, { grid: { panels: 2, peakPanelsPerWidth: 0.07 } }));
    expect(relDiff(base.observed, fine.observed)).toBeLessThan(1e-4);
    for (const k of ["-2", "0", "2"] as const) expect(relDiff(base.expected[k], fine.expected[k])).toBeLessThan(1e-4);
    // and the test can fail: a grid that misses the peak's shape moves the expected limits
    expect(relDiff(coarse.expected["0"], fine.expected["0"])).toBeGreaterThan(1e-4);
  });

  test("12-point Gauss–Legendre panels integrate polynomials of degree 23 exactly", () => {
    const { nodes, weights } = glNodes([0, 0.3, 1]);
    const sum = nodes.reduce((s, x, i) => s + weights[i] * x ** 23, 0);
    expect(relDiff(sum, 1 / 24)).toBeLessThan(1e-13);
  });
});

/** Uniform signal over a uniform background of fixed yield b: a counting experiment with n events. */
async function counting(n: number, b: number) {
  const spec = parseSpec({
    observable: { range: [0, 1] },
    signal: { shape: "uniform" },
    background: { shape: "uniform", yield: b },
  });
  const values = Float64Array.from({ length: n }, (_, i) => (i + 0.5) / Math.max(n, 1));
  return compile(buildModel(spec, { mass: 0.5, nEvents: n }), [{ values }]);
}

describe("the counting experiment reproduces the classic Poisson limits (90% CL, b = 0)", () => {
  const classic = [
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: the classic Poisson limit for n = 0, not ln 10
    [0, 2.3026],
    [1, 3.8897],
    [2, 5.3223],
  ];
  for (const [n, want] of classic) {
    test(`n = ${n}: Bayesian ${want} (1e-3), toy CLs within 3 toy standard errors`, async () => {
      const cm = await counting(n, 0);
      expect(Math.abs((await bayesianLimit(cm)).observed - want)).toBeLessThan(1e-3);
      const calc = new ToyCalculator(cm, { toys: 3000, seed: 11 + n });
      const lim = await upperLimit(calc, { expected: false });
      expect(lim.observedError).toBeGreaterThan(0);
      expect(Math.abs(lim.observed - want)).toBeLessThan(3 * lim.observedError!);
      expect(calc.counts().failed).toBe(0);
    });
  }
});

test("Bayesian marginalisation (Laplace): equal to profiling without nuisances, close to it with them", async () => {
  const cm = await counting(2, 0);
  expect((await bayesianLimit(cm, { marginalise: true })).observed).toBeCloseTo((await bayesianLimit(cm)).observed, 6);
  const { cm: ref } = await referenceModel("bump-1e4");
  const profiled = (await bayesianLimit(ref)).observed;
  const marginal = await bayesianLimit(ref, { marginalise: true });
  expect(marginal.nuisances).toBe("marginalised");
  // the background parameters barely correlate with nsig: a small shift, upwards (wider posterior)
  expect(marginal.observed).toBeGreaterThanOrEqual(profiled - 1e-6);
  expect(relDiff(marginal.observed, profiled)).toBeLessThan(0.02);
}, 60_000);

test("asymptotic and toy limits converge as the yields grow", async () => {
  const gaps: number[] = [];
  for (const [n, b] of [
    [3, 3],
    [400, 400],
  ]) {
    const cm = await counting(n, b);
    const asym = (await upperLimit(new AsymptoticCalculator(cm), { expected: false })).observed;
    const lim = await upperLimit(new ToyCalculator(cm, { toys: 2000, seed: 5 }), { expected: false });
    gaps.push(Math.abs(asym - lim.observed) / lim.observed);
    if (n === 400) expect(Math.abs(asym - lim.observed)).toBeLessThan(3 * lim.observedError! + 0.01 * asym);
  }
  expect(gaps[1]).toBeLessThan(gaps[0]);
}, 60_000);

describe("coverage and distributions (pseudo-experiments)", () => {
  const model = buildModel(referenceSpec(), { mass: 4.2, nEvents: 2000 });
  const truth = { nbkg: 2000, c1: -1.2, c2: 0.3 };

  test("90% CLs+b upper limits cover an injected signal in 90% ± 3 binomial σ; CLs never excludes 0", async () => {
    const experiments = 150;
    let covered = 0,
      excludesZero = 0;
    for (let e = 0; e < experiments; e++) {
      const [values] = generate(model, { ...truth, nsig: 40 }, 5000 + e);
      const cm = await compile(model, [{ values }]);
      const calc = new AsymptoticCalculator(cm);
      const clsb = await upperLimit(calc, { statistic: "clsb", expected: false });
      const cls = await upperLimit(calc, { expected: false });
      if (clsb.observed >= 40) covered++;
      if (!(cls.observed > 0)) excludesZero++;
      calc.dispose();
      cm.dispose();
    }
    const sigma = Math.sqrt((0.9 * 0.1) / experiments);
    expect(Math.abs(covered / experiments - 0.9)).toBeLessThan(3 * sigma);
    expect(excludesZero).toBe(0);
  }, 120_000);

  test("q0 under the background-only hypothesis follows ½δ(0) + ½χ²₁ (binomial and Kolmogorov–Smirnov " +
    "tests)", async () => {
    const [values] = generate(model, { ...truth, nsig: 0 }, 77);
    const cm = await compile(model, [{ values }]);
    const calc = new ToyCalculator(cm, { toys: 1, seed: 9 });
    const background = discovery(cm).background.values;
    const n = 1500;
    const set = await calc.runBatch(background, 0, 0, 0, 0, n, 1);
    // q0 > 0 when μ̂ > 0; a fit that stops a hair inside the μ ≥ 0 bound leaves q0 ~ 1e-8, so
    // count q0 > c = 1e-3 (it loses P(0 < χ²₁ < c) ≈ 2.5% of the positive half) and compare the
    // positive part with χ²₁ truncated at c
    const c = 1e-3,
      lost = chisquareCdf(c, 1);
    const positive = Array.from(set.q).filter((q) => q > c);
    expect(set.failed).toBeLessThan(n * 0.01);
    expect(Math.abs(positive.length / set.q.length - 0.5 * (1 - lost))).toBeLessThan(
      3 * Math.sqrt(0.25 / set.q.length),
    );
    const ks = kstest(positive, (x: number) => (chisquareCdf(x, 1) - lost) / (1 - lost));
    expect(ks.pValue).toBeGreaterThan(0.001);
  }, 60_000);
});

describe("toys", () => {
  test("are reproducible: any split of the toys into batches gives the same toys", async () => {
    const { cm } = await referenceModel("bump-1e4");
    const calc = new ToyCalculator(cm, { toys: 1, seed: 42 });
    const gen = { nsig: 50, nbkg: 10000, c1: -1.2, c2: 0.3 };
    const whole = await calc.runBatch(gen, 1, 3, 60, 0, 24);
    const parts = [await calc.runBatch(gen, 1, 3, 60, 0, 7), await calc.runBatch(gen, 1, 3, 60, 7, 17)];
    expect(Array.from(whole.q)).toEqual([...parts[0].q, ...parts[1].q]);
    const other = await calc.runBatch(gen, 1, 4, 60, 0, 24); // another POI index: another stream
    expect(Array.from(other.q)).not.toEqual(Array.from(whole.q));
  });

  test("a worker pool gives the same toys as the calling thread (1 and 3 workers)", async () => {
    const { WorkerPool } = await import("../src/scan/pool.js");
    const { cm } = await referenceModel("bump-1e4");
    const gen = { nsig: 50, nbkg: 10000, c1: -1.2, c2: 0.3 };
    const here = await new ToyCalculator(cm, { toys: 1, seed: 42 }).runBatch(gen, 1, 3, 60, 0, 13);
    for (const size of [1, 3]) {
      const pool = await WorkerPool.start(size);
      try {
        const there = await new ToyCalculator(cm, { toys: 1, seed: 42, pool }).runBatch(gen, 1, 3, 60, 0, 13);
        expect(Array.from(there.q)).toEqual(Array.from(here.q));
        expect(Array.from(there.muHat)).toEqual(Array.from(here.muHat));
      } finally {
        await pool.close();
      }
    }
  });

  test("the generator follows the total density: toy fits of a negative signal yield are unbiased", async () => {
    const { cm } = await referenceModel("bump-1e4");
    const calc = new ToyCalculator(cm, { toys: 1, seed: 8 });
    const set = await calc.runBatch({ nsig: -30, nbkg: 10000, c1: -1.2, c2: 0.3 }, 1, 9, 0, 0, 300, 1);
    expect(calc.envelopeViolations).toBe(0);
    // mode 1 fits with nsig ≥ 0; the fraction at the boundary tells whether the toys carry the dip
    const atZero = Array.from(set.muHat).filter((m) => m < 1e-3).length / set.muHat.length;
    expect(atZero).toBeGreaterThan(0.85); // −30 ± 15.5: ≈ 97% of toys would fit below 0
  });

  test("failed toy fits are counted and excluded, never abort", async () => {
    const { cm } = await referenceModel("bump-1e4");
    // the analytic Hessian starts the metric: 9 calls (the earlier limit) now suffice for most toys
    const calc = new ToyCalculator(cm, { toys: 60, seed: 2, maxCalls: 3 });
    const p = await calc.pvalues(15 * calc.step); // one grid point: 60 s+b and 120 b-only toys
    const counts = calc.counts();
    expect(counts.failed).toBeGreaterThan(0);
    expect(counts.sb + counts.b + counts.failed).toBe(180);
    expect(p.cls).toBeGreaterThanOrEqual(0);
  });

  test(
    "adaptive mode: toys double until the limit's toy error is below the target; the first toys are " + "kept",
    async () => {
      const { adaptiveUpperLimit } = await import("../src/infer/limits.js");
      const cm = await counting(2, 0);
      const calc = new ToyCalculator(cm, { toys: 200, seed: 21 });
      const first = await upperLimit(calc, { expected: false });
      const lim = await adaptiveUpperLimit(calc, { expected: false, targetError: first.observedError! / 2.5 });
      expect([400, 800, 1600, 3200]).toContain(calc.toys); // doubled until the error (≈ 1/√toys) met the target
      expect(lim.observedError!).toBeLessThan(first.observedError! / 2.5);
      expect(Math.abs(lim.observed - 5.3223)).toBeLessThan(3 * lim.observedError!);
      // the same toys as a calculator that starts with that many
      const direct = await upperLimit(new ToyCalculator(cm, { toys: calc.toys, seed: 21 }), { expected: false });
      expect(lim.observed).toBeCloseTo(direct.observed, 9);
    },
  );

  test("bump-1e4: the toy CLs limit agrees with the reference within the toy-statistics errors", async () => {
    const ref = reference("bump-1e4").limit_toys;
    const { cm } = await referenceModel("bump-1e4");
    const calc = new ToyCalculator(cm, { toys: 250, seed: 1 });
    const lim = await upperLimit(calc, { expected: false });
    const sigma = Math.hypot(ref.observed_err_toystat, lim.observedError!);
    expect(Math.abs(lim.observed - ref.observed)).toBeLessThan(3 * sigma);
    expect(calc.counts().failed).toBe(0);
  }, 120_000);
});

test("p0 and the signed local Z of a signal hypothesis", async () => {
  const { cm } = await referenceModel("bump-1e4");
  const d = discovery(cm);
  const ref = reference("bump-1e4").fit;
  expect(Math.abs(d.z - ref.Z_local)).toBeLessThan(0.01);
  expect(relDiff(d.p0, 3.83e-4)).toBeLessThan(0.02); // 1 − Φ(3.3648)
  // a deficit: negative Z, q0 = 0, p0 = 0.5
  const model = buildModel(referenceSpec(), { mass: 4.2, nEvents: 2000 });
  const [values] = generate(model, { nsig: 0, nbkg: 2000, c1: -1.2, c2: 0.3 }, 3);
  let seen = false;
  for (const mass of [2, 3, 4, 5, 6, 7]) {
    const m2 = await compile(buildModel(referenceSpec(), { mass, nEvents: values.length }), [{ values }]);
    const r = discovery(m2);
    if (r.free.values.nsig < 0) {
      seen = true;
      expect(r.z).toBeLessThan(0);
      expect(r.q0).toBe(0);
      expect(r.p0).toBe(0.5);
    }
  }
  expect(seen).toBe(true);
  void core;
});

test("the Asimov grid's size as the docs give it: 1752 nodes for one peak (146 panels of 12)", async () => {
  const { cm, model } = await referenceModel("bump-1e4");
  const [asimov] = asimovData(
    cm,
    model.parameters.map((p) => p.value),
  );
  expect(asimov.values.length).toBe(1752);
  expect(panelEdges([0, 10], [[4.2, 0.05]], 400, 4).length).toBe(461); // the reference's construction: 5520 nodes
});
