/**
 * Reading an HS3 document (docs/hs3.md) into a Model and its unbinned data: the distributions
 * bumpscan's core implements, in the spellings ROOT and pyhs3 write, and the generic forms
 * io/hs3.ts writes. Anything else is a one-line BumpscanError naming the distribution type and name.
 */
import { BumpscanError } from "../errors.js";
import type { Dataset } from "../core/compile.js";
import { type Arg, type Factor, type Model, ModelBuilder } from "../model/model.js";
import type { ShapeName } from "../model/shapes.js";
import { inRange } from "./column.js";
import { isHs3Document } from "./hs3.js";

type Json = Record<string, unknown>;

const fail = (message: string): never => {
  throw new BumpscanError(`HS3: ${message}`);
};

const NUM = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?`;
const isNumeric = (s: string) => new RegExp(`^${NUM}$`).test(s);

/** A model read from an HS3 document, with one dataset per sample and what was left out of it. */
export interface Hs3Model {
  model: Model;
  /** Per sample: its events inside the data's axis range. */
  data: Dataset[];
  /** Per sample: events outside the axis range, dropped. */
  dropped: number[];
  /** The analysis read. */
  analysis: string;
}

/** The document's named lists, parameters and their values. */
class Reader {
  readonly dists = new Map<string, Json>();
  readonly functions = new Map<string, Json>();
  readonly data = new Map<string, Json>();
  /** Parameter values and constness (the analysis's parameter point), bounds (its domains). */
  readonly values = new Map<string, { value: number; const: boolean }>();
  readonly bounds = new Map<string, [number, number]>();
  /** The free parameters the model uses (in order of first use). */
  readonly used: string[] = [];

  constructor(doc: Json) {
    for (const [key, map] of [
      ["distributions", this.dists],
      ["functions", this.functions],
      ["data", this.data],
    ] as const) {
      for (const item of list(doc[key], key)) map.set(str(item.name, `${key} entry name`), item);
    }
  }

  /** A field's value: a number, a const parameter's value, a free parameter, or a function of them. */
  arg(v: unknown, where: string): Arg {
    if (typeof v === "number") return v;
    const name = str(v, where);
    if (isNumeric(name)) return Number(name);
    const f = this.functions.get(name);
    if (f) return this.function(f, name);
    const p = this.values.get(name);
    if (!p) return fail(`${where} refers to "${name}", which is no parameter, function or number`);
    if (p.const) return p.value;
    if (!this.used.includes(name)) this.used.push(name);
    return name;
  }

  /** A field that must be a number (a constraint's mean and width). */
  number(v: unknown, where: string): number {
    const a = this.arg(v, where);
    return typeof a === "number" ? a : fail(`${where} must be a number or a constant parameter`);
  }

  /** A function: `product` of factors, or a generic_function in the product form io/hs3.ts writes. */
  private function(f: Json, name: string): Arg {
    if (f.type === "product") return this.product(1, list(f.factors, `function ${name} factors`, true), name);
    if (f.type !== "generic_function") fail(`function type "${f.type}" (${name}) is not supported`);
    const parsed = parseProduct(str(f.expression, `function ${name} expression`));
    if (!parsed)
      return fail(`generic_function ${name}: "${f.expression}" is not a product bumpscan reads (docs/hs3.md)`);
    return this.product(parsed.constant, parsed.terms, name);
  }

  /** constant × Π terms as an argument: a number, a parameter, or a factored argument. */
  private product(constant: number, terms: unknown[], name: string): Arg {
    let c = constant;
    const factors: Factor[] = [];
    for (const t of terms) {
      const term = t as string | number | Factor;
      if (typeof term === "object") {
        const a = this.arg(term.param, `function ${name}`);
        if (typeof a !== "string") fail(`function ${name}: ${term.param} must be a free parameter`);
        factors.push(term);
        continue;
      }
      const a = this.arg(term, `function ${name}`);
      if (typeof a === "number") c *= a;
      else if (typeof a === "string") factors.push({ param: a });
      else fail(`function ${name}: nested functions are not supported`);
    }
    if (factors.length === 0) return c;
    if (c === 1 && factors.length === 1 && !factors[0].kappa && factors[0].gauss === undefined) return factors[0].param;
    return { base: c, factors };
  }
}

function list(v: unknown, what: string, anyItems = false): Json[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) return fail(`${what} must be a list`);
  if (!anyItems && v.some((x) => typeof x !== "object" || x === null)) fail(`${what} must be a list of objects`);
  return v as Json[];
}

function str(v: unknown, what: string): string {
  return typeof v === "string" ? v : fail(`${what} must be a string`);
}

/**
 * A product expression: [−] term * term …, each term a number, a name, exp(a*θ) (κ^θ with
 * ln κ = a) or (1+r*θ). Null for anything else.
 */
function parseProduct(expression: string): { constant: number; terms: (string | number | Factor)[] } | null {
  let e = expression.replace(/\s+/g, "");
  let constant = 1;
  if (e.startsWith("-")) (constant = -1), (e = e.slice(1));
  const terms: (string | number | Factor)[] = [];
  const name = "[A-Za-z_][A-Za-z0-9_.]*";
  const exp = new RegExp(`^exp\\((${NUM})\\*(${name})\\)$`);
  const lin = new RegExp(`^\\(1\\+(${NUM})\\*(${name})\\)$`);
  for (const t of splitTop(e, "*")) {
    const m = exp.exec(t) ?? lin.exec(t);
    if (m)
      terms.push(
        t.startsWith("exp") ? { param: m[2], kappa: Math.exp(Number(m[1])) } : { param: m[2], gauss: Number(m[1]) },
      );
    else if (isNumeric(t)) terms.push(Number(t));
    else if (new RegExp(`^${name}$`).test(t)) terms.push(t);
    else return null;
  }
  return { constant, terms };
}

/** Split at `sep` outside parentheses. */
function splitTop(e: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0,
    start = 0;
  for (let i = 0; i < e.length; i++) {
    if (e[i] === "(") depth++;
    else if (e[i] === ")") depth--;
    else if (e[i] === sep && depth === 0) out.push(e.slice(start, i)), (start = i + 1);
  }
  out.push(e.slice(start));
  return out;
}

/** One summand of a mixture: its shape and arguments over the sample's range [lo, hi]. */
function component(r: Reader, d: Json, name: string, obs: string, range: [number, number]): [ShapeName, Arg[]] {
  const where = `${d.type} ${name}`;
  const a = (field: string) => {
    if (d[field] === undefined) fail(`${where} has no "${field}"`);
    return r.arg(d[field], `${where}.${field}`);
  };
  const x = d.x ?? d.m ?? d.mass;
  const variable = Array.isArray(x) && x.length === 1 ? x[0] : x;
  if (d.type !== "generic_dist" && variable !== obs)
    fail(`${where}: its variable ${JSON.stringify(variable)} is not the data's axis "${obs}"`);
  switch (d.type) {
    case "uniform_dist":
      return ["uniform", []];
    case "gaussian_dist":
    case "normal_dist":
      return ["gaussian", [a("mean"), a("sigma")]];
    case "crystalball_dist":
      return ["crystalBall", [a("m0"), a("sigma"), a("alpha"), a("n")]];
    case "crystalball_doublesided_dist":
      return [
        "doubleCrystalBall",
        [a("m0"), a("sigma_L"), a("sigma_R"), a("alpha_L"), a("n_L"), a("alpha_R"), a("n_R")],
      ];
    case "exponential_dist":
      return ["exponential", [negate(a("c"))]];
    case "argus_dist":
    case "ARGUS_dist":
      return ["argus", [a("resonance"), a("slope"), a("power")]];
    case "chebychev_dist":
      return ["chebyshev", [range[0], range[1], ...coefficients(r, d, where)]];
    case "polynomial_dist":
      return ["polynomial", [-1, 1, ...rawPolynomial(coefficients(r, d, where), where)]];
    case "generic_dist":
      return genericPolynomial(r, str(d.expression, `${where}.expression`), obs, where);
    default:
      return fail(`distribution type "${d.type}" (${name}) is not supported (docs/hs3.md)`);
  }
}

