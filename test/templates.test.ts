// Signal templates from simulation (docs/spec.md, "Signal templates"): the template PDF's
// closed-form integral against adaptive quadrature with and without vetoes, its values against
// hand-computed ones, the NLL and gradient against the oracle; Read's morphing (exact for shifted
// shapes; between two Gaussians, the Gaussian at the middle mass within the binning error, from
// exact CDFs and from simulated events); generation (the core's toys, generate(), the Asimov grid);
// the spec's checks; and fits, limits and scans with a template signal from a simulated CSV
// through the CLI and the library, a mass outside the simulated ones a one-line error.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import stdNormalCdf from "@stdlib/stats-base-dists-normal-cdf";
import * as abi from "../src/core/abi.js";
import { CompiledModel, loadData } from "../src/core/compile.js";
import { generate, seededUniform } from "../src/core/generate.js";
import { OracleNll, shapeDensity, shapeIntegral } from "../src/core/oracle.js";
import { adaptiveIntegral } from "../src/core/quadrature.js";
import { viewF64, writeF64 } from "../src/core/wasm.js";
import { asimovData, knots, panelEdges, peaks } from "../src/infer/asimov.js";
import { loadSpecSamples, loadSpecTemplates } from "../src/io/data.js";
import { fitAtMass, limitAtMass } from "../src/job/mass-job.js";
import { allowedPieces, type Model, ModelBuilder } from "../src/model/model.js";
import { parseSpec } from "../src/model/parse.js";
import { buildModel } from "../src/model/spec.js";
import {
  histogramWidth,
  morphHistograms,
  type TemplateHistogram,
  templateAt,
  templateFromEvents,
  templatePdfArgs,
} from "../src/model/template.js";
import { layoutAt } from "../src/model/window.js";
import { massGrid } from "../src/scan/grid.js";
import { runScan } from "../src/scan/scan.js";
import { compile, core, corePdf, relDiff } from "./helpers.js";

const RANGE: [number, number] = [0, 10.2];
const SEVERAL: [number, number][] = [
  [1.0, 1.4],
  [3.0, 3.2],
  [3.6, 3.75],
  [8.0, 8.5],
];

/** A template of `n` bins over [lo, hi] with a Gaussian-like content and a bumpy, partly empty tail. */
function bumpy(lo: number, hi: number, n: number): number[] {
  const c = (lo + hi) / 2,
    s = (hi - lo) / 8;
  const d = Array.from({ length: n }, (_, k) => {
    const x = lo + ((k + 0.5) * (hi - lo)) / n;
    return Math.exp(-0.5 * ((x - c) / s) ** 2) + (k % 7 === 3 ? 0.05 : 0) + (k % 11 === 0 ? 0 : 0.01);
  });
  return [lo, hi, ...d];
}

const CASES: number[][] = [
  [0, 1, 2, 4], // two bins, by hand below
  [3.05, 3.45, 5], // one bin: flat
  bumpy(2.9, 3.5, 50), // across the veto (3.0, 3.2) and into (3.6, 3.75)
  bumpy(0.5, 9.7, 200),
  bumpy(7.9, 10.2, 1024), // the most bins the core takes, ending at the range's end
];

const normalCdf = (z: number) => stdNormalCdf(z, 0, 1);

const SUBRANGES: [number, number][] = [
  [0, 10.2],
  [3.1, 3.3],
  [3.251, 3.252],
  [2.9, 2.9001],
  [-1, 2.95],
  [9, 12],
];

