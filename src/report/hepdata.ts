/**
 * HEPData records of a scan: a data table (independent variable: the mass; dependent: the observed
 * limit and the expected limit with its ±1σ and ±2σ bands as asymmetric errors, at the stated CL)
 * and the submission file that lists it, in HEPData's YAML format.
 */
import { massAxis } from "../model/labels.js";
import { stringify } from "yaml";
import type { ScanResult } from "../scan/scan.js";
import { unitsAxis } from "../scan/units.js";

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
  const units = r.units ?? "poi";
  const poi = units === "poi" ? (r.spec.poi?.name ?? (r.spec.samples ? "mu" : "N_sig")) : unitsAxis(r, units).name;
  const poiUnit = unitsAxis(r, units).unit;
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
 * The data table of the local significance: the signed local Z of every fitted point against the mass.
 * @example
 * import { readFileSync } from "node:fs";
 * import { parseSpec, readColumn, scan } from "bumpscan";
 * import { hepdataSignificanceTable } from "bumpscan/report";
 * const spec = parseSpec({ ...JSON.parse(readFileSync("spec.json", "utf8")), scan: { from: 4, to: 4.4, step: 2 } });
 * const result = await scan(spec, (await readColumn("bump-1e4.csv", { column: "m" })).values);
 * hepdataSignificanceTable(result).includes("Local significance"); // => true
 */
export function hepdataSignificanceTable(r: ScanResult): string {
  const pts = r.points.filter((p) => Number.isFinite(p.z));
  const mass = massAxis(r.spec);
  return stringify({
    independent_variables: [
      { header: { name: mass.name, units: mass.unit }, values: pts.map((p) => ({ value: round(p.mass) })) },
    ],
    dependent_variables: [
      {
        header: { name: "Local significance", units: "sigma" },
        qualifiers: [
          { name: "test statistic", value: "q0, signed (asymptotic)" },
          { name: "global Z (Gross-Vitells)", value: `${round(r.globalZ)}` },
        ],
        values: pts.map((p) => ({ value: round(p.z!) })),
      },
    ],
  });
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
export function hepdataSubmission(
  r: ScanResult,
  dataFile: string,
  more: { significance?: string; coupling?: string } = {},
): string {
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
  const docs = [doc];
  if (more.significance)
    docs.push({
      name: "Local significance",
      description: `The signed local significance of the signal hypothesis as a function of ${massAxis(r.spec).name}.`,
      keywords: [
        { name: "observables", values: ["SIG"] },
        { name: "phrases", values: ["Local significance", "Bump hunt"] },
      ],
      data_file: more.significance,
    });
  if (more.coupling && r.spec.interpret)
    docs.push({
      name: "Coupling limits",
      description:
        `${r.cl * 100}% CL upper limits on ${r.spec.interpret.name ?? "the coupling"} as a function of ` +
        `${massAxis(r.spec).name}: (limit / poi1(m))^(1/${r.spec.interpret.power}), observed and expected.`,
      keywords: [
        { name: "observables", values: ["UL"] },
        { name: "phrases", values: ["Upper limit", "Coupling"] },
      ],
      data_file: more.coupling,
    });
  return stringify({ comment: "Produced by bumpscan." }) + docs.map((d) => "---\n" + stringify(d)).join("");
}