function coefficients(r: Reader, d: Json, where: string): Arg[] {
  return list(d.coefficients, `${where}.coefficients`, true).map((c, k) => r.arg(c, `${where}.coefficients[${k}]`));
}

/** −a: HS3's exponential is e^{−c·x}, bumpscan's e^{λx}. */
function negate(a: Arg): Arg {
  if (typeof a === "number") return -a;
  if (typeof a === "string") return { base: -1, factors: [{ param: a }] };
  if (typeof a.base !== "number") return fail("an exponential's c must be a product of parameters and numbers");
  const [f] = a.factors;
  // ROOT writes e^{c·x} as exponential_dist of the function "-c": its negation is c itself
  if (a.base === -1 && a.factors.length === 1 && f.kappa === undefined && f.gauss === undefined) return f.param;
  return { base: -a.base, factors: a.factors };
}

/** c0 + c1 m + … as 1 + Σ (c_k / c0) m^k in x = m (the range [−1, 1] maps m onto itself). */
function rawPolynomial(cs: Arg[], where: string): Arg[] {
  const c0 = cs[0] ?? 1;
  if (typeof c0 !== "number" || c0 === 0) return fail(`${where}: the constant coefficient must be a non-zero constant`);
  return cs.slice(1).map((c) => (c0 === 1 ? c : typeof c === "number" ? c / c0 : scale(c, 1 / c0)));
}

