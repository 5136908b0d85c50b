/**
 * Background-only toy scans for the look-elsewhere effect, one toy scan as one task: the toy
 * spectrum of each region drawn from its background-only fit (seeded per toy index and region, so
 * a toy scan is the same in whichever thread, run or shard it runs), its own background-only fit,
 * and q0 at every grid point, scanned exactly as the data (windows, vetoes, samples, regions).
 * Full-range points take q0 from the toy's background-only fit (`discoveryFrom`); the others fit
 * as the data scan does.
 */
import { BumpscanError } from "../errors.js";
import { nextTurn } from "../infer/progress.js";
import type { Spec } from "../model/spec.js";
import { factorValue, type Model } from "../model/model.js";
import type { Dataset } from "../core/compile.js";
import type { CoreExports } from "../core/wasm.js";
import { ToyRunner } from "../infer/toy-runner.js";
import { knots, panelEdges, peaks } from "../infer/asimov.js";
import { TOY_HYPOTHESIS_B } from "../core/abi.js";
import { compileAt } from "../job/events.js";
import { fit } from "../infer/fit.js";
import { grossVitells } from "./global.js";
import type { GridPoint } from "./grid.js";
import { type PointResult, ScanWorkspace } from "./point.js";

/** One region of the toy scans: what its spectra are drawn from and the grid they are scanned on. */
export interface LeeRegion {
  spec: Spec;
  grid: GridPoint[];
  /** The model the spectra are drawn from (every sample's whole range). */
  model: Model;
  /** The background-only fit to the data over the whole range (the POI at 0). */
  background: Record<string, number>;
}

/** Everything a toy scan needs: plain data, so a worker can take it. */
export interface LeeJob {
  regions: LeeRegion[];
  seed: number;
}

/** One toy scan's largest local Z and its up-crossings (Gross–Vitells). */
export interface ToyScan {
  maxZ: number;
  upcrossings: number;
}

/** The mass index that keys the streams of LEE toy spectra (grid points have smaller ones). */
export const LEE_STREAM = 0xffffff;

/**
 * A toy spectrum's own background-only fit over the whole range, tight (EDM < 1e-6), started from
 * the data's; undefined where it fails (the points then fit from scratch).
 */
function toyBackground(core: CoreExports, region: LeeRegion, data: Dataset[]): Record<string, number> | undefined {
  const first = region.grid.find((g) => !g.skipped);
  if (!first || data.some((d) => d.values.length === 0)) return undefined;
  const mark = core.mark();
  try {
    const { cm } = compileAt(core, region.spec, data, first.mass);
    const start = region.background;
    const b = fit(cm, { start, fixed: { [cm.model.poi]: 0 }, hesse: false, tol: 0.001 });
    return b.status === "converged" ? b.values : undefined;
  } catch {
    return undefined;
  } finally {
    core.release(mark);
  }
}

/** The generator of a region's toy spectra: the core's toy engine over its model, no fits. */
function spectra(core: CoreExports, region: LeeRegion, seed: number): ToyRunner {
  const { model } = region;
  const at = (name: string) => (name === model.poi ? 0 : region.background[name]);
  return new ToyRunner(core, {
    model,
    // Poisson counts beyond ν + 10√ν + 100 do not happen
    capacity: model.samples.map((s) => {
      const nu = s.components.reduce(
        (sum, c) => sum + c.yieldFactors.reduce((y, f) => y * factorValue(f, at(f.param)), c.yieldConstant),
        0,
      );
      return Math.ceil(nu + 10 * Math.sqrt(nu) + 100);
    }),
    grids: model.samples.map((s, k) => panelEdges(s.range, peaks(model, k), 400, 4, s.exclude, knots(model, k))),
    seed,
    massIndex: LEE_STREAM,
    maxCalls: 0,
    poiStart: 0,
  });
}

/** A LEE job on one core: its toy scans, one at a time. */
export class LeeScanner {
  private readonly runners: ToyRunner[];
  private readonly base: number;

  constructor(
    readonly core: CoreExports,
    readonly job: LeeJob,
  ) {
    this.runners = job.regions.map((r) => spectra(core, r, job.seed));
    this.base = core.mark();
  }

  /**
   * Toy scan number `t`: each region's spectrum drawn in the core (stream: toy t, region r, the
   * LEE mass index, background-only), its background-only fit, q0 at every grid point.
   * @param stopped asked between points: true stops the scan ("scan cancelled").
   */
  async scan(t: number, stopped: () => boolean = () => false): Promise<ToyScan> {
    const points: PointResult[] = [];
    for (const [r, region] of this.job.regions.entries()) {
      this.core.release(this.base);
      const gen = region.model.parameters.map((p) => (p.name === region.model.poi ? 0 : region.background[p.name]));
      const data = this.runners[r].generate(gen, t, r, TOY_HYPOTHESIS_B).map((v) => ({ values: v.sort() }));
      // without a scan window the points fit the whole range: they take q0 from the toy's own background-only fit
      const own = region.spec.scan?.window === undefined ? toyBackground(this.core, region, data) : undefined;
      const workspace = new ScanWorkspace(this.core, region.spec, data, own);
      for (const [i, g] of region.grid.entries()) {
        if (i % 32 === 31) await nextTurn(); // a stop (Ctrl-C) is heard between points
        if (stopped()) throw new BumpscanError("scan cancelled");
        points.push(await workspace.point(g, { method: "q0", cl: 0.9 }));
      }
    }
    this.core.release(this.base);
    const g = grossVitells(points.sort((a, b) => a.index - b.index));
    return { maxZ: g.maxLocalZ?.z ?? 0, upcrossings: g.upcrossings };
  }
}
