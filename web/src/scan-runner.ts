/**
 * A scan on a pool of Web Workers, through the library's own runScan: each finished point is
 * reported for the live plots, and cancelling terminates the workers at once.
 */
import type { Dataset, Spec } from "../../src/browser.js";
import {
  type PointResult,
  type Progress,
  type RunScanOptions,
  runScan,
  type ScanResult,
  WorkerPool,
} from "../../src/api/scan.js";

export interface ScanHooks {
  onPoint(points: PointResult[]): void;
  onProgress(p: Progress): void;
  /** Background-only toy scans (LEE) and marginalised Bayesian nuisances. */
  options?: Pick<RunScanOptions, "leeToys" | "marginalise" | "expectedToys">;
}

export interface RunningScan {
  /** The whole scan; rejects with "scan cancelled" after cancel(). */
  result: Promise<ScanResult>;
  cancel(): void;
}

/**
 * Start a scan of `values` on `workers` Web Workers.
 * @example
 * const run = await startScan(spec, { values }, 2, { onPoint, onProgress }); … run.cancel();
 */
export async function startScan(
  spec: Spec,
  events: Dataset | Dataset[],
  workers: number,
  hooks: ScanHooks,
): Promise<RunningScan> {
  // Vite bundles the library's worker from the literal URL in src/platform/browser.ts
  const pool = await WorkerPool.start(workers);
  const controller = new AbortController();
  const points: PointResult[] = [];
  const result = runScan(spec, events, {
    ...hooks.options,
    pool,
    signal: controller.signal,
    onProgress: hooks.onProgress,
    onPoint: (p) => {
      points.push(p);
      hooks.onPoint(points);
    },
  }).finally(() => pool.close());
  return {
    result,
    cancel: () => {
      controller.abort();
      void pool.close(); // terminates the workers mid-point
    },
  };
}