describe("the template PDF", () => {
  test("values by hand: flat outer half bins, linear between centres, 0 outside; area h·Σd", async () => {
    const pdf = await corePdf(abi.PDF_TEMPLATE, [0, 1, 2, 4]);
    expect([0, 0.1, 0.25, 0.5, 0.6, 0.75, 0.9, 1].map(pdf.value)).toEqual([2, 2, 2, 3, 3.4, 4, 4, 4]);
    expect([-1e-9, 1 + 1e-9, 5].map(pdf.value)).toEqual([0, 0, 0]);
    expect(pdf.integral(0, 1)).toBeCloseTo(3, 14); // 0.5·(2 + 4)
    expect(pdf.integral(0.25, 0.75)).toBeCloseTo(1.5, 14); // the trapezoid (2 + 4)/2 · 0.5
    expect(pdf.integral(-5, 0.1)).toBeCloseTo(0.2, 14);
    expect(pdf.integral(2, 3)).toBe(0);
  });

  test("closed-form integrals equal adaptive quadrature (1e-9) on sub-ranges, in and beyond the template", async () => {
    for (const args of CASES) {
      const pdf = await corePdf(abi.PDF_TEMPLATE, args);
      const g = shapeDensity("template", args);
      for (const [lo, hi] of SUBRANGES) {
        const want = shapeIntegral("template", args, lo, hi);
        const got = pdf.integral(lo, hi);
        if (want === 0) expect(got).toBe(0);
        else expect(relDiff(got, want), `[${lo}, ${hi}] of ${args.length - 2} bins`).toBeLessThan(1e-9);
        // and without the oracle's breakpoints at the knots, by plain adaptive integration of the core's values
        if (want > 0 && hi - lo > 1e-3) {
          const direct = adaptiveIntegral(pdf.value, Math.max(lo, args[0]), Math.min(hi, args[1]), 1e-12);
          expect(relDiff(direct, got)).toBeLessThan(1e-6); // kinks at every bin centre slow it down
        }
      }
      for (let m = args[0] - 0.01; m < args[1] + 0.01; m += (args[1] - args[0]) / 997) expect(pdf.value(m)).toBe(g(m));
    }
  });

  test("normalisation over the range less one and four vetoes equals adaptive integration (1e-9)", async () => {
    for (const args of CASES.slice(1)) {
      for (const holes of [[[3.0, 3.2]] as [number, number][], SEVERAL, []]) {
        const model = new ModelBuilder("m", RANGE)
          .exclude(holes)
          .parameter("n", 100, { lo: 0 })
          .component("c", "template", args, "n")
          .build("n");
        const cm = await compile(model, [{ values: new Float64Array([0.5, 5, 9.9]) }]);
        const [norm] = cm.normalisations(0);
        const want = shapeIntegral("template", args, RANGE[0], RANGE[1], 1e-13, holes);
        expect(relDiff(norm, want), `${holes.length} vetoes`).toBeLessThan(1e-9);
        const g = (m: number) => cm.density(0, [m])[0];
        // (adaptive integration over 1024 kinks, a point at a time, is slow: the smaller templates)
        if (args.length < 300) {
          const direct = allowedPieces(RANGE, holes)
            .map(([a, b]): [number, number] => [Math.max(a, args[0]), Math.min(b, args[1])])
            .filter(([a, b]) => b > a)
            .reduce((s, [a, b]) => s + adaptiveIntegral(g, a, b, 1e-12), 0);
          expect(relDiff(direct, 100), "∫ density over the allowed pieces = yield").toBeLessThan(1e-8);
        }
        // bin yields are closed-form integrals too: bins over the template sum to the yield
        const edges = Array.from({ length: 41 }, (_, i) => RANGE[0] + ((RANGE[1] - RANGE[0]) * i) / 40);
        const bins = cm.binYields(0, edges);
        expect(
          relDiff(
            bins.reduce((a, b) => a + b, 0),
            100,
          ),
        ).toBeLessThan(1e-12);
        cm.dispose();
      }
    }
  });

  test("a template's guard sits at its largest bin; the core refuses more than 1024 bins and none", async () => {
    const model = new ModelBuilder("m", RANGE)
      .parameter("nsig", 10)
      .component("s", "template", [4, 5, 1, 3, 2], "nsig")
      .build("nsig");
    expect(model.samples[0].guards).toEqual([4.5]);
    const c = await core();
    const tooMany = {
      ...model,
      samples: [{ ...model.samples[0], components: [{ ...model.samples[0].components[0], args: bumpy(4, 5, 1025) }] }],
    } as Model;
    expect(() => new CompiledModel(c, tooMany, loadData(c, [{ values: new Float64Array([4.5]) }]))).toThrow(
      /^too many template bins in component s: the core holds at most 1024 \(the model has 1025\)$/,
    );
    expect(() =>
      new ModelBuilder("m", RANGE).parameter("n", 1).component("s", "template", [4, 5], "n").build("n"),
    ).toThrow(/^component s: template takes xlo, xhi and 1 to 1024 bin contents; got 2 arguments$/);
  });
});

/** A template signal (cached: constant arguments) on an expPoly background, with vetoes. */
function templateModel(args: number[], exclude: [number, number][]): Model {
  return new ModelBuilder("m", RANGE)
    .exclude(exclude)
    .parameter("nsig", 60)
    .parameter("nbkg", 900, { lo: 0 })
    .parameter("c1", -0.4)
    .component("sig", "template", args, "nsig")
    .component("bkg", "expPoly", [RANGE[0], RANGE[1], "c1"], "nbkg")
    .build("nsig");
}

