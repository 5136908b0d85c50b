// Vetoes (a sample's range less open intervals) and factors on shape arguments (nuisances on
// shape fields) in the core: normalisations over the allowed pieces against adaptive integration,
// the NLL and its gradient against the oracle and central differences on every path, densities
// and bin yields, the core's toys and generate() outside the vetoes with the right counts, the
// Asimov grid, and background-only fits beside a veto.
import { describe, expect, test } from "vitest";
import * as abi from "../src/core/abi.js";
import { CompiledModel, loadData, type Dataset } from "../src/core/compile.js";
import { generate } from "../src/core/generate.js";
import { kindOf, OracleNll, shapeIntegral } from "../src/core/oracle.js";
import { adaptiveIntegral } from "../src/core/quadrature.js";
import { viewF64, writeF64 } from "../src/core/wasm.js";
import { asimovData, panelEdges, peaks } from "../src/infer/asimov.js";
import { fit } from "../src/infer/fit.js";
import { ToyRunner } from "../src/infer/toy-runner.js";
import { allowedPieces, checkModel, isExcluded, type Model, ModelBuilder } from "../src/model/model.js";
import type { ShapeName } from "../src/model/shapes.js";
import { compile, core, corePdf, relDiff } from "./helpers.js";

const RANGE: [number, number] = [0, 10.2];
const ONE: [number, number][] = [[3.0, 3.2]];
const SEVERAL: [number, number][] = [
  [1.0, 1.4],
  [3.0, 3.2],
  [3.6, 3.75],
  [8.0, 8.5],
];

/** Every shape, peaks next to (3.25) and inside (3.18, 3.1) the veto [3.0, 3.2]. */
const SHAPES_CASES: [ShapeName, number[]][] = [
  ["uniform", []],
  ["gaussian", [3.18, 0.05]],
  ["gaussian", [3.25, 0.1]],
  ["crystalBall", [3.25, 0.05, 1.5, 3]],
  ["crystalBall", [3.1, 0.1, 0.8, 1.0001]],
  ["doubleCrystalBall", [3.25, 0.05, 0.08, 1.5, 3, 2, 5]],
  ["doubleCrystalBall", [3.19, 0.1, 0.1, 1, 1, 0.7, 1]],
  ["exponential", [-0.8]],
  ["exponential", [0.3]],
  ["chebyshev", [0, 10.2, -0.3, 0.1, 0.05]],
  ["polynomial", [0, 10.2, 0.5, 0.2]],
  ["expPoly", [0, 10.2, -1.2, 0.3]],
  ["expPoly", [0, 10.2, 3, -2, 0.5, -0.3]],
  ["argus", [10.58, -20, 0.5]],
  ["argus", [9.8, -1, 0.2]],
];

/** A one-component model of a shape with constant arguments over RANGE less `exclude`. */
function single(shape: ShapeName, args: number[], exclude: [number, number][]): Model {
  return new ModelBuilder("m", RANGE)
    .exclude(exclude)
    .parameter("n", 100, { lo: 0 })
    .component("c", shape, args, "n")
    .build("n");
}

describe("normalisation over the range less the vetoes", () => {
  for (const [shape, args] of SHAPES_CASES) {
    test(`${shape}(${args.join(", ")}): one veto and four vetoes equal adaptive integration (1e-9)`, async () => {
      for (const holes of [ONE, SEVERAL]) {
        const cm = await compile(single(shape, args, holes), [{ values: new Float64Array([0.5, 5, 9.5]) }]);
        const [norm] = cm.normalisations(0);
        // the oracle integrates each allowed piece by adaptive Gauss–Kronrod (breakpoints at peaks)
        const want = shapeIntegral(shape, args, RANGE[0], RANGE[1], 1e-13, holes);
        expect(relDiff(norm, want), `${holes.length} vetoes`).toBeLessThan(1e-9);
        // and directly, piece by piece, without the oracle's breakpoints
        const g = (m: number) => cm.density(0, [m])[0];
        const direct = allowedPieces(RANGE, holes).reduce((s, [a, b]) => s + adaptiveIntegral(g, a, b, 1e-12), 0);
        expect(relDiff(direct, 100), `∫ density over the allowed pieces = yield`).toBeLessThan(1e-9);
        cm.dispose();
      }
    });
  }

  test("without vetoes the normalisation is the closed form over the range, as before", async () => {
    for (const [shape, args] of SHAPES_CASES) {
      const cm = await compile(single(shape, args, []), [{ values: new Float64Array([3]) }]);
      const pdf = await corePdf(kindOf(shape), args);
      expect(cm.normalisations(0)[0]).toBe(pdf.integral(RANGE[0], RANGE[1]));
      cm.dispose();
    }
  });
});

