/**
 * Where a fit at one hypothesis mass looks: the signal's position in the observable (`peak`), and
 * for every sample its fit range (its own range, or the window peak ± window·σ within it), its
 * vetoes there, and whether its signal takes part (the peak inside its range and outside its
 * vetoes). `scan` points, `fit`, `limit` and `plot fit` all take their ranges from here, so a scan
 * point can be reproduced on its own.
 */
import { BumpscanError } from "../errors.js";
import { type MassFunction, massFunctionAt, massFunctionSlope } from "./mass-function.js";
import { type Resolution, resolutionAt } from "./resolution.js";
import type { SampleSpec, Spec } from "./types.js";
import { templateNotLoaded, templateResolution, templateWidthAt } from "./template.js";

/**
 * The signal's resolution description (σ, or σL for a double-sided Crystal Ball; a template's
 * width from its simulation, model/template.ts).
 */
export function resolutionOf(spec: Spec): Resolution {
  const s = spec.signal;
  if (s.shape === "template") {
    if (!s.loaded) throw new BumpscanError(templateNotLoaded("signal"));
    return templateResolution(s.loaded);
  }
  const r = s.sigma ?? s.sigmaL;
  if (r === undefined) throw new BumpscanError(`the scan needs the signal's resolution: signal.sigma`);
  return r;
}

/**
 * σ(m), the signal's resolution at mass m: `signal.sigma` (σL) there, or a template's width (an
 * error naming a mass outside its simulated masses, or a template not loaded); NaN for a signal
 * without one (counting).
 */
export function sigmaAt(spec: Spec, mass: number): number {
  const s = spec.signal;
  if (s.shape === "template") {
    if (!s.loaded) throw new BumpscanError(templateNotLoaded("signal"));
    return templateWidthAt(s.loaded, mass);
  }
  const res = s.sigma ?? s.sigmaL;
  return res === undefined ? Number.NaN : resolutionAt(res, mass);
}

/** The signal's position in the observable at hypothesis mass `mass` (`signal.peak`, default the mass). */
export function peakAt(spec: Spec, mass: number): number {
  return spec.signal.peak === undefined ? mass : massFunctionAt(spec.signal.peak, mass, "signal.peak");
}

/** |d peak / d mass| at `mass` (1 without `signal.peak`). */
export function peakSlope(spec: Spec, mass: number): number {
  return spec.signal.peak === undefined
    ? 1
    : Math.abs(massFunctionSlope(spec.signal.peak as MassFunction, mass, "signal.peak"));
}

/** One sample at one mass: its fit range and vetoes there, and whether its signal takes part. */
export interface SampleWindow {
  /** Index in the spec's samples. */
  index: number;
  name: string;
  /** The sample's whole range (its own, or the observable's) and the vetoes inside it. */
  full: [number, number];
  /** The fit range: the whole range, or the window within it. */
  range: [number, number];
  /** The vetoed open intervals inside the fit range, sorted. */
  exclude: [number, number][];
  /** Does the signal take part here (the peak inside the range, outside the vetoes)? */
  signal: boolean;
}

/** A fit at one hypothesis mass: the peak, σ there, the samples taking part; or why there is no fit. */
export interface PointLayout {
  mass: number;
  peak: number;
  sigma: number;
  /** The samples with events to describe in their fit range (others take no part). */
  samples: SampleWindow[];
  /** Why the mass is not fitted (a veto over the peak, no sample reaching it, a window leaving the range). */
  skipped?: string;
}

/** A spec's samples as written (one unnamed sample when it has none). */
export function samplesOf(spec: Spec): SampleSpec[] {
  return spec.samples ?? [{ name: "", data: spec.data ?? { path: "" } }];
}

/**
 * A range and the vetoes over it: the vetoes clipped, sorted and merged, and those reaching an end
 * of the range moved into it (the range ends where the veto starts), so that every veto left lies
 * strictly inside the range.
 */
export function trimmed(
  range: [number, number],
  vetoes: [number, number][],
): { range: [number, number]; exclude: [number, number][] } {
  const holes = vetoes
    .map(([a, b]): [number, number] => [Math.max(a, range[0]), Math.min(b, range[1])])
    .filter(([a, b]) => a < b)
    .sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const h of holes) {
    const last = merged[merged.length - 1];
    if (last && h[0] <= last[1]) last[1] = Math.max(last[1], h[1]);
    else merged.push([...h]);
  }
  let [lo, hi] = range;
  while (merged.length && merged[0][0] <= lo) lo = Math.max(lo, merged.shift()![1]);
  while (merged.length && merged[merged.length - 1][1] >= hi) hi = Math.min(hi, merged.pop()![0]);
  return { range: [lo, hi], exclude: merged };
}

