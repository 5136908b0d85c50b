/** Scan results as a CSV table (one row per mass point). */
import type { ScanResult } from "../scan/scan.js";

const cell = (v: number | string | undefined) =>
  v === undefined || (typeof v === "number" && !Number.isFinite(v)) ? "" : String(v);

/**
 * The limits table of a scan.
 * @example
 * import { readFileSync } from "node:fs";
 * import { limitsCsv, parseSpec, readColumn, scan } from "bumpscan";
 * const spec = parseSpec({ ...JSON.parse(readFileSync("spec.json", "utf8")), scan: { from: 4, to: 4.4, step: 2 } });
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * const result = await scan(spec, values);
 * limitsCsv(result).split("\n").length; // => 7
 */
export function limitsCsv(r: ScanResult): string {
  const header =
    "mass,status,nsig,nsig_error,q0,local_z,observed," +
    "expected_minus2,expected_minus1,expected_median,expected_plus1,expected_plus2";
  const regions = r.points.some((p) => p.region !== undefined);
  const rows = r.points.map((p) =>
    [
      ...(regions ? [p.region] : []),
      p.mass,
      p.status,
      p.nsig,
      p.nsigError,
      p.q0,
      p.z,
      p.observed,
      p.expected?.["-2"],
      p.expected?.["-1"],
      p.expected?.["0"],
      p.expected?.["1"],
      p.expected?.["2"],
    ]
      .map(cell)
      .join(","),
  );
  return [(regions ? "region," : "") + header, ...rows].join("\n") + "\n";
}