describe("density and bin yields with vetoes", () => {
  test("the density is 0 inside a veto; a bin inside one expects 0 events; bins sum to the yields", async () => {
    const model = new ModelBuilder("m", RANGE)
      .exclude(SEVERAL)
      .parameter("nsig", 40)
      .parameter("nbkg", 1000, { lo: 0 })
      .parameter("c1", -0.5)
      .component("sig", "crystalBall", [3.25, 0.05, 1.5, 3], "nsig")
      .component("bkg", "expPoly", [0, 10.2, "c1"], "nbkg")
      .build("nsig");
    const cm = await compile(model, [{ values: new Float64Array([0.5, 3.3, 9]) }]);
    const d = cm.density(0, [1.2, 3.1, 3.7, 8.2, 3.0, 3.2, 3.25]);
    expect(Array.from(d.subarray(0, 4))).toEqual([0, 0, 0, 0]);
    expect(d[4]).toBeGreaterThan(0); // the vetoes' ends are allowed
    expect(d[5]).toBeGreaterThan(0);
    const edges = [0, 1, 1.1, 1.3, 2, 3.05, 3.15, 3.3, 3.65, 3.7, 5, 8.2, 10.2];
    const bins = cm.binYields(0, edges);
    // bins inside vetoes: [1, 1.1] and [1.1, 1.3] in (1.0, 1.4), [3.05, 3.15], [3.65, 3.7]
    expect([bins[1], bins[2], bins[5], bins[8]]).toEqual([0, 0, 0, 0]);
    edges.slice(1).forEach((hi, i) => {
      const pieces = allowedPieces(
        [edges[i], hi],
        SEVERAL.filter(([a, b]) => a < hi && b > edges[i]),
      );
      const want = pieces.reduce(
        (s, [a, b]) => s + (b > a ? adaptiveIntegral((m) => cm.density(0, [m])[0], a, b, 1e-12) : 0),
        0,
      );
      if (want === 0) expect(bins[i]).toBe(0);
      else expect(relDiff(bins[i], want), `bin ${i}`).toBeLessThan(1e-9);
    });
    expect(
      relDiff(
        Array.from(bins).reduce((a, b) => a + b, 0),
        1040,
      ),
    ).toBeLessThan(1e-12);
  });

  test("events inside a veto are refused; models with malformed vetoes too (one-line messages)", async () => {
    const c = await core();
    const model = single("uniform", [], ONE);
    expect(() => new CompiledModel(c, model, loadData(c, [{ values: new Float64Array([1, 3.1]) }]))).toThrow(
      /event 1 \(3.1\) lies inside the excluded interval \(3, 3.2\)/,
    );
    const bad = (holes: [number, number][]) => () =>
      checkModel({ ...model, samples: [{ ...model.samples[0], exclude: holes }] });
    expect(bad([[3.2, 3.0]])).toThrow(/must have a < b/);
    expect(bad([[-1, 3.0]])).toThrow(/strictly inside the range \[0, 10.2\]/);
    expect(bad([[9, 10.2]])).toThrow(/strictly inside/);
    expect(
      bad([
        [3, 4],
        [3.5, 5],
      ]),
    ).toThrow(/sorted and disjoint/);
    expect(
      bad([
        [5, 6],
        [3, 4],
      ]),
    ).toThrow(/sorted and disjoint/);
    expect(() =>
      new ModelBuilder("m", RANGE)
        .sample("a", RANGE, [[2, 1]])
        .parameter("n", 1)
        .component("c", "uniform", [], "n")
        .build("n"),
    ).toThrow(/a < b/);
  });
});

