// The general f64x2 passes (assembly/general.ts: every model the fused kernel does not take) against
// the pure-TS oracle and central differences of the NLL: polynomial and Chebyshev backgrounds, ARGUS
// with its c free (now an analytic gradient), three components with a free peak, templates, event
// weights, vetoes, odd and even event counts, and the exponentials' scalar fallback.
import { describe, expect, test } from "vitest";
import { OracleNll } from "../src/core/oracle.js";
import { generate } from "../src/core/generate.js";
import { ModelBuilder, type Model } from "../src/model/model.js";
import type { CompiledModel, Dataset } from "../src/core/compile.js";
import { compile, core, expectHessianNear, relDiff } from "./helpers.js";
import { fit } from "../src/infer/fit.js";
import { Matrix, inverse } from "ml-matrix";
import * as abi from "../src/core/abi.js";
import { CompiledModel as Compiled, loadData } from "../src/core/compile.js";
import { viewF64, writeF64 } from "../src/core/wasm.js";
import { knots, panelEdges, peaks } from "../src/infer/asimov.js";

const VETOES: [number, number][] = [
  [2.0, 2.4],
  [6.1, 6.5],
];

/** Central differences of the NLL (steps h and h/2, Richardson: O(h⁴)). */
function numericGradient(cm: CompiledModel, v: number[], i: number): number {
  const h = 1e-4 * (Math.abs(v[i]) + 1e-2);
  const at = (d: number) => cm.nll(v.map((x, k) => (k === i ? x + d : x)));
  const c1 = (at(h) - at(-h)) / (2 * h);
  const c2 = (at(h / 2) - at(-h / 2)) / h;
  return (4 * c2 - c1) / 3;
}

/**
 * The model takes the general passes; NLL = oracle (1e-11), gradient = oracle (1e-6) and differences
 * of the NLL (1e-5; `differences` false where the NLL's second derivative jumps at events, which
 * Richardson's differences assume away).
 */
async function expectAgreement(
  model: Model,
  data: Dataset[],
  points: number[][],
  oracleGradient = true,
  differences = true,
) {
  const cm = await compile(model, data);
  const oracle = new OracleNll(model, data);
  for (const v of points) {
    cm.setFree(v.map(() => true));
    expect(cm.core.fusedComponent(0), "the general passes apply").toBe(-1);
    const { nll, grad } = cm.nllGrad(v);
    expect(relDiff(nll, oracle.nll(v)), `NLL vs oracle at [${v}]`).toBeLessThan(1e-11);
    expect(relDiff(cm.nll(v), nll), "NLL alone = NLL of nllGrad").toBeLessThan(1e-14);
    const og = oracle.gradient(v);
    grad.forEach((g, i) => {
      const name = `∂/∂${cm.names[i]} at [${v}]`;
      if (oracleGradient) expect(Math.abs(g - og[i]), `${name} vs oracle`).toBeLessThan(1e-6 * (Math.abs(og[i]) + 1));
      if (!differences) return;
      const num = numericGradient(cm, v, i);
      expect(Math.abs(g - num), `${name} vs differences`).toBeLessThan(1e-5 * (Math.abs(num) + 1));
    });
  }
  cm.dispose();
}

/** Events of the model (generated at its start values); the first dropped when `odd` says so. */
function eventsOf(model: Model, seed: number, odd: boolean): Float64Array {
  const [all] = generate(model, {}, seed);
  return (all.length % 2 === 1) === odd ? all : all.subarray(1);
}

const background = {
  chebyshev3: ["chebyshev", [0, 10, "b1", "b2", "b3"], [-0.3, 0.05, 0.02]],
  polynomial2: ["polynomial", [0, 10, "b1", "b2"], [-0.3, 0.05]],
  argus: ["argus", [10.5, "b1", 0.5], [-2]],
} as const;

