// The core's NLL and gradient against the pure-TS oracle and the reference NLL probes, on the
// fused SIMD path and the scalar path, with weights, constraints, log-normal factors and samples.
import { describe, expect, test } from "vitest";
import { OracleNll } from "../src/core/oracle.js";
import { generate } from "../src/core/generate.js";
import { ModelBuilder, type Model } from "../src/model/model.js";
import type { Dataset } from "../src/core/compile.js";
import { compile, reference, referenceModel, relDiff } from "./helpers.js";
import { adaptiveIntegral } from "../src/core/quadrature.js";

describe("reference NLL probes", () => {
  for (const name of ["bump-1e4", "nobump-1e5"] as const) {
    test(`${name}: fused and scalar paths reproduce nll_probes to 1e-9 relative`, async () => {
      const { cm } = await referenceModel(name);
      for (const probe of reference(name).fit.nll_probes) {
        const v = cm.names.map((n) => probe.params[n]);
        cm.setFree([true, true, true, true]); // signal cached + free expPoly: the fused kernel
        expect(relDiff(cm.nll(v), probe.nll)).toBeLessThan(1e-9);
        cm.setFree([true, true, false, true]);
        cm.setFree([true, false, true, true]);
        expect(relDiff(cm.nll(v), probe.nll)).toBeLessThan(1e-9);
      }
    });
  }
});

/** A model exercising every path: two samples, three components, constraint, lnN factor. */
function richModel(weighted: boolean): { model: Model; data: Dataset[] } {
  const model = new ModelBuilder("m", [0, 10])
    .parameter("mu", 30)
    .parameter("eff", 0.2)
    .parameter("nbkg_a", 900, { lo: 0 })
    .parameter("nbkg_b", 500, { lo: 0 })
    .parameter("c1_a", -0.8)
    .parameter("c2_a", 0.2)
    .parameter("lambda_b", -0.3)
    .parameter("a1_b", 0.1)
    .parameter("width", 0.12)
    .sample("a", [0, 10])
    .component("sig", "crystalBall", [4.2, 0.1, 1.5, 3], {
      constant: 1.5,
      factors: [{ param: "mu" }, { param: "eff", kappa: 1.1 }],
    })
    .component("bkg", "expPoly", [0, 10, "c1_a", "c2_a"], "nbkg_a")
    .component("peak", "gaussian", [7, "width"], 40)
    .sample("b", [1, 9])
    .component("sig", "gaussian", [4.2, 0.1], { constant: 0.8, factors: [{ param: "mu" }] })
    .component("bkg", "exponential", ["lambda_b"], "nbkg_b")
    .component("flat", "chebyshev", [1, 9, "a1_b"], 100)
    .constrain("eff", 0, 1)
    .build("mu");
  const truth = {
    mu: 30,
    eff: 0,
    nbkg_a: 900,
    nbkg_b: 500,
    c1_a: -0.8,
    c2_a: 0.2,
    lambda_b: -0.3,
    a1_b: 0.1,
    width: 0.12,
  };
  const gen = generate(model, truth, 7);
  const data = gen.map((values, i) => ({
    values,
    weights: weighted ? values.map((_, j) => 0.5 + ((i + j) % 3) * 0.5) : undefined,
  }));
  return { model, data };
}