/**
 * The core's NLL and gradient at each point against the oracle (NLL to 1e-11 relative; gradient to
 * 1e-6·(|g| + 1) against the oracle's, its formula with the shapes differentiated numerically: they
 * agree to 1.3e-7) and against central differences of the core's own NLL (steps 1e-5·(|x| + 1);
 * 2e-5·(|g| + 1) + 1e-4·|g|).
 */
function expectNllAndGradient(cm: CompiledModel, oracle: OracleNll, points: number[][]): void {
  for (const v of points) {
    const { nll, grad } = cm.nllGrad(v);
    expect(relDiff(nll, oracle.nll(v)), `NLL at [${v}]`).toBeLessThan(1e-11);
    const og = oracle.gradient(v);
    v.forEach((x, i) => {
      const name = `∂/∂${cm.names[i]} at [${v}]`;
      expect(Math.abs(grad[i] - og[i]), `${name}: core ${grad[i]}, oracle ${og[i]}`).toBeLessThan(
        1e-6 * (Math.abs(og[i]) + 1),
      );
      const h = 1e-5 * (Math.abs(x) + 1);
      const up = [...v],
        dn = [...v];
      up[i] += h;
      dn[i] -= h;
      const fd = (cm.nll(up) - cm.nll(dn)) / (2 * h);
      expect(Math.abs(grad[i] - fd), `${name}: core ${grad[i]}, differences ${fd}`).toBeLessThan(
        2e-5 * (Math.abs(fd) + 1) + 1e-4 * Math.abs(fd),
      );
    });
  }
}

/** Data generated from `model` at `truth` (no event inside a veto), optionally weighted. */
function dataOf(model: Model, truth: Record<string, number>, seed: number, weighted = false): Dataset[] {
  return generate(model, truth, seed).map((values, k) => ({
    values,
    weights: weighted ? values.map((_, j) => 0.5 + ((j + k) % 3) * 0.5) : undefined,
  }));
}

describe("NLL and gradient with vetoes against the oracle", () => {
  /** Two samples with vetoes: a peak beside a veto, a free width, every background family. */
  const vetoed = () =>
    new ModelBuilder("m", RANGE)
      .parameter("mu", 40)
      .parameter("nbkg_a", 2000, { lo: 0 })
      .parameter("c1", -0.8)
      .parameter("c2", 0.2)
      .parameter("nbkg_b", 800, { lo: 0 })
      .parameter("lambda", -0.3)
      .parameter("a1", 0.1)
      .parameter("width", 0.12)
      .parameter("mean", 4.6)
      .sample("a", RANGE, SEVERAL)
      .component("sig", "crystalBall", [3.3, 0.05, 1.5, 3], "mu")
      .component("bkg", "expPoly", [0, 10.2, "c1", "c2"], "nbkg_a")
      .sample("b", [1, 9], [[4.0, 4.5]])
      .component("sig", "gaussian", ["mean", "width"], { constant: 0.8, factors: [{ param: "mu" }] })
      .component("bkg", "exponential", ["lambda"], "nbkg_b")
      .component("flat", "chebyshev", [1, 9, "a1"], 100)
      .build("mu");
  const truth = { mu: 40, nbkg_a: 2000, c1: -0.8, c2: 0.2, nbkg_b: 800, lambda: -0.3, a1: 0.1, width: 0.12, mean: 4.6 };
  const points = [
    [40, 2000, -0.8, 0.2, 800, -0.3, 0.1, 0.12, 4.6],
    [-5, 2100, -1.1, 0.35, 760, -0.25, -0.05, 0.2, 4.55],
  ];

  for (const weighted of [false, true]) {
    test(`two samples with vetoes (${weighted ? "weighted" : "unweighted"})`, async () => {
      const model = vetoed();
      const data = dataOf(model, truth, 11, weighted);
      for (const [k, d] of data.entries())
        expect(d.values.some((x) => isExcluded(model.samples[k].exclude, x))).toBe(false);
      expectNllAndGradient(await compile(model, data), new OracleNll(model, data), points);
    });
  }

  test("the fused kernel (signal cached, expPoly free) with vetoes equals the scalar path and the oracle", async () => {
    const model = new ModelBuilder("m", RANGE)
      .exclude(SEVERAL)
      .parameter("nsig", 30)
      .parameter("nbkg", 5001, { lo: 0 })
      .parameter("c1", -1)
      .parameter("c2", 0.3)
      .parameter("c3", 0.1)
      .parameter("c4", -0.05)
      .component("sig", "crystalBall", [3.25, 0.05, 1.5, 3], "nsig")
      .component("bkg", "expPoly", [0, 10.2, "c1", "c2", "c3", "c4"], "nbkg")
      .build("nsig");
    const [values] = generate(model, {}, 5);
    const fast = await compile(model, [{ values }]);
    const slow = await compile(model, [{ values, weights: new Float64Array(values.length).fill(1) }]);
    const pts = [
      [30, 5001, -1, 0.3, 0.1, -0.05],
      [-3, 4900, -1.3, 0.2, 0, 0.1],
    ];
    for (const v of pts) {
      const a = fast.nllGrad(v),
        b = slow.nllGrad(v);
      expect(relDiff(a.nll, b.nll)).toBeLessThan(1e-13);
      a.grad.forEach((g, i) => expect(Math.abs(g - b.grad[i])).toBeLessThan(1e-9 * (Math.abs(b.grad[i]) + 1)));
    }
    expectNllAndGradient(fast, new OracleNll(model, [{ values }]), pts);
  });
});

