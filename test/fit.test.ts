// Fits: the reference minima and errors, closed-form maximum-likelihood estimates, toy pulls, and
// the minimizer's features (fixing, start values, warm starts, bounds, statuses, forced covariance).
import { describe, expect, test } from "vitest";
import { fit } from "../src/infer/fit.js";
import { discovery } from "../src/infer/significance.js";
import { generate } from "../src/core/generate.js";
import { ModelBuilder } from "../src/model/model.js";
import { buildModel } from "../src/model/spec.js";
import { compile, reference, referenceModel, referenceSpec, relDiff } from "./helpers.js";

describe("reference fits (the reference tolerances, test/fixtures/expected)", () => {
  for (const name of ["bump-1e4", "nobump-1e5"] as const) {
    test(`${name}: values within 5% of their error, errors within 2%, q0 within 0.02 + 0.5%`, async () => {
      const ref = reference(name).fit;
      const { cm } = await referenceModel(name);
      const d = discovery(cm);
      expect(d.free.status).toBe("converged");
      expect(d.free.valid).toBe(true);
      for (const p of ["nsig", "nbkg", "c1", "c2"]) {
        expect(Math.abs(d.free.values[p] - ref[`${p}_hat`])).toBeLessThan(0.05 * ref[`${p}_err_hesse`]);
        expect(relDiff(d.free.errors[p], ref[`${p}_err_hesse`])).toBeLessThan(0.02);
      }
      ref.covariance.forEach((row: number[], i: number) =>
        row.forEach((c, j) =>
          expect(Math.abs(d.free.covariance![i][j] - c)).toBeLessThan(
            0.03 * Math.sqrt(ref.covariance[i][i] * ref.covariance[j][j]),
          ),
        ),
      );
      expect(Math.abs(d.free.nll - ref.nll_min)).toBeLessThan(1e-3);
      expect(Math.abs(d.q0 - ref.q0)).toBeLessThan(0.02 + 0.005 * ref.q0);
      expect(Math.abs(d.z - ref.Z_local)).toBeLessThan(0.01);
      for (const p of ["nbkg", "c1", "c2"]) {
        expect(Math.abs(d.background.values[p] - ref.bkg_only_fit.values[p])).toBeLessThan(
          0.05 * ref.bkg_only_fit.errors[p],
        );
      }
      expect(d.background.values.nsig).toBe(0);
    });
  }
});

describe("closed-form maximum-likelihood estimates", () => {
  test("Gaussian: mean and width are the sample mean and (biased) standard deviation; yield = N ± √N", async () => {
    const model = new ModelBuilder("m", [0, 10])
      .parameter("n", 1000, { lo: 0 })
      .parameter("mean", 4.8)
      .parameter("sigma", 0.6, { lo: 0.01 })
      .component("g", "gaussian", ["mean", "sigma"], "n")
      .build("n");
    const [values] = generate(model, { n: 5000, mean: 5, sigma: 0.5 }, 11);
    const N = values.length;
    const mean = values.reduce((a, b) => a + b, 0) / N;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / N);
    const r = fit(await compile(model, [{ values }]), { tol: 1e-4 });
    expect(r.status).toBe("converged");
    expect(Math.abs(r.values.mean - mean)).toBeLessThan(1e-3 * r.errors.mean);
    expect(Math.abs(r.values.sigma - sd)).toBeLessThan(1e-3 * r.errors.sigma);
    expect(relDiff(r.errors.mean, sd / Math.sqrt(N))).toBeLessThan(1e-3);
    expect(relDiff(r.errors.sigma, sd / Math.sqrt(2 * N))).toBeLessThan(1e-3);
    expect(relDiff(r.values.n, N)).toBeLessThan(1e-8);
    expect(relDiff(r.errors.n, Math.sqrt(N))).toBeLessThan(1e-4);
  });

  test("exponential: the fitted slope solves E[m; λ] = sample mean on the truncated range", async () => {
    const [lo, hi] = [0.5, 6];
    const model = new ModelBuilder("m", [lo, hi])
      .parameter("n", 100, { lo: 0 })
      .parameter("lambda", -0.1)
      .component("e", "exponential", ["lambda"], "n")
      .build("n");
    const [values] = generate(model, { n: 4000, lambda: -0.7 }, 5);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const r = fit(await compile(model, [{ values }]), { tol: 1e-5 });
    const l = r.values.lambda;
    const expected = (hi * Math.exp(l * hi) - lo * Math.exp(l * lo)) / (Math.exp(l * hi) - Math.exp(l * lo)) - 1 / l;
    expect(Math.abs(expected - mean)).toBeLessThan(1e-6);
  });

  test("a single flat component: yield error is √N exactly", async () => {
    const model = new ModelBuilder("m", [0, 1])
      .parameter("n", 10, { lo: 0 })
      .component("u", "uniform", [], "n")
      .build("n");
    const values = Float64Array.from({ length: 2500 }, (_, i) => (i + 0.5) / 2500);
    const r = fit(await compile(model, [{ values }]));
    expect(relDiff(r.values.n, 2500)).toBeLessThan(1e-6);
    expect(relDiff(r.errors.n, 50)).toBeLessThan(1e-4); // HESSE runs at the MIGRAD point, before the Newton polish
  });
});

