/**
 * The upper limit at one mass, by every method the spec may name: asymptotic CLs and Bayesian
 * (profiled or marginalised nuisances) in a Web Worker of the page (job-worker.ts), CLs with toys
 * over the worker pool (the toy batches split over the workers, as in a scan). Either way the page
 * stays responsive, the long parts report progress, and Cancel ends the workers at once.
 */
import type { Dataset, LimitOptions, LimitReport, Spec } from "../../src/browser.js";
import { BumpscanError, limit, WorkerPool } from "../../src/browser.js";
import { esc } from "./dom.js";
import type { JobReply, JobRequest } from "./job-worker.js";

/** Progress of a job: `total` undefined where it is not known in advance (toy limits). */
export type JobProgress = (done: number, total: number | undefined, unit: string) => void;

export interface RunningJob<T> {
  /** Rejects with "<what> cancelled" after cancel(). */
  result: Promise<T>;
  cancel(): void;
}

/**
 * A job in its own Web Worker (job-worker.ts), which ends with the job.
 * @example
 * const job = startJob({ kind: "spectrum", spec, events, bins: 80 }, onProgress, "spectrum"); await job.result;
 */
export function startJob(request: JobRequest, onProgress: JobProgress, what: string): RunningJob<JobReply> {
  const worker = new Worker(new URL("./job-worker.ts", import.meta.url), { type: "module" });
  let stop: (e: Error) => void = () => {};
  const result = new Promise<JobReply>((resolve, reject) => {
    stop = reject;
    worker.onmessage = (e: MessageEvent<JobReply>) => {
      const reply = e.data;
      if ("progress" in reply) onProgress(reply.progress.done, reply.progress.total, reply.progress.unit);
      else if ("error" in reply) reject(new BumpscanError(reply.error));
      else resolve(reply);
    };
    worker.onerror = (e) => reject(new BumpscanError(`the ${what} worker did not start (${e.message || "no script"})`));
    worker.postMessage(request);
  }).finally(() => worker.terminate());
  return {
    result,
    cancel: () => {
      worker.terminate();
      stop(new BumpscanError(`${what} cancelled`));
    },
  };
}

/** What the limit button runs: the spec's method, CL, toys and seed, and the page's choices. */
export interface LimitRequest {
  spec: Spec;
  events: Dataset | Dataset[];
  mass: number;
  options: Pick<LimitOptions, "method" | "cl" | "toys" | "seed" | "marginalise" | "expectedToys">;
  /** Workers for toy limits. */
  workers: number;
}

/**
 * Start the limit at one mass: toys on a worker pool, the other methods in a Web Worker.
 * @example
 * const job = startLimit({ spec, events: { values }, mass: 5.1, options: { method: "bayes" }, workers: 2 }, log);
 * (await job.result).observed;
 */
export function startLimit(req: LimitRequest, onProgress: JobProgress): RunningJob<LimitReport> {
  const { spec, events, mass, options } = req;
  if (!Number.isFinite(mass)) throw new BumpscanError("the mass must be a number");
  if (options.method !== "toys") {
    const job = startJob({ kind: "limit", spec, events, mass, options }, onProgress, "limit");
    return { result: job.result.then((r) => (r as { limit: LimitReport }).limit), cancel: job.cancel };
  }
  let pool: WorkerPool | undefined;
  let cancelled = false;
  const result = (async () => {
    pool = await WorkerPool.start(req.workers);
    if (cancelled) throw new BumpscanError("limit cancelled");
    try {
      return await limit(spec, events, mass, { ...options, pool, onProgress });
    } catch (e) {
      throw cancelled ? new BumpscanError("limit cancelled") : e;
    } finally {
      void pool.close();
    }
  })();
  return {
    result,
    cancel: () => {
      cancelled = true;
      void pool?.close(); // the toy batches under way end at once; the limit rejects
    },
  };
}

/** A number as the tables show it: 4 significant digits, "—" for anything not finite. */
export const num = (v: number | undefined, digits = 4) =>
  v !== undefined && Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : "—";

const METHOD_NAMES: Record<string, string> = {
  asymptotic: "CLs, asymptotic",
  toys: "CLs, toys",
  bayes: "Bayesian",
  fc: "Feldman–Cousins",
};

/**
 * The limit report as table rows: method, observed limit (with its toy error), the expected median
 * and its ±1σ and ±2σ bands where the method gives them.
 */
export function limitRows(r: LimitReport, unit = ""): string {
  const u = unit ? ` ${esc(unit)}` : "";
  const method =
    (METHOD_NAMES[r.method] ?? r.method) +
    (r.nuisances ? `, nuisances ${r.nuisances}` : "") +
    (r.statistic === "clsb" ? " (CLs+b)" : "");
  const row = (k: string, v: string) => `<tr><td>${k}</td><td>${v}</td></tr>`;
  const e = r.expected;
  const band = (a: "-1" | "-2", b: "1" | "2") => (e ? `[${num(e[a])}, ${num(e[b])}]` : "—");
  const rows = [
    row("mass", `${num(r.mass, 6)}${u}`),
    row("method", esc(method)),
    row("confidence level", `${num(r.cl * 100)}%`),
    row("events in the fit range", String(r.events)),
    row(
      `observed limit on ${esc(r.poi)}`,
      `<b class="observed">${num(r.observed)}</b>` +
        (r.observedError !== undefined && Number.isFinite(r.observedError) ? ` ± ${num(r.observedError, 2)}` : ""),
    ),
  ];
  if (e && Number.isFinite(e["0"])) {
    rows.push(row("expected (median)", `<span class="expected">${num(e["0"])}</span>`));
    rows.push(row("expected ±1σ", band("-1", "1")));
    rows.push(row("expected ±2σ", band("-2", "2")));
  } else rows.push(row("expected", "not computed for this method"));
  if (r.toys)
    rows.push(row("toys", `${r.toys.sb} s+b, ${r.toys.b} b-only${r.toys.failed ? `, ${r.toys.failed} failed` : ""}`));
  if (r.expectedToys) rows.push(row("pseudo-experiments (band)", String(r.expectedToys)));
  rows.push(row("time", `${(r.timing.limitMs / 1000).toFixed(2)} s`));
  return rows.join("");
}
