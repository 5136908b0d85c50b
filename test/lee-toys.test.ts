// Background-only toy scans for the look-elsewhere effect: the quick q0 of a toy scan's points
// (from the toy's own background-only fit) against full discovery fits, the toy spectra drawn in
// the core, and the same toy scans whichever thread runs them.
import { describe, expect, test } from "vitest";
import { parseSpec } from "../src/model/parse.js";
import { buildModel } from "../src/model/spec.js";
import { generate } from "../src/core/generate.js";
import { instantiateCore } from "../src/core/wasm.js";
import { compileAt } from "../src/job/events.js";
import { fit } from "../src/infer/fit.js";
import { scanGrid } from "../src/scan/grid.js";
import { ScanWorkspace } from "../src/scan/point.js";
import { runScan } from "../src/scan/scan.js";
import { WorkerPool } from "../src/scan/pool.js";
import { LEE_STREAM, LeeScanner } from "../src/scan/lee-toys.js";
import { ToyRunner } from "../src/infer/toy-runner.js";
import { knots, panelEdges, peaks } from "../src/infer/asimov.js";

const spec = parseSpec({
  observable: { name: "m", range: [0, 10] },
  signal: { shape: "crystalBall", sigma: 0.08, alpha: 1.5, n: 3 },
  background: { shape: "expPoly", order: 2 },
  scan: { from: 0.5, to: 9.5, step: 0.5 },
});

/** A spectrum with two small bumps, so that many points have a positive signal and some a large q0. */
function spectrum(seed: number): Float64Array {
  const n = 8000;
  const bkg = generate(buildModel(spec, { mass: 3, nEvents: n }), { nsig: 0, nbkg: n, c1: -0.4, c2: 0.02 }, seed)[0];
  const bump = (m: number, k: number, s: number) =>
    generate(buildModel(spec, { mass: m, nEvents: k }), { nsig: k, nbkg: 0, c1: 0, c2: 0 }, s)[0];
  return Float64Array.from([...bkg, ...bump(2.5, 60, seed + 1), ...bump(7.1, 25, seed + 2)]).sort();
}

describe("LEE toy scans", () => {
  test("the quick q0 of every point equals a full discovery fit's within 1e-3", async () => {
    const core = await instantiateCore();
    for (const seed of [3, 4]) {
      const values = spectrum(seed);
      const data = [{ values }];
      const { cm } = compileAt(core, spec, data, 5);
      const b = fit(cm, { fixed: { nsig: 0 }, hesse: false, tol: 0.001 });
      expect(b.status).toBe("converged");
      const grid = scanGrid(spec);
      const quick = new ScanWorkspace(core, spec, data, b.values);
      const q = [];
      for (const g of grid) q.push(await quick.point(g, { method: "q0", cl: 0.9 }));
      const full = new ScanWorkspace(core, spec, data, b.values);
      const f = [];
      for (const g of grid) f.push(await full.point(g, { method: "none", cl: 0.9 }));
      let positive = 0;
      for (const [i, p] of q.entries()) {
        expect(p.status, `m = ${p.mass}`).toBe("converged");
        expect(Math.abs(p.q0! - f[i].q0!), `q0 at m = ${p.mass}: ${p.q0} vs ${f[i].q0}`).toBeLessThan(1e-3);
        if (f[i].z! > 0) positive++;
        // Z = √q0 for a positive signal (where Z is small a 1e-3 in q0 moves it more)
        if (f[i].z! > 1) expect(Math.abs(p.z! - f[i].z!), `Z at m = ${p.mass}`).toBeLessThan(1e-3);
      }
      // the test means something: both signs occur, and the bump stands out
      expect(positive).toBeGreaterThan(10);
      expect(positive).toBeLessThan(grid.length - 10);
      expect(Math.max(...q.map((p) => p.q0!))).toBeGreaterThan(9);
    }
  }, 60_000);

  test("toy spectra are drawn in the core: Poisson counts around the fitted yield, the fitted shape", async () => {
    const values = spectrum(5);
    const core = await instantiateCore();
    const { cm, model } = compileAt(core, spec, [{ values }], 5);
    const b = fit(cm, { fixed: { nsig: 0 }, hesse: false });
    const runner = new ToyRunner(core, {
      model,
      capacity: [20000],
      grids: [panelEdges(model.samples[0].range, peaks(model, 0), 400, 4, [], knots(model, 0))],
      seed: 9,
      massIndex: LEE_STREAM,
      maxCalls: 0,
      poiStart: 0,
    });
    const gen = model.parameters.map((p) => (p.name === "nsig" ? 0 : b.values[p.name]));
    const counts: number[] = [];
    const below2: number[] = [];
    for (let t = 0; t < 40; t++) {
      const [toy] = runner.generate(gen, t, 0, 0);
      counts.push(toy.length);
      below2.push(toy.filter((x) => x < 2).length / toy.length);
      expect(toy.every((x) => x >= 0 && x <= 10)).toBe(true);
    }
    // the same toy again: the stream is keyed by its index
    expect(runner.generate(gen, 7, 0, 0)[0]).toEqual(runner.generate(gen, 7, 0, 0)[0]);
    const nu = b.values.nbkg;
    const mean = counts.reduce((a, c) => a + c, 0) / counts.length;
    expect(Math.abs(mean - nu)).toBeLessThan(4 * Math.sqrt(nu / counts.length));
    // the fitted shape's share below 2 (midpoint rule over the fitted density)
    cm.values = gen;
    const integral = (lo: number, hi: number) => {
      const n = 4000;
      const xs = Array.from({ length: n }, (_, i) => lo + ((i + 0.5) * (hi - lo)) / n);
      return (cm.density(0, xs).reduce((a, d) => a + d, 0) * (hi - lo)) / n;
    };
    const share = integral(0, 2) / integral(0, 10);
    const meanShare = below2.reduce((a, c) => a + c, 0) / below2.length;
    expect(Math.abs(meanShare - share)).toBeLessThan(4 * Math.sqrt((share * (1 - share)) / (nu * below2.length)));
  }, 60_000);

  test("the same toy scans on a pool of 2 workers as here, in toy order", async () => {
    const values = spectrum(6);
    const small = parseSpec({ ...spec, scan: { from: 1, to: 9, step: 1 } });
    const here = await runScan(small, values, { method: "none", leeToys: 6, seed: 11 });
    const pool = await WorkerPool.start(2);
    try {
      const there = await runScan(small, values, { method: "none", leeToys: 6, seed: 11, pool });
      expect(there.lee).toEqual(here.lee);
    } finally {
      await pool.close();
    }
    // a LeeScanner gives toy 4 alone as the run gave it in its sequence
    const core = await instantiateCore();
    const grid = scanGrid(small);
    const { cm, model } = compileAt(core, small, [{ values }], grid[0].mass); // as the run does
    const b = fit(cm, { fixed: { nsig: 0 }, hesse: false });
    const region = { spec: small, grid, model, background: b.values };
    const alone = await new LeeScanner(core, { regions: [region], seed: 11 }).scan(4);
    expect(alone.maxZ).toBe(here.lee!.maxZ[4]);
  }, 120_000);
});