function scale(a: Arg, k: number): Arg {
  if (typeof a === "number") return a * k;
  if (typeof a === "string") return { base: k, factors: [{ param: a }] };
  return { base: scale(a.base, k), factors: a.factors };
}

/** The polynomial and expPoly shapes as io/hs3.ts writes them: 1 + Σ a_k·x^k, exp(Σ c_k·x^k). */
function genericPolynomial(r: Reader, expression: string, obs: string, where: string): [ShapeName, Arg[]] {
  const e = expression.replace(/\s+/g, "");
  const x = new RegExp(String.raw`\(2\*\(([A-Za-z_][\w.]*)-\((${NUM})\)\)/\((${NUM})\)-1\)`).exec(e);
  const unsupported = () => fail(`${where}: "${expression}" is not a polynomial form bumpscan reads (docs/hs3.md)`);
  if (!x || x[1] !== obs) return unsupported();
  const [xlo, width] = [Number(x[2]), Number(x[3])];
  const body = e.split(x[0]).join("X");
  const exp = /^exp\((.*)\)$/.exec(body);
  const inner = exp ? exp[1] : body.startsWith("1+") ? body.slice(2) : body === "1" ? "" : unsupported();
  const coeffs: Arg[] = [];
  for (const t of inner && inner !== "0" ? splitTop(inner, "+") : []) {
    const m = /^([A-Za-z_][\w.]*)\*(?:X|pow\(X,(\d)\))$/.exec(t);
    if (!m) return unsupported();
    const k = m[2] ? Number(m[2]) : 1;
    while (coeffs.length < k) coeffs.push(0);
    coeffs[k - 1] = r.arg(m[1], where);
  }
  return [exp ? "expPoly" : "polynomial", [xlo, xlo + width, ...coeffs]];
}

/** A yield argument as the builder's yield: a parameter, a number, or constant × factors. */
function yieldOf(a: Arg): string | number | { constant: number; factors: Factor[] } {
  if (typeof a !== "object") return a;
  if (typeof a.base === "object") return fail("a yield must be a product of parameters and numbers");
  const factors = typeof a.base === "string" ? [{ param: a.base }, ...a.factors] : a.factors;
  return { constant: typeof a.base === "number" ? a.base : 1, factors };
}

/** A likelihood term: a mixture, or ROOT's product of a mixture and constraint terms. */
function mixtureOf(r: Reader, name: string): { mixture: Json; mixtureName: string; constraints: string[] } {
  const d = r.dists.get(name) ?? fail(`the likelihood names distribution "${name}", which is not in the document`);
  if (d.type === "mixture_dist") return { mixture: d, mixtureName: name, constraints: [] };
  if (d.type !== "product_dist")
    return fail(`distribution type "${d.type}" (${name}) as a likelihood term is not supported`);
  const factors = list(d.factors, `product_dist ${name} factors`, true).map((f) => str(f, `product_dist ${name}`));
  const mixtures = factors.filter((f) => r.dists.get(f)?.type === "mixture_dist");
  if (mixtures.length !== 1) fail(`product_dist ${name} must hold one mixture_dist`);
  const inner = mixtureOf(r, mixtures[0]);
  return { ...inner, constraints: factors.filter((f) => f !== mixtures[0]) };
}

