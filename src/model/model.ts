/**
 * The model: parameters, components and constraints, independent of how it was written down
 * (a JSON spec or the builder) and of the WASM core that evaluates it.
 */
import { BumpscanError } from "../errors.js";
import { SHAPES, type ShapeName, shapeArgs, shapePeak } from "./shapes.js";

export interface Parameter {
  name: string;
  /** Start value. */
  value: number;
  lo: number;
  hi: number;
  fixed: boolean;
}

/**
 * A multiplicative factor of a yield or of a component argument, in one of three forms: the
 * parameter θ itself (neither `kappa` nor `gauss`), κ^θ (`kappa`: log-normal, κ > 0), or 1 + r·θ
 * (`gauss`: r; the factor must stay > 0, where it is ≤ 0 the NLL is +∞).
 */
export interface Factor {
  param: string;
  kappa?: number;
  gauss?: number;
}

/** Yield = constant × Π factors (parameters, κ^θ, 1 + r·θ). */
export type YieldFactor = Factor;

/** A factor on a component argument (a nuisance on a shape field: σ × (1 + r·θ), σ × κ^θ). */
export type ArgFactor = Factor;

/** An argument that is a base (a number, a parameter name, or itself a factored argument) times factors. */
export interface FactoredArg {
  base: Arg;
  factors: ArgFactor[];
}

/** A component argument: a number (constant), the name of a parameter, or a base times factors. */
export type Arg = number | string | FactoredArg;

export interface Component {
  name: string;
  shape: ShapeName;
  /** Arguments in the order of `shapeArgs(shape, order)`. */
  args: Arg[];
  yieldConstant: number;
  yieldFactors: YieldFactor[];
}

export interface Sample {
  name: string;
  range: [number, number];
  /**
   * Vetoes: open intervals (a, b) taken out of the range, sorted, disjoint, strictly inside it.
   * Every PDF of the sample is normalised over the range minus these holes and is 0 inside them;
   * events inside a hole are refused (drop them as events outside the range are dropped).
   */
  exclude?: [number, number][];
  components: Component[];
  /** Observable values where the total density must not go negative (signal peaks). */
  guards: number[];
}

/** Gaussian constraint ½((θ − mean)/sigma)² on a parameter. */
export interface Constraint {
  param: string;
  mean: number;
  sigma: number;
}

export interface Model {
  observable: { name: string; unit?: string; range: [number, number] };
  parameters: Parameter[];
  samples: Sample[];
  constraints: Constraint[];
  /** The parameter of interest (the signal yield or signal strength). */
  poi: string;
  /** Background components left out (a scan window without events of theirs). */
  dropped?: string[];
}

/**
 * Builds a model by hand: the TypeScript mirror of the JSON spec.
 * @example
 * import { ModelBuilder } from "bumpscan/model";
 * const model = new ModelBuilder("m", [0, 10])
 *   .parameter("nsig", 0).parameter("nbkg", 1000, { lo: 0 }).parameter("c1", 0)
 *   .component("sig", "gaussian", [5, 0.1], "nsig")
 *   .component("bkg", "expPoly", [0, 10, "c1"], "nbkg")
 *   .build("nsig");
 * model.parameters.map((p) => p.name); // => ["nsig", "nbkg", "c1"]
 */
export class ModelBuilder {
  private readonly parameters: Parameter[] = [];
  private readonly samples: Sample[] = [];
  private readonly constraints: Constraint[] = [];

  constructor(
    private readonly observable: string,
    private readonly range: [number, number],
    private readonly unit?: string,
  ) {
    this.samples.push({ name: "", range, components: [], guards: [] });
  }

  /** Add a free (or fixed) parameter with a start value and optional bounds. */
  parameter(name: string, value: number, opts: { lo?: number; hi?: number; fixed?: boolean } = {}): this {
    if (this.parameters.some((p) => p.name === name)) throw new BumpscanError(`parameter ${name} defined twice`);
    this.parameters.push({
      name,
      value,
      lo: opts.lo ?? -Infinity,
      hi: opts.hi ?? Infinity,
      fixed: opts.fixed ?? false,
    });
    return this;
  }

