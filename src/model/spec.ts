/**
 * The JSON model spec (docs/spec.md) turned into a Model for one signal mass hypothesis (its
 * validation against the schema is model/parse.ts, which pool workers never load).
 */
import { BumpscanError } from "../errors.js";
import { type Arg, type ArgFactor, type Model, ModelBuilder, type YieldFactor } from "./model.js";
import { type MassFunction, massFunctionAt } from "./mass-function.js";
import type { ParameterSpec, SampleSpec, ShapeSpec, Spec } from "./types.js";
export type { DataSpec, NuisanceSpec, NuisanceTarget, ParameterSpec, SampleSpec, ShapeSpec, Spec } from "./types.js";
import { resolutionAt } from "./resolution.js";
import { SHAPES, type ShapeName } from "./shapes.js";
import { templateArgsAt } from "./template.js";
import { layoutAt, type PointLayout, type SampleWindow, samplesOf } from "./window.js";

/** A component list as written: one shape, or several with names. */
function backgroundList(bg: ShapeSpec | ShapeSpec[], where: string): ShapeSpec[] {
  if (!Array.isArray(bg)) return [{ ...bg, name: bg.name ?? "" }];
  const names = new Set<string>();
  for (const [i, b] of bg.entries()) {
    if (!b.name) throw new BumpscanError(`${where}[${i}] needs a "name" when there are several backgrounds`);
    if (names.has(b.name)) throw new BumpscanError(`${where}: background name "${b.name}" used twice`);
    names.add(b.name);
  }
  return bg;
}

/** The backgrounds of sample `s` (its own list, or the top level's). */
export function backgroundsOf(spec: Spec, s: SampleSpec | undefined): ShapeSpec[] {
  return s?.background
    ? backgroundList(s.background, `samples.${s.name}.background`)
    : backgroundList(spec.background, "background");
}

/** The signal of sample `s`: the top level's with the sample's changes laid over it. */
export function signalOf(spec: Spec, s: SampleSpec | undefined): ShapeSpec {
  return s?.signal ? { ...spec.signal, ...s.signal, shape: spec.signal.shape } : spec.signal;
}

/** The name a nuisance target or a free field calls a component by. */
export const componentName = (b: ShapeSpec) => b.name || "background";

/** Fields that stand for both sides of a double-sided Crystal Ball. */
const SIDES: Record<string, string[]> = { sigma: ["sigmaL", "sigmaR"], alpha: ["alphaL", "alphaR"], n: ["nL", "nR"] };

/** The shape's argument fields a spec field names (sigma: sigmaL and sigmaR of a double-sided CB). */
export function fieldsOf(shape: ShapeName, field: string): string[] {
  const args = SHAPES[shape].args;
  if (args.includes(field)) return [field];
  return (SIDES[field] ?? []).filter((f) => args.includes(f));
}

/** A positive shape field at mass m, falling back to its two-sided family name (alphaL → alpha). */
function positiveField(s: ShapeSpec, key: keyof ShapeSpec, m: number, where: string): number {
  const family = key.replace(/[LR]$/, "") as keyof ShapeSpec;
  const f = (s[key] ?? s[family]) as MassFunction | undefined;
  if (f === undefined) throw new BumpscanError(`${where}: ${s.shape} needs "${String(family)}"`);
  const v = key.startsWith("sigma")
    ? resolutionAt(f, m, `${where}.${String(family)}`)
    : massFunctionAt(f, m, `${where}.${String(key)}`);
  if (!(v > 0) || !Number.isFinite(v))
    throw new BumpscanError(`${where}.${String(key)} at mass ${m} is ${v}; it must be > 0`);
  return v;
}

/** A floating shape parameter: its name, start value and bounds. */
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

/** What building one component's arguments needs to know. */
interface ArgContext {
  /** The hypothesis mass; `position` is where the shape peaks (the signal: peak(m)). */
  mass: number;
  position?: number;
  range: [number, number];
  /** Floating shape parameters of this sample (coefficients, slopes) get this suffix. */
  suffix: string;
  where: string;
  /** Parameters collected: this sample's floating ones, and the free fields shared by all samples. */
  own: ShapeParam[];
  shared: Map<string, ShapeParam>;
  /** The nuisance factors on one of this component's fields. */
  factors: (field: string) => ArgFactor[];
}