test("pulls of 500 toy fits of the reference model have mean ≈ 0 and width ≈ 1", async () => {
  const truth = { nsig: 40, nbkg: 2000, c1: -1.2, c2: 0.3 };
  const model = buildModel(referenceSpec(), { mass: 4.2, nEvents: 2000 });
  const pulls: Record<string, number[]> = { nsig: [], nbkg: [], c1: [], c2: [] };
  for (let toy = 0; toy < 500; toy++) {
    const [values] = generate(model, truth, 1000 + toy);
    const cm = await compile(model, [{ values }]);
    const r = fit(cm);
    cm.dispose();
    expect(r.status).toBe("converged");
    for (const p of Object.keys(pulls)) pulls[p].push((r.values[p] - truth[p as keyof typeof truth]) / r.errors[p]);
  }
  for (const [p, xs] of Object.entries(pulls)) {
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
    // 3 standard errors: 3/√500 = 0.134 on the mean, 3/√1000 = 0.095 on the width
    expect(Math.abs(mean), `${p} pull mean`).toBeLessThan(0.134);
    expect(Math.abs(sd - 1), `${p} pull width`).toBeLessThan(0.095);
  }
}, 120_000);

describe("minimizer features", () => {
  test("fixed parameters stay put; releasing them recovers the free fit; warm starts save calls", async () => {
    const { cm } = await referenceModel("bump-1e4");
    const free = fit(cm);
    const fixed = fit(cm, { fixed: { nsig: 10, c2: 0.3 } });
    expect(fixed.values.nsig).toBe(10);
    expect(fixed.values.c2).toBe(0.3);
    expect(fixed.errors.nsig).toBe(0);
    expect(fixed.covarianceNames).toEqual(["nbkg", "c1"]);
    const released = fit(cm, { start: fixed });
    expect(Math.abs(released.values.nsig - free.values.nsig)).toBeLessThan(0.02 * free.errors.nsig);
    const warm = fit(cm, { start: free });
    expect(warm.nfcn).toBeLessThan(free.nfcn);
    expect(Math.abs(warm.nll - free.nll)).toBeLessThan(1e-4);
  });

  test("start values are used; bounds hold; a parameter pushed to its bound stops there", async () => {
    const values = (await referenceModel("bump-1e4")).values;
    const spec = { ...referenceSpec(), parameters: { nsig: { init: 5, lo: -10, hi: 20 }, c1: { init: -1 } } };
    const model = buildModel(spec, { mass: 4.2, nEvents: values.length });
    expect(model.parameters.find((p) => p.name === "c1")!.value).toBe(-1);
    const r = fit(await compile(model, [{ values }]));
    expect(r.values.nsig).toBeLessThanOrEqual(20);
    expect(r.values.nsig).toBeGreaterThan(19.9);
  });

  test("a call limit too small reports 'call limit', not a converged fit", async () => {
    const { cm } = await referenceModel("bump-1e4");
    const r = fit(cm, { maxCalls: 3, start: { c1: 0.5, c2: -0.5, nbkg: 5000 } });
    expect(r.status).toBe("call limit");
    expect(r.valid).toBe(false);
  });

  test("a singular Hessian (two identical components) is flagged as forced, and the fit not valid", async () => {
    const model = new ModelBuilder("m", [0, 10])
      .parameter("a", 500, { lo: 0 })
      .parameter("b", 500, { lo: 0 })
      .component("one", "uniform", [], "a")
      .component("two", "uniform", [], "b")
      .build("a");
    const values = Float64Array.from({ length: 1000 }, (_, i) => (10 * (i + 0.5)) / 1000);
    const r = fit(await compile(model, [{ values }]));
    expect(r.covarianceForced).toBe(true);
    expect(r.valid).toBe(false);
    expect(relDiff(r.values.a + r.values.b, 1000)).toBeLessThan(1e-6);
  });
});
