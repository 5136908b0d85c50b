/**
 * A Web Worker of the page for the jobs at one mass that may take seconds: the upper limit
 * (asymptotic or Bayesian, the Bayesian band's pseudo-experiments reported as they go) and the
 * background-only fit over the whole spectrum. Toy limits run in the page over the worker pool
 * (limit-panel.ts). It answers one message, a JobRequest, with progress messages and then the
 * result or the error's message.
 */
import type { Dataset } from "../../src/core/compile.js";
import { instantiateCore } from "../../src/core/wasm.js";
import { fit } from "../../src/infer/fit.js";
import { compileAt, pointEvents } from "../../src/job/events.js";
import { type LimitOptions, type LimitReport, limitAtMass } from "../../src/job/mass-job.js";
import type { Spec } from "../../src/model/spec.js";
import { scanGrid } from "../../src/scan/grid.js";

export type JobRequest =
  | { kind: "limit"; spec: Spec; events: Dataset | Dataset[]; mass: number; options: LimitOptions }
  | { kind: "spectrum"; spec: Spec; events: Dataset | Dataset[]; bins: number };

/** One sample's whole spectrum: events per bin and the background-only fit's expected events per bin. */
export interface SampleSpectrum {
  name?: string;
  lo: number;
  width: number;
  counts: number[];
  background: number[];
  /** Events in the sample's range (weighted: their sum of weights). */
  events: number;
}

export interface Spectrum {
  status: string;
  parameters: Record<string, number>;
  samples: SampleSpectrum[];
}

export type JobReply =
  | { progress: { done: number; total?: number; unit: string } }
  | { limit: LimitReport }
  | { spectrum: Spectrum }
  | { error: string };

const scope = self as unknown as {
  onmessage: (e: MessageEvent<JobRequest>) => void;
  postMessage: (m: JobReply) => void;
};

/**
 * The background-only fit (POI at 0) over every sample's whole range, and each sample's histogram
 * with the fit's expected events per bin (closed-form integrals over the bins).
 */
async function spectrum(spec: Spec, events: Dataset | Dataset[], bins: number): Promise<Spectrum> {
  // the signal is off in this fit: any mass the model can be built at will do
  const [lo, hi] = spec.observable.range;
  const masses = [
    (lo + hi) / 2,
    ...scanGrid(spec)
      .filter((g) => !g.skipped && !g.region)
      .map((g) => g.mass),
  ];
  const full: Spec = spec.scan ? { ...spec, scan: { ...spec.scan, window: undefined } } : spec;
  let point: ReturnType<typeof pointEvents> | undefined;
  let mass = masses[0];
  let problem: unknown;
  for (const m of masses) {
    try {
      point = pointEvents(full, events, m, false);
      mass = m;
      break;
    } catch (e) {
      problem ??= e;
    }
  }
  if (!point) throw problem;
  const core = await instantiateCore();
  const { cm, model } = compileAt(core, full, point.data, mass, point.layout, point.nllScales);
  const b = fit(cm, { fixed: { [model.poi]: 0 }, hesse: false });
  cm.values = cm.names.map((n) => b.values[n]);
  return {
    status: b.status,
    parameters: b.values,
    samples: point.layout.samples.map((w, k) => {
      const [a, z] = w.range;
      const width = (z - a) / bins;
      const counts = new Array<number>(bins).fill(0);
      const { values, weights } = point.data[k];
      let sum = 0;
      values.forEach((x, i) => {
        const wt = weights ? weights[i] : 1;
        counts[Math.min(bins - 1, Math.max(0, Math.floor((x - a) / width)))] += wt;
        sum += wt;
      });
      const edges = Array.from({ length: bins + 1 }, (_, i) => a + i * width);
      return {
        ...(w.name ? { name: w.name } : {}),
        lo: a,
        width,
        counts,
        background: Array.from(cm.binYields(k, edges)),
        events: sum,
      };
    }),
  };
}

scope.onmessage = async ({ data }) => {
  try {
    if (data.kind === "limit") {
      const limit = await limitAtMass(data.spec, data.events, data.mass, {
        ...data.options,
        onProgress: (done, total, unit) => scope.postMessage({ progress: { done, total, unit } }),
      });
      scope.postMessage({ limit });
    } else scope.postMessage({ spectrum: await spectrum(data.spec, data.events, data.bins) });
  } catch (e) {
    scope.postMessage({ error: e instanceof Error ? e.message : String(e) });
  }
};
