// Every PDF's closed-form (or Gauss–Legendre) integral against adaptive numerical integration
// to 1e-9 relative, on the full range and sub-ranges, across parameter ranges; values pointwise
// against the textbook definitions in the TS oracle.
import { describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { shapeDensity, shapeIntegral, kindOf } from "../src/core/oracle.js";
import { ShapeName } from "../src/model/shapes.js";
import { core, corePdf, relDiff } from "./helpers.js";

const ranges: [number, number][] = [[0, 10], [0.5, 4.1], [4.15, 4.3], [3.9, 4.2], [7, 9.99]];

const cases: [ShapeName, number[]][] = [
  ["uniform", []],
  ["gaussian", [4.2, 0.05]], ["gaussian", [0.01, 0.3]], ["gaussian", [9.5, 2]],
  ["crystalBall", [4.2, 0.05, 1.5, 3]], ["crystalBall", [4.2, 0.1, 0.5, 1]],
  ["crystalBall", [4.2, 0.1, 0.8, 1 + 1e-9]], ["crystalBall", [4.2, 0.1, 1.2, 1.0001]],
  ["crystalBall", [5, 1, 0.5, 1.5]], ["crystalBall", [4.2, 0.05, 2.5, 50]], ["crystalBall", [9.99, 0.3, 2, 10]],
  ["doubleCrystalBall", [4.2, 0.05, 0.08, 1.5, 3, 2, 5]], ["doubleCrystalBall", [4.2, 0.1, 0.1, 1, 1, 0.7, 1]],
  ["exponential", [-0.8]], ["exponential", [0]], ["exponential", [1e-12]], ["exponential", [0.3]],
  ["chebyshev", [0, 10, 0.2]], ["chebyshev", [0, 10, -0.3, 0.1, 0.05, -0.02, 0.01, 0.005]],
  ["polynomial", [0, 10, 0.5, 0.2]], ["polynomial", [0, 10, -0.2, 0.1, 0.05, 0.01, -0.01, 0.002]],
  ["expPoly", [0, 10, -1.2]], ["expPoly", [0, 10, -1.2, 0.3]], ["expPoly", [0, 10, 3, -2, 0.5, -0.3]],
  ["expPoly", [0, 10, -5, 4]],
  ["argus", [10.58, -20, 0.5]], ["argus", [10.58, -2, 0.5]], ["argus", [10.58, 3, 0.5]], ["argus", [10, -5, 1.7]],
  ["argus", [9.8, -1, 0.2]],
];

describe("PDF integrals", () => {
  for (const [shape, args] of cases) {
    test(`${shape}(${args.join(", ")}) matches adaptive quadrature to 1e-9 on each sub-range`, async () => {
      const pdf = await corePdf(kindOf(shape), args);
      for (const [lo, hi] of ranges) {
        const want = shapeIntegral(shape, args, lo, hi);
        const got = pdf.integral(lo, hi);
        if (want < 1e-250) expect(Math.abs(got)).toBeLessThan(1e-250);
        else expect(relDiff(got, want)).toBeLessThan(1e-9);
      }
    });
  }

  test("values agree with the textbook definitions pointwise (1e-12 relative)", async () => {
    for (const [shape, args] of cases) {
      const pdf = await corePdf(kindOf(shape), args);
      const g = shapeDensity(shape, args);
      for (let m = 0.005; m < 10; m += 0.0731) {
        const want = g(m);
        expect(Math.abs(pdf.value(m) - want)).toBeLessThanOrEqual(1e-12 * Math.abs(want) + 1e-300);
      }
    }
  });

  test("Crystal Ball: the reference normalisations, and continuity of value and slope at −α", async () => {
    const v = JSON.parse(readFileSync("test/fixtures/expected/verification.json", "utf8"));
    for (const r of v.cb_normalisation) {
      const pdf = await corePdf(kindOf("crystalBall"), [r.mu, r.sigma, r.alpha, r.n]);
      expect(relDiff(pdf.integral(r.lo, r.hi), r.quad)).toBeLessThan(1e-12);
    }
    const pdf = await corePdf(kindOf("crystalBall"), [0, 1, 1.5, 3]);
    const h = 1e-7;
    const left = pdf.value(-1.5 - h), right = pdf.value(-1.5 + h);
    expect(relDiff(left, right)).toBeLessThan(1e-6);
    const slopeL = (pdf.value(-1.5 - h) - pdf.value(-1.5 - 3 * h)) / (2 * h);
    const slopeR = (pdf.value(-1.5 + 3 * h) - pdf.value(-1.5 + h)) / (2 * h);
    expect(relDiff(slopeL, slopeR)).toBeLessThan(1e-5);
  });

  test("expPoly(2): the reference closed-form normalisations (erf of complex argument) to 1e-12", async () => {
    const v = JSON.parse(readFileSync("test/fixtures/expected/verification.json", "utf8"));
    for (const r of v.bkg_normalisation) {
      const pdf = await corePdf(kindOf("expPoly"), [0, 10, r.c1, r.c2]);
      // the 0.7/−0.01 row's closed form is itself off by 7e-11; quad is the better reference there
      expect(relDiff(pdf.integral(0, 10), r.quad)).toBeLessThan(1e-12);
    }
  });
});

describe("special functions", () => {
  test("erf and erfc at known values (1 ulp-level)", async () => {
    const c = await core();
    const known: [number, number][] = [[0.1, 0.1124629160182849], [0.5, 0.5204998778130465], [1, 0.8427007929497149],
      [2, 0.9953222650189527], [3.5, 0.9999992569016276]];
    for (const [x, e] of known) {
      expect(relDiff(c.erf(x), e)).toBeLessThan(3e-16);
      expect(relDiff(c.erf(-x), -e)).toBeLessThan(3e-16);
    }
    expect(relDiff(c.erfc(5), 1.5374597944280349e-12)).toBeLessThan(1e-14);
    expect(relDiff(c.erfc(10), 2.088487583762545e-45)).toBeLessThan(1e-14);
    expect(relDiff(c.erfc(-1), 1.8427007929497148)).toBeLessThan(3e-16);
  });

  test("the vector exp is within 3 ulp of Math.exp over [−700, 700]", async () => {
    const c = await core();
    const n = 20000;
    const xs = Float64Array.from({ length: n }, (_, i) => -700 + (1400 * i) / (n - 1) + 1e-3 * Math.sin(i));
    const ptr = c.alloc(16 * n);
    new Float64Array(c.memory.buffer, ptr, n).set(xs);
    c.vexpBatch(ptr, ptr + 8 * n, n);
    const out = new Float64Array(c.memory.buffer, ptr + 8 * n, n);
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, relDiff(out[i], Math.exp(xs[i])));
    expect(worst).toBeLessThan(6.7e-16);
  });
});