describe("the NLL with a template signal", () => {
  test("equals the oracle's (1e-10), its gradient the oracle's numerical one, fused and scalar paths", async () => {
    const args = bumpy(3.25, 3.55, 120);
    for (const exclude of [[], SEVERAL]) {
      const model = templateModel(args, exclude);
      const [values] = generate(model, {}, 11);
      const cm = await compile(model, [{ values }]);
      const oracle = new OracleNll(model, [{ values }]);
      const c = cm.core;
      for (const v of [
        [60, 900, -0.4],
        [-5, 1000, -0.1],
        [200, 700, -0.9],
      ]) {
        const want = oracle.nll(v);
        for (const fast of [true, false]) {
          c.setFastPath(fast);
          cm.setFree([true, true, true]);
          const { nll, grad } = cm.nllGrad(v);
          expect(relDiff(nll, want), `NLL at ${v} (fast path ${fast})`).toBeLessThan(1e-10);
          const g = oracle.gradient(v);
          grad.forEach((x, i) =>
            expect(Math.abs(x - g[i]), `∂/∂${cm.names[i]}`).toBeLessThan(1e-5 * (1 + Math.abs(g[i]))),
          );
        }
      }
      c.setFastPath(true);
      cm.dispose();
    }
  });
});

/** The histogram of N(μ, σ) from its exact CDF: `bins` bins over μ ± kσ (no smoothing). */
function exactGaussian(mu: number, sigma: number, bins: number, k = 6): TemplateHistogram {
  const lo = mu - k * sigma,
    hi = mu + k * sigma;
  const cdf = (x: number) => normalCdf((x - mu) / sigma);
  const total = cdf(hi) - cdf(lo);
  const contents = Array.from({ length: bins }, (_, j) => {
    const a = lo + (j * (hi - lo)) / bins,
      b = lo + ((j + 1) * (hi - lo)) / bins;
    return (cdf(b) - cdf(a)) / total;
  });
  return { range: [lo, hi], contents, events: 0 };
}

/**
 * The largest difference between a histogram's CDF (linear within bins) and N(μ, σ)'s, at the bin
 * edges and the bins' middles.
 */
function cdfDistance(h: TemplateHistogram, mu: number, sigma: number): number {
  const [lo, hi] = h.range;
  const n = h.contents.length;
  let c = 0,
    worst = 0;
  h.contents.forEach((p, k) => {
    const mid = lo + ((k + 0.5) * (hi - lo)) / n;
    worst = Math.max(worst, Math.abs(c + p / 2 - normalCdf((mid - mu) / sigma)));
    c += p;
    worst = Math.max(worst, Math.abs(c - normalCdf((lo + ((k + 1) * (hi - lo)) / n - mu) / sigma)));
  });
  return worst;
}

