/**
 * Fit ranges: a scan window around each mass, honoured by fit, limit and plot fit too; peaking
 * backgrounds that a window misses leave that point's model; events outside the range are
 * dropped and counted by the library as by the CLI; a scan point gives what `limit` gives.
 */
import { describe, expect, test } from "vitest";
import { fitAtMass, limitAtMass } from "../src/job/mass-job.js";
import { generate } from "../src/core/generate.js";
import { buildModel, type Spec } from "../src/model/spec.js";
import { parseSpec } from "../src/model/parse.js";
import { runScan } from "../src/scan/scan.js";
import { shapeIntegral } from "../src/core/oracle.js";
import { relDiff } from "./helpers.js";
import { asymptoticPvalues } from "../src/infer/asymptotic.js";

/** A smooth background with a J/ψ-like peak at 3.1 (σ 0.02) on [0, 10], a signal of σ 0.05. */
const jpsi: Spec = parseSpec({
  observable: { range: [0, 10] },
  signal: { shape: "gaussian", sigma: 0.05 },
  background: [
    { name: "smooth", shape: "expPoly", order: 1 },
    { name: "jpsi", shape: "gaussian", mean: 3.1, sigma: 0.02 },
  ],
  scan: { from: 1, to: 6, step: 8, window: 10 },
});

function jpsiEvents(): Float64Array {
  const model = buildModel({ ...jpsi, scan: undefined }, { mass: 5, nEvents: 31_000 });
  return generate(model, { nsig: 0, nbkg_smooth: 30_000, c1_smooth: -0.8, nbkg_jpsi: 1000 }, 9, 0)[0];
}

describe("windowed scans across a peaking background", () => {
  test("every point converges; points whose window misses the peak leave it out of their model", async () => {
    const values = jpsiEvents();
    const scan = await runScan(jpsi, values);
    const fitted = scan.points.filter((p) => p.status !== "skipped");
    expect(fitted.length).toBeGreaterThan(8);
    for (const p of fitted) {
      expect(p.status, `m = ${p.mass}: ${p.reason}`).toBe("converged");
      expect(Number.isFinite(p.observed)).toBe(true);
      const sigma = 0.05,
        far = Math.abs(p.mass - 3.1) > 10 * sigma + 20 * 0.02;
      if (far) expect(p.droppedComponents).toEqual(["jpsi"]);
      if (Math.abs(p.mass - 3.1) < 10 * sigma) expect(p.droppedComponents).toBeUndefined();
    }
  }, 60_000);

  test("fit and limit at a scan point's mass use its window and give its numbers; --no-window the whole " +
    "range", async () => {
    const values = jpsiEvents();
    const scan = await runScan(jpsi, values);
    const p = scan.points.find((q) => q.status === "converged" && q.mass > 4)!;
    const f = await fitAtMass(jpsi, { values }, p.mass);
    expect(f.range[0]).toBeCloseTo(p.mass - 0.5, 12);
    expect(f.range[1]).toBeCloseTo(p.mass + 0.5, 12);
    expect(f.events).toBe(p.events);
    expect(f.events + f.eventsOutside).toBe(values.length);
    expect(f.droppedComponents).toEqual(["jpsi"]);
    expect(relDiff(f.z, p.z!)).toBeLessThan(1e-6);
    const l = await limitAtMass(jpsi, { values }, p.mass);
    expect(relDiff(l.observed, p.observed!)).toBeLessThan(1e-6);
    expect(l.events).toBe(p.events);
    const whole = await fitAtMass(jpsi, { values }, p.mass, { window: false });
    expect(whole.events).toBe(values.length);
    expect(whole.droppedComponents).toBeUndefined();
  }, 60_000);

  test("a fixed yield of a peak is scaled to its share of the window", () => {
    const fixed = parseSpec({
      ...jpsi,
      background: [
        { name: "smooth", shape: "expPoly", order: 1 },
        { name: "jpsi", shape: "gaussian", mean: 3.1, sigma: 0.02, yield: 500 },
      ],
    });
    const range: [number, number] = [3.05, 3.5];
    const share = (shape: "gaussian", args: number[]) =>
      shapeIntegral(shape, args, ...range) / shapeIntegral(shape, args, 0, 10);
    const model = buildModel(fixed, { mass: 3.3, nEvents: 100, range, share: share as never });
    const c = model.samples[0].components.find((x) => x.name === "jpsi")!;
    // Φ((3.5 − 3.1)/0.02) − Φ((3.05 − 3.1)/0.02) = 1 − Φ(−2.5) = 0.99379
    expect(c.yieldConstant).toBeCloseTo(500 * 0.9937903346742238, 6);
  });
});