/** CB (cached) + expPoly(4) with vetoes (the fused kernel's shape: weights send it to the general passes). */
function cbExpPoly4(): Model {
  return new ModelBuilder("m", [0, 10])
    .exclude(VETOES)
    .parameter("nsig", 60)
    .parameter("nbkg", 3000, { lo: 0 })
    .parameter("c1", -1)
    .parameter("c2", 0.3)
    .parameter("c3", 0.1)
    .parameter("c4", -0.05)
    .component("sig", "crystalBall", [4.2, 0.1, 1.5, 3], "nsig")
    .component("bkg", "expPoly", [0, 10, "c1", "c2", "c3", "c4"], "nbkg")
    .build("nsig");
}

function cbPlus(name: keyof typeof background, exclude: [number, number][]): Model {
  const [shape, args, start] = background[name];
  const mb = new ModelBuilder("m", [0, 10]).exclude(exclude).parameter("nsig", 60).parameter("nbkg", 3000, { lo: 0 });
  start.forEach((x, i) => mb.parameter(`b${i + 1}`, x));
  return mb
    .component("sig", "crystalBall", [4.2, 0.1, 1.5, 3], "nsig")
    .component("bkg", shape, [...args], "nbkg")
    .build("nsig");
}

const CB_ARGS = ["mean", "sigma", "alpha", "n"];
const DCB_ARGS = ["mean", "sigmaL", "sigmaR", "alphaL", "nL", "alphaR", "nR"];

/**
 * A Crystal Ball (`names` CB_ARGS) or double-sided one (DCB_ARGS) at `args` with its first `free`
 * arguments free (bounded below: widths 0.01, α 0.1, n 0.5), over a Chebyshev(1) background
 * (parameters nsig, the free arguments, nbkg, a1).
 */
function crystalBallModel(
  names: string[],
  args: number[],
  free: number,
  [nsig, nbkg]: number[],
  exclude: [number, number][] = [],
): Model {
  const shape = names === CB_ARGS ? "crystalBall" : "doubleCrystalBall";
  const mb = new ModelBuilder("m", [0, 10]).exclude(exclude).parameter("nsig", nsig);
  const lower = (name: string) =>
    name === "mean" ? undefined : name.startsWith("sigma") ? 0.01 : name.startsWith("alpha") ? 0.1 : 0.5;
  names.slice(0, free).forEach((name, i) => mb.parameter(name, args[i], { lo: lower(name) }));
  return mb
    .parameter("nbkg", nbkg, { lo: 0 })
    .parameter("a1", -0.2)
    .component(
      "sig",
      shape,
      names.map((name, i) => (i < free ? name : args[i])),
      "nsig",
    )
    .component("bkg", "chebyshev", [0, 10, "a1"], "nbkg")
    .build("nsig");
}

describe("one free background shape with a cached signal", () => {
  for (const name of Object.keys(background) as (keyof typeof background)[]) {
    for (const exclude of [[], VETOES]) {
      for (const odd of [false, true]) {
        const where = `${exclude.length ? "vetoes" : "whole range"}, ${odd ? "odd" : "even"} count`;
        test(`CB (cached) + ${name}, ${where}`, async () => {
          const model = cbPlus(name, exclude);
          const values = eventsOf(model, 31, odd);
          const start = model.parameters.map((p) => p.value);
          const moved = start.map((x, i) => (i < 2 ? x * 0.9 : x * 1.05 + 0.01));
          await expectAgreement(model, [{ values }], [start, moved, [-5, 3100, ...start.slice(2)]]);
        });
      }
    }
  }
});

