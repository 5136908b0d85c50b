/** Plain-text tables for the terminal. */
import type { InjectReport } from "../job/inject.js";
import type { FitReport, LimitReport } from "../job/mass-job.js";
import type { ScanResult } from "../scan/scan.js";
import type { Selection } from "../io/column.js";

/**
 * A number for the terminal; anything not finite (NaN, ±Infinity, a null error) prints as "—", never
 * as a number.
 */
const num = (x: number | null | undefined, digits = 6) =>
  typeof x === "number" && Number.isFinite(x) ? Number(x.toPrecision(digits)).toString() : "—";

/**
 * A number as the CLI prints it: `digits` significant digits, "—" for anything not finite.
 * @example
 * import { formatNumber } from "bumpscan/report";
 * formatNumber(47.8412, 3); // => "47.8"
 * formatNumber(NaN); // => "—"
 */
export const formatNumber = num;

/**
 * A file's selection as the CLI prints it: the events read, those passing data.cut, the observable's expression.
 * @example
 * import { formatSelection } from "bumpscan/report";
 * const line = formatSelection("ntuple.root", { events: 10000, passed: 4123, cut: "nTracks == 2", expr: "px + py" });
 * line; // => 'ntuple.root: 4123 of 10000 events pass data.cut "nTracks == 2"; observable data.expr "px + py"'
 */
export function formatSelection(file: string, s: Selection): string {
  const cut = s.cut === undefined ? "no data.cut" : `pass data.cut ${JSON.stringify(s.cut)}`;
  const expr = s.expr === undefined ? "" : `; observable data.expr ${JSON.stringify(s.expr)}`;
  return `${file}: ${s.passed} of ${s.events} events ${cut}${expr}`;
}

/** The selection lines of a report (one per file with a cut or an expression). */
function selectionLines(selected: FileSelection | (FileSelection | null)[] | undefined): string[] {
  const all = Array.isArray(selected) ? selected : [selected];
  return all.flatMap((s) => (s ? [`selected   ${formatSelection(s.file, s)}`] : []));
}

/** A file's selection in a report's JSON: the file with its Selection. */
export type FileSelection = Selection & { file: string };

/**
 * A fit report as a readable table.
 * @example
 * import { readFileSync } from "node:fs";
 * import { fit, parseSpec, readColumn } from "bumpscan";
 * const spec = parseSpec(JSON.parse(readFileSync("spec.json", "utf8")), "spec.json");
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * import { formatFit } from "bumpscan/report";
 * console.log(formatFit(await fit(spec, { values }, 4.2), "GeV")); // what `bumpscan fit` prints
 */
export function formatFit(
  r: FitReport & { dropped?: number; selected?: FileSelection | (FileSelection | null)[] },
  unit = "",
): string {
  const lines = [
    `fit at m = ${r.mass}${unit ? " " + unit : ""}: ${r.events} ` +
      `events${r.dropped ? ` (${r.dropped} outside the range dropped)` : ""}`,
    `status ${r.status}${r.valid ? "" : " (not valid)"}, edm ${num(r.edm, 3)}, ${r.nfcn} calls, ` +
      `${num(r.timing.fitMs, 3)} ms, NLL ${num(r.nll, 12)}`,
    ...selectionLines(r.selected),
    "",
    `${"parameter".padEnd(14)}${"value".padStart(16)}${"error".padStart(14)}`,
    ...Object.entries(r.parameters).map(
      ([n, p]) => `${n.padEnd(14)}${num(p.value).padStart(16)}${num(p.error, 4).padStart(14)}`,
    ),
    "",
    `q0 = ${num(r.q0, 5)}, p0 = ${num(r.p0, 3)}, local Z = ${num(r.z, 4)}σ`,
  ];
  if (r.covarianceForced)
    lines.push("warning: the Hessian was not positive definite; the covariance was forced positive definite");
  if (r.emptySamples?.length)
    lines.push(
      `note: no event in the fit range of ${r.emptySamples.join(", ")}, although the model expects some there`,
    );
  return lines.join("\n");
}