  /**
   * Start a new sample (simultaneous fits); later components go to it. The first call names the
   * builder's initial sample instead while it has no components. `exclude`: vetoed open intervals.
   */
  sample(name: string, range: [number, number] = this.range, exclude?: [number, number][]): this {
    const first = this.samples[0];
    if (this.samples.length === 1 && first.components.length === 0 && first.name === "")
      (first.name = name), (first.range = range);
    else this.samples.push({ name, range, components: [], guards: [] });
    if (exclude !== undefined) this.exclude(exclude);
    return this;
  }

  /**
   * Veto open intervals (a, b) of the current sample's range (the one sample, or the last started):
   * sorted, disjoint, strictly inside the range.
   * @example
   * import { ModelBuilder } from "bumpscan/model";
   * const model = new ModelBuilder("m", [0, 10.2])
   *   .exclude([[3.0, 3.2], [3.6, 3.75]])
   *   .parameter("nbkg", 1000, { lo: 0 })
   *   .component("bkg", "uniform", [], "nbkg")
   *   .build("nbkg");
   * model.samples[0].exclude; // => [[3.0, 3.2], [3.6, 3.75]]
   */
  exclude(holes: [number, number][]): this {
    const sample = this.samples[this.samples.length - 1];
    sample.exclude = holes.map(([a, b]) => [a, b]);
    return this;
  }

  /** Add a component; `yieldOf` is a parameter name, a number, or a full yield description. */
  component(
    name: string,
    shape: ShapeName,
    args: Arg[],
    yieldOf: string | number | { constant?: number; factors: YieldFactor[] },
  ): this {
    const y =
      typeof yieldOf === "string"
        ? { constant: 1, factors: [{ param: yieldOf }] }
        : typeof yieldOf === "number"
          ? { constant: yieldOf, factors: [] }
          : { constant: yieldOf.constant ?? 1, factors: yieldOf.factors };
    const sample = this.samples[this.samples.length - 1];
    sample.components.push({ name, shape, args, yieldConstant: y.constant, yieldFactors: y.factors });
    // the peak where the density must stay ≥ 0: a peaking shape's mean, a template's largest bin
    const peak =
      SHAPES[shape].mean !== undefined
        ? nominalArg(args[0])
        : args.every((a) => typeof a === "number")
          ? shapePeak(shape, args as number[])
          : undefined;
    if (peak !== undefined) sample.guards.push(peak);
    return this;
  }

  /** Constrain a parameter with a Gaussian of the given mean and width. */
  constrain(param: string, mean: number, sigma: number): this {
    this.constraints.push({ param, mean, sigma });
    return this;
  }

  /** Check every reference and return the model. */
  build(poi: string): Model {
    const model: Model = {
      observable: { name: this.observable, unit: this.unit, range: this.range },
      parameters: this.parameters,
      samples: this.samples,
      constraints: this.constraints,
      poi,
    };
    checkModel(model);
    return model;
  }
}

/**
 * Throws a BumpscanError naming the first inconsistency (unknown parameter, wrong argument count,
 * inverted range, out-of-range start value, a factor without a valid κ or r, vetoes that are not sorted
 * disjoint intervals strictly inside the range).
 * @example
 * import { checkModel, ModelBuilder } from "bumpscan/model";
 * const model = new ModelBuilder("m", [0, 10])
 *   .parameter("nsig", 10).parameter("nbkg", 90, { lo: 0 })
 *   .component("sig", "gaussian", [5, 0.5], "nsig")
 *   .component("bkg", "uniform", [], "nbkg")
 *   .build("nsig");
 * checkModel(model); // returns quietly for a consistent model
 * checkModel({ ...model, poi: "mu" }); // throws: mu
 */
