/**
 * The model: parameters, components and constraints, independent of how it was written down
 * (a JSON spec or the builder) and of the WASM core that evaluates it.
 */
import { BumpscanError } from "../errors.js";
import { SHAPES, type ShapeName, shapeArgs } from "./shapes.js";

export interface Parameter {
  name: string;
  /** Start value. */
  value: number;
  lo: number;
  hi: number;
  fixed: boolean;
}

/** A component argument: a number (constant) or the name of a parameter. */
export type Arg = number | string;

/** Yield = constant × Π param (kappa undefined) × Π kappa^param (log-normal factors). */
export interface YieldFactor {
  param: string;
  kappa?: number;
}

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

  /** Start a new sample (simultaneous fits); later components go to it. */
  sample(name: string, range: [number, number] = this.range): this {
    const first = this.samples[0];
    if (this.samples.length === 1 && first.components.length === 0 && first.name === "")
      (first.name = name), (first.range = range);
    else this.samples.push({ name, range, components: [], guards: [] });
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
    const mean = SHAPES[shape].mean;
    if (mean !== undefined && typeof args[0] === "number") sample.guards.push(args[0]);
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
 * inverted range, out-of-range start value).
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
      if (order > max || c.args.length !== shapeArgs(c.shape, order).length) {
        throw new BumpscanError(
          `component ${c.name}: ${c.shape} takes ${shapeArgs(c.shape, max).join(", ")} (order ≤ ${max}); got ` +
            `${c.args.length} arguments`,
        );
      }
      c.args.forEach((a, i) =>
        typeof a === "string"
          ? need(a, `component ${c.name} argument ${i + 1}`)
          : Number.isFinite(a) || fail(`component ${c.name}: argument ${shapeArgs(c.shape, order)[i]} must be finite`),
      );
      c.yieldFactors.forEach((f) => need(f.param, `component ${c.name} yield`));
    }
  }
  for (const k of model.constraints) {
    need(k.param, "a constraint");
    if (!(k.sigma > 0)) throw new BumpscanError(`constraint on ${k.param}: sigma must be > 0`);
  }
}

function fail(message: string): never {
  throw new BumpscanError(message);
}
