/**
 * HEPData records of a scan: a data table (independent variable: the mass; dependent: the observed
 * limit and the expected limit with its ±1σ and ±2σ bands as asymmetric errors, at the stated CL)
 * and the submission file that lists it, in HEPData's YAML format.
 */
import { massAxis, poiAxis } from "../model/labels.js";
import { stringify } from "yaml";
import type { ScanResult } from "../scan/scan.js";

const round = (v: number) => Number(v.toPrecision(6));

/** The method qualifier where it is not CLs. */
const METHOD_NAMES: Record<string, string> = {
  bayes: "Bayesian, flat prior",
  fc: "Feldman-Cousins (upper end of the interval)",
};

/**
 * The data table of the limits (fitted points only).
 * @example
 * import { readFileSync } from "node:fs";
 * import { parseSpec, readColumn, scan } from "bumpscan";
 * const spec = parseSpec({ ...JSON.parse(readFileSync("spec.json", "utf8")), scan: { from: 4, to: 4.4, step: 2 } });
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * const result = await scan(spec, values);
 * import { hepdataTable } from "bumpscan/report";
 * hepdataTable(result).startsWith("independent_variables:"); // => true
 */
export function hepdataTable(r: ScanResult): string {
  const pts = r.points.filter((p) => Number.isFinite(p.observed));
  const mass = massAxis(r.spec);
  const poi = r.spec.poi?.name ?? (r.spec.samples ? "mu" : "N_sig");
  const poiUnit = poiAxis(r.spec).unit;
  const cl = `${r.cl * 100}%`;
  const qualifiers = [
    { name: "CL", value: cl },
    { name: "method", value: METHOD_NAMES[r.method] ?? `CLs (${r.method})` },
  ];
  const withBand = pts.every((p) => p.expected && Object.values(p.expected).every(Number.isFinite));
  const table = {
    independent_variables: [
      {
        header: { name: mass.name, units: mass.unit },
        values: pts.map((p) => ({ value: round(p.mass) })),
      },
    ],
    dependent_variables: [
      {
        header: { name: `Observed ${cl} CL upper limit on ${poi}`, units: poiUnit },
        qualifiers,
        values: pts.map((p) => ({ value: round(p.observed!) })),
      },
      ...(withBand
        ? [
            {
              header: { name: `Expected ${cl} CL upper limit on ${poi}`, units: poiUnit },
              qualifiers,
              values: pts.map((p) => {
                const e = p.expected!;
                return {
                  value: round(e["0"]),
                  errors: [
                    { asymerror: { plus: round(e["1"] - e["0"]), minus: round(e["-1"] - e["0"]) }, label: "1 sigma" },
                    { asymerror: { plus: round(e["2"] - e["0"]), minus: round(e["-2"] - e["0"]) }, label: "2 sigma" },
                  ],
                };
              }),
            },
          ]
        : []),
    ],
  };
  return stringify(table);
}

/**
 * The submission file naming the table.
 * @example
 * import { readFileSync } from "node:fs";
 * import { hepdataSubmission, parseSpec, readColumn, scan } from "bumpscan";
 * const spec = parseSpec({ ...JSON.parse(readFileSync("spec.json", "utf8")), scan: { from: 4, to: 4.4, step: 2 } });
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * const result = await scan(spec, values);
 * hepdataSubmission(result, "limits.yaml").includes("data_file: limits.yaml"); // => true
 */
export function hepdataSubmission(r: ScanResult, dataFile: string): string {
  const doc = {
    name: "Upper limits",
    description:
      `${r.cl * 100}% CL upper limits on the signal ${r.spec.samples ? "strength" : "yield"} as a ` +
      `function of ${massAxis(r.spec).name}, observed and expected ` +
      `(median with ±1σ and ±2σ bands), ` +
      `from an unbinned extended maximum-likelihood mass scan (bumpscan).`,
    keywords: [
      { name: "observables", values: ["UL"] },
      { name: "phrases", values: ["Upper limit", "Bump hunt"] },
    ],
    data_file: dataFile,
  };
  return stringify({ comment: "Produced by bumpscan." }) + "---\n" + stringify(doc);
}