/** A constraint term gaussian_dist(x: free parameter, mean, sigma: constants). */
function constraint(r: Reader, name: string): { param: string; mean: number; sigma: number } {
  const d = r.dists.get(name) ?? fail(`constraint "${name}" is not in the document`);
  if (d.type !== "gaussian_dist" && d.type !== "normal_dist")
    fail(`distribution type "${d.type}" (${name}) as a constraint is not supported (only gaussian_dist)`);
  const x = r.arg(d.x, `constraint ${name}.x`);
  if (typeof x !== "string") return fail(`constraint ${name}: x must be a free parameter`);
  return {
    param: x,
    mean: r.number(d.mean, `constraint ${name}.mean`),
    sigma: r.number(d.sigma, `constraint ${name}.sigma`),
  };
}

/** Parameter values from the parameter point, bounds from the domains the analysis names. */
function readParameters(r: Reader, doc: Json, analysis: Json): void {
  const points = list(doc.parameter_points, "parameter_points");
  const init = analysis.init ?? "default_values";
  const point = points.find((p) => p.name === init) ?? points[0];
  for (const p of list(point?.parameters, "parameter_points parameters")) {
    const value = typeof p.value === "number" ? p.value : fail(`parameter ${p.name}: value must be a number`);
    r.values.set(str(p.name, "parameter name"), { value, const: p.const === true || p.const === 1 });
  }
  const names = analysis.domains ?? (analysis.domain !== undefined ? [analysis.domain] : undefined);
  const domains = list(doc.domains, "domains").filter((d) => !names || (names as unknown[]).includes(d.name));
  const unbound = (x: unknown, inf: number) => (typeof x !== "number" || Math.abs(x) >= 1e30 ? inf : x);
  for (const d of domains)
    for (const ax of list(d.axes, `domain ${d.name} axes`))
      r.bounds.set(str(ax.name, "domain axis name"), [unbound(ax.min, -Infinity), unbound(ax.max, Infinity)]);
}

/** One sample's events: the unbinned data's one axis (the observable and range), weights if any. */
function events(d: Json, name: string): { obs: string; range: [number, number]; data: Dataset; dropped: number } {
  if (d.type !== "unbinned") fail(`data type "${d.type}" (${name}) is not supported (only unbinned)`);
  const axes = list(d.axes, `data ${name} axes`);
  if (axes.length !== 1) fail(`data ${name}: ${axes.length} axes; bumpscan fits one observable`);
  const { name: obs, min, max } = axes[0];
  if (typeof min !== "number" || typeof max !== "number" || !(min < max))
    fail(`data ${name}: the axis needs numbers min < max`);
  const entries = list(d.entries, `data ${name} entries`, true);
  const values = Float64Array.from(entries, (e, i) => {
    const x = Array.isArray(e) ? e[0] : e;
    return typeof x === "number" && Number.isFinite(x) ? x : fail(`data ${name}: entry ${i} is not a finite number`);
  });
  const w =
    d.weights === undefined
      ? undefined
      : Float64Array.from(list(d.weights, `data ${name} weights`, true) as unknown as number[]);
  if (w && w.length !== values.length) fail(`data ${name}: ${w.length} weights for ${values.length} entries`);
  const kept = inRange(values, w, [min as number, max as number]);
  return {
    obs: str(obs, `data ${name} axis name`),
    range: [min as number, max as number],
    data: kept,
    dropped: kept.dropped,
  };
}

/**
 * An HS3 document as a model and its data: the analysis named (default: the first) gives the
 * likelihood, the parameter of interest, the start values (its `init` parameter point) and the
 * bounds (its domains). Each likelihood term is an extended mixture_dist (or ROOT's product_dist
 * of one with constraint terms) paired with unbinned data of one axis; aux_distributions and
 * product factors are Gaussian constraints. Const parameters become numbers; free ones keep the
 * parameter point's order.
 * @example
 * import { hs3ToModel, modelToHs3 } from "bumpscan/io";
 * import { ModelBuilder } from "bumpscan/model";
 * const model = new ModelBuilder("m", [0, 10])
 *   .parameter("nsig", 0).parameter("nbkg", 3, { lo: 0 }).parameter("lambda", -0.2)
 *   .component("signal", "gaussian", [5, 0.1], "nsig")
 *   .component("background", "exponential", ["lambda"], "nbkg")
 *   .build("nsig");
 * const back = hs3ToModel(modelToHs3(model, [{ values: new Float64Array([1.5, 2.5, 4.9]) }]));
 * back.model.samples[0].components.map((c) => c.args); // => [[5, 0.1], ["lambda"]]
 * back.model.parameters.map((p) => p.name); // => ["nsig", "nbkg", "lambda"]
 */