/** The value of each named argument field (floating ones: their parameter) before free fields and factors. */
function namedArgs(s: ShapeSpec, c: ArgContext): Record<string, Arg> {
  const { mass, where } = c;
  const float = (name: string, init: number, bound = Infinity) => {
    c.own.push({ name: name + c.suffix, init, lo: -bound, hi: bound });
    return name + c.suffix;
  };
  const peaking = (mean: number) => {
    const out: Record<string, Arg> = { mean };
    for (const f of SHAPES[s.shape].args.slice(1)) out[f] = positiveField(s, f as keyof ShapeSpec, mass, where);
    return out;
  };
  const signal = c.position !== undefined;
  switch (s.shape) {
    case "uniform":
      return {};
    case "gaussian":
    case "crystalBall":
    case "doubleCrystalBall": {
      const mean = signal ? c.position : s.mean;
      if (mean === undefined) throw new BumpscanError(`${where}: ${s.shape} needs "mean"`);
      return peaking(mean as number);
    }
    case "exponential":
      if (signal) {
        if (s.lambda === undefined) throw new BumpscanError(`${where}: exponential needs "lambda"`);
        return { lambda: s.lambda };
      }
      return { lambda: float("lambda", s.lambda ?? 0) };
    case "argus":
      if (s.m0 === undefined) throw new BumpscanError(`${where}: argus needs "m0"`);
      if (signal && s.c === undefined) throw new BumpscanError(`${where}: argus needs "c"`);
      return { m0: s.m0, c: signal ? (s.c as number) : float("c", s.c ?? -1), p: s.p ?? 0.5 };
    default:
      return { xlo: c.range[0], xhi: c.range[1] };
  }
}

/**
 * A component's argument list: named fields (free ones as shared parameters, nuisance factors on),
 * then coefficients.
 */
function componentArgs(s: ShapeSpec, c: ArgContext, component: string): Arg[] {
  // a template is its simulation's histogram at the mass: no fields, nothing floats
  if (s.shape === "template") return templateArgsAt(s.loaded, c.mass, c.range, c.where);
  const named = namedArgs(s, c);
  for (const field of s.free ?? []) {
    for (const f of fieldsOf(s.shape, field)) {
      const v = named[f];
      if (typeof v !== "number") continue; // already floating
      const name = `${f}_${component}`;
      if (!c.shared.has(name)) c.shared.set(name, { name, init: v, lo: f === "mean" ? -Infinity : 0, hi: Infinity });
      named[f] = name;
    }
  }
  const args: Arg[] = SHAPES[s.shape].args.map((f) => {
    const base = named[f];
    if (base === undefined) throw new BumpscanError(`${c.where}: ${s.shape} needs "${f}"`);
    const factors = c.factors(f);
    return factors.length ? { base, factors } : base;
  });
  const info = SHAPES[s.shape].coefficients;
  if (!info) return args;
  const order = s.order ?? 0;
  if (order > info.maxOrder) throw new BumpscanError(`${c.where}: ${s.shape} order must be ≤ ${info.maxOrder}`);
  if (c.position !== undefined) return [...args, ...(s.init ?? [])];
  const bound = s.shape === "expPoly" ? EXP_POLY_BOUND : Infinity;
  const coeffs = Array.from({ length: order }, (_, k) => {
    const name = `${info.prefix}${k + 1}${c.suffix}`;
    c.own.push({ name, init: s.init?.[k] ?? 0, lo: -bound, hi: bound });
    return name;
  });
  return [...args, ...coeffs];
}

/** The samples of a spec with their signal-yield scale at mass m (scale × luminosity × efficiency). */
export function specSamples(spec: Spec): { name: string; scale: number; data?: Spec["data"] }[] {
  return samplesOf(spec).map((s) => ({ name: s.name, scale: typeof s.scale === "number" ? s.scale : 1, data: s.data }));
}

