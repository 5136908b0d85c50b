/** Every file a scan writes, as text: what the CLI puts in a folder and the web app offers as downloads. */
import { hepdataSignificanceTable, hepdataSubmission, hepdataTable } from "./hepdata.js";
import { inUnits, type LimitUnits } from "../scan/units.js";
import { limitsCsv } from "./tables.js";
import { brazilPlot, significancePlot } from "../plot/scan-plots.js";
import type { ScanResult } from "../scan/scan.js";

export interface OutputFile {
  /** Path relative to the output folder ("hepdata/limits.yaml", say). */
  name: string;
  /** MIME type, for a browser download. */
  type: string;
  text: string;
}

/**
 * The results JSON, the limits CSV, the Brazil and significance plots and the HEPData record of a scan.
 * @example
 * import { readFileSync } from "node:fs";
 * import { parseSpec, readColumn, scan, scanOutputs } from "bumpscan";
 * const spec = parseSpec({ ...JSON.parse(readFileSync("spec.json", "utf8")), scan: { from: 4, to: 4.4, step: 2 } });
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * const result = await scan(spec, values);
 * const names = scanOutputs(result).map((f) => f.name);
 * names.slice(0, 4); // => ["results.json", "limits.csv", "brazil.svg", "significance.svg"]
 * names.slice(4); // => ["hepdata/submission.yaml", "hepdata/limits.yaml", "hepdata/significance.yaml"]
 */
export function scanOutputs(result: ScanResult, units: LimitUnits = "poi"): OutputFile[] {
  const shown = inUnits(result, units);
  const coupling = result.spec.interpret && units !== "coupling";
  const more = { significance: "significance.yaml", ...(coupling ? { coupling: "coupling.yaml" } : {}) };
  const yaml = "application/yaml";
  return [
    { name: "results.json", type: "application/json", text: JSON.stringify(result, null, 2) + "\n" },
    { name: "limits.csv", type: "text/csv", text: limitsCsv(shown) },
    { name: "brazil.svg", type: "image/svg+xml", text: brazilPlot(shown) },
    { name: "significance.svg", type: "image/svg+xml", text: significancePlot(result) },
    { name: "hepdata/submission.yaml", type: yaml, text: hepdataSubmission(shown, "limits.yaml", more) },
    { name: "hepdata/limits.yaml", type: yaml, text: hepdataTable(shown) },
    { name: "hepdata/significance.yaml", type: yaml, text: hepdataSignificanceTable(result) },
    ...(coupling
      ? [{ name: "hepdata/coupling.yaml", type: yaml, text: hepdataTable(inUnits(result, "coupling")) }]
      : []),
  ];
}
