/**
 * HS3 (HEP Statistics Serialization Standard, v0.2.9) in and out: a Model with its unbinned data
 * as an HS3 document (distributions, functions, data, likelihood, analysis, parameter points,
 * domains), and back. docs/hs3.md gives the mapping of each shape and ROOT's and pyhs3's spelling
 * of it; what has no mapping is a one-line BumpscanError naming it.
 */
import { BumpscanError } from "../errors.js";
import type { Dataset } from "../core/compile.js";
import { type Arg, type Factor, type Model, argParts } from "../model/model.js";
import type { ShapeName } from "../model/shapes.js";

/** The HS3 version whose syntax bumpscan writes (the standard's docs/chapters at commit 29cdd62). */
export const HS3_VERSION = "0.2.9";

/** RooFit's stand-in for ±∞ in domains (RooNumber::infinity()); |bound| ≥ this reads back as ∞. */
const INFINITY = 1e30;

type Json = Record<string, unknown>;

/** An HS3 document as bumpscan writes it (the parts it reads are the same, plus ROOT's variants). */
export interface Hs3Document {
  metadata: { hs3_version: string; packages?: { name: string; version: string }[]; description?: string };
  distributions: Json[];
  functions?: Json[];
  data: Json[];
  likelihoods: { name: string; distributions: string[]; data: string[]; aux_distributions?: string[] }[];
  analyses: { name: string; likelihood: string; parameters_of_interest: string[]; domains: string[]; init: string }[];
  parameter_points: { name: string; parameters: { name: string; value: number; const?: boolean }[] }[];
  domains: { name: string; type: "product_domain"; axes: { name: string; min: number; max: number }[] }[];
}

/** Whether a parsed JSON file is an HS3 document (it has `metadata.hs3_version` and `distributions`). */
export function isHs3Document(x: unknown): boolean {
  const m = (x as Json | null)?.metadata as Json | undefined;
  return typeof m?.hs3_version === "string" && Array.isArray((x as Json).distributions);
}

const fail = (message: string): never => {
  throw new BumpscanError(message);
};

/** A number as an HS3 expression literal (never "1e+30": TFormula and sympy both read "1e30"). */
const lit = (x: number) => String(x).replace("e+", "e");

/** The writer's state: names in use, the constants and functions it has made. */
class Writer {
  readonly constants: { name: string; value: number; const: true }[] = [];
  readonly functions: Json[] = [];
  constructor(private readonly taken: Set<string>) {}

  /** A fresh name, `base` if free. */
  name(base: string): string {
    let name = base;
    for (let k = 2; this.taken.has(name); k++) name = `${base}_${k}`;
    this.taken.add(name);
    return name;
  }

  /** A constant as a const parameter: pyhs3 and ROOT want names for most fields. */
  constant(base: string, value: number): string {
    const name = this.name(base);
    this.constants.push({ name, value, const: true });
    return name;
  }

  /** An argument as a name: a parameter, a constant, or a generic_function of its factors. */
  arg(a: Arg, base: string, negate = false): string {
    const { base: b, factors } = argParts(a);
    if (factors.length === 0 && !negate) return typeof b === "number" ? this.constant(base, b) : b;
    if (factors.length === 0 && typeof b === "number") return this.constant(base, -b);
    // ROOT's suffix for an exponential's sign flip: its importer reads the parameter back as it is
    const name = this.name(negate && typeof b === "string" && !factors.length ? `${b}_exponential_inverted` : base);
    const expression = (negate ? "-" : "") + productExpression(typeof b === "number" ? b : 1, b, factors);
    this.functions.push({ name, type: "generic_function", expression });
    return name;
  }
}

/** constant × base × factors as an expression: θ, exp(ln κ·θ) for κ^θ, (1+r·θ). */
function productExpression(constant: number, base: number | string, factors: Factor[]): string {
  const terms = typeof base === "string" ? [base] : [];
  for (const f of factors) {
    if (f.kappa !== undefined) terms.push(`exp(${lit(Math.log(f.kappa))}*${f.param})`);
    else if (f.gauss !== undefined) terms.push(`(1+${lit(f.gauss)}*${f.param})`);
    else terms.push(f.param);
  }
  return constant === 1 && terms.length ? terms.join("*") : [lit(constant), ...terms].join("*");
}

/** x = 2(m − lo)/(hi − lo) − 1 of the polynomial families, as written in a generic_dist. */
const mappedX = (obs: string, lo: number, hi: number) => `(2*(${obs}-(${lit(lo)}))/(${lit(hi - lo)})-1)`;

const power = (x: string, k: number) => (k === 1 ? x : `pow(${x},${k})`);