/** nsig_k / poi for sample s at mass m: scale × luminosity × efficiency (each default 1). */
export function signalScale(s: SampleSpec, m: number): number {
  const where = s.name ? `samples.${s.name}` : "the sample";
  let v = 1;
  for (const key of ["scale", "luminosity", "efficiency"] as const) {
    const f = s[key];
    if (f === undefined) continue;
    const x = massFunctionAt(f, m, `${where}.${key}`);
    if (!(x > 0) || !Number.isFinite(x))
      throw new BumpscanError(`${where}.${key} at mass ${m} is ${x}; it must be > 0`);
    v *= x;
  }
  return v;
}

/** What buildModel needs besides the spec. */
export interface BuildOptions {
  mass: number;
  /** Events per sample taking part (the layout's samples; one number for one sample): background start values. */
  nEvents: number | number[];
  /** Where the fit looks (default: every sample's whole range, no window). */
  layout?: PointLayout;
  /**
   * With a window: the share of a background of constant shape (a peak, a uniform) that falls in
   * sample k's fit range, out of its share of the sample's whole range. A background whose share
   * is below MIN_SHARE has no events to describe there and leaves the model; a fixed yield given
   * as a number is scaled by it.
   */
  share?: (shape: ShapeName, args: number[], sample: number) => number;
}

/** Below this share of its events in the fit range a background drops out of the model. */
export const MIN_SHARE = 1e-9;

/** The nuisance factors of a spec, looked up by sample, component and field (undefined: the yield). */
function nuisanceFactors(spec: Spec): (sample: string, component: string, field?: string) => YieldFactor[] {
  const list: { sample?: string; component: string; field?: string; factor: YieldFactor }[] = [];
  for (const n of spec.nuisances ?? []) {
    const factor: YieldFactor =
      n.gauss !== undefined ? { param: n.name, gauss: n.gauss } : { param: n.name, kappa: n.lnN };
    const targets = n.on ?? (n.samples ?? [undefined]).map((sample) => ({ sample, component: "signal" }));
    for (const t of targets) {
      if (t.sample !== undefined && !samplesOf(spec).some((s) => s.name === t.sample))
        throw new BumpscanError(`nuisance ${n.name}: no sample named "${t.sample}"`);
      list.push({ ...t, factor });
    }
  }
  return (sample, component, field) =>
    list
      .filter((t) => t.sample === undefined || t.sample === sample)
      .filter((t) => t.component === component)
      .filter((t) =>
        field === undefined ? t.field === undefined : t.field === field || t.field === fieldFamily(field),
      )
      .map((t) => t.factor);
}

/** How a background enters a windowed fit: left out, or with a fixed number yield scaled to the window. */
function windowed(
  bk: ShapeSpec,
  args: Arg[],
  opts: BuildOptions,
  k: number,
  fixed: number | undefined,
  where: string,
  start: (param: string) => number,
): { drop: boolean; yield?: number } {
  const scaled = typeof bk.yield === "number";
  if (!opts.share) return { drop: false, yield: fixed };
  const constant = args.every((a) => typeof a === "number");
  // a floating shape (a peak whose mean floats, say) is judged at its start values: far from the
  // window it has no events there and leaves the model, as a fixed one does
  const share = opts.share(
    bk.shape,
    args.map((a) => nominal(a, start)),
    k,
  );
  if (!(share >= MIN_SHARE)) return { drop: true };
  if (!constant) {
    if (scaled)
      throw new BumpscanError(
        `${where}: a fixed yield with a floating shape cannot be windowed (its share of the window is ` +
          `unknown); let its yield float, give it as a mass function of the window's events, or drop scan.window`,
      );
    return { drop: false, yield: fixed };
  }
  return { drop: false, yield: fixed !== undefined && scaled ? fixed * share : fixed };
}

/** The parameters an argument refers to. */
function argParams(a: Arg): string[] {
  if (typeof a === "number") return [];
  if (typeof a === "string") return [a];
  return [...argParams(a.base), ...a.factors.map((f) => f.param)];
}

/** An argument's value at the parameters' start values (factors at θ = 0: 1). */
function nominal(a: Arg, start: (param: string) => number): number {
  if (typeof a === "number") return a;
  if (typeof a === "string") return start(a);
  return nominal(a.base, start);
}