describe("NLL and gradient against the oracle", () => {
  const points = [
    [30, 0.2, 900, 500, -0.8, 0.2, -0.3, 0.1, 0.12],
    [-5, -0.7, 950, 480, -1.1, 0.35, -0.25, -0.05, 0.2],
  ];
  for (const weighted of [false, true]) {
    test(
      `rich model (${weighted ? "weighted" : "unweighted"}): NLL to 1e-11, gradient to 1e-6 of central ` +
        `differences`,
      async () => {
        const { model, data } = richModel(weighted);
        const cm = await compile(model, data);
        const oracle = new OracleNll(model, data);
        for (const v of points) {
          const { nll, grad } = cm.nllGrad(v);
          expect(relDiff(nll, oracle.nll(v))).toBeLessThan(1e-11);
          v.forEach((x, i) => {
            const h = 1e-5 * (Math.abs(x) + 1e-2);
            const up = [...v],
              dn = [...v];
            up[i] += h;
            dn[i] -= h;
            const numeric = (oracle.nll(up) - oracle.nll(dn)) / (2 * h);
            expect(Math.abs(grad[i] - numeric)).toBeLessThan(1e-6 * (Math.abs(numeric) + 1) + 1e-4 * Math.abs(numeric));
          });
        }
      },
    );
  }

  test("fused kernel and scalar path agree on NLL and gradient (expPoly order 4, odd event count)", async () => {
    const model = new ModelBuilder("m", [0, 10])
      .parameter("nsig", 20)
      .parameter("nbkg", 3001, { lo: 0 })
      .parameter("c1", -1)
      .parameter("c2", 0.3)
      .parameter("c3", 0.1)
      .parameter("c4", -0.05)
      .component("sig", "crystalBall", [4.2, 0.05, 1.5, 3], "nsig")
      .component("bkg", "expPoly", [0, 10, "c1", "c2", "c3", "c4"], "nbkg")
      .build("nsig");
    const [values] = generate(model, {}, 3);
    const odd = values.length % 2 === 1 ? values : values.subarray(1);
    const fast = await compile(model, [{ values: odd }]);
    const slow = await compile(model, [{ values: odd, weights: new Float64Array(odd.length).fill(1) }]);
    for (const v of [
      [20, 3001, -1, 0.3, 0.1, -0.05],
      [-3, 2900, -1.3, 0.2, 0, 0.1],
    ]) {
      const a = fast.nllGrad(v),
        b = slow.nllGrad(v);
      expect(relDiff(a.nll, b.nll)).toBeLessThan(1e-13);
      a.grad.forEach((g, i) => expect(Math.abs(g - b.grad[i])).toBeLessThan(1e-9 * (Math.abs(b.grad[i]) + 1)));
    }
  });

  test(
    "the Crystal Ball cache fill (whole n by multiplication, fractional n by exp/log) matches the " + "oracle",
    async () => {
      for (const n of [1, 3, 2.5, 7, 16, 17.5]) {
        const model = new ModelBuilder("m", [0, 10])
          .parameter("nsig", 30)
          .parameter("nbkg", 900, { lo: 0 })
          .component("sig", "crystalBall", [4.2, 0.1, 0.9, n], "nsig")
          .component("bkg", "uniform", [], "nbkg")
          .build("nsig");
        const values = Float64Array.from({ length: 401 }, (_, i) => 0.0125 + (i * 9.975) / 400);
        const cm = await compile(model, [{ values }]);
        expect(relDiff(cm.nll([30, 900]), new OracleNll(model, [{ values }]).nll([30, 900]))).toBeLessThan(1e-12);
      }
    },
  );

  test("a density ≤ 0 at an event, or below zero at the signal peak, gives +∞", async () => {
    const { cm } = await referenceModel("bump-1e4");
    expect(cm.nll([-1e5, 10000, -1.2, 0.3])).toBe(Infinity);
    const model = new ModelBuilder("m", [0, 10])
      .parameter("nsig", -5)
      .parameter("nbkg", 0, { lo: 0 })
      .component("sig", "gaussian", [5, 0.1], "nsig")
      .component("bkg", "uniform", [], "nbkg")
      .build("nsig");
    const empty = await compile(model, [{ values: new Float64Array(0) }]);
    expect(empty.nll([-5, 0])).toBe(Infinity);
    expect(empty.nll([3, 0])).toBe(3);
  });
});

test(
  "expected events per bin from the closed-form integrals equal adaptive integration of the density " + "(1e-9)",
  async () => {
    const { cm } = await referenceModel("bump-1e4");
    cm.values = [50, 10_000, -1.2, 0.3];
    const edges = [0, 1, 4.1, 4.15, 4.2, 4.25, 4.3, 7, 10];
    const bins = cm.binYields(0, edges);
    edges.slice(1).forEach((hi, i) => {
      const want = adaptiveIntegral((m) => cm.density(0, [m])[0], edges[i], hi, 1e-12);
      expect(relDiff(bins[i], want), `bin ${i}`).toBeLessThan(1e-9);
    });
    // over the whole range: the total yield
    expect(
      relDiff(
        bins.reduce((a, b) => a + b, 0),
        10_050,
      ),
    ).toBeLessThan(1e-12);
  },
);

test(
  "the peaks' location and scales float with analytic gradients (Gaussian, Crystal Ball, double-sided, tails " +
    "populated); a factor on α takes central differences: NLL to 1e-11 and gradient against the oracle",
  async () => {
    const model = new ModelBuilder("m", [0, 10])
      .parameter("n1", 300)
      .parameter("n2", 250)
      .parameter("nbkg", 2000, { lo: 0 })
      .parameter("mean1", 3)
      .parameter("s1", 0.2)
      .parameter("mean2", 6)
      .parameter("sL", 0.15)
      .parameter("sR", 0.25)
      .parameter("gm", 8.5)
      .parameter("gs", 0.3)
      .parameter("tail", 0)
      .component(
        "cb",
        "crystalBall",
        ["mean1", "s1", { base: 0.8, factors: [{ param: "tail", gauss: 0.1 }] }, 2.5],
        "n1",
      )
      .component("dcb", "doubleCrystalBall", ["mean2", "sL", "sR", 0.9, 2, 1.1, 3], "n2")
      .component("g", "gaussian", ["gm", "gs"], 80)
      .component("bkg", "uniform", [], "nbkg")
      .constrain("tail", 0, 1)
      .build("n1");
    const [values] = generate(model, {}, 17);
    const cm = await compile(model, [{ values }]);
    const oracle = new OracleNll(model, [{ values }]);
    for (const v of [
      [300, 250, 2000, 3, 0.2, 6, 0.15, 0.25, 8.5, 0.3, 0],
      [280, 270, 1990, 3.03, 0.22, 5.96, 0.14, 0.27, 8.45, 0.33, 0.8],
    ]) {
      const { nll, grad } = cm.nllGrad(v);
      expect(relDiff(nll, oracle.nll(v))).toBeLessThan(1e-11);
      const og = oracle.gradient(v);
      og.forEach((g, i) => {
        // tail's factor is on α: the core takes its gradient by central differences (steps 1e-5·(|θ| + 0.01))
        const tol = cm.names[i] === "tail" ? 1e-4 * (Math.abs(g) + 1) : 1e-6 * (Math.abs(g) + 1);
        expect(Math.abs(grad[i] - g), `∂/∂${cm.names[i]}: core ${grad[i]}, oracle ${g}`).toBeLessThan(tol);
      });
    }
  },
);
