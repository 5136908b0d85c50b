/**
 * Numbers as a physicist reads them in the page: significances past 8σ (where the asymptotic
 * formulae and double precision stop meaning anything, and where q0 may overflow to Infinity) as
 * "> 8σ", and no NaN or Infinity ever shown.
 */
import type { PointResult } from "../../src/browser.js";
import { esc } from "./dom.js";

/** The largest significance shown as a number. */
export const Z_MAX = 8;

/**
 * A significance for the page: "4.70σ", "> 8σ", "< −8σ", or "—" when there is none.
 * @example
 * formatZ(4.7); // => "4.70σ"
 * formatZ(Infinity); // => "> 8σ"
 */
export function formatZ(z: number | undefined): string {
  if (z === undefined || Number.isNaN(z)) return "—";
  if (z > Z_MAX) return `> ${Z_MAX}σ`;
  if (z < -Z_MAX) return `< −${Z_MAX}σ`;
  return `${z.toFixed(2)}σ`;
}

/**
 * A number with `digits` significant digits, or "—" when it is not finite.
 * @example
 * formatNumber(0.123456, 3); // => "0.123"
 */
export function formatNumber(x: number | undefined, digits: number): string {
  return x === undefined || !Number.isFinite(x) ? "—" : x.toPrecision(digits);
}

/**
 * The mass points whose fit failed (or did not converge), as HTML: one line each with the mass,
 * the status and the reason; "" when every point was fitted. Skipped points (outside the range,
 * vetoed) are by design and not listed.
 * @example
 * failedPointsHtml(result.points, "GeV");
 */
export function failedPointsHtml(points: PointResult[], unit = ""): string {
  const failed = points.filter((p) => p.status !== "converged" && p.status !== "skipped");
  if (failed.length === 0) return "";
  const u = unit ? ` ${esc(unit)}` : "";
  const rows = failed
    .map(
      (p) =>
        `<tr><td>${formatNumber(p.mass, 5)}${u}</td><td>${esc(p.status)}</td>` + `<td>${esc(p.reason ?? "")}</td></tr>`,
    )
    .join("");
  const n = failed.length;
  return (
    `<p class="bad">${n} of ${points.length} mass point${points.length === 1 ? "" : "s"} not fitted ` +
    `(no limit or significance there):</p>` +
    `<table><tr><th>mass</th><th>status</th><th>reason</th></tr>${rows}</table>`
  );
}
