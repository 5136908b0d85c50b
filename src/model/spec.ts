/**
 * The JSON model spec (docs/spec.md) turned into a Model for one signal mass hypothesis (its
 * validation against the schema is model/parse.ts, which pool workers never load).
 */
import { BumpscanError } from "../errors.js";
import { type Arg, type Model, ModelBuilder, type YieldFactor } from "./model.js";
import { type Resolution, resolutionAt } from "./resolution.js";
import { SHAPES, type ShapeName } from "./shapes.js";

export interface ShapeSpec {
  shape: ShapeName;
  name?: string;
  mean?: number;
  sigma?: Resolution;
  sigmaL?: Resolution;
  sigmaR?: Resolution;
  alpha?: number;
  n?: number;
  alphaL?: number;
  nL?: number;
  alphaR?: number;
  nR?: number;
  order?: number;
  init?: number[];
  lambda?: number;
  m0?: number;
  c?: number;
  p?: number;
  yield?: number;
}

/** Where a dataset's events are: a file, its column (a branch for ROOT), optional weights, the TTree of a ROOT file. */
export interface DataSpec {
  path: string;
  column?: string;
  weights?: string;
  tree?: string;
}

export interface Spec {
  observable: { name?: string; unit?: string; range: [number, number] };
  data?: DataSpec;
  signal: ShapeSpec;
  background: ShapeSpec | ShapeSpec[];
  parameters?: Record<string, { init?: number; lo?: number; hi?: number; fixed?: boolean }>;
  scan?: { from?: number; to?: number; step?: number; window?: number; masses?: number[] };
  /** Several datasets fitted simultaneously, sharing the POI mu (nsig_k = mu × scale_k). */
  samples?: { name: string; data: DataSpec; scale: number }[];
  /** Log-normal systematics: sample k's signal yield × lnN^θ, θ with a unit Gaussian constraint. */
  nuisances?: { name: string; lnN: number; samples?: string[] }[];
  limit?: { cl?: number; method?: "asymptotic" | "toys" | "bayes"; toys?: number; seed?: number };
}

/** The background components as a list, each with its name ("" for a single unnamed one). */
function backgrounds(spec: Spec): ShapeSpec[] {
  if (!Array.isArray(spec.background)) return [{ ...spec.background, name: spec.background.name ?? "" }];
  const names = new Set<string>();
  for (const [i, b] of spec.background.entries()) {
    if (!b.name) throw new BumpscanError(`background[${i}] needs a "name" when there are several backgrounds`);
    if (names.has(b.name)) throw new BumpscanError(`background name "${b.name}" used twice`);
    names.add(b.name);
  }
  return spec.background;
}

/** Signal arguments at the mass hypothesis: the mean is the mass, the widths come from σ(m). */
function signalArgs(s: ShapeSpec, mass: number, range: [number, number]): Arg[] {
  const need = (key: keyof ShapeSpec) => {
    const v = s[key];
    if (v === undefined) throw new BumpscanError(`signal: ${s.shape} needs "${key}"`);
    return v;
  };
  const sigma = (key: "sigma" | "sigmaL" | "sigmaR") => resolutionAt((s[key] ?? need("sigma")) as Resolution, mass);
  switch (s.shape) {
    case "uniform":
      return [];
    case "gaussian":
      return [mass, sigma("sigma")];
    case "crystalBall":
      return [mass, sigma("sigma"), need("alpha") as number, need("n") as number];
    case "doubleCrystalBall":
      return [
        mass,
        sigma("sigmaL"),
        sigma("sigmaR"),
        (s.alphaL ?? need("alpha")) as number,
        (s.nL ?? need("n")) as number,
        (s.alphaR ?? need("alpha")) as number,
        (s.nR ?? need("n")) as number,
      ];
    case "exponential":
      return [need("lambda") as number];
    case "argus":
      return [need("m0") as number, need("c") as number, s.p ?? 0.5];
    default: {
      const coeffs = s.init ?? [];
      return [range[0], range[1], ...coeffs];
    }
  }
}

/** A floating shape parameter of a background: its start value and bounds. */
interface ShapeParam {
  name: string;
  init: number;
  lo: number;
  hi: number;
}

/**
 * |c_k| of an expPoly (x mapped onto [−1, 1]) stays below this: the shape may then vary by e^100
 * over the range, far beyond any background, and its quadrature normalisation stays exact. Without
 * the bound a handful of events lets the shape collapse into a spike that the quadrature misses.
 */
export const EXP_POLY_BOUND = 50;

