/**
 * The scan's two plots as SVG: the Brazil plot (observed limit, expected median dashed, ±1σ green
 * and ±2σ yellow bands, log y) and the local significance against mass with the global
 * significance annotated. Skipped and failed points leave gaps.
 */
import { area, line } from "d3-shape";
import type { ScanResult } from "../scan/scan.js";
import type { PointResult } from "../scan/point.js";
import { shownPoints } from "../scan/result.js";
import { massAxis } from "../model/labels.js";
import { unitsAxis } from "../scan/units.js";
import { esc, frame, svgDocument, WIDTH, MARGIN } from "./frame.js";

const ok = (p: PointResult) => p.status !== "skipped" && p.status !== "failed";
/** The method in a plot's title where it is not CLs. */
const METHOD_TITLES: Record<string, string> = { bayes: "Bayesian", fc: "Feldman–Cousins, upper ends" };
const finite = (...v: (number | undefined)[]) => v.every((x) => x !== undefined && Number.isFinite(x) && x > 0);

/** The mass axis's label: the scanned quantity's name and unit. */
function massLabel(r: ScanResult): string {
  const { name, unit } = massAxis(r.spec);
  return `${name}${unit ? ` (${unit})` : ""}`;
}

function xDomain(r: ScanResult): [number, number] {
  const m = r.points.map((p) => p.mass);
  return [Math.min(...m), Math.max(...m)];
}

/**
 * The Brazil plot of a scan.
 * @example
 * import { readFileSync } from "node:fs";
 * import { brazilPlot, parseSpec, readColumn, scan } from "bumpscan";
 * const spec = parseSpec({ ...JSON.parse(readFileSync("spec.json", "utf8")), scan: { from: 4, to: 4.4, step: 2 } });
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * const result = await scan(spec, values);
 * brazilPlot(result).includes("</svg>"); // => true
 */
export function brazilPlot(result: ScanResult): string {
  const r = { ...result, points: shownPoints(result.points) };
  const pts = r.points.filter(ok);
  const values = pts
    .flatMap((p) => [p.observed, ...(p.expected ? Object.values(p.expected) : [])])
    .filter((v): v is number => finite(v));
  const lo = Math.max(Math.min(...values) / 1.5, 1e-300),
    hi = Math.max(...values) * 1.5;
  const poi = unitsAxis(r, r.units ?? "poi");
  const f = frame(
    xDomain(r),
    [lo, hi],
    true,
    massLabel(r),
    `${r.cl * 100}% CL upper limit on ${poi.name}${poi.unit ? ` (${poi.unit})` : ""}`,
    `${r.cl * 100}% CL upper limits (${METHOD_TITLES[r.method] ?? `CLs, ${r.method}`})`,
  );
  const e = (p: PointResult, k: "-2" | "-1" | "0" | "1" | "2") => p.expected?.[k];
  const band = (a: "-2" | "-1", b: "2" | "1") =>
    area<PointResult>()
      .defined((p) => ok(p) && finite(e(p, a), e(p, b)))
      .x((p) => f.x(p.mass))
      .y0((p) => f.y(e(p, a)!))
      .y1((p) => f.y(e(p, b)!))(r.points) ?? "";
  const curve = (get: (p: PointResult) => number | undefined) =>
    line<PointResult>()
      .defined((p) => ok(p) && finite(get(p)))
      .x((p) => f.x(p.mass))
      .y((p) => f.y(get(p)!))(r.points) ?? "";
  const hasBand = pts.some((p) => p.expected);
  const legend = [
    ["observed", `<line x1="0" y1="0" x2="26" y2="0" stroke="black" stroke-width="2"/>`],
    ...(hasBand
      ? [
          [
            "expected (median)",
            `<line x1="0" y1="0" x2="26" y2="0" stroke="black" stroke-width="1.5" stroke-dasharray="6 4"/>`,
          ],
          ["expected ±1σ", `<rect x="0" y="-6" width="26" height="12" fill="#00b140"/>`],
          ["expected ±2σ", `<rect x="0" y="-6" width="26" height="12" fill="#ffd700"/>`],
        ]
      : []),
  ].map(
    ([label, mark], i) =>
      `<g transform="translate(${WIDTH - MARGIN.right - 170} ${MARGIN.top + 18 + 20 * i})">${mark}<text x="34" ` +
      `y="0" dominant-baseline="middle">${esc(label)}</text></g>`,
  );
  return svgDocument(
    [
      f.svg,
      hasBand ? `<path class="band-2" d="${band("-2", "2")}" fill="#ffd700"/>` : "",
      hasBand ? `<path class="band-1" d="${band("-1", "1")}" fill="#00b140"/>` : "",
      hasBand
        ? `<path class="expected" d="${curve((p) => e(p, "0"))}" fill="none" stroke="black" stroke-width="1.5" ` +
          `stroke-dasharray="6 4"/>`
        : "",
      `<path class="observed" d="${curve((p) => p.observed)}" fill="none" stroke="black" stroke-width="2"/>`,
      `<rect x="${WIDTH - MARGIN.right - 180}" y="${MARGIN.top + 6}" width="172" height="${hasBand ? 86 : 26}" ` +
        `fill="white" fill-opacity="0.85" stroke="#999"/>`,
      ...legend,
    ].join("\n"),
  );
}

