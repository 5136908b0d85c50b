// The fused f64x2 kernel (assembly/fastpath.ts) against the scalar path (the reference: the same
// model with the kernel forbidden) and the pure-TS oracle, for every shape it takes, with and
// without vetoes, odd and even event counts.
import { describe, expect, test } from "vitest";
import { OracleNll } from "../src/core/oracle.js";
import { generate } from "../src/core/generate.js";
import { ModelBuilder, type Model } from "../src/model/model.js";
import type { CompiledModel } from "../src/core/compile.js";
import { compile, expectHessianNear, referenceModel, relDiff } from "./helpers.js";
import { fit } from "../src/infer/fit.js";
import { Matrix, inverse } from "ml-matrix";

const VETOES: [number, number][] = [
  [2.0, 2.4],
  [6.1, 6.5],
];

/** NLL and gradient on both paths at v; checks that the fused one really took the kernel. */
function bothPaths(cm: CompiledModel, v: number[]) {
  const free = v.map(() => true);
  cm.core.setFastPath(1);
  cm.setFree(free);
  const fused = cm.nllGrad(v);
  expect(cm.core.fusedComponent(0), "the fused kernel applies").toBeGreaterThanOrEqual(0);
  cm.core.setFastPath(0);
  cm.setFree(free);
  const scalar = cm.nllGrad(v);
  expect(cm.core.fusedComponent(0)).toBe(-1);
  cm.core.setFastPath(1);
  cm.setFree(free);
  return { fused, scalar };
}

/** Fused = scalar (NLL 1e-12 relative, gradient 1e-9), and both = the oracle (NLL 1e-11, gradient 1e-6). */
async function expectAgreement(model: Model, values: Float64Array, points: number[][]) {
  const cm = await compile(model, [{ values }]);
  const oracle = new OracleNll(model, [{ values }]);
  for (const v of points) {
    const { fused, scalar } = bothPaths(cm, v);
    expect(relDiff(fused.nll, scalar.nll), `NLL at [${v}]`).toBeLessThan(1e-12);
    expect(relDiff(fused.nll, oracle.nll(v)), `NLL vs oracle at [${v}]`).toBeLessThan(1e-11);
    const og = oracle.gradient(v);
    fused.grad.forEach((g, i) => {
      const name = `∂/∂${cm.names[i]} at [${v}]`;
      expect(Math.abs(g - scalar.grad[i]), name).toBeLessThan(1e-9 * (Math.abs(scalar.grad[i]) + 1));
      expect(Math.abs(g - og[i]), `${name} vs oracle`).toBeLessThan(1e-6 * (Math.abs(og[i]) + 1));
    });
  }
  cm.dispose();
}

describe("exponential background through the fused kernel (expPoly order 1 in the mapped x)", () => {
  for (const exclude of [[], VETOES]) {
    for (const odd of [false, true]) {
      test(`${exclude.length ? "with vetoes" : "whole range"}, ${odd ? "odd" : "even"} event count`, async () => {
        const model = new ModelBuilder("m", [0, 10])
          .exclude(exclude)
          .parameter("nsig", 40)
          .parameter("nbkg", 3000, { lo: 0 })
          .parameter("lambda", -0.35)
          .component("sig", "crystalBall", [4.2, 0.05, 1.5, 3], "nsig")
          .component("bkg", "exponential", ["lambda"], "nbkg")
          .build("nsig");
        const [all] = generate(model, {}, 21);
        const values = (all.length % 2 === 1) === odd ? all : all.subarray(1);
        await expectAgreement(model, values, [
          [40, 3000, -0.35],
          [-4, 2950, -0.5],
          [80, 3100, 0.2],
        ]);
      });
    }
  }

  test("a steep slope on a range far from 0 (e^{λm} ≈ e^{−164}: the fused path normalises around mid)", async () => {
    const model = new ModelBuilder("m", [200, 210])
      .parameter("nsig", 30)
      .parameter("nbkg", 2000, { lo: 0 })
      .parameter("lambda", -0.8)
      .component("sig", "gaussian", [204, 0.1], "nsig")
      .component("bkg", "exponential", ["lambda"], "nbkg")
      .build("nsig");
    const [values] = generate(model, {}, 4);
    const cm = await compile(model, [{ values }]);
    for (const v of [
      [30, 2000, -0.8],
      [10, 2100, -0.7],
    ]) {
      const { fused, scalar } = bothPaths(cm, v);
      // the scalar path divides e^{λm} by ∫e^{λm}: both round at ~|λm|·ε relative; the fused path does not
      expect(relDiff(fused.nll, scalar.nll)).toBeLessThan(1e-11);
      fused.grad.forEach((g, i) => expect(Math.abs(g - scalar.grad[i])).toBeLessThan(1e-7 * (Math.abs(g) + 1)));
    }
    cm.dispose();
  });

  test("the exponential alone, λ fixed (no cached component)", async () => {
    const model = new ModelBuilder("m", [0, 10])
      .parameter("nbkg", 800, { lo: 0 })
      .component("bkg", "exponential", [-0.2], "nbkg")
      .build("nbkg");
    const [values] = generate(model, {}, 2);
    await expectAgreement(model, values, [[800], [760]]);
  });
});

