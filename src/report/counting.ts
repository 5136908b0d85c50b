/** A counting search's table as CSV and as text, and every file `bumpscan count` writes. */
import { poiAxis } from "../model/labels.js";
import { countingLimitsPlot, countsPlot } from "../plot/counting-plots.js";
import type { CountingLimit, CountingRow, CountingTable } from "../scan/counting.js";
import { formatNumber as num } from "./format.js";
import type { OutputFile } from "./outputs.js";

const cell = (v: number | string | undefined) =>
  v === undefined || (typeof v === "number" && !Number.isFinite(v)) ? "" : String(v);
const BANDS = ["-2", "-1", "0", "1", "2"] as const;
const BAND_NAMES = ["minus2", "minus1", "median", "plus1", "plus2"];

/** A limit's columns: observed, its toy error where it has one, the expected band. */
const limitColumns = (key: string, errors: boolean) => [
  `${key}_observed`,
  ...(errors ? [`${key}_observed_error`] : []),
  ...BAND_NAMES.map((b) => `${key}_expected_${b}`),
];
const limitCells = (l: CountingLimit | undefined, errors: boolean) => [
  l?.observed,
  ...(errors ? [l?.observedError] : []),
  ...BANDS.map((b) => l?.expected?.[b]),
];

/**
 * The counting table: per window its range, the observed count, the expected background with its
 * −1σ/+1σ errors, the signal events per unit of the POI, then the Bayesian and the CLs limits
 * (observed and expected band); with `interpret` the same on the coupling, and with several
 * samples each one's count and background.
 * @example
 * import { parseSpec } from "bumpscan";
 * import { countingScan } from "bumpscan/scan";
 * import { countingCsv } from "bumpscan/report";
 * const spec = parseSpec({ observable: { range: [0, 10] }, signal: { shape: "uniform", sigma: 0.5 },
 *   background: { shape: "uniform", yield: { poly: [2] } }, scan: { masses: [3, 6], window: 1 } });
 * const table = await countingScan(spec, Float64Array.from([2.7, 3.1, 6.4]), { expectedToys: 0, cls: "asymptotic" });
 * countingCsv(table).split("\n")[1].slice(0, 26); // => "3,2.5,3.5,converged,2,2,0,"
 */
export function countingCsv(t: CountingTable): string {
  const regions = t.rows.some((r) => r.region !== undefined);
  const coupling = t.rows.some((r) => r.bayes?.coupling || r.cls?.coupling);
  const channels = t.rows.find((r) => r.counting?.channels)?.counting?.channels?.map((c) => c.sample) ?? [];
  const errors = t.cls.method === "toys";
  const header = [
    ...(regions ? ["region"] : []),
    "mass,window_lo,window_hi,status,observed,background,background_error_down,background_error_up,signal_per_poi",
    ...limitColumns("bayes", false),
    ...limitColumns("cls", errors),
    ...(coupling ? [...limitColumns("coupling_bayes", false), ...limitColumns("coupling_cls", false)] : []),
    ...channels.flatMap((s) => [
      `observed_${s}`,
      `background_${s}`,
      `background_error_down_${s}`,
      `background_error_up_${s}`,
    ]),
  ];
  const row = (r: CountingRow) => {
    const c = r.counting;
    const byName = new Map(c?.channels?.map((ch) => [ch.sample, ch]));
    return [
      ...(regions ? [r.region] : []),
      r.mass,
      c?.range[0],
      c?.range[1],
      r.status,
      c?.observed,
      c?.background,
      c?.backgroundError[0],
      c?.backgroundError[1],
      c?.signalPerPoi,
      ...limitCells(r.bayes, false),
      ...limitCells(r.cls, errors),
      ...(coupling ? [...limitCells(r.bayes?.coupling, false), ...limitCells(r.cls?.coupling, false)] : []),
      ...channels.flatMap((s) => {
        const ch = byName.get(s);
        return [ch?.observed, ch?.background, ch?.backgroundError[0], ch?.backgroundError[1]];
      }),
    ]
      .map(cell)
      .join(",");
  };
  return [header.join(","), ...t.rows.map(row)].join("\n") + "\n";
}

