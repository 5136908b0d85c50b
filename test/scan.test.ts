// Mass scans: the grid, identical results for any number of workers, shards that merge into one
// run, failures reported per point, progress, cancellation, and the global significance.
import { describe, expect, test } from "vitest";
import { massGrid } from "../src/scan/grid.js";
import { grossVitells } from "../src/scan/global.js";
import { runScan } from "../src/scan/scan.js";
import { mergeScans } from "../src/scan/merge.js";
import { WorkerPool } from "../src/scan/pool.js";
import type { Spec } from "../src/model/spec.js";
import { parseSpec } from "../src/model/parse.js";
import { events, referenceModel, relDiff } from "./helpers.js";
import { ToyCalculator } from "../src/infer/toys.js";

function scanSpec(scan: object, extra: object = {}): Spec {
  return parseSpec({
    observable: { name: "m", unit: "GeV", range: [0, 10] },
    signal: { shape: "crystalBall", sigma: { poly: [0.02, 0.01] }, alpha: 1.5, n: 3 },
    background: { shape: "expPoly", order: 2 },
    scan,
    ...extra,
  });
}

describe("grid", () => {
  test("steps in units of the resolution at each mass, up to `to`", () => {
    const grid = massGrid(scanSpec({ from: 1, to: 3, step: 0.5 }));
    expect(grid[0].mass).toBe(1);
    for (let i = 1; i < grid.length; i++)
      // masses carry 12 significant digits
      expect(grid[i].mass - grid[i - 1].mass).toBeCloseTo(0.5 * (0.02 + 0.01 * grid[i - 1].mass), 9);
    expect(grid[grid.length - 1].mass).toBeLessThanOrEqual(3);
    expect(grid[grid.length - 1].mass + 0.5 * (0.02 + 0.01 * grid[grid.length - 1].mass)).toBeGreaterThan(3);
    expect(grid.map((g) => g.index)).toEqual(grid.map((_, i) => i));
  });

  test("a window narrows the fit range; masses too close to the edge are skipped with the reason", () => {
    const grid = massGrid(scanSpec({ masses: [0.05, 5, 9.99], window: 10 }));
    expect(grid[1].range[0]).toBeCloseTo(5 - 10 * 0.07, 12);
    expect(grid[1].range[1]).toBeCloseTo(5 + 10 * 0.07, 12);
    expect(grid[1].skipped).toBeUndefined();
    expect(grid[0].skipped).toMatch(/window m ± 10σ .* leaves the range \[0, 10\]/);
    expect(grid[2].skipped).toMatch(/leaves the range/);
  });

  test("a spec without a scan, or with an inverted one, is an error naming the fields", () => {
    expect(() => massGrid(scanSpec(undefined as unknown as object))).toThrow(/no "scan" entry/);
    expect(() => massGrid(scanSpec({ from: 5, to: 1, step: 0.5 }))).toThrow(/scan.from 5 must not exceed scan.to 1/);
  });
});

