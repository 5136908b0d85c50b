/**
 * Reading a spec: the parsed JSON validated against the spec's JSON Schema and the checks the
 * schema cannot express. The schema comes compiled into plain code at build time
 * (spec-validator.ts, Ajv's standalone mode): no `new Function` at run time, so a page with a
 * strict Content-Security-Policy can validate specs. Kept apart from model building, so that the
 * pool workers, which only build models, never load it.
 */
import type { ValidateFunction } from "ajv";
import { BumpscanError } from "../errors.js";
import { validate as generated } from "./spec-validator.js";
import { type MassFunction, massFunctionProblem } from "./mass-function.js";
import { backgroundsOf, componentName, fieldsOf, signalOf } from "./spec.js";
import { regionSpec } from "./regions.js";
import type { DataSpec, ShapeSpec, Spec } from "./types.js";
import { DEFAULT_TEMPLATE_BINS, templateProblem } from "./template.js";
import { parseExpression } from "./expression.js";

const validate = generated as unknown as ValidateFunction;

/**
 * Validate a parsed JSON spec; throws a BumpscanError naming the field and what it expects.
 * @example
 * import { parseSpec } from "bumpscan";
 * const spec = parseSpec({ observable: { range: [0, 10] }, signal: { shape: "gaussian", sigma: 0.05 },
 *   background: { shape: "expPoly", order: 2 } }, "spec.json");
 * spec.observable.range; // => [0, 10]
 * parseSpec({ observable: { range: [0, 10] } }, "spec.json"); // throws: spec.json
 */
export function parseSpec(json: unknown, source = "spec"): Spec {
  if (!validate(json)) {
    const e = validate.errors![0];
    const where = e.instancePath ? e.instancePath.slice(1).replaceAll("/", ".") : "(top level)";
    const extra =
      e.keyword === "additionalProperties"
        ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"`
        : e.keyword === "enum"
          ? `: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`
          : "";
    throw new BumpscanError(`${source}: ${where} ${e.message}${extra}`);
  }
  const spec = json as unknown as Spec;
  const problem = specProblem(spec);
  if (problem) throw new BumpscanError(`${source}: ${problem}`);
  return spec;
}

/** The first thing the schema cannot say is wrong with a spec (a region's too), or undefined. */
function specProblem(spec: Spec): string | undefined {
  const [lo, hi] = spec.observable.range;
  if (!(lo < hi)) return `observable.range [${lo}, ${hi}] must have lo < hi`;
  if (spec.samples && spec.data) return `give either "data" or "samples" (each with its own data), not both`;
  if (spec.samples && new Set(spec.samples.map((s) => s.name)).size !== spec.samples.length)
    return "sample names must differ";
  return (
    vetoProblem(spec.observable.exclude, spec.observable.range, "observable.exclude") ??
    shapeProblem(spec.signal, "signal", true) ??
    templateSpecProblem(spec.signal, "signal") ??
    backgroundProblem(spec.background, "background") ??
    sampleProblems(spec) ??
    dataProblems(spec) ??
    nuisanceProblems(spec) ??
    functionProblems(spec) ??
    regionProblems(spec)
  );
}

/** Vetoes: [a, b] with a < b inside the range, not overlapping each other. */
function vetoProblem(vetoes: [number, number][] | undefined, range: [number, number], where: string) {
  const sorted = [...(vetoes ?? [])].sort((x, y) => x[0] - y[0]);
  for (const [i, [a, b]] of (vetoes ?? []).entries()) {
    if (!(a < b)) return `${where}[${i}] [${a}, ${b}] must have lo < hi`;
    if (a < range[0] || b > range[1])
      return `${where}[${i}] [${a}, ${b}] is not inside the range [${range[0]}, ${range[1]}]`;
  }
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i][0] < sorted[i - 1][1])
      return `${where}: the vetoes [${sorted[i - 1]}] and [${sorted[i]}] overlap (give them as one)`;
  return undefined;
}