/** Background arguments: shape parameters float, named with the component's suffix. */
function backgroundArgs(b: ShapeSpec, suffix: string, range: [number, number], params: ShapeParam[]): Arg[] {
  const free = (name: string, init: number, bound = Infinity) => {
    params.push({ name: name + suffix, init, lo: -bound, hi: bound });
    return name + suffix;
  };
  const info = SHAPES[b.shape];
  if (info.coefficients) {
    const order = b.order ?? 0;
    if (order > info.coefficients.maxOrder)
      throw new BumpscanError(`background${suffix}: ${b.shape} order must be ≤ ${info.coefficients.maxOrder}`);
    const bound = b.shape === "expPoly" ? EXP_POLY_BOUND : Infinity;
    return [
      range[0],
      range[1],
      ...Array.from({ length: order }, (_, k) => free(`${info.coefficients!.prefix}${k + 1}`, b.init?.[k] ?? 0, bound)),
    ];
  }
  switch (b.shape) {
    case "exponential":
      return [free("lambda", b.lambda ?? 0)];
    case "argus": {
      if (b.m0 === undefined) throw new BumpscanError(`background${suffix}: argus needs "m0"`);
      return [b.m0, free("c", b.c ?? -1), b.p ?? 0.5];
    }
    case "uniform":
      return [];
    default: {
      // a peaking background (gaussian, crystal ball) sits at its own fixed mean
      if (b.mean === undefined) throw new BumpscanError(`background${suffix}: ${b.shape} needs "mean"`);
      return signalArgs(b, b.mean, range);
    }
  }
}

/** The samples of a spec: its `samples`, or one unnamed sample of scale 1. */
export function specSamples(spec: Spec): { name: string; scale: number; data?: Spec["data"] }[] {
  return spec.samples ?? [{ name: "", scale: 1, data: spec.data }];
}

/** What buildModel needs besides the spec. */
export interface BuildOptions {
  mass: number;
  /** Events per sample (one number for one sample): the background yields' start values. */
  nEvents: number | number[];
  /** The fit range when it is narrower than the observable's (a scan window). */
  range?: [number, number];
  /**
   * With `range`: the share of a background of constant shape (a peak, a uniform) that falls in
   * the range, out of its share of the observable range. A background whose share is below
   * MIN_SHARE has no events to describe there and leaves the model; a fixed yield is scaled by it.
   */
  share?: (shape: ShapeName, args: number[]) => number;
}

/** Below this share of its events in the fit range a background drops out of the model. */
export const MIN_SHARE = 1e-9;

/** How a background enters a windowed fit: left out, or with its fixed yield scaled to the window. */
function windowed(bk: ShapeSpec, args: Arg[], opts: BuildOptions, suffix: string): { drop: boolean; yield?: number } {
  if (!opts.range || !opts.share) return { drop: false, yield: bk.yield };
  const constant = args.every((a) => typeof a === "number");
  if (!constant) {
    if (bk.yield !== undefined)
      throw new BumpscanError(
        `background${suffix}: a fixed yield with a floating shape cannot be windowed (its share of the window is ` +
          `unknown); let its yield float or drop scan.window`,
      );
    return { drop: false };
  }
  const share = opts.share(bk.shape, args as number[]);
  if (!(share >= MIN_SHARE)) return { drop: true };
  return { drop: false, yield: bk.yield === undefined ? undefined : bk.yield * share };
}

/**
 * The model of a spec at one signal mass. `nEvents` (one count per sample) sets the background
 * yields' start values.
 * - One sample: parameters nsig (the POI, unbounded: the total density must stay ≥ 0 at the events
 *   and the signal peak), nbkg (≥ 0), the background shape parameters (c1…, a1…, lambda, c), each
 *   suffixed `_<name>` when there are several backgrounds.
 * - `nuisances` multiply the signal yield of the samples they name (all by default) by κ^θ, with
 *   a unit Gaussian constraint on each θ — with one dataset as with several.
 * - Several samples (`samples`): the POI is mu and sample k's signal yield is mu × scale_k ×
 *   Π κ^θ over its nuisances; every
 *   background parameter carries the sample's name as a suffix (nbkg_Y3S, c1_Y3S, …).
 * `parameters` overrides start values, bounds and fixes. With zero events the POI is bounded at 0
 * and an empty sample's background shape held fixed. `range` (a scan window) replaces the
 * observable range as the fit range.
 * @example
 * import { buildModel, parseSpec } from "bumpscan/model";
 * const spec = parseSpec({ observable: { range: [0, 10] }, signal: { shape: "gaussian", sigma: 0.05 },
 *   background: { shape: "expPoly", order: 2 } });
 * const model = buildModel(spec, { mass: 4.2, nEvents: 10112 });
 * model.parameters.map((p) => p.name); // => ["nsig", "nbkg", "c1", "c2"]
 */