/** One component's distribution (without its name). */
function distribution(shape: ShapeName, args: Arg[], obs: string, dist: string, w: Writer): Json {
  const name = (a: Arg, field: string) => w.arg(a, `${dist}_${field}`);
  switch (shape) {
    case "uniform":
      return { type: "uniform_dist", x: [obs] }; // a list, as RooUniform's set proxy and pyhs3 have it
    case "gaussian":
      return { type: "gaussian_dist", x: obs, mean: name(args[0], "mean"), sigma: name(args[1], "sigma") };
    case "crystalBall": {
      const [m0, sigma, alpha, n] = args;
      return {
        type: "crystalball_dist",
        m: obs,
        m0: name(m0, "m0"),
        sigma: name(sigma, "sigma"),
        alpha: name(alpha, "alpha"),
        n: name(n, "n"),
      };
    }
    case "doubleCrystalBall": {
      const [m0, sL, sR, aL, nL, aR, nR] = args;
      return {
        type: "crystalball_doublesided_dist",
        m: obs,
        m0: name(m0, "m0"),
        sigma_L: name(sL, "sigma_L"),
        sigma_R: name(sR, "sigma_R"),
        alpha_L: name(aL, "alpha_L"),
        n_L: name(nL, "n_L"),
        alpha_R: name(aR, "alpha_R"),
        n_R: name(nR, "n_R"),
      };
    }
    case "exponential":
      // bumpscan's e^{λm} is HS3's e^{−c·m}: c = −λ
      return { type: "exponential_dist", x: obs, c: w.arg(args[0], `${dist}_c`, true) };
    case "argus":
      return {
        type: "argus_dist",
        mass: obs,
        resonance: name(args[0], "resonance"),
        slope: name(args[1], "slope"),
        power: name(args[2], "power"),
      };
    case "chebyshev":
      return { type: "chebychev_dist", x: obs, coefficients: args.slice(2).map((a, k) => name(a, `a${k + 1}`)) };
    case "polynomial":
    case "expPoly":
      return polynomialFamily(shape, args, obs, dist, w);
    default:
      return fail(`HS3 export: component ${dist}: shape "${shape}" has no HS3 distribution (docs/hs3.md)`);
  }
}

/**
 * A polynomial in the raw observable (x mapped by [−1, 1]) is HS3's polynomial_dist; otherwise the
 * polynomial and expPoly shapes in the mapped x are generic_dist expressions (HS3 has no such
 * distribution), in the one form the importer reads back.
 */
function polynomialFamily(shape: ShapeName, args: Arg[], obs: string, dist: string, w: Writer): Json {
  const [xlo, xhi, ...coeffs] = args;
  const names = coeffs.map((a, k) => w.arg(a, `${dist}_${shape === "expPoly" ? "c" : "a"}${k + 1}`));
  if (typeof xlo !== "number" || typeof xhi !== "number") return fail(`HS3 export: ${dist}: x range must be numbers`);
  if (shape === "polynomial" && xlo === -1 && xhi === 1)
    return { type: "polynomial_dist", x: obs, coefficients: [w.constant(`${dist}_a0`, 1), ...names] };
  const x = mappedX(obs, xlo, xhi);
  const sum = names.map((n, k) => `${n}*${power(x, k + 1)}`).join("+");
  const expression = shape === "expPoly" ? `exp(${sum || "0"})` : `1${sum ? `+${sum}` : ""}`;
  return { type: "generic_dist", expression };
}

/** An HS3 bound: finite, ±1e30 standing for ±∞ as in RooFit. */
const bound = (x: number) => (Number.isFinite(x) ? x : Math.sign(x) * INFINITY);

/** What modelToHs3 writes besides the model and its data. */
export interface Hs3ExportOptions {
  /** The analysis's name (default "bumpscan"). */
  name?: string;
  description?: string;
  /** The writing package, recorded in metadata.packages. */
  generator?: { name: string; version: string };
}

/**
 * A model with one dataset per sample (the events in its fit range) as an HS3 document: one
 * extended mixture_dist per sample (its components the summands, their yields the coefficients),
 * its events as unbinned data over the sample's range, Gaussian constraints as gaussian_dist
 * auxiliary distributions of the likelihood, start values and fixed parameters as the parameter
 * point `default_values`, bounds as the product domain `default_domain`. Vetoes and templates
 * have no HS3 form: errors naming them.
 * @example
 * import { ModelBuilder } from "bumpscan/model";
 * import { modelToHs3 } from "bumpscan/io";
 * const model = new ModelBuilder("m", [0, 10])
 *   .parameter("nsig", 0).parameter("nbkg", 3, { lo: 0 }).parameter("lambda", -0.2)
 *   .component("signal", "gaussian", [5, 0.1], "nsig")
 *   .component("background", "exponential", ["lambda"], "nbkg")
 *   .build("nsig");
 * const doc = modelToHs3(model, [{ values: new Float64Array([1.5, 2.5, 4.9]) }]);
 * doc.distributions.map((d) => d.type); // => ["gaussian_dist", "exponential_dist", "mixture_dist"]
 * doc.functions[0].expression; // => "-lambda"
 * doc.data[0].entries; // => [[1.5], [2.5], [4.9]]
 */
