/**
 * Counting models: every component uniform, so the events of a sample carry no information but
 * their number. Such a model (a counting search's window, a multi-channel counting experiment)
 * reduces to n_k ~ Poisson(a_k(θ)·POI + b_k(θ)) per sample k; this module finds a_k and b_k and the
 * background's uncertainty from the constrained parameters θ, for the tables a paper shows.
 */
import type { Factor, Model } from "./model.js";

/** One sample's expected counts in a counting model, its nuisances at their nominal values. */
export interface CountingChannel {
  /** The sample's name ("" for a one-sample model). */
  sample: string;
  /** Expected signal events per unit of the POI. */
  signalPerPoi: number;
  /** Expected background events. */
  background: number;
  /** The background's −1σ and +1σ uncertainties (each constrained parameter moved by its σ, in quadrature). */
  backgroundError: [number, number];
}

/** A counting model's channels, with the total background's uncertainty; or why it is not one. */
export type CountingModel =
  | { channels: CountingChannel[]; background: number; backgroundError: [number, number]; reason?: undefined }
  | { reason: string; channels?: undefined };

/** A factor's value; a `gauss` factor is floored at 0 (its NLL is +∞ there: no events expected). */
function factorAt(f: Factor, theta: number): number {
  if (f.kappa !== undefined) return f.kappa ** theta;
  if (f.gauss !== undefined) return Math.max(0, 1 + f.gauss * theta);
  return theta;
}

/**
 * Whether a model is a counting model, and its expected counts per sample: every component
 * uniform, every free parameter but the POI held by a Gaussian constraint (a nuisance, or a yield
 * calibrated elsewhere), and the POI entering only as a plain factor of signal yields. Nominal
 * values are the constraints' means (fixed parameters: their values). The background's ±1σ moves
 * each constrained parameter by ±σ alone and adds the shifts of the total in quadrature, so
 * nuisances shared between samples are counted as correlated.
 * @example
 * import { countingModel, ModelBuilder } from "bumpscan/model";
 * const model = new ModelBuilder("m", [0, 1])
 *   .parameter("nsig", 0).parameter("theta", 0)
 *   .component("sig", "uniform", [], "nsig")
 *   .component("bkg", "uniform", [], { constant: 4, factors: [{ param: "theta", kappa: 1.25 }] })
 *   .constrain("theta", 0, 1)
 *   .build("nsig");
 * countingModel(model).background; // => 4
 * countingModel(model).backgroundError; // => [0.8, 1]
 */
export function countingModel(model: Model): CountingModel {
  const nominal = new Map(model.parameters.map((p) => [p.name, p.value]));
  const constrained = new Map(model.constraints.map((c) => [c.param, c]));
  for (const c of model.constraints) nominal.set(c.param, c.mean);
  for (const p of model.parameters)
    if (!p.fixed && p.name !== model.poi && !constrained.has(p.name))
      return { reason: `parameter ${p.name} floats without a constraint` };
  for (const s of model.samples)
    for (const c of s.components) {
      const where = `component ${c.name}${s.name ? ` of sample ${s.name}` : ""}`;
      if (c.shape !== "uniform") return { reason: `${where} has shape ${c.shape}, not uniform` };
      const poi = c.yieldFactors.filter((f) => f.param === model.poi);
      if (poi.length > 1 || poi.some((f) => f.kappa !== undefined || f.gauss !== undefined))
        return { reason: `${where}: its yield is not linear in ${model.poi}` };
    }
  // expected counts of sample k at the given parameter values: [signal per POI, background]
  const counts = (k: number, values: Map<string, number>): [number, number] => {
    let a = 0,
      b = 0;
    for (const c of model.samples[k].components) {
      let y = c.yieldConstant,
        signal = false;
      for (const f of c.yieldFactors)
        if (f.param === model.poi) signal = true;
        else y *= factorAt(f, values.get(f.param) ?? NaN);
      if (signal) a += y;
      else b += y;
    }
    return [a, b];
  };
  const shifted = (k: number) =>
    [...constrained.values()].map((c) => {
      const at = (x: number) => counts(k, new Map(nominal).set(c.param, x))[1];
      return [at(c.mean - c.sigma), at(c.mean + c.sigma)];
    });
  // each parameter's shifts of b at −σ and +σ, the larger drop and the larger rise, in quadrature
  const errorOf = (b: number, shifts: number[][]): [number, number] => [
    Math.sqrt(sumOf(shifts.map((s) => Math.max(0, b - Math.min(...s)) ** 2))),
    Math.sqrt(sumOf(shifts.map((s) => Math.max(0, Math.max(...s) - b) ** 2))),
  ];
  const channels = model.samples.map((s, k): CountingChannel => {
    const [signalPerPoi, background] = counts(k, nominal);
    return { sample: s.name, signalPerPoi, background, backgroundError: errorOf(background, shifted(k)) };
  });
  for (const ch of channels)
    if (!(Number.isFinite(ch.signalPerPoi) && Number.isFinite(ch.background) && ch.background >= 0))
      return { reason: `sample ${ch.sample || "of the model"}: its expected counts are not finite` };
  if (!channels.some((ch) => ch.signalPerPoi > 0)) return { reason: `no yield carries ${model.poi}` };
  const background = channels.reduce((sum, ch) => sum + ch.background, 0);
  const total = model.samples.map((_, k) => shifted(k));
  const totalShifts = [...constrained.keys()].map((_, i) => [0, 1].map((j) => sumOf(total.map((t) => t[i][j]))));
  return { channels, background, backgroundError: errorOf(background, totalShifts) };
}

const sumOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** What a counting search shows per window: the observed and expected counts (totals over samples). */
export interface CountingSummary {
  /** The first sample's window. */
  range: [number, number];
  observed: number;
  background: number;
  /** The background's −1σ and +1σ uncertainties. */
  backgroundError: [number, number];
  signalPerPoi: number;
  /** With several samples: each one's window and counts. */
  channels?: (CountingChannel & { range: [number, number]; observed: number })[];
}

/**
 * A counting model's summary at one mass, given each sample's observed count; undefined for a
 * model that is not a counting model.
 * @example
 * import { countingSummary, ModelBuilder } from "bumpscan/model";
 * const model = new ModelBuilder("m", [4.8, 5.2])
 *   .parameter("nsig", 0)
 *   .component("sig", "uniform", [], "nsig")
 *   .component("bkg", "uniform", [], 2.5)
 *   .build("nsig");
 * const summary = countingSummary(model, [4]);
 * summary.range; // => [4.8, 5.2]
 * summary.observed; // => 4
 * summary.background; // => 2.5
 */
export function countingSummary(model: Model, observed: number[]): CountingSummary | undefined {
  const c = countingModel(model);
  if (!c.channels) return undefined;
  const summary: CountingSummary = {
    range: model.samples[0].range,
    observed: sumOf(observed),
    background: c.background,
    backgroundError: c.backgroundError,
    signalPerPoi: sumOf(c.channels.map((ch) => ch.signalPerPoi)),
  };
  if (c.channels.length > 1)
    summary.channels = c.channels.map((ch, k) => ({ ...ch, range: model.samples[k].range, observed: observed[k] }));
  return summary;
}
