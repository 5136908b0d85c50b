/**
 * The command line's HS3 side (docs/hs3.md): `export-hs3` writes a spec's model and data at one
 * mass as an HS3 document; `fit` given an HS3 document fits it as it stands.
 */
import { provenance } from "./provenance.js";
import { writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { BumpscanError, errnoWords } from "../errors.js";
import type { ErrorMode } from "../infer/weights.js";
import { loadSpecSamples } from "../io/data.js";
import { isHs3Document } from "../io/hs3.js";
export { isHs3Document };
import { exportHs3, fitHs3 } from "../job/hs3.js";
import type { Spec } from "../model/spec.js";
import { formatFit } from "../report/format.js";
import { VERSION } from "./version.js";

/**
 * `fit` on an HS3 document: the fit, printed as for a spec; false (nothing done) for a spec. The
 * document fixes the model, so the options that choose one (--mass, --window, --region) are refused.
 */
export async function fitHs3File(
  path: string,
  doc: unknown,
  opts: { mass?: number; window?: number | boolean; region?: string; errors?: ErrorMode; json?: boolean },
): Promise<boolean> {
  if (!isHs3Document(doc)) return false;
  for (const [given, flag] of [
    [opts.mass !== undefined, "--mass"],
    [typeof opts.window === "number" || opts.window === false, "--window/--no-window"],
    [opts.region !== undefined, "--region"],
  ] as const) {
    if (given) throw new BumpscanError(`${path} is an HS3 document, whose model is fixed: ${flag} does not apply`);
  }
  const report = await fitHs3(doc, { errors: opts.errors });
  const out = { ...report, file: path, dropped: report.eventsOutside, bumpscan: provenance(doc) };
  console.log(opts.json ? JSON.stringify(out, null, 2) : formatFit(out));
  if (report.status !== "converged" || report.background.status !== "converged") process.exitCode = 1;
  return true;
}

/** `export-hs3`: the spec's model and events at the mass, as an HS3 document to a file or stdout. */
export async function exportHs3File(
  spec: Spec,
  specPath: string,
  opts: { mass: number; window?: number | false; out?: string },
): Promise<void> {
  const samples = await loadSpecSamples(spec, dirname(resolve(specPath)));
  const doc = await exportHs3(spec, samples, opts.mass, {
    window: opts.window,
    generator: { name: "bumpscan", version: VERSION },
  });
  const text = `${JSON.stringify(doc)}\n`;
  if (opts.out === undefined) return void process.stdout.write(text);
  try {
    await writeFile(opts.out, text);
  } catch (e) {
    throw new BumpscanError(`cannot write ${opts.out}: ${errnoWords(e)}`);
  }
}
