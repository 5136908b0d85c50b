/**
 * HS3 at the job level: a spec's model and events at one mass written as an HS3 document (the
 * model a fit there uses, over the events it uses), and the fit of an HS3 document as `fit` reports it.
 */
import { CompiledModel, type Dataset, loadData } from "../core/compile.js";
import { instantiateCore } from "../core/wasm.js";
import { BumpscanError } from "../errors.js";
import { discovery } from "../infer/significance.js";
import { type ErrorMode, isWeighted, nllScales, weightedErrors } from "../infer/weights.js";
import { hs3ToModel } from "../io/hs3-import.js";
import { type Hs3Document, type Hs3ExportOptions, modelToHs3 } from "../io/hs3.js";
import { argParts, type Model } from "../model/model.js";
import type { Spec } from "../model/spec.js";
import { compileAt, pointEvents, type RangeOptions } from "./events.js";
import type { FitReport } from "./mass-job.js";

/**
 * The spec's model at `mass` with the events a fit there uses (the window's, outside vetoes) as an
 * HS3 document: what `fit` at that mass fits, for pyhs3 or ROOT to read (docs/hs3.md).
 * @example
 * import { readFileSync } from "node:fs";
 * import { exportHs3, parseSpec, readColumn } from "bumpscan";
 * const spec = parseSpec(JSON.parse(readFileSync("spec.json", "utf8")), "spec.json");
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * const doc = await exportHs3(spec, { values }, 4.2);
 * doc.metadata.hs3_version; // => "0.2.9"
 * doc.distributions.map((d) => d.type); // => ["crystalball_dist", "generic_dist", "mixture_dist"]
 * doc.data[0].entries.length; // => 10112
 */
export async function exportHs3(
  spec: Spec,
  events: Dataset | Dataset[],
  mass: number,
  options: RangeOptions & Hs3ExportOptions = {},
): Promise<Hs3Document> {
  const point = pointEvents(spec, events, mass, options.window);
  const core = await instantiateCore();
  const { model } = compileAt(core, spec, point.data, mass, point.layout, point.nllScales);
  return modelToHs3(model, point.data, {
    ...options,
    description: options.description ?? `bumpscan model at mass ${mass}`,
  });
}

/**
 * Fit an HS3 document (docs/hs3.md) as `fit` fits a spec at one mass: the free fit, the fit with
 * the parameter of interest at 0, q0 and the local Z. `mass` is the mean of the distribution whose
 * yield is the parameter of interest (NaN if that is not a number).
 * @example
 * import { readFileSync } from "node:fs";
 * import { exportHs3, fitHs3, parseSpec, readColumn } from "bumpscan";
 * const spec = parseSpec(JSON.parse(readFileSync("spec.json", "utf8")), "spec.json");
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * const r = await fitHs3(await exportHs3(spec, { values }, 4.2));
 * [r.mass, r.parameters.nsig.value, r.z]; // => [4.2, 47.85, 3.365]
 */
export async function fitHs3(
  doc: unknown,
  options: { errors?: ErrorMode; analysis?: string } = {},
): Promise<FitReport> {
  const { model, data, dropped } = hs3ToModel(doc, options.analysis);
  const core = await instantiateCore();
  const t0 = performance.now();
  const scales = isWeighted(data) ? nllScales(data) : undefined;
  const cm = new CompiledModel(core, model, loadData(core, data), { scales });
  if (!Number.isFinite(cm.nll(model.parameters.map((p) => p.value))))
    throw new BumpscanError("HS3: the model density is ≤ 0 at some event for the document's start values");
  const d = discovery(cm);
  const mode: ErrorMode = scales ? (options.errors ?? "asymptotic") : "hesse";
  const f = scales ? { ...d.free, ...weightedErrors(cm, d.free, data, mode) } : d.free;
  const events = data.reduce((n, x) => n + x.values.length, 0);
  return {
    mass: signalMean(model) ?? NaN,
    status: f.status,
    valid: f.valid,
    nll: f.nll,
    edm: f.edm,
    nfcn: f.nfcn + d.background.nfcn,
    parameters: Object.fromEntries(cm.names.map((n) => [n, { value: f.values[n], error: f.errors[n] }])),
    covarianceForced: f.covarianceForced,
    atLimit: f.atLimit,
    errors: mode,
    q0: d.q0,
    p0: d.p0,
    z: d.z,
    background: { status: d.background.status, nll: d.background.nll, parameters: d.background.values },
    range: model.samples[0].range,
    events,
    eventsOutside: dropped.reduce((a, b) => a + b, 0),
    ...(scales ? { nllScales: scales } : {}),
    timing: { fitMs: performance.now() - t0 },
  };
}

const PEAKS = ["gaussian", "crystalBall", "doubleCrystalBall"];

/** The numeric mean of the first peaking component whose yield carries the POI. */
function signalMean(model: Model): number | undefined {
  for (const c of model.samples.flatMap((s) => s.components)) {
    if (!PEAKS.includes(c.shape) || !c.yieldFactors.some((f) => f.param === model.poi)) continue;
    const { base, factors } = argParts(c.args[0]);
    if (typeof base === "number" && factors.length === 0) return base;
  }
  return undefined;
}
