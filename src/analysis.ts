/**
 * Spec-level jobs: a spec and its events in, the numbers of DESIGN.md §6 out. The CLI and the
 * library's users call these; they compose model → compiled model → fit → test statistic.
 */
import { CompiledModel, loadData, Dataset, FitStatus } from "./core/compile.js";
import { CoreExports, instantiateCore } from "./core/wasm.js";
import { discovery } from "./infer/significance.js";
import { buildModel, Spec } from "./model/spec.js";
import { BumpscanError } from "./errors.js";

export interface FitReport {
  mass: number;
  status: FitStatus;
  valid: boolean;
  nll: number;
  edm: number;
  nfcn: number;
  parameters: Record<string, { value: number; error: number }>;
  covarianceForced: boolean;
  q0: number;
  z: number;
  background: { status: FitStatus; nll: number; parameters: Record<string, number> };
  events: number;
  timing: { fitMs: number };
}

/**
 * Fit the spec's model at one signal mass: the free fit with HESSE errors, the background-only
 * fit, q0 and the signed local Z.
 * @example
 * const report = await fitAtMass(spec, { values }, 4.2);
 * report.parameters.nsig; // { value: 47.8, error: 15.5 } on bump-1e4
 */
export async function fitAtMass(spec: Spec, events: Dataset, mass: number, core?: CoreExports): Promise<FitReport> {
  const c = core ?? (await instantiateCore());
  const mark = c.mark();
  try {
    const model = buildModel(spec, { mass, nEvents: events.values.length });
    const t0 = performance.now();
    const cm = new CompiledModel(c, model, loadData(c, [events]));
    const start = cm.nll(model.parameters.map((p) => p.value));
    if (!Number.isFinite(start)) {
      throw new BumpscanError(`the model density is ≤ 0 at some event for the start values (${model.parameters.map((p) => `${p.name} = ${p.value}`).join(", ")}); set other start values under "parameters"`);
    }
    const d = discovery(cm);
    const fitMs = performance.now() - t0;
    const f = d.free;
    return {
      mass, status: f.status, valid: f.valid, nll: f.nll, edm: f.edm, nfcn: f.nfcn + d.background.nfcn,
      parameters: Object.fromEntries(cm.names.map((n) => [n, { value: f.values[n], error: f.errors[n] }])),
      covarianceForced: f.covarianceForced, q0: d.q0, z: d.z,
      background: { status: d.background.status, nll: d.background.nll, parameters: d.background.values },
      events: events.values.length,
      timing: { fitMs },
    };
  } finally {
    c.release(mark);
  }
}