export function checkModel(model: Model): void {
  const names = new Set(model.parameters.map((p) => p.name));
  const need = (name: string, where: string) => {
    if (!names.has(name)) throw new BumpscanError(`${where} refers to unknown parameter "${name}"`);
  };
  need(model.poi, "the parameter of interest");
  // the sizes the WASM core holds are the core's to check (checkCoreLimits in src/core/compile.ts)
  for (const p of model.parameters) {
    if (!Number.isFinite(p.value)) throw new BumpscanError(`parameter ${p.name}: start value must be a finite number`);
    if (!(p.lo < p.hi))
      throw new BumpscanError(`parameter ${p.name}: lower bound ${p.lo} must be below upper bound ${p.hi}`);
    if (p.value < p.lo || p.value > p.hi)
      throw new BumpscanError(`parameter ${p.name}: start value ${p.value} outside [${p.lo}, ${p.hi}]`);
  }
  for (const s of model.samples) {
    if (!(s.range[0] < s.range[1]))
      throw new BumpscanError(`sample ${s.name || "(default)"}: range [${s.range}] must have lo < hi`);
    if (s.components.length === 0) throw new BumpscanError(`sample ${s.name || "(default)"} has no components`);
    for (const c of s.components) {
      const order = Math.max(0, c.args.length - SHAPES[c.shape].args.length);
      const max = SHAPES[c.shape].coefficients?.maxOrder ?? 0;
      if (c.shape === "template" && !(order >= 1 && order <= max))
        fail(
          `component ${c.name}: template takes xlo, xhi and 1 to ${max} bin contents; got ${c.args.length} arguments`,
        );
      if (order > max || c.args.length !== shapeArgs(c.shape, order).length) {
        throw new BumpscanError(
          `component ${c.name}: ${c.shape} takes ${shapeArgs(c.shape, max).join(", ")} (order ≤ ${max}); got ` +
            `${c.args.length} arguments`,
        );
      }
      c.args.forEach((a, i) => {
        const where = `component ${c.name} argument ${shapeArgs(c.shape, order)[i]}`;
        for (let x: Arg = a; typeof x === "object"; x = x.base) {
          if (x === null || !Array.isArray(x.factors)) fail(`${where}: a factored argument needs a list of factors`);
          x.factors.forEach((f) => checkFactor(f, where, need));
        }
        const { base } = argParts(a);
        if (typeof base === "string") need(base, where);
        else if (!Number.isFinite(base)) fail(`${where} must be finite`);
      });
      c.yieldFactors.forEach((f) => checkFactor(f, `component ${c.name} yield`, need));
    }
    checkExclude(s);
  }
  for (const k of model.constraints) {
    need(k.param, "a constraint");
    if (!(k.sigma > 0)) throw new BumpscanError(`constraint on ${k.param}: sigma must be > 0`);
  }
}

function fail(message: string): never {
  throw new BumpscanError(message);
}

/** One factor: a known parameter; κ > 0 finite or r finite, not both. */
function checkFactor(f: Factor, where: string, need: (name: string, where: string) => void): void {
  need(f.param, where);
  if (f.kappa !== undefined && f.gauss !== undefined) fail(`${where}: factor ${f.param} has both kappa and gauss`);
  if (f.kappa !== undefined && !(f.kappa > 0 && Number.isFinite(f.kappa)))
    fail(`${where}: factor ${f.param} needs kappa > 0 (got ${f.kappa})`);
  if (f.gauss !== undefined && !Number.isFinite(f.gauss))
    fail(`${where}: factor ${f.param} needs a finite gauss (got ${f.gauss})`);
}

