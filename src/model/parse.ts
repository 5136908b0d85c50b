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
import type { Spec } from "./spec.js";

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
  const [lo, hi] = spec.observable.range;
  if (spec.samples && spec.data)
    throw new BumpscanError(`${source}: give either "data" or "samples" (each with its own data), not both`);
  if (spec.samples && new Set(spec.samples.map((s) => s.name)).size !== spec.samples.length)
    throw new BumpscanError(`${source}: sample names must differ`);
  if (!(lo < hi)) throw new BumpscanError(`${source}: observable.range [${lo}, ${hi}] must have lo < hi`);
  return spec;
}