/**
 * The counting table as the CLI prints it: one line per window.
 * @example
 * import { parseSpec } from "bumpscan";
 * import { countingScan } from "bumpscan/scan";
 * import { formatCounting } from "bumpscan/report";
 * const spec = parseSpec({ observable: { range: [0, 10] }, signal: { shape: "uniform", sigma: 0.5 },
 *   background: { shape: "uniform", yield: { poly: [2] } }, scan: { masses: [3, 6], window: 1 } });
 * const table = await countingScan(spec, Float64Array.from([2.7, 3.1, 6.4]), { expectedToys: 0, cls: "asymptotic" });
 * console.log(formatCounting(table)); // what `bumpscan count` prints
 */
export function formatCounting(t: CountingTable, unit = "", ms = NaN): string {
  const u = unit ? ` ${unit}` : "";
  const poi = poiAxis(t.spec);
  const done = t.rows.filter((r) => r.status === "converged").length;
  const lines = [
    `counting search${t.partial ? " (partial: interrupted)" : ""}: ${t.rows.length} windows, ${done} with both ` +
      `limits${Number.isFinite(ms) ? ` — ${num(ms / 1000, 3)} s` : ""}; ${t.cl * 100}% CL upper limits on ` +
      `${poi.name}${poi.unit ? ` (${poi.unit})` : ""}: Bayesian (flat prior, nuisances ${t.bayes.nuisances}` +
      `${t.bayes.expectedToys ? `, expected from ${t.bayes.expectedToys} background-only pseudo-experiments` : ""})` +
      ` and CLs (${t.cls.method}${t.cls.toys ? `, ${t.cls.toys} toys per value` : ""})`,
    "",
    `${"mass" + u}`.padEnd(12) +
      "window".padStart(19) +
      "n".padStart(7) +
      "background".padStart(22) +
      "Bayes obs".padStart(11) +
      "(exp)".padStart(9) +
      "CLs obs".padStart(10) +
      "(exp)".padStart(9),
    ...t.rows.map((r) => {
      const c = r.counting;
      if (r.status === "skipped" || !c) return `${num(r.mass, 5).padEnd(12)}  ${r.status}: ${r.reason ?? ""}`;
      const b = `${num(c.background, 4)} −${num(c.backgroundError[0], 2)} +${num(c.backgroundError[1], 2)}`;
      return (
        num(r.mass, 5).padEnd(12) +
        `${num(c.range[0], 4)}–${num(c.range[1], 4)}`.padStart(19) +
        String(c.observed).padStart(7) +
        b.padStart(22) +
        num(r.bayes?.observed, 4).padStart(11) +
        num(r.bayes?.expected?.["0"], 3).padStart(9) +
        num(r.cls?.observed, 4).padStart(10) +
        num(r.cls?.expected?.["0"], 3).padStart(9) +
        (r.status === "converged" ? "" : `  ${r.status}: ${r.reason ?? ""}`)
      );
    }),
  ];
  return lines.join("\n");
}

/**
 * Every file of a counting table: the JSON, the CSV, and the counts and limits plots.
 * @example
 * import { parseSpec } from "bumpscan";
 * import { countingScan } from "bumpscan/scan";
 * import { countingOutputs } from "bumpscan/report";
 * const spec = parseSpec({ observable: { range: [0, 10] }, signal: { shape: "uniform", sigma: 0.5 },
 *   background: { shape: "uniform", yield: { poly: [2] } }, scan: { masses: [3, 6], window: 1 } });
 * const table = await countingScan(spec, Float64Array.from([2.7, 3.1, 6.4]), { expectedToys: 0, cls: "asymptotic" });
 * countingOutputs(table).map((f) => f.name); // => ["counting.json", "counting.csv", "counts.svg", "limits.svg"]
 */
export function countingOutputs(t: CountingTable): OutputFile[] {
  return [
    { name: "counting.json", type: "application/json", text: JSON.stringify(t, null, 2) + "\n" },
    { name: "counting.csv", type: "text/csv", text: countingCsv(t) },
    { name: "counts.svg", type: "image/svg+xml", text: countsPlot(t) },
    { name: "limits.svg", type: "image/svg+xml", text: countingLimitsPlot(t) },
  ];
}