/** Standard normal deviates from a seeded stream (Box–Muller). */
function normals(seed: number): () => number {
  const u = seededUniform(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

describe("Read's morphing", () => {
  test("a shape and its shifted copy morph into the copy shifted by the interpolated amount (exact)", () => {
    const a: TemplateHistogram = { range: [0, 1], contents: [0.1, 0, 0.3, 0.4, 0, 0.2], events: 10 };
    const b: TemplateHistogram = { ...a, range: [2, 3] };
    for (const w of [0, 0.25, 0.5, 0.9, 1]) {
      const m = morphHistograms(a, b, w);
      expect(m.range[0]).toBeCloseTo(2 * w, 14);
      expect(m.range[1]).toBeCloseTo(1 + 2 * w, 14);
      m.contents.forEach((c, k) => expect(c).toBeCloseTo(a.contents[k], 13));
    }
    // and a scaled copy (σ → 2σ about the same centre) into the scale interpolated
    const wide: TemplateHistogram = { ...a, range: [-0.5, 1.5] };
    const m = morphHistograms(a, wide, 0.5);
    expect(m.range).toEqual([-0.25, 1.25]);
    m.contents.forEach((c, k) => expect(c).toBeCloseTo(a.contents[k], 13));
  });

  test("between N(4, 0.02) and N(6, 0.04) from exact CDFs: N(5, 0.03) at the middle within the binning error", () => {
    // histograms over μ ± 6σ: their edges sit at the same quantiles, so the morph's knots are points
    // of N(5, 0.03)'s CDF and the morph is the histogram of N(5, 0.03) itself (to rounding)
    for (const bins of [50, 200]) {
      const t = { masses: [4, 6], histograms: [exactGaussian(4, 0.02, bins), exactGaussian(6, 0.04, bins)] };
      const mid = templateAt(t, 5);
      const want = exactGaussian(5, 0.03, bins);
      expect(mid.range[0]).toBeCloseTo(want.range[0], 13);
      expect(mid.range[1]).toBeCloseTo(want.range[1], 13);
      mid.contents.forEach((c, k) => expect(Math.abs(c - want.contents[k])).toBeLessThan(1e-12));
    }
    // over μ ± 6σ and μ ± 5σ the knots do not align: the morph is binned twice, and within 2.5 times
    // the binning error of N(5, 0.03)'s own histogram (its CDF's distance from the truth), second order in h
    const distance = (bins: number) => {
      const t = { masses: [4, 6], histograms: [exactGaussian(4, 0.02, bins, 6), exactGaussian(6, 0.04, bins, 5)] };
      const mid = templateAt(t, 5);
      const own = exactGaussian(5, 0.03, bins, 5.5);
      expect(cdfDistance(mid, 5, 0.03), `${bins} bins`).toBeLessThan(2.5 * cdfDistance(own, 5, 0.03));
      const width = relDiff(histogramWidth(mid), 0.03);
      expect(width, `${bins} bins`).toBeLessThan(2.5 * relDiff(histogramWidth(own), 0.03) + 1e-5);
      // at other masses the interpolated Gaussian likewise
      for (const m of [4.3, 5.7]) {
        const sigma = 0.02 + (0.02 * (m - 4)) / 2;
        const between = cdfDistance(templateAt(t, m), m, sigma);
        expect(between).toBeLessThan(2.5 * cdfDistance(exactGaussian(m, sigma, bins, 5.5), m, sigma));
      }
      return cdfDistance(mid, 5, 0.03);
    };
    const [d50, d200, d800] = [50, 200, 800].map(distance);
    expect(d50).toBeLessThan(3e-3);
    expect(d200).toBeLessThan(d50 / 12);
    expect(d800).toBeLessThan(d200 / 12);
  });

  test("from 10⁵ simulated events per mass (smoothed histograms): the middle mass's Gaussian within the errors", () => {
    const z = normals(7);
    const values: number[] = [],
      masses: number[] = [];
    for (const [m, s] of [
      [4, 0.02],
      [6, 0.04],
    ])
      for (let i = 0; i < 100_000; i++) values.push(m + s * z()), masses.push(m);
    const t = templateFromEvents(values, masses, 200, [0, 10]);
    expect(t.masses).toEqual([4, 6]);
    const mid = templateAt(t, 5);
    // statistical: a CDF from 10⁵ events is within 1.63/√n of the truth with 99% probability
    // (Kolmogorov); binning and smoothing add 0.044² σ² to the variance, a CDF shift far below that
    expect(cdfDistance(mid, 5, 0.03)).toBeLessThan(1.63 / Math.sqrt(1e5));
    expect(relDiff(histogramWidth(mid), 0.03)).toBeLessThan(0.01);
    // the template PDF at the middle mass: its ±1σ and ±2σ contents are the Gaussian's
    const pdf = templatePdfArgs(mid);
    const total = shapeIntegral("template", pdf, 4, 6);
    for (const k of [1, 2]) {
      const inside = shapeIntegral("template", pdf, 5 - k * 0.03, 5 + k * 0.03) / total;
      expect(Math.abs(inside - (normalCdf(k) - normalCdf(-k)))).toBeLessThan(0.006);
    }
    // the simulated masses themselves are their histograms
    expect(templateAt(t, 6)).toBe(t.histograms[1]);
  });

  test("outside the simulated masses: an error naming the mass, no extrapolation", () => {
    const t = { masses: [4, 6], histograms: [exactGaussian(4, 0.02, 20), exactGaussian(6, 0.04, 20)] };
    expect(() => templateAt(t, 6.5)).toThrow(
      /^signal template: mass 6\.5 is outside its simulated masses \[4, 6\] \(no extrapolation\)$/,
    );
    expect(() => templateAt(t, 3.99)).toThrow(/mass 3\.99 is outside/);
    expect(templateAt(t, 6 + 1e-14).range).toEqual(t.histograms[1].range); // grid rounding at the end
  });
});

describe("generation and integration grids with a template", () => {
  const args = bumpy(3.22, 3.5, 200); // narrow: 0.28 wide in a range of 10.2, beside the veto (3.0, 3.2)

  /** The model's allowed-region CDF at x (by the oracle's quadrature). */
  const modelCdf = (model: Model, gen: number[], x: number) => {
    const [ns, nb, c1] = gen;
    const part = (shape: "template" | "expPoly", a: number[], y: number) =>
      (y *
        shapeIntegral(
          shape,
          a,
          RANGE[0],
          x,
          1e-11,
          SEVERAL.filter(([, b]) => b <= x),
        )) /
      shapeIntegral(shape, a, RANGE[0], RANGE[1], 1e-11, SEVERAL);
    void model;
    return (part("template", args, ns) + part("expPoly", [RANGE[0], RANGE[1], c1], nb)) / (ns + nb);
  };

  /** Kolmogorov distance of events from the model's CDF. */
  const ks = (model: Model, gen: number[], events: Float64Array) => {
    const sorted = Float64Array.from(events).sort();
    const xs = [3.2, 3.25, 3.3, 3.33, 3.36, 3.4, 3.45, 3.5, 5];
    return Math.max(
      ...xs.map((x) => Math.abs(sorted.filter((e) => e <= x).length / sorted.length - modelCdf(model, gen, x))),
    );
  };

  test("the core's toys: no envelope violation on the grid with the template's knots (there are without)", async () => {
    const model = templateModel(args, SEVERAL);
    const gen = [3000, 2000, -0.5];
    const c = await core();
    const cap = 8000;
    const violations: number[] = [];
    for (const withKnots of [true, false]) {
      const loaded = loadData(c, [{ values: new Float64Array(cap).fill(0.5) }]);
      const cm = new CompiledModel(c, model, loaded);
      const edges = panelEdges(RANGE, peaks(model, 0), 400, 4, SEVERAL, withKnots ? knots(model, 0) : []);
      const work = writeF64(c, new Float64Array(abi.GRID_WORK_PER_CELL * edges.length));
      c.setToyGrid(0, writeF64(c, edges), edges.length, work, cap);
      const genPtr = writeF64(c, gen);
      c.takeEnvelopeViolations();
      const all: number[] = [];
      for (let t = 0; t < 20; t++) {
        viewF64(c, loaded.ptrs[0].data, cap).fill(Number.NaN);
        cm.activate();
        c.generateOnly(genPtr, 1, 2000 + t, 7);
        const buf = viewF64(c, loaded.ptrs[0].data, cap);
        const n = buf.findIndex((x) => Number.isNaN(x));
        all.push(...buf.slice(0, n < 0 ? cap : n));
      }
      violations.push(c.takeEnvelopeViolations());
      if (withKnots) expect(ks(model, gen, Float64Array.from(all))).toBeLessThan(1.63 / Math.sqrt(all.length));
      cm.dispose();
    }
    expect(violations[0]).toBe(0);
    expect(violations[1]).toBeGreaterThan(0);
  });

  test("generate(): events follow the template (Kolmogorov, 99%), none inside a veto", () => {
    const model = templateModel(args, SEVERAL);
    const gen = [3000, 2000, -0.5];
    const events = Float64Array.from(
      Array.from({ length: 10 }, (_, t) =>
        Array.from(generate(model, { nsig: 3000, nbkg: 2000, c1: -0.5 }, 40 + t)[0]),
      ).flat(),
    );
    expect(events.some((x) => SEVERAL.some(([a, b]) => x > a && x < b))).toBe(false);
    expect(ks(model, gen, events)).toBeLessThan(1.63 / Math.sqrt(events.length));
  });

  test("Asimov weights sum to Σν (1e-10), the template's share to its yield: its knots are panel edges", async () => {
    const model = templateModel(args, SEVERAL);
    const cm = await compile(model, [{ values: new Float64Array([3.3, 5]) }]);
    const [asimov] = asimovData(cm, [60, 900, -0.4]);
    expect(
      relDiff(
        asimov.weights!.reduce((a, b) => a + b, 0),
        960,
      ),
    ).toBeLessThan(1e-10);
    // the template's part alone: the nodes in its support with the background subtracted
    const bkg = await compile(templateModel(args, SEVERAL), [{ values: new Float64Array([3.3, 5]) }]);
    const [b] = asimovData(bkg, [0, 900, -0.4]);
    const sig = asimov.weights!.reduce((s, w, i) => s + (w - b.weights![i]), 0);
    expect(relDiff(sig, 60)).toBeLessThan(1e-10);
    // the signal's shape on the nodes is the template's: ∫ up to its 100th bin's centre (a panel edge)
    const split = knots(model, 0)[100];
    const half = asimov.values.reduce((s, x, i) => s + (x < split ? asimov.weights![i] - b.weights![i] : 0), 0);
    const want = (60 * shapeIntegral("template", args, 3.22, split)) / shapeIntegral("template", args, 3.22, 3.5);
    expect(relDiff(half, want)).toBeLessThan(1e-9);
    cm.dispose();
    bkg.dispose();
  });
});

// ---------------------------------------------------------------------------------------------
// The spec: a template signal read from simulated events.

const MC_MASSES = [3, 4, 5, 6, 7];
/** The simulated detector response: a Crystal Ball of σ(m) = 0.01 + 0.004·m, α 1.5, n 3. */
const sigmaAt = (m: number) => 0.01 + 0.004 * m;

/** Half the central 68.27% interval of that Crystal Ball at m (its quantiles by bisection of the oracle's CDF). */
function crystalBallWidth(m: number): number {
  const args = [m, sigmaAt(m), 1.5, 3];
  const total = shapeIntegral("crystalBall", args, m - 1, m + 1);
  const q = (p: number) => {
    let lo = m - 1,
      hi = m + 1;
    for (let i = 0; i < 60; i++) {
      const x = 0.5 * (lo + hi);
      if (shapeIntegral("crystalBall", args, m - 1, x, 1e-10) / total < p) lo = x;
      else hi = x;
    }
    return 0.5 * (lo + hi);
  };
  return 0.5 * (q(normalCdf(1)) - q(normalCdf(-1)));
}

/** Simulated signal events: `perMass` at each true mass, drawn from the Crystal Ball. */
function simulate(perMass: number): string {
  const rows = ["m,m_true"];
  MC_MASSES.forEach((mt, i) => {
    const model = new ModelBuilder("m", [mt - 1, mt + 1])
      .parameter("n", perMass)
      .component("s", "crystalBall", [mt, sigmaAt(mt), 1.5, 3], "n")
      .build("n");
    for (const x of generate(model, {}, 900 + i)[0]) rows.push(`${x},${mt}`);
  });
  return `${rows.join("\n")}\n`;
}

/** Data: an expPoly background and 150 signal events at 5.5 from the same Crystal Ball. */
function data(): string {
  const model = new ModelBuilder("m", [2, 8])
    .parameter("nsig", 150)
    .parameter("nbkg", 20000)
    .parameter("c1", -0.8)
    .component("s", "crystalBall", [5.5, sigmaAt(5.5), 1.5, 3], "nsig")
    .component("b", "expPoly", [2, 8, "c1"], "nbkg")
    .build("nsig");
  return `m\n${Array.from(generate(model, {}, 77)[0]).join("\n")}\n`;
}

const templateSpec = {
  observable: { name: "m", unit: "GeV", range: [2, 8] },
  data: { path: "data.csv", column: "m" },
  signal: { shape: "template", path: "sig_mc.csv", column: "m", massColumn: "m_true", bins: 200 },
  background: { shape: "expPoly", order: 1 },
  scan: { from: 5.2, to: 5.8, step: 4 },
};

let dir: string;
const cli = resolve("dist/cli/main.js");
function run(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", cwd: dir });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function writeSpec(name: string, spec: object): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(spec));
  return path;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "bumpscan-templates-"));
  writeFileSync(join(dir, "sig_mc.csv"), simulate(20_000));
  writeFileSync(join(dir, "data.csv"), data());
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a template signal through the spec", () => {
  test("the spec's checks: one-line errors for a template background, missing columns, shape fields, peak", () => {
    const at =
      (signal: object, extra: object = {}) =>
      () =>
        parseSpec({ ...templateSpec, signal: { ...templateSpec.signal, ...signal }, ...extra }, "s.json");
    expect(at({})().signal.shape).toBe("template");
    expect(() => parseSpec({ ...templateSpec, background: { shape: "template", path: "x.csv" } }, "s.json")).toThrow(
      /^s\.json: background/,
    );
    expect(at({ massColumn: undefined })).toThrow(/^s\.json: signal: a template needs "massColumn"/);
    expect(at({ column: undefined })).toThrow(/^s\.json: signal: a template needs "column"/);
    expect(at({ column: "m_true" })).toThrow(/"column" and "massColumn" must name two columns/);
    expect(at({ bins: 1 })).toThrow(/^s\.json: signal\.bins must be >= 2$/);
    expect(at({ bins: 1025 })).toThrow(/^s\.json: signal\.bins must be <= 1024$/);
    expect(at({ sigma: 0.03 })).toThrow(/^s\.json: signal\.sigma: a template takes its shape and resolution from/);
    expect(at({ peak: { poly: [0, 1] } })).toThrow(/^s\.json: signal\.peak: a template lies where its simulation/);
    expect(at({ free: ["sigma"] })).toThrow(/^s\.json: signal\.free: template has no field "sigma"$/);
    expect(() =>
      parseSpec({ ...templateSpec, signal: { shape: "gaussian", sigma: 0.1, path: "x.csv" } }, "s.json"),
    ).toThrow(/^s\.json: signal\.path: only a template signal \(shape "template"\) reads simulated events$/);
    expect(at({}, { nuisances: [{ name: "res", gauss: 0.1, on: [{ component: "signal", field: "sigma" }] }] })).toThrow(
      /template has no field "sigma"/,
    );
    const loaded = { masses: [4, 5], histograms: [{ range: [3, 5], contents: [0.5, 0.5], events: 10 }] };
    expect(at({ loaded })).toThrow(/^s\.json: signal\.loaded has 2 masses but 1 histograms$/);
  });

  test("not loaded: buildModel and the grid say how to load it", () => {
    const spec = parseSpec(templateSpec, "s.json");
    expect(() => buildModel(spec, { mass: 5, nEvents: 100 })).toThrow(/not loaded: read them with loadSpecTemplates/);
    expect(() => massGrid(spec)).toThrow(/not loaded: read them with loadSpecTemplates/);
  });

  test("loaded: the model at a mass is the morph (cached, no free shape), σ(m) the template's width", async () => {
    const spec = await loadSpecTemplates(parseSpec(templateSpec, join(dir, "s.json")), dir);
    const t = spec.signal.loaded!;
    expect(t.masses).toEqual(MC_MASSES);
    expect(t.histograms.every((h) => h.contents.length === 200)).toBe(true);
    const model = buildModel(spec, { mass: 5.5, nEvents: 20150 });
    expect(model.parameters.map((p) => p.name)).toEqual(["nsig", "nbkg", "c1"]);
    const sig = model.samples[0].components[0];
    expect(sig.shape).toBe("template");
    expect(sig.args).toEqual(templatePdfArgs(templateAt(t, 5.5)));
    // the width: half the central 68.27% interval, interpolated between 5 and 6 (exact for the morph),
    // the simulated Crystal Ball's within its statistical error (2·10⁴ events: ~1%)
    const layout = layoutAt(spec, 5.5);
    expect(layout.sigma).toBeCloseTo(0.5 * (histogramWidth(t.histograms[2]) + histogramWidth(t.histograms[3])), 14);
    expect(relDiff(layout.sigma, crystalBallWidth(5.5))).toBeLessThan(0.03);
    expect(relDiff(histogramWidth(templateAt(t, 5.5)), layout.sigma)).toBeLessThan(0.01);
    // the grid steps in the template's widths: step 4
    const grid = massGrid(spec).map((p) => p.mass);
    expect(grid[0]).toBe(5.2);
    // masses carry 12 significant digits
    grid.slice(1).forEach((m, i) => expect(m).toBeCloseTo(grid[i] + 4 * layoutAt(spec, grid[i]).sigma, 9));
    expect(grid.length).toBe(5);
    // a region with its own range gets its own histograms; one with the top level's inherits them
    const regions = await loadSpecTemplates(
      parseSpec({ ...templateSpec, regions: [{ name: "a" }, { name: "b", observable: { range: [4, 8] } }] }),
      dir,
    );
    expect(regions.regions![0].signal).toBeUndefined();
    expect(regions.regions![1].signal!.loaded!.masses).toEqual([4, 5, 6, 7]);
  });

  test("fit and limit: the template gives the true Crystal Ball's nsig (to 0.1σ), CLI and library alike", async () => {
    const path = writeSpec("spec.json", templateSpec);
    const cb = writeSpec("cb.json", {
      ...templateSpec,
      signal: { shape: "crystalBall", sigma: { poly: [0.01, 0.004] }, alpha: 1.5, n: 3 },
    });
    const r = run(["fit", path, "--mass", "5.5", "--json"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    const truth = JSON.parse(run(["fit", cb, "--mass", "5.5", "--json"]).out);
    expect(out.status).toBe("converged");
    const nsig = out.parameters.nsig;
    expect(Math.abs(nsig.value - truth.parameters.nsig.value)).toBeLessThan(0.1 * nsig.error);
    expect(Math.abs(nsig.value - 150)).toBeLessThan(3 * nsig.error);
    expect(out.z).toBeGreaterThan(3);
    // the library: the same numbers
    const spec = await loadSpecTemplates(parseSpec(JSON.parse(readFileSync(path, "utf8")), path), dir);
    const samples = await loadSpecSamples(spec, dir);
    const lib = await fitAtMass(spec, samples, 5.5);
    expect(lib.parameters.nsig.value).toBe(nsig.value);
    expect(lib.q0).toBe(out.q0);
    const limit = JSON.parse(run(["limit", path, "--mass", "5.5", "--json"]).out);
    const libLimit = await limitAtMass(spec, samples, 5.5);
    expect(limit.observed).toBe(libLimit.observed);
    expect(limit.observed).toBeGreaterThan(nsig.value);
    const cbLimit = JSON.parse(run(["limit", cb, "--mass", "5.5", "--json"]).out);
    expect(relDiff(limit.observed, cbLimit.observed)).toBeLessThan(0.03);
  });

  test("a short scan on the pool (the template crosses to the workers), merged shards equal one run", async () => {
    const path = writeSpec("scan.json", templateSpec);
    const r = run(["scan", path, "--out", join(dir, "scan.json.out"), "--workers", "2", "--quiet"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const result = JSON.parse(readFileSync(join(dir, "scan.json.out"), "utf8"));
    expect(result.points.map((p: { status: string }) => p.status)).toEqual(Array(5).fill("converged"));
    // the largest excess at the grid mass nearest the injected 5.5
    const masses = result.points.map((p: { mass: number }) => p.mass);
    const nearest = masses.reduce((a: number, b: number) => (Math.abs(b - 5.5) < Math.abs(a - 5.5) ? b : a));
    expect(result.maxLocalZ.mass).toBe(nearest);
    // the result records the template as loaded, so shards merge without the simulated file
    expect(result.spec.signal.loaded.masses).toEqual(MC_MASSES);
    for (const k of [1, 2]) run(["scan", path, "--shard", `${k}/2`, "--out", join(dir, `shard${k}.json`), "--quiet"]);
    const merged = run(["merge", join(dir, "shard1.json"), join(dir, "shard2.json"), "-o", join(dir, "merged.json")]);
    expect(merged.code).toBe(0);
    const whole = JSON.parse(readFileSync(join(dir, "merged.json"), "utf8"));
    expect(whole.points).toEqual(result.points);
    // the library, serially
    const spec = await loadSpecTemplates(parseSpec(templateSpec), dir);
    const lib = await runScan(
      spec,
      (await loadSpecSamples(spec, dir)).map((s) => s.values),
    );
    expect(lib.points.map((p) => p.z)).toEqual(result.points.map((p: { z: number }) => p.z));
  });

  test("toy limits with a template: every toy fit succeeds, the limit is the asymptotic one within 10%", async () => {
    const spec = await loadSpecTemplates(parseSpec(templateSpec), dir);
    const samples = await loadSpecSamples(spec, dir);
    const toys = await limitAtMass(spec, samples, 5.5, { method: "toys", toys: 300, seed: 3, expected: false });
    const asym = await limitAtMass(spec, samples, 5.5);
    expect(toys.toys!.failed).toBe(0);
    expect(relDiff(toys.observed, asym.observed)).toBeLessThan(0.1);
  });

  test("a mass outside the simulated masses: a one-line error, exit 2 (fit; a scan whose grid leaves them)", () => {
    const path = writeSpec("outside.json", templateSpec);
    const r = run(["fit", path, "--mass", "7.5"]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      "bumpscan: signal template: mass 7.5 is outside its simulated masses [3, 7] (no extrapolation)\n",
    );
    const wide = writeSpec("wide.json", { ...templateSpec, scan: { from: 6.5, to: 7.9, step: 4 } });
    const s = run(["scan", wide, "--quiet"]);
    expect(s.code).toBe(2);
    expect(s.err).toMatch(
      /^bumpscan: signal template: mass 7\.\d+ is outside its simulated masses \[3, 7\] \(no extrapolation\)\n$/,
    );
    const missing = writeSpec("missing.json", {
      ...templateSpec,
      signal: { ...templateSpec.signal, path: "nope.csv" },
    });
    const m = run(["fit", missing, "--mass", "5"]);
    expect(m.code).toBe(2);
    expect(m.err).toMatch(/^bumpscan: cannot read data file .*nope\.csv: ENOENT: no such file\n$/);
  });
});
