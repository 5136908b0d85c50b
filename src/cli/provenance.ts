/**
 * What every result file of the CLI carries about how it was made: the bumpscan version, a hash of
 * the spec as run and the seed where the numbers depend on one — so a result can be traced to its
 * model and rerun.
 */
import { createHash } from "node:crypto";
import { VERSION } from "./version.js";

export interface Provenance {
  /** The bumpscan version that wrote the result. */
  version: string;
  /** SHA-256 (hex) of the spec as run: parsed, with --set/--fix applied, keys sorted, no whitespace. */
  specHash: string;
  /** The user seed, where the numbers depend on one (toys, pseudo-experiments, LEE toy scans). */
  seed?: number;
}

/** JSON with every object's keys sorted: the same text for the same value however it was written. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, v) =>
    v && typeof v === "object" && !Array.isArray(v) && !ArrayBuffer.isView(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}

/** The provenance of a result of `spec` (and `seed` when the result depends on one). */
export function provenance(spec: unknown, seed?: number): Provenance {
  const specHash = createHash("sha256").update(canonicalJson(spec)).digest("hex");
  return { version: VERSION, specHash, ...(seed === undefined ? {} : { seed }) };
}