describe("three components, peaks with free mean and width, templates, weights", () => {
  test("CB (cached) + Gaussian (mean, σ free) + Chebyshev(2): every gradient analytic in one pass", async () => {
    const model = new ModelBuilder("m", [0, 10])
      .exclude(VETOES)
      .parameter("nsig", 80)
      .parameter("npeak", 300)
      .parameter("mean", 7.2)
      .parameter("width", 0.3, { lo: 0.01 })
      .parameter("nbkg", 2500, { lo: 0 })
      .parameter("a1", -0.2)
      .parameter("a2", 0.04)
      .component("sig", "crystalBall", [4.2, 0.1, 1.5, 3], "nsig")
      .component("peak", "gaussian", ["mean", "width"], "npeak")
      .component("bkg", "chebyshev", [0, 10, "a1", "a2"], "nbkg")
      .build("nsig");
    const values = eventsOf(model, 7, true);
    await expectAgreement(
      model,
      [{ values }],
      [
        [80, 300, 7.2, 0.3, 2500, -0.2, 0.04],
        [20, 330, 7.1, 0.35, 2400, -0.25, 0.06],
      ],
    );
  });

  test("Crystal Ball with a free mean and width + template background", async () => {
    const bins = Array.from({ length: 20 }, (_, k) => 5 + 3 * Math.exp(-k / 6));
    const model = new ModelBuilder("m", [0, 10])
      .parameter("nsig", 150)
      .parameter("mean", 4.2)
      .parameter("sigma", 0.15, { lo: 0.01 })
      .parameter("nbkg", 2000, { lo: 0 })
      .component("sig", "crystalBall", ["mean", "sigma", 1.5, 3], "nsig")
      .component("bkg", "template", [0, 10, ...bins], "nbkg")
      .build("nsig");
    const values = eventsOf(model, 8, false);
    await expectAgreement(
      model,
      [{ values }],
      [
        [150, 4.2, 0.15, 2000],
        [120, 4.25, 0.17, 2100],
      ],
    );
  });

  test("a Crystal Ball's free tail (α, n) with its mean and width, over a Chebyshev background, vetoes", async () => {
    const model = crystalBallModel(CB_ARGS, [4.2, 0.15, 1.2, 3], 4, [400, 2000], VETOES);
    for (const odd of [false, true]) {
      const values = eventsOf(model, 19, odd);
      await expectAgreement(
        model,
        [{ values }],
        [
          [400, 4.2, 0.15, 1.2, 3, 2000, -0.2],
          [380, 4.22, 0.16, 0.9, 1, 2050, -0.25], // n = 1: the tail integral's logarithm
          [420, 4.18, 0.14, 2.1, 40, 1950, -0.15], // n past 16: the fill's exp-log tail (as any n not whole)
          [410, 4.19, 0.15, 1.4, 2.5, 1990, -0.18],
          [400, 4.2, 0.15, 1.2, 1e12, 2000, -0.2], // a huge n: the tail is its exponential limit (log1p)
        ],
      );
    }
  });

  test("a double-sided Crystal Ball with free mean, σ_L and σ_R, vetoes, weights: every sum in the pass", async () => {
    const model = crystalBallModel(DCB_ARGS, [4.2, 0.15, 0.25, 1.2, 3, 1.8, 1], 3, [500, 2000], VETOES);
    const points = [
      [500, 4.2, 0.15, 0.25, 2000, -0.2],
      [470, 4.25, 0.13, 0.3, 2050, -0.25],
    ];
    // its second derivative in μ jumps where σ_L meets σ_R, at every event the difference steps cross:
    // the oracle's per-event derivatives are the reference
    for (const odd of [false, true]) {
      const values = eventsOf(model, 21, odd);
      await expectAgreement(model, [{ values }], points, true, false);
      const weights = Float64Array.from(values, (_, i) => (i % 5 === 0 ? 0.4 : 1.2));
      await expectAgreement(model, [{ values, weights }], points, true, false);
    }
  });

  test("a double-sided Crystal Ball with every argument free (both tails' α and n), n = 1 included", async () => {
    const model = crystalBallModel(DCB_ARGS, [4.2, 0.15, 0.2, 1.1, 3, 1.6, 2], 7, [800, 2000], VETOES);
    const points = [
      [800, 4.2, 0.15, 0.2, 1.1, 3, 1.6, 2, 2000, -0.2],
      [780, 4.22, 0.14, 0.22, 0.9, 1, 2.1, 40, 2050, -0.25],
    ];
    for (const odd of [false, true]) {
      await expectAgreement(model, [{ values: eventsOf(model, 22, odd) }], points, true, false);
    }
  });

  test("weighted events (negative weights and weight 0 included): vector log, r = w/d", async () => {
    const expPoly4 = cbExpPoly4();
    for (const [model, odd] of [
      [cbPlus("chebyshev3", VETOES), false],
      [cbPlus("chebyshev3", VETOES), true],
      [expPoly4, true],
    ] as const) {
      const values = eventsOf(model, 12, odd);
      const weights = Float64Array.from(values, (_, i) => (i % 7 === 0 ? -0.5 : i % 11 === 0 ? 0 : 1 + 0.3 * (i % 3)));
      const start = model.parameters.map((p) => p.value);
      await expectAgreement(model, [{ values, weights }], [start, start.map((x) => x * 1.03)]);
    }
  });

  test("an exponential whose λm leaves ±700 takes the scalar fill: same NLL as the oracle", async () => {
    // λm from −700.4 to −707.2: past the vector exp's exact range, still normal doubles
    const model = new ModelBuilder("m", [206, 208])
      .parameter("nbkg", 500, { lo: 0 })
      .parameter("nother", 200, { lo: 0 })
      .parameter("lambda", -3.4)
      .parameter("a1", 0.1)
      .component("bkg", "exponential", ["lambda"], "nbkg")
      .component("other", "polynomial", [206, 208, "a1"], "nother")
      .build("nbkg");
    const values = eventsOf(model, 3, true);
    // (the oracle's gradient underflows to NaN at e^{−700}: the differences check it)
    const points = [
      [500, 200, -3.4, 0.1],
      [480, 210, -3.39, 0.12],
    ];
    await expectAgreement(model, [{ values }], points, false);
  });

  test("a density ≤ 0 at an event gives +∞ (a negative signal deeper than the background)", async () => {
    const model = cbPlus("polynomial2", []);
    const values = eventsOf(model, 5, true);
    const cm = await compile(model, [{ values }]);
    cm.setFree([true, true, true, true]);
    expect(cm.nll([-3000, 100, -0.3, 0.05])).toBe(Infinity);
    expect(cm.nllGrad([-3000, 100, -0.3, 0.05]).nll).toBe(Infinity);
    cm.dispose();
  });
});