describe("a Gaussian signal with a free mean and width computed in the kernel (MoreFit's model)", () => {
  const gaussModel = (bkg: "exponential" | "expPoly", exclude: [number, number][], free: ("mean" | "sigma")[]) => {
    const b = new ModelBuilder("m", [0, 10])
      .exclude(exclude)
      .parameter("nsig", 400)
      .parameter("nbkg", 3000, { lo: 0 })
      .parameter("mean", 5)
      .parameter("sigma", 0.4, { lo: 0.01 })
      .parameter("c1", -0.35)
      .parameter("c2", 0.1);
    const args = [free.includes("mean") ? "mean" : 5, free.includes("sigma") ? "sigma" : 0.4];
    b.component("sig", "gaussian", args, "nsig");
    if (bkg === "exponential") b.component("bkg", "exponential", ["c1"], "nbkg");
    else b.component("bkg", "expPoly", [0, 10, "c1", "c2"], "nbkg");
    return b.build("nsig");
  };
  const points = [
    [400, 3000, 5, 0.4, -0.35, 0.1],
    [350, 3100, 5.1, 0.5, -0.3, 0.05],
    [-20, 2900, 4.8, 0.3, -0.45, 0.2],
  ];
  for (const bkg of ["exponential", "expPoly"] as const) {
    for (const exclude of [[], VETOES]) {
      for (const odd of [false, true]) {
        test(`${bkg}, ${exclude.length ? "vetoes" : "whole range"}, ${odd ? "odd" : "even"} count`, async () => {
          const model = gaussModel(bkg, exclude, ["mean", "sigma"]);
          const [all] = generate(model, {}, 8);
          const values = (all.length % 2 === 1) === odd ? all : all.subarray(1);
          // exponential: c2 is not in the model (its gradient is 0 on both paths)
          await expectAgreement(model, values, points);
        });
      }
    }
  }

  test("only the width floats, and only the mean", async () => {
    for (const free of [["sigma"], ["mean"]] as ("mean" | "sigma")[][]) {
      const model = gaussModel("expPoly", VETOES, free);
      const [values] = generate(model, {}, 9);
      await expectAgreement(model, values, points);
    }
  });
});

/**
 * The analytic Hessian (one fused pass) against Richardson-extrapolated central differences of the
 * scalar path's analytic gradient (steps h and h/2: truncation O(h⁴)); entries compared on the
 * scale √(H_ii·H_jj).
 */
async function expectHessian(model: Model, values: Float64Array, v: number[], scale: number[], tol = 1e-9) {
  const cm = await compile(model, [{ values }]);
  const free = v.map(() => true);
  cm.values = v;
  cm.core.setFastPath(1);
  cm.setFree(free);
  const analytic = cm.hessian(scale)!;
  expect(analytic.nfcn, "one pass").toBe(1);
  cm.core.setFastPath(0);
  cm.core.setAnalyticHessian(0);
  cm.setFree(free);
  const coarse = cm.hessian(scale)!;
  const fine = cm.hessian(scale.map((h) => h / 2))!;
  expect(fine.nfcn).toBe(2 * v.length);
  cm.core.setFastPath(1);
  cm.core.setAnalyticHessian(1);
  expectHessianNear(analytic.matrix, fine.matrix, coarse.matrix, cm.names, tol);
  cm.dispose();
}