describe("factors on shape arguments and yields", () => {
  /**
   * A Gaussian signal with σ × (1 + 0.1·res) and yield × (1 + 0.05·eff), a Crystal Ball with
   * σ × 1.2^scale, a double-sided one with its mean and both widths scaled (a free base times a
   * gauss factor; a constant times two factors), an expPoly background; one veto.
   */
  const factored = () =>
    new ModelBuilder("m", RANGE)
      .exclude([[6.0, 6.3]])
      .parameter("nsig", 60)
      .parameter("nbkg", 3000, { lo: 0 })
      .parameter("c1", -0.6)
      .parameter("res", 0)
      .parameter("scale", 0)
      .parameter("eff", 0)
      .parameter("w", 0.06, { lo: 0 })
      .parameter("shift", 0)
      .component("g", "gaussian", [2.5, { base: 0.05, factors: [{ param: "res", gauss: 0.1 }] }], {
        constant: 1,
        factors: [{ param: "nsig" }, { param: "eff", gauss: 0.05 }],
      })
      .component("cb", "crystalBall", [4.2, { base: 0.05, factors: [{ param: "scale", kappa: 1.2 }] }, 1.5, 3], 50)
      .component(
        "dcb",
        "doubleCrystalBall",
        [
          { base: 6.4, factors: [{ param: "shift", gauss: 0.002 }] },
          { base: "w", factors: [{ param: "res", gauss: 0.1 }] },
          {
            base: 0.08,
            factors: [
              { param: "res", gauss: 0.1 },
              { param: "scale", kappa: 1.2 },
            ],
          },
          1.5,
          3,
          2,
          5,
        ],
        40,
      )
      .component("bkg", "expPoly", [0, 10.2, "c1"], "nbkg")
      .constrain("res", 0, 1)
      .constrain("scale", 0, 1)
      .constrain("eff", 0, 1)
      .constrain("shift", 0, 1)
      .build("nsig");
  const truth = { nsig: 60, nbkg: 3000, c1: -0.6, res: 0, scale: 0, eff: 0, w: 0.06, shift: 0 };
  const points = [
    [60, 3000, -0.6, 0, 0, 0, 0.06, 0],
    [45, 3050, -0.55, 1.3, -0.8, 0.7, 0.07, -1.1],
    [70, 2950, -0.65, -2.2, 1.5, -1.4, 0.05, 0.9],
  ];

  for (const weighted of [false, true]) {
    test(`gauss and lnN factors on σ (Gaussian, Crystal Ball, double-sided), a mean, a yield (${
      weighted ? "weighted" : "unweighted"
    })`, async () => {
      const model = factored();
      const data = dataOf(model, truth, 21, weighted);
      expectNllAndGradient(await compile(model, data), new OracleNll(model, data), points);
    });
  }

  test("a gauss factor at 1 + r·θ ≤ 0 gives NLL +∞ (never NaN), on an argument as on a yield", async () => {
    const model = factored();
    const data = dataOf(model, truth, 21);
    const cm = await compile(model, data);
    const oracle = new OracleNll(model, data);
    for (const v of [
      [60, 3000, -0.6, -10, 0, 0, 0.06, 0], // σ × (1 + 0.1·(−10)) = 0
      [60, 3000, -0.6, -12, 0, 0, 0.06, 0],
      [60, 3000, -0.6, 0, 0, -20, 0.06, 0], // yield × (1 + 0.05·(−20)) = 0
    ]) {
      expect(cm.nll(v)).toBe(Infinity);
      expect(cm.nllGrad(v).nll).toBe(Infinity);
      expect(oracle.nll(v)).toBe(Infinity);
    }
    // and back to a valid point: the caches recover
    expect(relDiff(cm.nll(points[1]), oracle.nll(points[1]))).toBeLessThan(1e-11);
  });

  test("a cached signal whose factor is fixed runs the fused kernel and refills when the factor moves", async () => {
    const model = new ModelBuilder("m", RANGE)
      .exclude(ONE)
      .parameter("nsig", 40)
      .parameter("nbkg", 4000, { lo: 0 })
      .parameter("c1", -1)
      .parameter("c2", 0.3)
      .parameter("res", 0, { fixed: true })
      .component("sig", "crystalBall", [4.2, { base: 0.05, factors: [{ param: "res", gauss: 0.1 }] }, 1.5, 3], "nsig")
      .component("bkg", "expPoly", [0, 10.2, "c1", "c2"], "nbkg")
      .build("nsig");
    const [values] = generate(model, {}, 8);
    const fast = await compile(model, [{ values }]);
    const slow = await compile(model, [{ values, weights: new Float64Array(values.length).fill(1) }]);
    const oracle = new OracleNll(model, [{ values }]);
    for (const res of [0, 0.5, -0.3, 0.5]) {
      const v = [40, 4000, -1, 0.3, res];
      const a = fast.nllGrad(v),
        b = slow.nllGrad(v);
      expect(relDiff(a.nll, oracle.nll(v)), `res ${res}`).toBeLessThan(1e-11);
      expect(relDiff(a.nll, b.nll)).toBeLessThan(1e-13);
      expect(a.grad[4]).toBe(0); // fixed
      a.grad.forEach((g, i) => expect(Math.abs(g - b.grad[i])).toBeLessThan(1e-9 * (Math.abs(b.grad[i]) + 1)));
    }
  });

  test("factor checks: unknown parameter, κ ≤ 0, both forms, too many factors for the core", async () => {
    const build = (arg: unknown) => () =>
      new ModelBuilder("m", RANGE)
        .parameter("n", 10)
        .parameter("res", 0)
        .component("g", "gaussian", [5, arg as number], "n")
        .build("n");
    expect(build({ base: 0.1, factors: [{ param: "nope", gauss: 0.1 }] })).toThrow(/unknown parameter "nope"/);
    expect(build({ base: 0.1, factors: [{ param: "res", kappa: 0 }] })).toThrow(/kappa > 0/);
    expect(build({ base: 0.1, factors: [{ param: "res", kappa: 1.1, gauss: 0.1 }] })).toThrow(/both kappa and gauss/);
    expect(build({ base: "nope", factors: [] })).toThrow(/unknown parameter "nope"/);
    const many = build({ base: 0.1, factors: Array.from({ length: abi.MAX_FACTORS + 1 }, () => ({ param: "res" })) })();
    const c = await core();
    expect(() => new CompiledModel(c, many, loadData(c, [{ values: new Float64Array([5]) }]))).toThrow(
      /too many factors in component g: the core holds at most 64/,
    );
  });
});