describe("the library drops and counts events outside the range, as the CLI does", () => {
  const spec = parseSpec({
    observable: { range: [0, 10] },
    signal: { shape: "gaussian", sigma: 0.1 },
    background: { shape: "uniform" },
    scan: { masses: [5] },
  });
  const values = Float64Array.from({ length: 2000 }, (_, i) => (i < 1000 ? (i + 0.5) / 100 : 10 + (i - 999) / 10));
  test("fitAtMass and limitAtMass: 1000 events in, 1000 outside", async () => {
    const r = await fitAtMass(spec, { values }, 5);
    expect(r.events).toBe(1000);
    expect(r.eventsOutside).toBe(1000);
    expect(r.parameters.nbkg.value + r.parameters.nsig.value).toBeCloseTo(1000, 3);
    expect(Math.abs(r.parameters.nsig.value)).toBeLessThan(3 * r.parameters.nsig.error);
    expect((await limitAtMass(spec, { values }, 5)).events).toBe(1000);
  });
  test("runScan", async () => {
    const scan = await runScan(spec, values);
    expect(scan.eventsOutside).toBe(1000);
    expect(scan.points[0].events).toBe(1000);
  });
});

describe("a scan point gives what limit gives at its mass", () => {
  test("a spectrum with a large unmodelled peak: no point fails, every limit equals limit's, none collapses to " +
    "0", async () => {
    // 20 000 events in a narrow peak at 3 that the model cannot describe, on 10 000 smooth ones: away
    // from it the data lie far below the background fit (q̃μ ≫ q_A), where both CLs tails underflow
    const spec = parseSpec({
      observable: { range: [0, 10] },
      signal: { shape: "crystalBall", sigma: 0.1, alpha: 1.5, n: 3 },
      background: { shape: "expPoly", order: 2 },
      scan: { masses: [1.5, 2.9, 3, 3.2, 6] },
    });
    const smooth = generate(
      buildModel(spec, { mass: 3, nEvents: 10_000 }),
      { nsig: 0, nbkg: 10_000, c1: -1, c2: 0.2 },
      3,
      0,
    )[0];
    const peakSpec = parseSpec({
      observable: { range: [0, 10] },
      signal: { shape: "gaussian", sigma: 0.02 },
      background: { shape: "uniform" },
    });
    const peak = generate(buildModel(peakSpec, { mass: 3, nEvents: 20_000 }), { nsig: 20_000, nbkg: 0 }, 4, 0)[0];
    const values = Float64Array.from([...smooth, ...peak]);
    const scan = await runScan(spec, values);
    for (const p of scan.points) {
      expect(p.status, `m = ${p.mass}: ${p.reason}`).toBe("converged");
      const l = await limitAtMass(spec, { values }, p.mass);
      expect(relDiff(p.observed!, l.observed), `m = ${p.mass}`).toBeLessThan(1e-4);
      // a deficit cannot make CLs exclude (almost) every signal: a few events at least (was 0.09)
      expect(p.observed!, `m = ${p.mass}`).toBeGreaterThan(2);
    }
  }, 60_000);

  test("CLs far above the Asimov q_A, where both tails underflow, is their ratio (not 0/0)", () => {
    const { clsb, clb, cls } = asymptoticPvalues(1, 0.0014);
    const a = (1 + 0.0014) / (2 * Math.sqrt(0.0014)),
      b = (1 - 0.0014) / (2 * Math.sqrt(0.0014));
    // Q(a)/Q(b) by the Mills ratio's asymptotic series, to its 1/z⁶ term
    const mills = (z: number) => (1 - 1 / z ** 2 + 3 / z ** 4 - 15 / z ** 6) / z;
    expect(relDiff(cls, (Math.exp(-(a * a - b * b) / 2) * mills(a)) / mills(b))).toBeLessThan(1e-6);
    // each tail itself, which 1 − Φ(z) loses entirely (it was 0/0 = NaN, and the limit collapsed to 0)
    expect(relDiff(clsb, (Math.exp((-a * a) / 2) / Math.sqrt(2 * Math.PI)) * mills(a))).toBeLessThan(1e-6);
    expect(relDiff(clb, (Math.exp((-b * b) / 2) / Math.sqrt(2 * Math.PI)) * mills(b))).toBeLessThan(1e-6);
  });
});

test("an unknown limit method is refused, not run as asymptotic", async () => {
  const spec = parseSpec({
    observable: { range: [0, 10] },
    signal: { shape: "gaussian", sigma: 0.1 },
    background: { shape: "uniform" },
  });
  await expect(limitAtMass(spec, { values: Float64Array.of(1, 2) }, 5, { method: "cls" as never })).rejects.toThrow(
    /unknown limit method "cls"/,
  );
});