/**
 * The model of a spec at one hypothesis mass. `nEvents` (one count per sample taking part) sets
 * the background yields' start values.
 * - Parameters: the POI (`poi.name`; nsig for one sample, mu for several; unbounded: the total
 *   density must stay ≥ 0 at the events and the signal peak), each floating background yield
 *   nbkg_<component>_<sample> (≥ 0), the background shape parameters (c1…, a1…, lambda, c) with
 *   the same suffixes, the free fields `<field>_<component>` shared by all samples, and one θ per
 *   nuisance (unit Gaussian constraint; gauss: θ > −1/r).
 * - Sample k's signal yield is poi × scale × luminosity × efficiency at the mass, × the nuisance
 *   factors naming it; a sample whose range (or a veto) misses the signal peak has no signal term.
 * - Every sample's fit range and vetoes come from the layout (its own range, or the window).
 * `parameters` overrides start values, bounds and fixes, and adds Gaussian constraints. With zero
 * events the POI is bounded at 0 and an empty sample's background shape held fixed.
 * @example
 * import { buildModel, parseSpec } from "bumpscan/model";
 * const spec = parseSpec({ observable: { range: [0, 10] }, signal: { shape: "gaussian", sigma: 0.05 },
 *   background: { shape: "expPoly", order: 2 } });
 * const model = buildModel(spec, { mass: 4.2, nEvents: 10112 });
 * model.parameters.map((p) => p.name); // => ["nsig", "nbkg", "c1", "c2"]
 */