/** A peak next to a veto over an expPoly background, with four vetoes. */
function peakBesideVetoes(): Model {
  return new ModelBuilder("m", RANGE)
    .exclude(SEVERAL)
    .parameter("nsig", 100)
    .parameter("nbkg", 2000, { lo: 0 })
    .parameter("c1", -0.5)
    .component("sig", "crystalBall", [3.25, 0.05, 1.5, 3], "nsig")
    .component("bkg", "expPoly", [0, 10.2, "c1"], "nbkg")
    .build("nsig");
}

/** Expected events of the model at `values` in each allowed piece of sample 0 (closed-form bin yields). */
async function pieceYields(model: Model, values: number[]): Promise<{ pieces: [number, number][]; nu: number[] }> {
  const cm = await compile(model, [{ values: new Float64Array([0.5]) }]);
  cm.values = values;
  const pieces = allowedPieces(model.samples[0].range, model.samples[0].exclude);
  const nu = pieces.map(([a, b]) => cm.binYields(0, [a, b])[0]);
  cm.dispose();
  return { pieces, nu };
}

/**
 * Generated samples against the expectation: none inside a veto; the mean count within 4σ of Σν
 * (σ = √(Σν/n)); each allowed piece's pooled count within 4 Poisson σ of its expectation.
 */