/**
 * A limit report as a short summary.
 * @example
 * import { readFileSync } from "node:fs";
 * import { limit, parseSpec, readColumn } from "bumpscan";
 * const spec = parseSpec(JSON.parse(readFileSync("spec.json", "utf8")), "spec.json");
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * import { formatLimit } from "bumpscan/report";
 * console.log(formatLimit(await limit(spec, { values }, 4.2), "GeV")); // what `bumpscan limit` prints
 */
export function formatLimit(
  r: LimitReport & { events?: number; dropped?: number; selected?: FileSelection | (FileSelection | null)[] },
  unit = "",
): string {
  const what =
    r.method === "bayes"
      ? `Bayesian (${r.nuisances} nuisances)`
      : r.method === "fc"
        ? `Feldman–Cousins (${r.construction === "exact" ? "exact over n" : "toys"})`
        : `${r.method} ${r.statistic === "clsb" ? "CLs+b" : "CLs"}`;
  const error = r.observedError !== undefined ? ` ± ${num(r.observedError, 2)} (toys)` : "";
  const lines = [
    `${r.cl * 100}% CL ${r.interval ? "interval" : "upper limit"} on ${r.poi} at m = ${r.mass}` +
      `${unit ? " " + unit : ""}, ` +
      `${what}${r.events !== undefined ? `, ${r.events} events` : ""}`,
    ...(r.interval ? [`interval   [${num(r.interval[0], 5)}, ${num(r.interval[1], 5)}]`] : []),
    `observed   ${num(r.observed, 5)}${error}${r.interval ? ", the interval's upper end" : ""}`,
    ...selectionLines(r.selected),
  ];
  if (r.expected) {
    const e = r.expected;
    lines.push(
      `expected   ${num(e["0"], 5)}   (±1σ: ${num(e["-1"], 4)} – ${num(e["1"], 4)}, ` +
        `±2σ: ${num(e["-2"], 4)} – ` +
        `${num(e["2"], 4)})`,
    );
  }
  if (r.counting) {
    const c = r.counting;
    lines.push(
      `counting   n = ${c.observed} in [${num(c.range[0], 5)}, ${num(c.range[1], 5)}], expected background ` +
        `${num(c.background, 5)} −${num(c.backgroundError[0], 3)} +${num(c.backgroundError[1], 3)}, ` +
        `${num(c.signalPerPoi, 4)} signal events per unit ${r.poi}`,
    );
  }
  if (r.toys) lines.push(`toys       ${r.toys.sb} s+b, ${r.toys.b} b-only, ${r.toys.failed} failed fits (excluded)`);
  lines.push(`time       ${num(r.timing.limitMs, 3)} ms`);
  return lines.join("\n");
}

/** Sort key of a point by local Z: a missing or non-finite Z sorts last. */
const zKey = (p: { z?: number | null }) => (typeof p.z === "number" && Number.isFinite(p.z) ? p.z : -Infinity);

/**
 * A scan as a summary: counts, the largest excesses, the global significance.
 * @example
 * import { readFileSync } from "node:fs";
 * import { parseSpec, readColumn, scan } from "bumpscan";
 * const spec = parseSpec({ ...JSON.parse(readFileSync("spec.json", "utf8")), scan: { from: 4, to: 4.4, step: 2 } });
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * const result = await scan(spec, values);
 * import { formatScan } from "bumpscan/report";
 * console.log(formatScan(result, "GeV")); // what `bumpscan scan` prints
 */