describe("scans", () => {
  const spec = scanSpec(
    { from: 3.9, to: 4.6, step: 1 },
    { signal: { shape: "crystalBall", sigma: 0.05, alpha: 1.5, n: 3 } },
  );

  test("1, 2 and 3 workers give byte-identical results; shards merge into exactly one run", async () => {
    const values = await events("bump-1e4");
    const serial = JSON.stringify(await runScan(spec, values));
    for (const size of [1, 2, 3]) {
      const pool = await WorkerPool.start(size);
      try {
        expect(JSON.stringify(await runScan(spec, values, { pool }))).toBe(serial);
      } finally {
        await pool.close();
      }
    }
    const shards = await Promise.all([1, 2, 3].map((k) => runScan(spec, values, { shard: { k, n: 3 } })));
    expect(JSON.stringify(mergeScans([shards[2], shards[0], shards[1]]))).toBe(serial);
    expect(() => mergeScans([shards[0], shards[1]])).toThrow(/a shard is missing/);
    expect(() => mergeScans([shards[0], shards[0], shards[1], shards[2]])).toThrow(/appears twice/);
  }, 60_000);

  test("LEE toy scans shard by toy index: the merged shards are exactly one run; other seeds are refused", async () => {
    const values = await events("bump-1e4");
    const one = await runScan(spec, values, { leeToys: 7, seed: 3 });
    expect(one.seed).toBe(3);
    expect(one.lee!.toys).toBe(7);
    expect(one.lee!.maxZ).toHaveLength(7);
    const shards = await Promise.all(
      [1, 2, 3].map((k) => runScan(spec, values, { leeToys: 7, seed: 3, shard: { k, n: 3 } })),
    );
    expect(shards.map((s) => s.leeShard!.index)).toEqual([
      [0, 3, 6],
      [1, 4],
      [2, 5],
    ]);
    expect(shards[1].lee).toBeUndefined();
    // each toy scan is the one run's toy scan of the same index
    expect(shards[1].leeShard!.maxZ).toEqual([one.lee!.maxZ[1], one.lee!.maxZ[4]]);
    const labels = ["s1.json", "s2.json", "s3.json"];
    expect(JSON.stringify(mergeScans([shards[2], shards[0], shards[1]], [labels[2], labels[0], labels[1]]))).toBe(
      JSON.stringify(one),
    );
    expect(() => mergeScans([shards[0], shards[2]], [labels[0], labels[2]])).toThrow(
      "merge: a shard is missing (shard 2/3): 10 of the scan's 15 mass points present, 5 of its 7 LEE toy scans " +
        "present",
    );
    const otherSeed = await runScan(spec, values, { leeToys: 7, seed: 4, shard: { k: 2, n: 3 } });
    expect(otherSeed.leeShard!.maxZ).not.toEqual(shards[1].leeShard!.maxZ);
    expect(() => mergeScans([shards[0], otherSeed, shards[2]], labels)).toThrow(
      "merge: s2.json comes from a different seed than s1.json (4, not 3)",
    );
    const noToys = await runScan(spec, values, { shard: { k: 2, n: 3 } });
    expect(() => mergeScans([shards[0], noToys, shards[2]], labels)).toThrow(
      "merge: s2.json comes from a different number of LEE toy scans than s1.json (0, not 7)",
    );
    expect(() => mergeScans([one], ["one.json"])).toThrow(/one\.json holds combined LEE toy scans/);
  }, 120_000);

  test("toys: each point's toy batches split over the workers give the same results as one thread", async () => {
    const values = await events("bump-1e4");
    const toySpec = { ...spec, scan: { masses: [4.2, 6] }, limit: { method: "toys" as const, toys: 60, seed: 5 } };
    const here = JSON.stringify(await runScan(toySpec, values));
    const pool = await WorkerPool.start(2);
    try {
      expect(JSON.stringify(await runScan(toySpec, values, { pool }))).toBe(here);
    } finally {
      await pool.close();
    }
  }, 120_000);

  test("the point at 4.2 GeV reproduces the single-mass reference fit and limit", async () => {
    const values = await events("bump-1e4");
    const result = await runScan(
      scanSpec({ masses: [4.2] }, { signal: { shape: "crystalBall", sigma: 0.05, alpha: 1.5, n: 3 } }),
      values,
    );
    const p = result.points[0];
    expect(Math.abs(p.nsig! - 47.8477)).toBeLessThan(0.05 * 15.49);
    expect(relDiff(p.observed!, 68.342)).toBeLessThan(0.01);
    expect(relDiff(p.expected!["0"], 23.3715)).toBeLessThan(0.01);
    expect(result.maxLocalZ!.z).toBeCloseTo(3.3648, 2);
  });

  test("a failing point is reported with its mass and the error, and the scan goes on", async () => {
    const values = await events("bump-1e4");
    const bad = scanSpec(
      { masses: [2, 4.2, 0.0001], window: 5 },
      { signal: { shape: "crystalBall", sigma: 0.05, alpha: 1.5, n: 3 }, parameters: { nsig: { init: -1e6 } } },
    );
    const result = await runScan(bad, values);
    expect(result.points).toHaveLength(3);
    expect(result.points[0].status).toBe("failed");
    expect(result.points[0].mass).toBe(2);
    expect(result.points[0].reason).toMatch(/density is ≤ 0 at some event for the start values \(nsig = -1000000/);
    expect(result.points[1].status).toBe("failed");
    expect(result.points[2].status).toBe("skipped");
  });

  test("progress reports every point with an ETA; an AbortSignal cancels the scan", async () => {
    const values = await events("bump-1e4");
    const seen: number[] = [];
    await runScan(spec, values, { onProgress: (p) => (seen.push(p.done), expect(p.etaMs).toBeGreaterThanOrEqual(0)) });
    expect(seen).toEqual(massGrid(spec).map((_, i) => i + 1));
    const controller = new AbortController();
    const pool = await WorkerPool.start(2);
    try {
      const run = runScan(spec, values, { pool, signal: controller.signal, onProgress: () => controller.abort() });
      await expect(run).rejects.toThrow(/scan cancelled/);
    } finally {
      await pool.close();
    }
  }, 60_000);

  test("onPoint hears every point once", async () => {
    const points: number[] = [];
    const pool = await WorkerPool.start(2);
    await runScan(spec, await events("bump-1e4"), { pool, onPoint: (p) => points.push(p.index) }).finally(() =>
      pool.close(),
    );
    expect(points.sort((a, b) => a - b)).toEqual(massGrid(spec).map((g) => g.index));
  }, 60_000);

  test("closing the pool stops the work under way at once: pending calls reject", async () => {
    const { cm } = await referenceModel("bump-1e4");
    const pool = await WorkerPool.start(2);
    // 100 000 toys of 1e4 events: tens of seconds of work for two workers
    const batch = new ToyCalculator(cm, { toys: 1, seed: 42, pool }).runBatch(
      { nsig: 50, nbkg: 10000, c1: -1.2, c2: 0.3 },
      1,
      3,
      60,
      0,
      100_000,
    );
    await new Promise((ok) => setTimeout(ok, 300));
    const t0 = performance.now();
    const outcome = expect(batch).rejects.toThrow(/the worker pool was closed/);
    await pool.close();
    await outcome;
    expect(performance.now() - t0).toBeLessThan(1000);
  }, 60_000);
});

describe("global significance (Gross–Vitells)", () => {
  test("background-only toy scans agree with Gross–Vitells in the tail (a smooth scan, step σ/2)", async () => {
    const { generate } = await import("../src/core/generate.js");
    const { buildModel } = await import("../src/model/spec.js");
    const normalCdf = (await import("@stdlib/stats-base-dists-normal-cdf")).default;
    const spec = parseSpec({
      observable: { range: [0, 10] },
      signal: { shape: "gaussian", sigma: 0.2 },
      background: { shape: "expPoly", order: 1 },
      scan: { from: 0.5, to: 9.5, step: 0.5 },
    });
    const [values] = generate(buildModel(spec, { mass: 5, nEvents: 1000 }), { nsig: 0, nbkg: 1000, c1: -1 }, 12);
    const pool = await WorkerPool.start(2);
    try {
      const r = await runScan(spec, values, { pool, method: "none", leeToys: 300, seed: 4 });
      const lee = r.lee!;
      expect(lee.maxZ).toHaveLength(300);
      expect(lee.globalPError).toBeGreaterThan(0);
      for (const z of [2.5, 3]) {
        const toys = lee.maxZ.filter((x) => x >= z).length / lee.toys;
        const gv = 1 - normalCdf(z, 0, 1) + lee.meanUpcrossings * Math.exp(-(z * z - 0.5) / 2);
        expect(Math.abs(toys - gv)).toBeLessThan(3 * Math.sqrt((gv * (1 - gv)) / lee.toys));
      }
    } finally {
      await pool.close();
    }
  }, 120_000);

  test("counts up-crossings of q0 above c0 and applies p_global = p_local + N·e^{−(c−c0)/2}", () => {
    const q0 = [0, 0.2, 1, 0.1, 0, 2, 9, 3, 0.3, 0.6, 0.2];
    const g = grossVitells(
      q0.map((q, i) => ({ mass: i, q0: q, z: Math.sqrt(q) })),
      0.5,
    );
    expect(g.upcrossings).toBe(3);
    expect(g.maxLocalZ).toEqual({ mass: 6, z: 3 });
    expect(g.localP).toBeCloseTo(1.3498980316301e-3, 12);
    expect(g.globalP).toBeCloseTo(1.3498980316301e-3 + 3 * Math.exp(-(9 - 0.5) / 2), 12);
    expect(g.globalZ).toBeCloseTo(1.7045, 3); // Φ⁻¹(1 − 0.04418)
  });

  test("no fitted point: no maximum, NaN significance", () => {
    expect(grossVitells([]).maxLocalZ).toBeNull();
  });
});