/** Free fields the shape has; the signal's position comes from the mass, a background's from mean. */
function shapeProblem(s: Partial<ShapeSpec>, where: string, signal: boolean, shape = s.shape) {
  if (!shape) return undefined;
  for (const f of s.free ?? [])
    if (fieldsOf(shape, f).length === 0) return `${where}.free: ${shape} has no field "${f}"`;
  if (!signal && s.peak !== undefined) return `${where}.peak: only the signal has a peak (a background has its mean)`;
  if (signal && s.mean !== undefined) return `${where}.mean: the signal sits at the scanned mass (map it with "peak")`;
  return undefined;
}

/** The fields a shape may carry, none of which a template takes (its shape is its simulation's). */
const SHAPE_FIELDS = [
  "mean",
  "sigma",
  "sigmaL",
  "sigmaR",
  "alpha",
  "n",
  "alphaL",
  "nL",
  "alphaR",
  "nR",
  "order",
  "init",
  "lambda",
  "m0",
  "c",
  "p",
] as const;

/** What only a template reads. */
const TEMPLATE_FIELDS = ["path", "column", "massColumn", "tree", "bins", "loaded"] as const;

/**
 * A template signal: its file and both columns named, no shape fields, no peak mapping, and a
 * loaded template (as results record it) consistent with its bins.
 */
function templateSpecProblem(s: ShapeSpec, where: string) {
  if (s.shape !== "template") {
    const k = TEMPLATE_FIELDS.find((f) => s[f] !== undefined);
    return k && `${where}.${k}: only a template signal (shape "template") reads simulated events`;
  }
  if (!s.path) return `${where}: a template needs "path", the file of simulated events`;
  if (!s.column) return `${where}: a template needs "column", the observable's column in ${s.path}`;
  if (!s.massColumn) return `${where}: a template needs "massColumn", the column of each event's true mass`;
  if (s.column === s.massColumn) return `${where}: "column" and "massColumn" must name two columns`;
  if (s.peak !== undefined)
    return `${where}.peak: a template lies where its simulation puts it; "peak" does not apply to templates`;
  const field = SHAPE_FIELDS.find((f) => s[f] !== undefined);
  if (field) return `${where}.${field}: a template takes its shape and resolution from its simulation`;
  const p = s.loaded && templateProblem(s.loaded, s.bins ?? DEFAULT_TEMPLATE_BINS);
  return p ? `${where}.${p}` : undefined;
}

function backgroundProblem(bg: ShapeSpec | ShapeSpec[], where: string) {
  const list = Array.isArray(bg) ? bg : [bg];
  for (const [i, b] of list.entries()) {
    const p = shapeProblem(b, Array.isArray(bg) ? `${where}[${i}]` : where, false);
    if (p) return p;
  }
  return undefined;
}

function sampleProblems(spec: Spec) {
  for (const [i, s] of (spec.samples ?? []).entries()) {
    const where = `samples[${i}] (${s.name})`;
    const range = s.range ?? spec.observable.range;
    if (!(range[0] < range[1])) return `${where}.range [${range}] must have lo < hi`;
    if (s.range && (s.range[0] < spec.observable.range[0] || s.range[1] > spec.observable.range[1]))
      return `${where}.range [${s.range}] is not inside observable.range [${spec.observable.range}]`;
    const v = vetoProblem(s.exclude, range, `${where}.exclude`);
    if (v) return v;
    if (s.signal?.shape !== undefined)
      return `${where}.signal.shape: a sample changes the signal's fields, not its shape`;
    if (s.signal?.peak !== undefined) return `${where}.signal.peak: the peak is the same in every sample`;
    if (spec.signal.shape === "template" && Object.keys(s.signal ?? {}).some((k) => k !== "$comment"))
      return `${where}.signal: a template signal is the same in every sample (it has no fields to change)`;
    const p =
      (s.signal && shapeProblem(s.signal, `${where}.signal`, true, spec.signal.shape)) ??
      (s.background && backgroundProblem(s.background, `${where}.background`));
    if (p) return p;
  }
  return undefined;
}