export function formatScan(r: ScanResult, unit = "", ms = NaN, workers = 1): string {
  const fitted = r.points.filter((p) => p.status !== "skipped" && p.status !== "failed");
  const skipped = r.points.filter((p) => p.status === "skipped").length;
  const failed = r.points.filter((p) => p.status === "failed");
  const u = unit ? " " + unit : "";
  const lines = [
    `scan${r.shard ? ` (shard ${r.shard})` : ""}${r.partial ? " (partial: interrupted)" : ""}: ${r.points.length} ` +
      `mass points, ${fitted.length} fitted, ${skipped} skipped, ${failed.length} failed` +
      (Number.isFinite(ms) ? ` — ${num(ms / 1000, 3)} s on ${workers} worker${workers > 1 ? "s" : ""}` : ""),
    "",
    `${"mass" + u}`.padEnd(14) +
      "nsig".padStart(12) +
      "± error".padStart(11) +
      "local Z".padStart(10) +
      `${r.cl * 100}% CL obs`.padStart(13) +
      "expected".padStart(11),
    ...[...fitted]
      .sort((a, b) => zKey(b) - zKey(a))
      .slice(0, 8)
      .map(
        (p) =>
          num(p.mass, 5).padEnd(14) +
          num(p.nsig ?? NaN, 4).padStart(12) +
          num(p.nsigError ?? NaN, 3).padStart(11) +
          num(p.z ?? NaN, 3).padStart(10) +
          num(p.observed ?? NaN, 4).padStart(13) +
          num(p.expected?.["0"] ?? NaN, 4).padStart(11),
      ),
    "",
    r.maxLocalZ
      ? `largest excess: local Z = ${num(r.maxLocalZ.z, 3)}σ at m = ${num(r.maxLocalZ.mass, 5)}${u}; global Z = ` +
        `${num(r.globalZ, 3)}σ (Gross–Vitells, ${r.upcrossings} up-crossings of q0 above ${r.c0})`
      : "no fitted mass point",
  ];
  if (r.lee) {
    const l = r.lee;
    const pz = l.globalZIsLowerBound
      ? `global p < ${num(1 / l.toys, 2)} (no toy scan reached the observed maximum), global Z > ${num(l.globalZ, 3)}σ`
      : `global p = ${num(l.globalP, 3)} ± ${num(l.globalPError, 2)}, global Z = ${num(l.globalZ, 3)}σ`;
    lines.push(`background-only toy scans (${l.toys}): ${pz}; ⟨up-crossings⟩ = ${num(l.meanUpcrossings, 3)}`);
  }
  if (r.leeShard)
    lines.push(
      `background-only toy scans: ${r.leeShard.index.length} of ${r.leeShard.toys} in this shard (merge the shards ` +
        `for the global p-value)`,
    );
  for (const f of failed.slice(0, 5)) lines.push(`failed at m = ${num(f.mass, 5)}${u}: ${f.reason}`);
  const empty = r.points.filter((p) => p.emptySamples?.length);
  if (empty.length)
    lines.push(
      `note: at ${empty.length} mass point(s) a sample had no event in its fit range although its model expects ` +
        `some (${empty[0].emptySamples!.join(", ")} at m = ${num(empty[0].mass, 5)}${u}): check its file and range`,
    );
  return lines.join("\n");
}

/**
 * A signal-injection study as text: the truth, the mean fitted value, the pulls, the coverage.
 * @example
 * import { formatInjection } from "bumpscan/report";
 * const r = { mass: 5.1, poi: "nsig", injected: { poi: 45, events: 45 }, toys: 200, failed: 0,
 *   meanFitted: { value: 45.3, error: 1.2 }, pullMean: { value: 0.02, error: 0.07 },
 *   pullWidth: { value: 1.01, error: 0.05 }, pulls: [], seed: 1 };
 * formatInjection(r).split("\n")[0]; // => "injected 45 events (nsig = 45) at m = 5.1: 200 toys, 0 failed"
 */
export function formatInjection(r: InjectReport): string {
  const pm = (v: { value: number; error: number }, d = 3) => `${num(v.value, d)} ± ${num(v.error, 2)}`;
  const lines = [
    `injected ${num(r.injected.events, 6)} events (${r.poi} = ${num(r.injected.poi, 6)}) at m = ${r.mass}: ` +
      `${r.toys} toys, ${r.failed} failed`,
    `mean fitted ${r.poi}   ${pm(r.meanFitted, 5)}   (bias ${num(r.meanFitted.value - r.injected.poi, 3)})`,
    `pull mean        ${pm(r.pullMean)}   (0 expected)`,
    `pull width       ${pm(r.pullWidth)}   (1 expected)`,
  ];
  if (r.coverage)
    lines.push(`coverage         ${pm(r.coverage)}   of the ${r.coverage.cl * 100}% CL asymptotic CLs upper limit`);
  return lines.join("\n");
}