describe("ARGUS keeps its prefactor m·u^p per event", () => {
  const argus = (p: number) =>
    new ModelBuilder("m", [5, 10.4])
      .parameter("nsig", 60)
      .parameter("nbkg", 3000, { lo: 0 })
      .parameter("c", -3)
      .component("sig", "crystalBall", [8.2, 0.1, 1.5, 3], "nsig")
      .component("bkg", "argus", [10.5, "c", p], "nbkg")
      .build("nsig");

  test("any p (here 1 and 2.5), with vetoes: NLL and gradient = oracle and differences", async () => {
    for (const p of [1, 2.5]) {
      const model = argus(p);
      const values = eventsOf(model, 16, true);
      await expectAgreement(
        model,
        [{ values }],
        [
          [60, 3000, -3],
          [40, 3100, -2.5],
        ],
      );
    }
  });

  test("new toy events in the same buffers: the prefactor is recomputed (NLL = oracle on each toy)", async () => {
    const model = argus(0.5);
    const c = await core();
    const cap = 6000;
    const loaded = loadData(c, [{ values: new Float64Array(cap).fill(7) }]);
    const cm = new Compiled(c, model, loaded);
    const edges = panelEdges([5, 10.4], peaks(model, 0), 400, 4, [], knots(model, 0));
    const work = writeF64(c, new Float64Array(abi.GRID_WORK_PER_CELL * edges.length));
    c.setToyGrid(0, writeF64(c, edges), edges.length, work, cap);
    const genPtr = writeF64(c, [60, 3000, -3]);
    const v = [55, 2950, -2.8];
    for (let toy = 0; toy < 3; toy++) {
      const buf = viewF64(c, loaded.ptrs[0].data, cap);
      buf.fill(Number.NaN);
      cm.activate();
      c.generateOnly(genPtr, 1, 3000 + toy, 7);
      const events = viewF64(c, loaded.ptrs[0].data, cap);
      const n = events.findIndex((x) => Number.isNaN(x));
      const values = Float64Array.from(events.subarray(0, n < 0 ? cap : n));
      cm.setFree([true, true, true]);
      const oracle = new OracleNll(model, [{ values }]);
      expect(relDiff(cm.nll(v), oracle.nll(v)), `toy ${toy}`).toBeLessThan(1e-11);
    }
    cm.dispose();
  });
});