export function buildModel(spec: Spec, opts: BuildOptions): Model {
  const { mass } = opts;
  const layout = opts.layout ?? layoutAt(spec, mass, false);
  if (layout.skipped) throw new BumpscanError(layout.skipped);
  const specs = samplesOf(spec);
  const counts = Array.isArray(opts.nEvents) ? opts.nEvents : [opts.nEvents];
  if (counts.length !== layout.samples.length)
    throw new BumpscanError(`${layout.samples.length} samples but ${counts.length} event counts`);
  const multi = spec.samples !== undefined;
  const poi = spec.poi?.name ?? (multi ? "mu" : "nsig");
  const nuisances = spec.nuisances ?? [];
  const factorsOf = nuisanceFactors(spec);
  const params: { name: string; init: number; lo: number; hi?: number; fixed: boolean }[] = [];
  const comps: { sample: SampleWindow; parts: [string, ShapeName, Arg[], Yield][] }[] = [];
  const dropped = new Set<string>(),
    droppedComponents = new Set<string>();
  const shared = new Map<string, ShapeParam>();
  const total = counts.reduce((a, c) => a + c, 0);
  let scaleSum = 0;
  const poiParam = { name: poi, init: 0, lo: total === 0 ? 0 : -Infinity, fixed: false };
  params.push(poiParam);
  for (const n of nuisances) {
    const onField = (n.on ?? []).some((t) => t.field !== undefined);
    const lo = n.gauss !== undefined ? -(onField ? 0.999 : 1) / n.gauss : -Infinity;
    params.push({ name: n.name, init: 0, lo, fixed: false });
  }
  let floatingAny = false;
  layout.samples.forEach((w, k) => {
    const s = specs[w.index];
    const sfx = multi ? `_${s.name}` : "";
    const where = multi ? `samples.${s.name}` : "";
    const empty = counts[k] === 0;
    const own: ShapeParam[] = [];
    const parts: (typeof comps)[number]["parts"] = [];
    if (w.signal) {
      const scale = signalScale(s, mass);
      scaleSum += scale;
      const factors = factorsOf(s.name, "signal");
      const y: Yield =
        !multi && scale === 1 && factors.length === 0
          ? poi
          : { constant: scale, factors: [{ param: poi }, ...factors] };
      const ctx: ArgContext = {
        mass,
        position: layout.peak,
        range: w.range,
        suffix: sfx,
        where: where ? `${where}.signal` : "signal",
        own,
        shared,
        factors: (f) => factorsOf(s.name, "signal", f),
      };
      parts.push(["signal", spec.signal.shape, componentArgs(signalOf(spec, s), ctx, "signal"), y]);
    }
    const bkgs = backgroundsOf(spec, multi ? s : undefined).map((bk) => {
      const name = componentName(bk);
      const suffix = (bk.name ? `_${bk.name}` : "") + sfx;
      const mine: ShapeParam[] = [];
      const bwhere = `${where ? `${where}.` : ""}background${bk.name ? ` ${bk.name}` : ""}`;
      const ctx: ArgContext = {
        mass,
        range: w.range,
        suffix,
        where: bwhere,
        own: mine,
        shared,
        factors: (f) => factorsOf(s.name, name, f),
      };
      const args = componentArgs(bk, ctx, name);
      const fixed = bk.yield === undefined ? undefined : massFunctionAt(bk.yield, mass, `${bwhere}.yield`);
      if (fixed !== undefined && !(fixed >= 0)) throw new BumpscanError(`${bwhere}.yield at mass ${mass} is ${fixed}`);
      const start = (p: string) => (mine.find((q) => q.name === p) ?? shared.get(p))?.init ?? 0;
      return { bk, name, suffix, mine, args, ...windowed(bk, args, opts, k, fixed, bwhere, start) };
    });
    const floating = bkgs.filter((c) => !c.drop && c.yield === undefined).length;
    floatingAny ||= floating > 0;
    for (const c of bkgs) {
      const yieldName = `nbkg${c.suffix}`;
      if (c.drop) {
        droppedComponents.add(c.bk.name || "background");
        for (const name of [yieldName, ...c.mine.map((p) => p.name)]) dropped.add(name);
        continue;
      }
      own.push(...c.mine);
      const factors = factorsOf(s.name, c.name);
      if (c.yield === undefined)
        params.push({ name: yieldName, init: Math.max(counts[k], 1) / Math.max(floating, 1), lo: 0, fixed: false });
      const y: Yield =
        c.yield === undefined
          ? factors.length
            ? { constant: 1, factors: [{ param: yieldName }, ...factors] }
            : yieldName
          : factors.length
            ? { constant: c.yield, factors }
            : c.yield;
      parts.push([c.bk.name || "background", c.bk.shape, c.args, y]);
    }
    for (const p of own) params.push({ ...p, fixed: empty });
    comps.push({ sample: w, parts });
  });
  // a free field of a component that left every sample's model (a peak far from every window) goes too
  const used = new Set(comps.flatMap((c) => c.parts.flatMap(([, , args]) => args.flatMap(argParams))));
  for (const p of shared.values()) {
    if (used.has(p.name)) params.push({ ...p, fixed: false });
    else dropped.add(p.name);
  }
  // the POI starts at 0, or at the event count when no background floats (0 would leave no density)
  if (!floatingAny) poiParam.init = Math.max(total, 1) / Math.max(scaleSum, 1e-300);
  const { $comment: _, ...overrides } = (spec.parameters ?? {}) as Record<string, ParameterSpec>;
  for (const name of Object.keys(overrides)) {
    if (!params.some((p) => p.name === name) && !dropped.has(name))
      throw new BumpscanError(`parameters.${name}: no such parameter (have ${params.map((p) => p.name).join(", ")})`);
  }
  const b = new ModelBuilder(spec.observable.name ?? "m", spec.observable.range, spec.observable.unit);
  for (const p of params) {
    const o = overrides[p.name] ?? {};
    b.parameter(p.name, o.init ?? p.init, { lo: o.lo ?? p.lo, hi: o.hi ?? p.hi, fixed: o.fixed ?? p.fixed });
  }
  for (const c of comps) {
    b.sample(c.sample.name, c.sample.range, c.sample.exclude.length ? c.sample.exclude : undefined);
    for (const [name, shape, args, y] of c.parts) b.component(name, shape, args, y);
  }
  for (const n of nuisances) b.constrain(n.name, 0, 1);
  for (const [name, o] of Object.entries(overrides))
    if (o.constraint && params.some((p) => p.name === name)) b.constrain(name, o.constraint.mean, o.constraint.sigma);
  const model = b.build(poi);
  if (droppedComponents.size > 0) model.dropped = [...droppedComponents];
  return model;
}

/** The spec field a shape argument answers to (sigmaL → sigma) for nuisance targets. */
function fieldFamily(arg: string): string {
  for (const [family, sides] of Object.entries(SIDES)) if (sides.includes(arg)) return family;
  return arg;
}

type Yield = string | number | { constant: number; factors: YieldFactor[] };
