// The fused f64x2 kernel (assembly/fastpath.ts) against the scalar path (the reference: the same
// model with the kernel forbidden) and the pure-TS oracle, for every shape it takes, with and
// without vetoes, odd and even event counts.
import { describe, expect, test } from "vitest";
import { OracleNll } from "../src/core/oracle.js";
import { generate } from "../src/core/generate.js";
import { ModelBuilder, type Model } from "../src/model/model.js";
import type { CompiledModel } from "../src/core/compile.js";
import { compile, relDiff } from "./helpers.js";

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