function expectToyStudy(
  samples: Float64Array[],
  exclude: [number, number][],
  pieces: [number, number][],
  nu: number[],
) {
  const total = nu.reduce((a, b) => a + b, 0);
  for (const s of samples) expect(s.some((x) => isExcluded(exclude, x))).toBe(false);
  const mean = samples.reduce((a, s) => a + s.length, 0) / samples.length;
  expect(Math.abs(mean - total), `mean count ${mean}, expected ${total}`).toBeLessThan(
    4 * Math.sqrt(total / samples.length),
  );
  pieces.forEach(([a, b], k) => {
    const seen = samples.reduce((n, s) => n + s.filter((x) => x >= a && x <= b).length, 0);
    const want = nu[k] * samples.length;
    expect(Math.abs(seen - want), `piece [${a}, ${b}]: ${seen} events, expected ${want}`).toBeLessThan(
      4 * Math.sqrt(want),
    );
  });
}

describe("generation outside the vetoes", () => {
  test("the core's toys (200 toys, Σν = 2100): none inside a veto, Poisson(Σν) events, pieces' shares", async () => {
    const model = peakBesideVetoes();
    const gen = [100, 2000, -0.5];
    const { pieces, nu } = await pieceYields(model, gen);
    const c = await core();
    const cap = 4000;
    // the grid with the vetoes' ends as edges (as the toy calculator builds it), and one whose
    // cells straddle them: the core keeps out of the vetoes either way
    for (const exclude of [SEVERAL, []]) {
      const loaded = loadData(c, [{ values: new Float64Array(cap).fill(0.5) }]);
      const cm = new CompiledModel(c, model, loaded);
      const edges = panelEdges(RANGE, peaks(model, 0), 400, 4, exclude);
      const work = writeF64(c, new Float64Array(abi.GRID_WORK_PER_CELL * edges.length));
      c.setToyGrid(0, writeF64(c, edges), edges.length, work, cap);
      const genPtr = writeF64(c, gen);
      c.takeEnvelopeViolations();
      const samples: Float64Array[] = [];
      for (let t = 0; t < 200; t++) {
        viewF64(c, loaded.ptrs[0].data, cap).fill(Number.NaN); // the end of the generated events
        cm.activate();
        c.generateOnly(genPtr, 1, 1000 + t, 7);
        const buf = viewF64(c, loaded.ptrs[0].data, cap);
        const n = buf.findIndex((x) => Number.isNaN(x));
        samples.push(buf.slice(0, n < 0 ? cap : n));
      }
      expect(c.takeEnvelopeViolations()).toBe(0);
      expectToyStudy(samples, SEVERAL, pieces, nu);
      cm.dispose();
    }
  });

  test("toy fits with vetoes (100 s+b toys): all converge, μ̂ unbiased within 4σ of its mean", async () => {
    const model = peakBesideVetoes();
    const c = await core();
    const runner = new ToyRunner(c, {
      model,
      capacity: [5000],
      grids: [panelEdges(RANGE, peaks(model, 0), 400, 4, SEVERAL)],
      seed: 3,
      massIndex: 0,
      maxCalls: 500,
      poiStart: 10,
    });
    const [batch] = runner.runBatch({
      gen: [100, 2000, -0.5],
      hypothesis: abi.TOY_HYPOTHESIS_SB,
      grid: 0,
      muTests: [100],
      first: 0,
      count: 100,
      statistic: "qmu",
    });
    expect(batch.failed).toBe(0);
    expect(batch.violations).toBe(0);
    const mu = Array.from(batch.muHat);
    const mean = mu.reduce((a, b) => a + b, 0) / mu.length;
    const sd = Math.sqrt(mu.reduce((a, b) => a + (b - mean) ** 2, 0) / (mu.length - 1));
    expect(Math.abs(mean - 100), `mean μ̂ ${mean} ± ${sd / 10}`).toBeLessThan((4 * sd) / Math.sqrt(mu.length));
  });

  test("generate() (100 datasets, Σν = 2100): none inside a veto, Poisson(Σν) events, each piece's share", async () => {
    const model = peakBesideVetoes();
    const { pieces, nu } = await pieceYields(model, [100, 2000, -0.5]);
    const samples = Array.from({ length: 100 }, (_, t) => generate(model, {}, 500 + t)[0]);
    expectToyStudy(samples, SEVERAL, pieces, nu);
  });
});