/** A sample's whole range and its vetoes (the observable's and its own), trimmed. */
export function sampleRange(spec: Spec, s: SampleSpec): { full: [number, number]; exclude: [number, number][] } {
  const { range, exclude } = trimmed(s.range ?? spec.observable.range, [
    ...(spec.observable.exclude ?? []),
    ...(s.exclude ?? []),
  ]);
  return { full: range, exclude };
}

/** Is x inside one of the open intervals? */
export const inHole = (x: number, holes: [number, number][]) => holes.some(([a, b]) => x > a && x < b);

/** The pieces of [lo, hi] outside the holes. */
export function pieces(range: [number, number], holes: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  let from = range[0];
  for (const [a, b] of holes) {
    if (b <= from || a >= range[1]) continue;
    if (a > from) out.push([from, a]);
    from = Math.max(from, b);
  }
  if (from < range[1]) out.push([from, range[1]]);
  return out;
}

/**
 * The fit at hypothesis mass `mass` with a window of `window` resolutions (default: the spec's
 * scan.window; `false` or none: every sample's whole range). The window is centred on the peak;
 * where it leaves the observable range the mass is skipped, with the reason.
 * @example
 * import { layoutAt, parseSpec } from "bumpscan/model";
 * const spec = parseSpec({ observable: { range: [0, 10], exclude: [[3, 3.2]] },
 *   signal: { shape: "gaussian", sigma: 0.05 }, background: { shape: "expPoly", order: 2 } });
 * layoutAt(spec, 4.2).samples[0].exclude; // => [[3, 3.2]]
 * layoutAt(spec, 3.1).skipped; // => "vetoed: the signal peak 3.1 lies in the veto (3, 3.2)"
 */
export function layoutAt(
  spec: Spec,
  mass: number,
  window: number | false | undefined = spec.scan?.window,
): PointLayout {
  if (!Number.isFinite(mass)) throw new BumpscanError(`mass must be a number (got ${mass})`);
  const peak = peakAt(spec, mass);
  // the resolution sets the window and the grid's step; a uniform signal (counting) may have none
  const sigma = sigmaAt(spec, mass);
  const layout: PointLayout = { mass, peak, sigma, samples: [] };
  let fit: [number, number] | undefined;
  if (window !== false && window !== undefined) {
    if (!(window > 0) || !Number.isFinite(window))
      throw new BumpscanError(`the window must be a positive number of resolutions (got ${window})`);
    const w = window * sigma;
    const [lo, hi] = spec.observable.range;
    if (peak - w < lo || peak + w > hi) {
      layout.skipped =
        `the window m ± ${window}σ = [${(peak - w).toPrecision(6)}, ${(peak + w).toPrecision(6)}] leaves the range ` +
        `[${lo}, ${hi}]`;
      return layout;
    }
    fit = [peak - w, peak + w];
  }
  const vetoes: string[] = [];
  samplesOf(spec).forEach((s, index) => {
    const { full, exclude } = sampleRange(spec, s);
    // a peak in a veto is named as such, also where the window lies wholly inside the veto
    const reaches = peak >= full[0] && peak <= full[1];
    const veto = reaches ? exclude.find(([a, b]) => peak > a && peak < b) : undefined;
    if (veto) vetoes.push(`(${veto[0]}, ${veto[1]})`);
    const cut = trimmed(fit ? [Math.max(fit[0], full[0]), Math.min(fit[1], full[1])] : full, exclude);
    const { range, exclude: holes } = cut;
    if (!(range[0] < range[1])) return;
    layout.samples.push({ index, name: s.name, full, range, exclude: holes, signal: reaches && !veto });
  });
  if (!layout.samples.some((s) => s.signal)) {
    const [lo, hi] = spec.observable.range;
    const what = spec.signal.peak === undefined ? `mass ${mass}` : `the signal peak ${peak} (mass ${mass})`;
    layout.skipped = vetoes.length
      ? `vetoed: the signal peak ${peak} lies in the veto ${vetoes[0]}`
      : peak < lo || peak > hi
        ? `${what} is outside the observable range [${lo}, ${hi}]`
        : `${what} is outside every sample's range`;
  }
  return layout;
}

/**
 * The fit range at `mass` of the spec's first sample: the window around the signal peak, or the
 * whole range. Throws where the window leaves the observable range.
 * @example
 * import { fitRange, parseSpec } from "bumpscan/model";
 * const spec = parseSpec({ observable: { range: [0, 10] }, signal: { shape: "gaussian", sigma: 0.05 },
 *   background: { shape: "expPoly", order: 2 }, scan: { window: 10 } });
 * fitRange(spec, 4.2); // => [3.7, 4.7]
 */
export function fitRange(
  spec: Spec,
  mass: number,
  window: number | false | undefined = spec.scan?.window,
): [number, number] {
  const layout = layoutAt(spec, mass, window);
  if (layout.skipped?.startsWith("the window")) throw new BumpscanError(layout.skipped);
  return layout.samples[0]?.range ?? sampleRange(spec, samplesOf(spec)[0]).full;
}
