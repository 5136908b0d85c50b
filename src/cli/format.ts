/** Plain-text tables for the terminal. */
import { FitReport, LimitReport } from "../analysis.js";

const num = (x: number, digits = 6) => (Number.isFinite(x) ? Number(x.toPrecision(digits)).toString() : String(x));

/**
 * A fit report as a readable table.
 * @example
 * console.log(formatFit(report, "GeV"));
 */
export function formatFit(r: FitReport & { dropped?: number }, unit = ""): string {
  const lines = [
    `fit at m = ${r.mass}${unit ? " " + unit : ""}: ${r.events} events${r.dropped ? ` (${r.dropped} outside the range dropped)` : ""}`,
    `status ${r.status}${r.valid ? "" : " (not valid)"}, edm ${num(r.edm, 3)}, ${r.nfcn} calls, ${num(r.timing.fitMs, 3)} ms, NLL ${num(r.nll, 12)}`,
    "",
    `${"parameter".padEnd(14)}${"value".padStart(16)}${"error".padStart(14)}`,
    ...Object.entries(r.parameters).map(([n, p]) => `${n.padEnd(14)}${num(p.value).padStart(16)}${num(p.error, 4).padStart(14)}`),
    "",
    `q0 = ${num(r.q0, 5)}, p0 = ${num(r.p0, 3)}, local Z = ${num(r.z, 4)}σ`,
  ];
  if (r.covarianceForced) lines.push("warning: the Hessian was not positive definite; the covariance was forced positive definite");
  return lines.join("\n");
}

/**
 * A limit report as a short summary.
 * @example
 * console.log(formatLimit(report, "GeV"));
 */
export function formatLimit(r: LimitReport & { events?: number; dropped?: number }, unit = ""): string {
  const what = r.method === "bayes" ? `Bayesian (${r.nuisances} nuisances)` : `${r.method} ${r.statistic === "clsb" ? "CLs+b" : "CLs"}`;
  const lines = [
    `${r.cl * 100}% CL upper limit on ${r.poi} at m = ${r.mass}${unit ? " " + unit : ""}, ${what}${r.events !== undefined ? `, ${r.events} events` : ""}`,
    `observed   ${num(r.observed, 5)}${r.observedError !== undefined ? ` ± ${num(r.observedError, 2)} (toys)` : ""}`,
  ];
  if (r.expected) {
    const e = r.expected;
    lines.push(`expected   ${num(e["0"], 5)}   (±1σ: ${num(e["-1"], 4)} – ${num(e["1"], 4)}, ±2σ: ${num(e["-2"], 4)} – ${num(e["2"], 4)})`);
  }
  if (r.toys) lines.push(`toys       ${r.toys.sb} s+b, ${r.toys.b} b-only, ${r.toys.failed} failed fits (excluded)`);
  lines.push(`time       ${num(r.timing.limitMs, 3)} ms`);
  return lines.join("\n");
}