describe("the analytic Hessian of the fused models equals differences of the gradient", () => {
  const gaussExp = (exclude: [number, number][], bkg: "exponential" | "expPoly4") => {
    const b = new ModelBuilder("m", [0, 10])
      .exclude(exclude)
      .parameter("nsig", 400)
      .parameter("nbkg", 3000, { lo: 0 })
      .parameter("mean", 5)
      .parameter("sigma", 0.4, { lo: 0.01 });
    if (bkg === "exponential") b.parameter("lambda", -0.35);
    else b.parameter("c1", -1).parameter("c2", 0.3).parameter("c3", 0.1).parameter("c4", -0.05);
    b.component("sig", "gaussian", ["mean", "sigma"], "nsig");
    if (bkg === "exponential") b.component("bkg", "exponential", ["lambda"], "nbkg");
    else b.component("bkg", "expPoly", [0, 10, "c1", "c2", "c3", "c4"], "nbkg");
    return b.build("nsig");
  };
  for (const exclude of [[], VETOES]) {
    test(`Gaussian (mean, σ free) + exponential, ${exclude.length ? "vetoes" : "whole range"}, odd count`, async () => {
      const model = gaussExp(exclude, "exponential");
      const [all] = generate(model, {}, 8);
      const values = all.length % 2 === 1 ? all : all.subarray(1);
      await expectHessian(model, values, [380, 3050, 5.05, 0.42, -0.33], [1, 1, 1e-3, 1e-3, 1e-3]);
    });
    test(`Gaussian (mean, σ free) + expPoly order 4, ${exclude.length ? "vetoes" : "whole range"}`, async () => {
      const model = gaussExp(exclude, "expPoly4");
      const [values] = generate(model, {}, 12);
      await expectHessian(
        model,
        values,
        [420, 2950, 4.95, 0.38, -1.1, 0.35, 0.05, -0.02],
        [1, 1, ...Array(6).fill(1e-3)],
      );
    });
  }

  test("cached Crystal Ball with a yield μ·ε (ε lnN, constrained) + exponential", async () => {
    const model = new ModelBuilder("m", [0, 10])
      .exclude(VETOES)
      .parameter("mu", 30)
      .parameter("eff", 0.2)
      .parameter("nbkg", 2000, { lo: 0 })
      .parameter("lambda", -0.3)
      .component("sig", "crystalBall", [4.2, 0.1, 1.5, 3], {
        constant: 1.5,
        factors: [{ param: "mu" }, { param: "eff", kappa: 1.1 }],
      })
      .component("bkg", "exponential", ["lambda"], "nbkg")
      .constrain("eff", 0, 1)
      .build("mu");
    const [values] = generate(model, { eff: 0 }, 5);
    await expectHessian(model, values, [28, 0.3, 2020, -0.31], [0.1, 1e-3, 1, 1e-3]);
  });

  test("the reference model (cached Crystal Ball + expPoly order 2), and a background alone", async () => {
    const ref = new ModelBuilder("m", [0, 10])
      .parameter("nsig", 50)
      .parameter("nbkg", 10000, { lo: 0 })
      .parameter("c1", -1.2)
      .parameter("c2", 0.3)
      .component("sig", "crystalBall", [4.2, 0.05, 1.5, 3], "nsig")
      .component("bkg", "expPoly", [0, 10, "c1", "c2"], "nbkg")
      .build("nsig");
    const [values] = generate(ref, {}, 6);
    await expectHessian(ref, values, [45, 10010, -1.21, 0.31], [0.1, 1, 1e-3, 1e-3]);
    const alone = new ModelBuilder("m", [0, 10])
      .parameter("nbkg", 800, { lo: 0 })
      .parameter("lambda", -0.2)
      .component("bkg", "exponential", ["lambda"], "nbkg")
      .build("nbkg");
    const [few] = generate(alone, {}, 2);
    await expectHessian(alone, few, [790, -0.21], [1, 1e-3]);
  });
});

describe("fits with the analytic Hessian (start metric and HESSE)", () => {
  for (const name of ["bump-1e4", "nobump-1e5"] as const) {
    test(`${name}: HESSE errors equal extrapolated differences to 1e-7, the differenced HESSE to 1e-6`, async () => {
      const { cm } = await referenceModel(name);
      // a tight tolerance: HESSE runs before the Newton polish, so both must evaluate it at the minimum
      const analytic = fit(cm, { tol: 1e-6 });
      cm.core.setFastPath(0);
      cm.core.setAnalyticHessian(0);
      const differenced = fit(cm, { tol: 1e-6 });
      // at the analytic fit's minimum: central differences of the gradient, steps 1% and 0.5% of the errors
      cm.values = cm.names.map((n) => analytic.values[n]);
      cm.setFree(cm.names.map(() => true));
      const steps = cm.names.map((n) => 0.01 * analytic.errors[n]);
      const coarse = cm.hessian(steps)!.matrix;
      const fine = cm.hessian(steps.map((h) => h / 2))!.matrix;
      cm.core.setFastPath(1);
      cm.core.setAnalyticHessian(1);
      const extrapolated = new Matrix(fine.map((row, i) => row.map((x, j) => (4 * x - coarse[i][j]) / 3)));
      const cov = inverse(extrapolated);
      expect(analytic.status).toBe("converged");
      expect(differenced.status).toBe("converged");
      cm.names.forEach((n, i) => {
        expect(relDiff(analytic.errors[n], Math.sqrt(cov.get(i, i))), `error of ${n}`).toBeLessThan(1e-7);
        expect(relDiff(analytic.errors[n], differenced.errors[n]), `error of ${n}`).toBeLessThan(1e-6);
        // the two paths round differently (the general passes' vector fills and product of densities),
        // so their minima agree to the fit's precision, not bit for bit
        const shift = Math.abs(analytic.values[n] - differenced.values[n]) / analytic.errors[n];
        expect(shift, `value of ${n}`).toBeLessThan(1e-5);
      });
      expect(analytic.nfcn).toBeLessThan(differenced.nfcn);
    });
  }
});