/** The vetoes: pairs a < b, sorted, disjoint, strictly inside the range. */
function checkExclude(s: Sample): void {
  if (s.exclude === undefined) return;
  const name = `sample ${s.name || "(default)"}`;
  if (!Array.isArray(s.exclude)) fail(`${name}: exclude must be a list of [a, b] intervals`);
  const [lo, hi] = s.range;
  s.exclude.forEach((h, k) => {
    if (!Array.isArray(h) || h.length !== 2 || !h.every(Number.isFinite))
      fail(`${name}: excluded interval ${k + 1} must be a pair of finite numbers [a, b]`);
    const [a, b] = h;
    if (!(a < b)) fail(`${name}: excluded interval [${a}, ${b}] must have a < b`);
    if (!(a > lo && b < hi))
      fail(`${name}: excluded interval [${a}, ${b}] must lie strictly inside the range [${lo}, ${hi}]`);
    const prev = s.exclude![k - 1];
    if (prev && !(prev[1] < a)) fail(`${name}: excluded intervals must be sorted and disjoint ([${prev}] then [${h}])`);
  });
}

/**
 * The value an argument has when its factors are at their nominal θ = 0 (κ^0 = 1 + r·0 = 1): a
 * number argument, or a numeric base whose factors are all log-normal or gauss; else undefined
 * (a parameter, or a factor that is a parameter itself).
 * @example
 * import { nominalArg } from "bumpscan/model";
 * nominalArg({ base: 0.05, factors: [{ param: "res", gauss: 0.1 }] }); // => 0.05
 * nominalArg("sigma"); // => undefined
 */
export function nominalArg(a: Arg): number | undefined {
  const { base, factors } = argParts(a);
  if (typeof base !== "number") return undefined;
  return factors.every((f) => f.kappa !== undefined || f.gauss !== undefined) ? base : undefined;
}

/**
 * An argument as its base (a number or a parameter name) and the list of its factors, nested
 * factored arguments flattened (inner factors first); a plain argument has no factors.
 * @example
 * import { argParts } from "bumpscan/model";
 * argParts({ base: "sigma", factors: [{ param: "res", gauss: 0.1 }] }).base; // => "sigma"
 * argParts(0.05).factors; // => []
 */
export function argParts(a: Arg): { base: number | string; factors: ArgFactor[] } {
  if (typeof a !== "object") return { base: a, factors: [] };
  const inner = argParts(a.base);
  return { base: inner.base, factors: [...inner.factors, ...a.factors] };
}

/**
 * The allowed pieces of a range with vetoes: [lo, a₁], [b₁, a₂], …, [b_k, hi] (the range itself
 * without vetoes). The holes are open, so each piece is closed.
 * @example
 * import { allowedPieces } from "bumpscan/model";
 * allowedPieces([0, 10.2], [[3.0, 3.2], [3.6, 3.75]]); // => [[0, 3.0], [3.2, 3.6], [3.75, 10.2]]
 */
export function allowedPieces(range: [number, number], exclude: [number, number][] = []): [number, number][] {
  const pieces: [number, number][] = [];
  let start = range[0];
  for (const [a, b] of exclude) {
    pieces.push([start, a]);
    start = b;
  }
  pieces.push([start, range[1]]);
  return pieces;
}

/**
 * Whether x lies inside one of the vetoed open intervals (their ends are allowed).
 * @example
 * import { isExcluded } from "bumpscan/model";
 * isExcluded([[3.0, 3.2]], 3.1); // => true
 * isExcluded([[3.0, 3.2]], 3.2); // => false
 */
export function isExcluded(exclude: [number, number][] | undefined, x: number): boolean {
  if (!exclude) return false;
  for (const [a, b] of exclude) if (x > a && x < b) return true;
  return false;
}

/**
 * The value of a factor at θ: θ itself, κ^θ, or 1 + r·θ (NaN where 1 + r·θ ≤ 0: no valid model).
 * @example
 * import { factorValue } from "bumpscan/model";
 * factorValue({ param: "res", gauss: 0.1 }, 2); // => 1.2
 * factorValue({ param: "lumi", kappa: 1.1 }, 2); // => 1.21
 */
export function factorValue(f: Factor, theta: number): number {
  if (f.kappa !== undefined) return f.kappa ** theta;
  if (f.gauss !== undefined) {
    const v = 1 + f.gauss * theta;
    return v > 0 ? v : NaN;
  }
  return theta;
}