export function hs3ToModel(doc: unknown, analysisName?: string): Hs3Model {
  if (!isHs3Document(doc)) fail("not an HS3 document (no metadata.hs3_version or distributions)");
  const root = doc as Json;
  const analyses = list(root.analyses, "analyses");
  const analysis = analysisName === undefined ? analyses[0] : analyses.find((a) => a.name === analysisName);
  if (!analysis) return fail(analysisName ? `no analysis named "${analysisName}"` : "the document has no analyses");
  const r = new Reader(root);
  readParameters(r, root, analysis);
  const lh = list(root.likelihoods, "likelihoods").find((l) => l.name === analysis.likelihood);
  if (!lh) return fail(`analysis ${analysis.name}: no likelihood named "${analysis.likelihood}"`);
  const dists = list(lh.distributions, "likelihood distributions", true).map((d) => str(d, "likelihood distribution"));
  const data = list(lh.data, "likelihood data", true).map((d) => str(d, "likelihood data (bumpscan reads named data)"));
  if (dists.length === 0 || dists.length !== data.length)
    fail(`likelihood ${lh.name}: distributions and data must pair up`);
  const poi = (analysis.parameters_of_interest as unknown[] | undefined)?.[0];
  if (typeof poi !== "string") return fail(`analysis ${analysis.name} names no parameter of interest`);
  const samples = dists.map((name, k) => {
    const { mixture, mixtureName, constraints } = mixtureOf(r, name);
    const ev = events(r.data.get(data[k]) ?? fail(`no data named "${data[k]}"`), data[k]);
    const summands = list(mixture.summands, `mixture_dist ${mixtureName} summands`, true).map((s) => str(s, "summand"));
    const coefs = list(mixture.coefficients, `mixture_dist ${mixtureName} coefficients`, true);
    if (coefs.length !== summands.length || mixture.extended === false)
      fail(`mixture_dist ${mixtureName} must be extended: one coefficient (a yield) per summand`);
    const comps = summands.map((s, i) => {
      const d = r.dists.get(s) ?? fail(`mixture_dist ${mixtureName}: no distribution named "${s}"`);
      const [shape, args] = component(r, d, s, ev.obs, ev.range);
      return {
        name: s,
        shape,
        args,
        yield: yieldOf(r.arg(coefs[i], `mixture_dist ${mixtureName} coefficient ${i + 1}`)),
      };
    });
    return { name: dists.length > 1 ? name : "", ev, comps, constraints };
  });
  const cons = [
    ...samples.flatMap((s) => s.constraints),
    ...list(lh.aux_distributions, "aux", true).map((a) => str(a, "aux")),
  ];
  const terms = [...new Set(cons)].map((c) => constraint(r, c));
  if (!r.used.includes(poi)) fail(`the parameter of interest "${poi}" is not a free parameter of the likelihood`);
  const b = new ModelBuilder(samples[0].ev.obs, samples[0].ev.range);
  const order = [...r.values.keys()];
  for (const name of r.used.sort((x, y) => order.indexOf(x) - order.indexOf(y))) {
    const [lo, hi] = r.bounds.get(name) ?? [-Infinity, Infinity];
    b.parameter(name, r.values.get(name)!.value, { lo, hi });
  }
  for (const s of samples) {
    if (samples.length > 1) b.sample(s.name, s.ev.range);
    for (const c of s.comps) b.component(c.name, c.shape, c.args, c.yield);
  }
  for (const t of terms) b.constrain(t.param, t.mean, t.sigma);
  return {
    model: b.build(poi),
    data: samples.map((s) => s.ev.data),
    dropped: samples.map((s) => s.ev.dropped),
    analysis: String(analysis.name),
  };
}