describe("fits on the general passes", () => {
  test("CB (cached) + ARGUS (c free, analytic gradient): at the fit's minimum the oracle's gradient is 0", async () => {
    const model = cbPlus("argus", []);
    const values = eventsOf(model, 9, false);
    const cm = await compile(model, [{ values }]);
    const r = fit(cm, { start: { nsig: 50, nbkg: 2900, b1: -1.8 } });
    expect(r.status).toBe("converged");
    const v = cm.names.map((n) => r.values[n]);
    // the NLL's slope along each parameter, in units of its error: ≪ 1 at a true minimum
    const oracle = new OracleNll(model, [{ values }]);
    oracle.gradient(v).forEach((g, i) => expect(Math.abs(g * r.errors[cm.names[i]])).toBeLessThan(1e-3));
    // HESSE's errors = the inverse of the extrapolated differences of the analytic gradient
    cm.values = v;
    cm.setFree(cm.names.map(() => true));
    const steps = cm.names.map((n) => 0.01 * r.errors[n]);
    const coarse = cm.hessian(steps)!.matrix;
    const fine = cm.hessian(steps.map((h) => h / 2))!.matrix;
    const cov = inverse(new Matrix(fine.map((row, i) => row.map((x, j) => (4 * x - coarse[i][j]) / 3))));
    cm.names.forEach((n, i) => expect(relDiff(r.errors[n], Math.sqrt(cov.get(i, i))), n).toBeLessThan(1e-4));
    cm.dispose();
  });
});

/**
 * The general passes' analytic Hessian (one pass) against Richardson-extrapolated central differences
 * of the analytic gradient (steps h and h/2), entries on the scale √(H_ii·H_jj); and its gradient and
 * NLL against nllGrad's.
 */
async function expectHessian(model: Model, data: Dataset[], v: number[], steps: number[], tol = 1e-7) {
  const cm = await compile(model, data);
  cm.values = v;
  cm.setFree(v.map(() => true));
  expect(cm.core.fusedComponent(0), "the general passes apply").toBe(-1);
  const analytic = cm.hessian(steps)!;
  expect(analytic.nfcn, "one pass").toBe(1);
  const ref = cm.nllGrad(v);
  expect(relDiff(analytic.at!.nll, ref.nll)).toBeLessThan(1e-13);
  ref.grad.forEach((g, i) => expect(Math.abs(analytic.at!.grad[i] - g)).toBeLessThan(1e-9 * (Math.abs(g) + 1)));
  cm.core.setAnalyticHessian(0);
  const coarse = cm.hessian(steps)!;
  const fine = cm.hessian(steps.map((h) => h / 2))!;
  cm.core.setAnalyticHessian(1);
  expect(fine.nfcn).toBe(2 * v.length);
  expectHessianNear(analytic.matrix, fine.matrix, coarse.matrix, cm.names, tol);
  cm.dispose();
}