describe("the Asimov grid with vetoes", () => {
  test("no node inside a veto, vetoes' ends are edges, the weights sum to the allowed region's Σν (1e-9)", async () => {
    const model = peakBesideVetoes();
    const [values] = generate(model, {}, 1);
    const cm = await compile(model, [{ values }]);
    const at = [80, 2050, -0.45];
    const [asimov] = asimovData(cm, at);
    expect(asimov.values.some((x) => isExcluded(SEVERAL, x))).toBe(false);
    const edges = panelEdges(RANGE, peaks(model, 0), 100, 2, SEVERAL);
    for (const [a, b] of SEVERAL) expect(edges.includes(a) && edges.includes(b)).toBe(true);
    expect(edges.some((x) => isExcluded(SEVERAL, x))).toBe(false);
    // the peak's panels (σ/2 within ±15σ of 3.25) survive where they are allowed
    expect(edges.filter((x) => x > 3.2 && x < 3.6).length).toBeGreaterThan(10);
    const sum = asimov.weights!.reduce((a, b) => a + b, 0);
    expect(relDiff(sum, 2130)).toBeLessThan(1e-9);
    // and the Asimov data's NLL is that of the expectation: its fit returns the values it was built at
    const acm = await compile(model, [asimov]);
    const r = fit(acm);
    expect(Math.abs(r.values.nsig - 80)).toBeLessThan(1e-3 * r.errors.nsig);
    expect(Math.abs(r.values.c1 + 0.45)).toBeLessThan(1e-3 * r.errors.c1);
  });
});

describe("a veto never makes an excess", () => {
  /** expPoly background over RANGE with one veto (4.0, 4.2) and a Gaussian signal (σ 0.05) at `mass`. */
  const withSignal = (mass: number, exclude: [number, number][]) =>
    new ModelBuilder("m", RANGE)
      .exclude(exclude)
      .parameter("nsig", 0)
      .parameter("nbkg", 20000, { lo: 0 })
      .parameter("c1", -0.5)
      .parameter("c2", 0.1)
      .component("sig", "gaussian", [mass, 0.05], "nsig")
      .component("bkg", "expPoly", [0, 10.2, "c1", "c2"], "nbkg")
      .build("nsig");
  const VETO: [number, number][] = [[4.0, 4.2]];

  test("background-only data with a veto, fitted with it: nsig 2σ beside and at its edges within 3σ of 0", async () => {
    const z: number[] = [];
    for (const seed of [1, 2, 3, 4, 5]) {
      const [values] = generate(withSignal(4.3, VETO), { nsig: 0 }, 100 + seed);
      expect(values.some((x) => isExcluded(VETO, x))).toBe(false);
      for (const mass of [3.9, 4.0, 4.2, 4.3]) {
        const cm = await compile(withSignal(mass, VETO), [{ values }]);
        const r = fit(cm);
        expect(r.status).toBe("converged");
        z.push(r.values.nsig / r.errors.nsig);
        cm.dispose();
      }
    }
    for (const x of z) expect(Math.abs(x)).toBeLessThan(3);
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    expect(Math.abs(mean), `mean nsig/σ ${mean} over ${z.length} fits`).toBeLessThan(3 / Math.sqrt(z.length));
  });

  test("fitted without declaring the veto: a deficit beyond 3σ at its edge (the check is sensitive)", async () => {
    const [values] = generate(withSignal(4.3, VETO), { nsig: 0 }, 101);
    const cm = await compile(withSignal(4.2, []), [{ values }]);
    const r = fit(cm);
    expect(r.values.nsig / r.errors.nsig).toBeLessThan(-3);
  });
});