/**
 * Local significance against mass, with the largest excess and its global significance.
 * @example
 * import { readFileSync } from "node:fs";
 * import { parseSpec, readColumn, scan, significancePlot } from "bumpscan";
 * const spec = parseSpec({ ...JSON.parse(readFileSync("spec.json", "utf8")), scan: { from: 4, to: 4.4, step: 2 } });
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * const result = await scan(spec, values);
 * significancePlot(result).includes("</svg>"); // => true
 */
export function significancePlot(result: ScanResult): string {
  const r = { ...result, points: shownPoints(result.points) };
  const pts = r.points.filter((p) => ok(p) && Number.isFinite(p.z));
  const zs = pts.map((p) => p.z!);
  const f = frame(
    xDomain(r),
    [Math.min(-1, ...zs) - 0.3, Math.max(3.5, ...zs) + 0.5],
    false,
    massLabel(r),
    "local significance Z (σ)",
    "Local significance of a signal at each mass",
  );
  const path =
    line<PointResult>()
      .defined((p) => ok(p) && Number.isFinite(p.z))
      .x((p) => f.x(p.mass))
      .y((p) => f.y(p.z!))(r.points) ?? "";
  const [x0, x1] = f.x.range();
  const levels = [1, 2, 3, 4, 5]
    .filter((z) => z <= f.y.domain()[1])
    .map(
      (z) =>
        `<line x1="${x0}" y1="${f.y(z).toFixed(1)}" x2="${x1}" y2="${f.y(z).toFixed(1)}" stroke="#c0392b" ` +
        `stroke-dasharray="4 4" stroke-width="1"/><text x="${x1 - 4}" y="${(f.y(z) - 4).toFixed(1)}" ` +
        `text-anchor="end" fill="#c0392b">${z}σ</text>`,
    );
  const top = r.maxLocalZ;
  const note = top
    ? `largest local Z = ${top.z.toFixed(2)}σ at ` +
      `${top.mass.toPrecision(4)}${massAxis(r.spec).unit ? " " + massAxis(r.spec).unit : ""}; global Z = ` +
      `${r.globalZ.toFixed(2)}σ ` +
      `(Gross–Vitells${r.lee ? `; toys: ${r.lee.globalZIsLowerBound ? ">" : ""}${r.lee.globalZ.toFixed(2)}σ` : ""})`
    : "no fitted mass point";
  return svgDocument(
    [
      f.svg,
      `<line x1="${x0}" y1="${f.y(0).toFixed(1)}" x2="${x1}" y2="${f.y(0).toFixed(1)}" stroke="#888"/>`,
      ...levels,
      `<path class="local-z" d="${path}" fill="none" stroke="#1f4e9c" stroke-width="1.6"/>`,
      top
        ? `<circle cx="${f.x(top.mass).toFixed(1)}" cy="${f.y(top.z).toFixed(1)}" r="4" fill="none" ` +
          `stroke="#c0392b" stroke-width="2"/>`
        : "",
      `<text x="${MARGIN.left + 8}" y="${MARGIN.top + 18}">${esc(note)}</text>`,
    ].join("\n"),
  );
}