describe("the general passes' analytic Hessian equals differences of the gradient", () => {
  const shapeSteps = [0.5, 5, 1e-3, 1e-3, 1e-3];
  for (const name of Object.keys(background) as (keyof typeof background)[]) {
    for (const exclude of [[], VETOES]) {
      test(`CB (cached) + ${name}, ${exclude.length ? "vetoes" : "whole range"}, odd count`, async () => {
        const model = cbPlus(name, exclude);
        const values = eventsOf(model, 41, true);
        const v = model.parameters.map((p) => p.value * 1.02);
        await expectHessian(model, [{ values }], v, shapeSteps.slice(0, v.length));
      });
    }
  }

  test("weighted expPoly(4) + CB, and three components (exponential λ, polynomial, cached CB)", async () => {
    const expPoly4 = cbExpPoly4();
    const values = eventsOf(expPoly4, 13, true);
    const weights = Float64Array.from(values, (_, i) => (i % 5 === 0 ? 0.5 : 1.2));
    const v = expPoly4.parameters.map((p) => p.value);
    await expectHessian(expPoly4, [{ values, weights }], v, [0.5, 5, 1e-3, 1e-3, 1e-3, 1e-3]);
    const three = new ModelBuilder("m", [1, 9])
      .parameter("nsig", 40)
      .parameter("nexp", 1500, { lo: 0 })
      .parameter("lambda", -0.4)
      .parameter("npol", 800, { lo: 0 })
      .parameter("a1", 0.2)
      .parameter("a2", -0.1)
      .component("sig", "crystalBall", [4.2, 0.1, 1.5, 3], "nsig")
      .component("exp", "exponential", ["lambda"], "nexp")
      .component("pol", "polynomial", [1, 9, "a1", "a2"], "npol")
      .build("nsig");
    const events = eventsOf(three, 14, false);
    await expectHessian(
      three,
      [{ values: events }],
      [45, 1450, -0.38, 820, 0.21, -0.09],
      [0.5, 5, 1e-3, 5, 1e-3, 1e-3],
    );
  });

  test("a yield μ·ε with a constrained log-normal ε over a Chebyshev background", async () => {
    const model = new ModelBuilder("m", [0, 10])
      .parameter("mu", 30)
      .parameter("eps", 0)
      .parameter("nbkg", 2000, { lo: 0 })
      .parameter("a1", -0.2)
      .component("sig", "crystalBall", [4.2, 0.1, 1.5, 3], {
        constant: 1.5,
        factors: [{ param: "mu" }, { param: "eps", kappa: 1.1 }],
      })
      .component("bkg", "chebyshev", [0, 10, "a1"], "nbkg")
      .constrain("eps", 0, 1)
      .build("mu");
    const values = eventsOf(model, 15, true);
    await expectHessian(model, [{ values }], [32, 0.3, 1990, -0.21], [0.5, 0.01, 5, 1e-3]);
  });
});

