/**
 * Regions: several models of one search in one spec (low and high M_X², say), each a partial spec
 * laid over the top level. Objects (observable, hypothesis, poi, signal, parameters, scan,
 * interpret) are merged field by field; everything else (background, samples, nuisances, data) a
 * region gives replaces the top level's.
 */
import { BumpscanError } from "../errors.js";
import type { Spec } from "./types.js";

const MERGED = ["observable", "hypothesis", "poi", "signal", "parameters", "scan", "interpret"] as const;

/** The region names of a spec, in order ([""] for a spec without regions). */
export function regionNames(spec: Spec): string[] {
  return spec.regions?.map((r) => r.name) ?? [""];
}

/**
 * The spec of one region: the region laid over the top level (the spec itself without regions).
 * @example
 * import { parseSpec, regionSpec } from "bumpscan/model";
 * const spec = parseSpec({ observable: { name: "M_X^2", range: [0, 70] }, signal: { shape: "gaussian", sigma: 0.3 },
 *   background: { shape: "expPoly", order: 2 },
 *   regions: [{ name: "low", observable: { range: [0, 36] } }, { name: "high", observable: { range: [24, 70] } }] });
 * regionSpec(spec, "high").observable; // => { name: "M_X^2", range: [24, 70] }
 */
export function regionSpec(spec: Spec, name: string): Spec {
  const { regions, ...top } = spec;
  if (!regions) {
    if (name !== "") throw new BumpscanError(`the spec has no regions (asked for "${name}")`);
    return spec;
  }
  const region = regions.find((r) => r.name === name);
  if (!region) throw new BumpscanError(`no region named "${name}" (have ${regions.map((r) => r.name).join(", ")})`);
  const { name: _, ...over } = region;
  const out: Record<string, unknown> = { ...top, ...over };
  for (const key of MERGED) {
    const a = top[key],
      b = over[key];
    if (a !== undefined && b !== undefined) out[key] = { ...a, ...b };
  }
  return out as unknown as Spec;
}