export function buildModel(spec: Spec, opts: BuildOptions): Model {
  // a scan window narrows the fit range (and the polynomial shapes' x mapping) around the mass
  const range = opts.range ?? spec.observable.range;
  const { mass } = opts;
  if (!Number.isFinite(mass)) throw new BumpscanError(`mass must be a number (got ${mass})`);
  if (SHAPES[spec.signal.shape].mean !== undefined && (mass < range[0] || mass > range[1])) {
    throw new BumpscanError(`mass ${mass} is outside the observable range [${range[0]}, ${range[1]}]`);
  }
  const samples = specSamples(spec);
  const counts = Array.isArray(opts.nEvents) ? opts.nEvents : [opts.nEvents];
  if (counts.length !== samples.length)
    throw new BumpscanError(`${samples.length} samples but ${counts.length} event counts`);
  const multi = spec.samples !== undefined;
  const poi = multi ? "mu" : "nsig";
  const nuisances = spec.nuisances ?? [];
  for (const n of nuisances)
    for (const s of n.samples ?? []) {
      if (!samples.some((x) => x.name === s)) throw new BumpscanError(`nuisance ${n.name}: no sample named "${s}"`);
    }
  const b = new ModelBuilder(spec.observable.name ?? "m", range, spec.observable.unit);
  const bkgs = backgrounds(spec);
  const params: { name: string; init: number; lo: number; hi?: number; fixed: boolean }[] = [];
  const comps: {
    sample: string;
    parts: [string, ShapeName, Arg[], string | number | { constant: number; factors: YieldFactor[] }][];
  }[] = [];
  const dropped = new Set<string>(),
    droppedComponents = new Set<string>();
  const total = counts.reduce((a, c) => a + c, 0);
  const scaleSum = samples.reduce((a, s) => a + s.scale, 0);
  const poiParam = { name: poi, init: 0, lo: total === 0 ? 0 : -Infinity, fixed: false };
  params.push(poiParam);
  for (const n of nuisances) params.push({ name: n.name, init: 0, lo: -Infinity, fixed: false });
  let floatingAny = false;
  samples.forEach((s, k) => {
    const sfx = multi ? `_${s.name}` : "";
    const empty = counts[k] === 0;
    const shapeParams: ShapeParam[] = [];
    const systematics = nuisances
      .filter((n) => !n.samples || n.samples.includes(s.name))
      .map((n) => ({ param: n.name, kappa: n.lnN }));
    const signalYield =
      multi || systematics.length > 0 ? { constant: s.scale, factors: [{ param: poi }, ...systematics] } : poi;
    const parts: (typeof comps)[number]["parts"] = [
      ["signal", spec.signal.shape, signalArgs(spec.signal, mass, range), signalYield],
    ];
    const kept = bkgs.map((bk) => {
      const suffix = (bk.name ? `_${bk.name}` : "") + sfx;
      const own: ShapeParam[] = [];
      const args = backgroundArgs(bk, suffix, range, own);
      return { bk, suffix, own, args, ...windowed(bk, args, opts, suffix) };
    });
    const floating = kept.filter((c) => !c.drop && c.yield === undefined).length;
    floatingAny ||= floating > 0;
    for (const c of kept) {
      const yieldName = `nbkg${c.suffix}`;
      if (c.drop) {
        droppedComponents.add(c.bk.name || "background");
        for (const name of [yieldName, ...c.own.map((p) => p.name)]) dropped.add(name);
        continue;
      }
      shapeParams.push(...c.own);
      if (c.yield === undefined)
        params.push({ name: yieldName, init: Math.max(counts[k], 1) / Math.max(floating, 1), lo: 0, fixed: false });
      parts.push([c.bk.name || "background", c.bk.shape, c.args, c.yield ?? yieldName]);
    }
    for (const p of shapeParams) params.push({ ...p, fixed: empty });
    comps.push({ sample: s.name, parts });
  });
  // the POI starts at 0, or at the event count when no background floats (0 would leave no density)
  if (!floatingAny) poiParam.init = Math.max(total, 1) / scaleSum;
  const overrides = spec.parameters ?? {};
  for (const name of Object.keys(overrides)) {
    if (!params.some((p) => p.name === name) && !dropped.has(name))
      throw new BumpscanError(`parameters.${name}: no such parameter (have ${params.map((p) => p.name).join(", ")})`);
  }
  for (const p of params) {
    const o = overrides[p.name] ?? {};
    b.parameter(p.name, o.init ?? p.init, { lo: o.lo ?? p.lo, hi: o.hi ?? p.hi, fixed: o.fixed ?? p.fixed });
  }
  for (const c of comps) {
    if (multi) b.sample(c.sample, range);
    for (const [name, shape, args, y] of c.parts) b.component(name, shape, args, y);
  }
  for (const n of nuisances) b.constrain(n.name, 0, 1);
  const model = b.build(poi);
  if (droppedComponents.size > 0) model.dropped = [...droppedComponents];
  return model;
}