describe("the general Hessian of a free peak (mean, width) equals differences of the gradient", () => {
  /** A peak with mean and σ free over a Chebyshev(1) background; vetoes and a weight rule optional. */
  function peakModel(shape: "gaussian" | "crystalBall", exclude: [number, number][], free = ["mean", "sigma"]) {
    const mb = new ModelBuilder("m", [0, 10]).exclude(exclude).parameter("nsig", 400);
    if (free.includes("mean")) mb.parameter("mean", 4.2);
    if (free.includes("sigma")) mb.parameter("sigma", 0.15, { lo: 0.01 });
    const mean = free.includes("mean") ? "mean" : 4.2;
    const sigma = free.includes("sigma") ? "sigma" : 0.15;
    const args = shape === "gaussian" ? [mean, sigma] : [mean, sigma, 1.2, 2.5];
    return mb
      .parameter("nbkg", 2000, { lo: 0 })
      .parameter("a1", -0.2)
      .component("sig", shape, args, "nsig")
      .component("bkg", "chebyshev", [0, 10, "a1"], "nbkg")
      .build("nsig");
  }
  // a veto next to the peak (t from 1 to 2.5): the normalisation's boundary terms count. Steps in μ and
  // σ of 1e-5: the Crystal Ball's ∂²ln g jumps where the tail meets the core, and the differences are
  // only as good as the few events a step carries across that seam
  const NEAR: [number, number][] = [
    [2.0, 2.4],
    [4.35, 4.575],
  ];
  for (const shape of ["gaussian", "crystalBall"] as const) {
    for (const exclude of [[], NEAR]) {
      const where = exclude.length ? "a veto by the peak" : "whole range";
      test(`${shape} (mean, σ free) + Chebyshev(1), ${where}`, async () => {
        const model = peakModel(shape, exclude);
        const values = eventsOf(model, 43, true);
        await expectHessian(model, [{ values }], [410, 4.21, 0.155, 1990, -0.21], [0.5, 1e-5, 1e-5, 5, 1e-3]);
      });
    }
  }

  test("the Crystal Ball's tail reaching the range's low bound (its boundary terms from the tail)", async () => {
    const model = new ModelBuilder("m", [0, 10])
      .parameter("nsig", 600)
      .parameter("mean", 0.5)
      .parameter("sigma", 0.2, { lo: 0.01 })
      .parameter("nbkg", 1500, { lo: 0 })
      .component("sig", "crystalBall", ["mean", "sigma", 0.8, 1.5], "nsig")
      .component("bkg", "exponential", [-0.2], "nbkg")
      .build("nsig");
    const values = eventsOf(model, 44, false);
    await expectHessian(model, [{ values }], [590, 0.51, 0.21, 1510], [0.5, 1e-5, 1e-5, 5]);
  });

  test("a double-sided Crystal Ball (mean, σ_L, σ_R free): whole range, a veto by the peak, weights", async () => {
    for (const exclude of [[], NEAR]) {
      const model = crystalBallModel(DCB_ARGS, [4.2, 0.15, 0.2, 1.2, 3, 1.5, 1.5], 3, [500, 2000], exclude);
      const values = eventsOf(model, 47, exclude.length > 0);
      const v = [505, 4.21, 0.155, 0.19, 1990, -0.21];
      const steps = [0.5, 1e-5, 1e-5, 1e-5, 5, 1e-3];
      await expectHessian(model, [{ values }], v, steps);
      const weights = Float64Array.from(values, (_, i) => (i % 4 === 0 ? 0.6 : 1.3));
      await expectHessian(model, [{ values, weights }], v, steps);
    }
  });

  /**
   * The events without those within 0.05σ of a seam at any of the points (the mean, where σ_L meets
   * σ_R, and where a tail meets its core): ∂²ln g jumps there, and an event a difference step carries
   * across a seam spoils the differences (by 1e-4 of the entry and more). So the steps can be large
   * enough for differences in a tail's α and n not to be lost to rounding: 1e-3 in μ and σ (a seam
   * moves by less than 0.05σ), 1e-3 of α and n. Even so, an n moves these NLLs so little (H_nn from
   * 1e-3 to 2) that the differences of its gradient are good to a few 1e-6 of H_nn only (steps of
   * 1e-3 and 3e-3 of n disagree by that much): the tails are held to 1e-5 of √(H_ii·H_jj) (a wrong
   * term is off by 1e-3 or more).
   */
  function offSeams(events: Float64Array, seams: (v: number[]) => number[], points: number[][]): Float64Array {
    return events.filter((m) => points.every((v) => seams(v).every((x) => Math.abs(m - x) > 0.05 * v[2])));
  }
  const tailSteps = (v: number[], tails: number[]) =>
    v.map((x, i) => (i === 0 ? 0.5 : tails.includes(i) ? 1e-3 * x : i === v.length - 2 ? 5 : 1e-3));

  test("free tails: a Crystal Ball's (μ, σ, α, n) and a double-sided one's (all seven), n = 1 and 40", async () => {
    const cb = crystalBallModel(CB_ARGS, [4.2, 0.15, 1.1, 3], 4, [800, 2000], NEAR);
    const cbPoints = [
      [790, 4.21, 0.155, 1.12, 2.9, 1990, -0.21],
      [810, 4.19, 0.145, 0.9, 1, 2010, -0.19],
      [800, 4.2, 0.15, 1.3, 40, 2000, -0.2],
    ];
    const cbEvents = offSeams(eventsOf(cb, 48, true), (v) => [v[1] - v[3] * v[2]], cbPoints);
    for (const v of cbPoints) await expectHessian(cb, [{ values: cbEvents }], v, tailSteps(v, [3, 4]), 1e-5);
    const dcb = crystalBallModel(DCB_ARGS, [4.2, 0.15, 0.2, 0.9, 1.5, 1.1, 1.3], 7, [5000, 1000]);
    const v = [4990, 4.21, 0.155, 0.19, 0.92, 1.55, 1.08, 1.35, 1010, -0.21];
    const seams = (u: number[]) => [u[1], u[1] - u[4] * u[2], u[1] + u[6] * u[3]];
    const dcbEvents = offSeams(eventsOf(dcb, 49, false), seams, [v]);
    const weights = Float64Array.from(dcbEvents, (_, i) => (i % 4 === 0 ? 0.6 : 1.3));
    const steps = tailSteps(v, [4, 5, 6, 7]);
    await expectHessian(dcb, [{ values: dcbEvents }], v, steps, 1e-5);
    await expectHessian(dcb, [{ values: dcbEvents, weights }], v, steps, 1e-5);
  });

  test("two free peaks in one sample (a Crystal Ball and a Gaussian, each μ and σ) over a Chebyshev(1)", async () => {
    const model = new ModelBuilder("m", [0, 10])
      .parameter("nsig", 400)
      .parameter("mean", 4.2)
      .parameter("sigma", 0.15, { lo: 0.01 })
      .parameter("npeak", 300, { lo: 0 })
      .parameter("mean2", 7.1)
      .parameter("sigma2", 0.3, { lo: 0.01 })
      .parameter("nbkg", 2000, { lo: 0 })
      .parameter("a1", -0.2)
      .component("sig", "crystalBall", ["mean", "sigma", 1.2, 2.5], "nsig")
      .component("peak", "gaussian", ["mean2", "sigma2"], "npeak")
      .component("bkg", "chebyshev", [0, 10, "a1"], "nbkg")
      .build("nsig");
    const values = eventsOf(model, 50, true);
    const v = [410, 4.21, 0.155, 310, 7.12, 0.29, 1990, -0.21];
    await expectHessian(model, [{ values }], v, [0.5, 1e-5, 1e-5, 0.5, 1e-5, 1e-5, 5, 1e-3]);
  });

  test("only the mean free, only σ free; weighted events with a Gaussian of free mean and σ", async () => {
    for (const free of [["mean"], ["sigma"]]) {
      const model = peakModel("crystalBall", NEAR, free);
      const values = eventsOf(model, 45, true);
      const v = [405, free[0] === "mean" ? 4.19 : 0.16, 1995, -0.19];
      await expectHessian(model, [{ values }], v, [0.5, 1e-5, 5, 1e-3]);
    }
    const model = peakModel("gaussian", NEAR);
    const values = eventsOf(model, 46, false);
    const weights = Float64Array.from(values, (_, i) => (i % 4 === 0 ? 0.6 : 1.3));
    await expectHessian(model, [{ values, weights }], [410, 4.21, 0.155, 1990, -0.21], [0.5, 1e-3, 1e-3, 5, 1e-3]);
  });
});