/** Each data entry: `column` or `expr`, not both; the syntax of `expr` and `cut`. */
function dataProblems(spec: Spec) {
  const entries: [DataSpec | undefined, string][] = [
    [spec.data, "data"],
    ...(spec.samples ?? []).map((s, i): [DataSpec, string] => [s.data, `samples[${i}] (${s.name}).data`]),
  ];
  for (const [d, where] of entries) {
    if (d?.column !== undefined && d.expr !== undefined) return `${where}: give "column" or "expr", not both`;
    try {
      if (d?.expr !== undefined) parseExpression(d.expr, `${where}.expr`);
      if (d?.cut !== undefined) parseExpression(d.cut, `${where}.cut`);
    } catch (e) {
      if (e instanceof BumpscanError) return e.message;
      throw e;
    }
  }
  return undefined;
}

/** Nuisances: one of lnN and gauss; `samples` or `on`, not both; targets that exist. */
function nuisanceProblems(spec: Spec) {
  const names = new Set<string>();
  const samples = spec.samples?.map((s) => s.name);
  for (const [i, n] of (spec.nuisances ?? []).entries()) {
    const where = `nuisances[${i}] (${n.name})`;
    if (names.has(n.name)) return `${where}: the name is used twice`;
    names.add(n.name);
    if ((n.lnN === undefined) === (n.gauss === undefined)) return `${where}: give exactly one of "lnN" and "gauss"`;
    if (n.samples && n.on)
      return `${where}: give "on" targets or the older "samples" list, not both (a target may name its sample)`;
    for (const s of n.samples ?? []) if (!samples?.includes(s)) return `${where}.samples: no sample named "${s}"`;
    for (const [j, t] of (n.on ?? []).entries()) {
      const at = `${where}.on[${j}]`;
      if (t.sample !== undefined && !samples?.includes(t.sample)) return `${at}: no sample named "${t.sample}"`;
      const sample = spec.samples?.find((s) => s.name === t.sample);
      const comps =
        t.component === "signal"
          ? [signalOf(spec, sample)]
          : (t.sample === undefined && spec.samples
              ? spec.samples.flatMap((s) => backgroundsOf(spec, s))
              : backgroundsOf(spec, sample)
            ).filter((b) => componentName(b) === t.component);
      if (comps.length === 0) return `${at}: no component "${t.component}" (the signal, or a background's name)`;
      if (t.field !== undefined && comps.every((c) => fieldsOf(c.shape, t.field!).length === 0))
        return `${at}: ${comps[0].shape} has no field "${t.field}"`;
      if (t.field !== undefined && n.lnN === undefined && n.gauss === undefined) return `${at}: no factor`;
    }
  }
  return undefined;
}

/** Every mass function as written: tables sorted, polynomials with coefficients. */
function functionProblems(spec: Spec) {
  const check = (f: MassFunction | undefined, where: string) => {
    const p = f === undefined ? undefined : massFunctionProblem(f);
    return p && `${where}: ${p}`;
  };
  const shapes: [Partial<ShapeSpec>, string][] = [
    [spec.signal, "signal"],
    ...(Array.isArray(spec.background) ? spec.background : [spec.background]).map((b, i): [ShapeSpec, string] => [
      b,
      `background[${i}]`,
    ]),
  ];
  for (const [i, s] of (spec.samples ?? []).entries()) {
    for (const key of ["scale", "luminosity", "efficiency"] as const) {
      const p = check(s[key], `samples[${i}].${key}`);
      if (p) return p;
    }
    if (s.signal) shapes.push([s.signal, `samples[${i}].signal`]);
  }
  for (const [s, where] of shapes)
    for (const key of MASS_FIELDS) {
      const p = check(s[key] as MassFunction | undefined, `${where}.${key}`);
      if (p) return p;
    }
  return check(spec.interpret?.poi1, "interpret.poi1");
}

const MASS_FIELDS = [
  "peak",
  "sigma",
  "sigmaL",
  "sigmaR",
  "alpha",
  "n",
  "alphaL",
  "nL",
  "alphaR",
  "nR",
  "yield",
] as const;

/** Each region laid over the top level is a spec of its own. */
function regionProblems(spec: Spec) {
  const names = new Set<string>();
  for (const [i, r] of (spec.regions ?? []).entries()) {
    if (names.has(r.name)) return `regions[${i}]: the name "${r.name}" is used twice`;
    names.add(r.name);
    const p = specProblem(regionSpec(spec, r.name));
    if (p) return `regions[${i}] (${r.name}): ${p}`;
  }
  return undefined;
}