export function modelToHs3(model: Model, data: Dataset[], options: Hs3ExportOptions = {}): Hs3Document {
  if (data.length !== model.samples.length)
    fail(`HS3 export: ${model.samples.length} samples but ${data.length} datasets`);
  const w = new Writer(new Set(model.parameters.map((p) => p.name)));
  const multi = model.samples.length > 1;
  const sameRange = model.samples.every(
    (s) => s.range[0] === model.samples[0].range[0] && s.range[1] === model.samples[0].range[1],
  );
  const distributions: Json[] = [];
  const datasets: Json[] = [];
  const likelihood = { name: w.name("likelihood"), distributions: [] as string[], data: [] as string[] };
  model.samples.forEach((s, k) => {
    const where = multi ? `_${s.name || k + 1}` : "";
    if (s.exclude?.length) fail(`HS3 export: sample ${s.name || "(default)"}: vetoes (exclude) have no HS3 form`);
    // one variable per range: a RooRealVar has one range, and HS3 normalises over the data's axis
    const obs = sameRange ? model.observable.name : w.name(`${model.observable.name}${where}`);
    const summands = s.components.map((c) => {
      const dist = w.name(`${c.name}${where}`);
      distributions.push({ name: dist, ...distribution(c.shape, c.args, obs, dist, w) });
      return dist;
    });
    const coefficients = s.components.map((c, i) =>
      yieldName(w, `${summands[i]}_yield`, c.yieldConstant, c.yieldFactors),
    );
    const name = w.name(`model${where}`);
    distributions.push({ name, type: "mixture_dist", summands, coefficients, extended: true });
    const d = w.name(`obsData${where}`);
    datasets.push(unbinned(d, obs, s.range, data[k]));
    likelihood.distributions.push(name);
    likelihood.data.push(d);
  });
  const aux = model.constraints.map((c) => {
    const dist = w.name(`${c.param}_constraint`);
    const mean = w.constant(`nom_${c.param}`, c.mean);
    const sigma = w.constant(`${c.param}_constraint_sigma`, c.sigma);
    distributions.push({ name: dist, type: "gaussian_dist", x: c.param, mean, sigma });
    return dist;
  });
  const params = model.parameters.map((p) => ({ name: p.name, value: p.value, ...(p.fixed ? { const: true } : {}) }));
  const analysis = options.name ?? "bumpscan";
  return {
    metadata: {
      hs3_version: HS3_VERSION,
      ...(options.generator ? { packages: [options.generator] } : {}),
      ...(options.description ? { description: options.description } : {}),
    },
    distributions,
    ...(w.functions.length ? { functions: w.functions } : {}),
    data: datasets,
    likelihoods: [{ ...likelihood, ...(aux.length ? { aux_distributions: aux } : {}) }],
    analyses: [
      {
        name: analysis,
        likelihood: likelihood.name,
        parameters_of_interest: [model.poi],
        domains: ["default_domain"],
        init: "default_values",
      },
    ],
    parameter_points: [{ name: "default_values", parameters: [...params, ...w.constants] }],
    domains: [
      {
        name: "default_domain",
        type: "product_domain",
        axes: model.parameters
          .filter((p) => !p.fixed)
          .map((p) => ({ name: p.name, min: bound(p.lo), max: bound(p.hi) })),
      },
    ],
  };
}

/** A yield constant × Π factors as a name: a constant, the one parameter it is, or a generic_function. */
function yieldName(w: Writer, base: string, constant: number, factors: Factor[]): string {
  if (factors.length === 0) return w.constant(base, constant);
  const [f] = factors;
  if (constant === 1 && factors.length === 1 && f.kappa === undefined && f.gauss === undefined) return f.param;
  const name = w.name(base);
  w.functions.push({ name, type: "generic_function", expression: productExpression(constant, constant, factors) });
  return name;
}

/** A sample's events as HS3 unbinned data (weights only when some differ from 1, as ROOT writes them). */
function unbinned(name: string, obs: string, range: [number, number], d: Dataset): Json {
  const out: Json = {
    name,
    type: "unbinned",
    axes: [{ name: obs, min: range[0], max: range[1] }],
    entries: Array.from(d.values, (x) => [x]),
  };
  if (d.weights?.some((x) => x !== 1)) out.weights = Array.from(d.weights);
  return out;
}