describe("the general Hessian over samples", () => {
  test("two samples sharing the signal strength, one weighted (its NLL scaled by Σw/Σw²)", async () => {
    const model = new ModelBuilder("m", [0, 10])
      .parameter("mu", 40)
      .parameter("nbkg_a", 2000, { lo: 0 })
      .parameter("a1", -0.2)
      .parameter("nbkg_b", 1200, { lo: 0 })
      .parameter("lambda", -0.3)
      .sample("a", [0, 10])
      .component("sig", "crystalBall", [4.2, 0.1, 1.5, 3], { constant: 1.5, factors: [{ param: "mu" }] })
      .component("bkg", "chebyshev", [0, 10, "a1"], "nbkg_a")
      .sample("b", [1, 9])
      .component("sig", "gaussian", [4.2, 0.12], { constant: 0.8, factors: [{ param: "mu" }] })
      .component("bkg", "exponential", ["lambda"], "nbkg_b")
      .build("mu");
    const [a, b] = generate(model, {}, 17);
    const weights = Float64Array.from(b, (_, i) => (i % 3 === 0 ? 0.7 : 1.1));
    await expectHessian(
      model,
      [{ values: a }, { values: b, weights }],
      [42, 1990, -0.21, 1210, -0.31],
      [0.5, 5, 1e-3, 5, 1e-3],
    );
  });
});
