/**
 * Where toys run when not in the calling thread: the calculators need only this, and the worker
 * pool (src/scan/pool.ts) provides it, so inference knows nothing of workers.
 */
import type { ToyBatch, ToyRunner, ToyRunnerConfig } from "./toy-runner.js";

/**
 * Runs toy batches elsewhere (e.g. `WorkerPool`), with the same results as a ToyRunner here.
 */
export interface ToyExecutor {
  /** Give every place the toys run the toy engine of one model. */
  configureToys(config: ToyRunnerConfig): Promise<void>;
  /** ToyRunner.runBatch, its toys split over the places they run and joined in order. */
  runBatch(...args: Parameters<ToyRunner["runBatch"]>): Promise<ToyBatch[]>;
}
