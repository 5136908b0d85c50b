/**
 * A counting search's two plots as SVG: the observed count per window over the expected
 * background and its ±1σ band; and the Bayesian and CLs limits side by side (the Bayesian
 * expected band green and yellow, CLs in red).
 */
import { area, line } from "d3-shape";
import { massAxis, poiAxis } from "../model/labels.js";
import type { CountingRow, CountingTable } from "../scan/counting.js";
import { esc, frame, MARGIN, svgDocument, WIDTH } from "./frame.js";

type Band = "-2" | "-1" | "0" | "1" | "2";
const positive = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v) && v > 0;

function massLabel(t: CountingTable): string {
  const { name, unit } = massAxis(t.spec);
  return `${name}${unit ? ` (${unit})` : ""}`;
}

/** The table's rows with counts, in mass order. */
const counted = (t: CountingTable) =>
  t.rows.filter((r) => r.counting && r.status !== "skipped").sort((a, b) => a.mass - b.mass);

function xDomain(rows: CountingRow[]): [number, number] {
  const m = rows.map((r) => r.mass);
  return m.length ? [Math.min(...m), Math.max(...m)] : [0, 1];
}

/** A legend box: one mark (SVG drawn in a 26 × 12 box) per label, in the top-right corner. */
function legend(entries: [string, string][], width = 200): string {
  const x = WIDTH - MARGIN.right - width - 8;
  return [
    `<rect x="${x}" y="${MARGIN.top + 6}" width="${width}" height="${20 * entries.length + 6}" fill="white" ` +
      `fill-opacity="0.85" stroke="#999"/>`,
    ...entries.map(
      ([label, mark], i) =>
        `<g transform="translate(${x + 8} ${MARGIN.top + 19 + 20 * i})">${mark}<text x="34" y="0" ` +
        `dominant-baseline="middle">${esc(label)}</text></g>`,
    ),
  ].join("\n");
}

/**
 * Observed counts (with ±√n bars) against the expected background and its ±1σ band, per window.
 * @example
 * import { parseSpec } from "bumpscan";
 * import { countingScan } from "bumpscan/scan";
 * import { countsPlot } from "bumpscan/report";
 * const spec = parseSpec({ observable: { range: [0, 10] }, signal: { shape: "uniform", sigma: 0.5 },
 *   background: { shape: "uniform", yield: { poly: [2] } }, scan: { masses: [3, 6], window: 1 } });
 * const table = await countingScan(spec, Float64Array.from([2.7, 3.1, 6.4]), { expectedToys: 0, cls: "asymptotic" });
 * countsPlot(table).includes("</svg>"); // => true
 */
export function countsPlot(t: CountingTable): string {
  const rows = counted(t);
  const top = Math.max(
    1,
    ...rows.map((r) => r.counting!.observed + Math.sqrt(r.counting!.observed)),
    ...rows.map((r) => r.counting!.background + r.counting!.backgroundError[1]),
  );
  const f = frame(xDomain(rows), [0, top * 1.25], false, massLabel(t), "events in the window", "Counts per window");
  const c = (r: CountingRow) => r.counting!;
  const band =
    area<CountingRow>()
      .x((r) => f.x(r.mass))
      .y0((r) => f.y(Math.max(0, c(r).background - c(r).backgroundError[0])))
      .y1((r) => f.y(c(r).background + c(r).backgroundError[1]))(rows) ?? "";
  const expected =
    line<CountingRow>()
      .x((r) => f.x(r.mass))
      .y((r) => f.y(c(r).background))(rows) ?? "";
  const dots = rows.map((r) => {
    const [x, n] = [f.x(r.mass).toFixed(1), c(r).observed];
    const bar = n > 0 ? [f.y(n - Math.sqrt(n)), f.y(n + Math.sqrt(n))].map((v) => v.toFixed(1)) : undefined;
    return (
      (bar ? `<line x1="${x}" y1="${bar[0]}" x2="${x}" y2="${bar[1]}" stroke="black"/>` : "") +
      `<circle cx="${x}" cy="${f.y(n).toFixed(1)}" r="2.6" fill="black"/>`
    );
  });
  return svgDocument(
    [
      f.svg,
      `<path class="background-band" d="${band}" fill="#9ecae1" fill-opacity="0.8"/>`,
      `<path class="background" d="${expected}" fill="none" stroke="#1f4e9c" stroke-width="1.6"/>`,
      `<g class="observed">${dots.join("")}</g>`,
      legend([
        ["observed (±√n)", `<circle cx="13" cy="0" r="3" fill="black"/>`],
        ["expected background", `<line x1="0" y1="0" x2="26" y2="0" stroke="#1f4e9c" stroke-width="2"/>`],
        ["background ±1σ", `<rect x="0" y="-6" width="26" height="12" fill="#9ecae1"/>`],
      ]),
    ].join("\n"),
  );
}

/**
 * The Bayesian and CLs limits of a counting search side by side: observed (solid) and expected
 * median (dashed), the Bayesian expected ±1σ and ±2σ bands, CLs in red; log y.
 * @example
 * import { parseSpec } from "bumpscan";
 * import { countingScan } from "bumpscan/scan";
 * import { countingLimitsPlot } from "bumpscan/report";
 * const spec = parseSpec({ observable: { range: [0, 10] }, signal: { shape: "uniform", sigma: 0.5 },
 *   background: { shape: "uniform", yield: { poly: [2] } }, scan: { masses: [3, 6], window: 1 } });
 * const table = await countingScan(spec, Float64Array.from([2.7, 3.1, 6.4]), { expectedToys: 20, cls: "asymptotic" });
 * countingLimitsPlot(table).includes("Bayesian"); // => true
 */
export function countingLimitsPlot(t: CountingTable): string {
  const rows = counted(t);
  const values = rows
    .flatMap((r) => [r.bayes, r.cls].flatMap((l) => (l ? [l.observed, ...Object.values(l.expected ?? {})] : [])))
    .filter(positive);
  const lo = values.length ? Math.min(...values) / 1.5 : 0.1,
    hi = values.length ? Math.max(...values) * 1.5 : 10;
  const poi = poiAxis(t.spec);
  const f = frame(
    xDomain(rows),
    [lo, hi],
    true,
    massLabel(t),
    `${t.cl * 100}% CL upper limit on ${poi.name}${poi.unit ? ` (${poi.unit})` : ""}`,
    `${t.cl * 100}% upper limits: Bayesian (nuisances ${t.bayes.nuisances}) and CLs (${t.cls.method})`,
  );
  const get = (key: "bayes" | "cls", band?: Band) => (r: CountingRow) =>
    band === undefined ? r[key]?.observed : r[key]?.expected?.[band];
  const curve = (y: (r: CountingRow) => number | undefined) =>
    line<CountingRow>()
      .defined((r) => positive(y(r)))
      .x((r) => f.x(r.mass))
      .y((r) => f.y(y(r)!))(rows) ?? "";
  const band = (a: Band, b: Band) =>
    area<CountingRow>()
      .defined((r) => positive(get("bayes", a)(r)) && positive(get("bayes", b)(r)))
      .x((r) => f.x(r.mass))
      .y0((r) => f.y(get("bayes", a)(r)!))
      .y1((r) => f.y(get("bayes", b)(r)!))(rows) ?? "";
  const dashed = `stroke-width="1.5" stroke-dasharray="6 4"`;
  const bands = rows.some((r) => r.bayes?.expected);
  return svgDocument(
    [
      f.svg,
      bands ? `<path class="bayes-band-2" d="${band("-2", "2")}" fill="#ffd700"/>` : "",
      bands ? `<path class="bayes-band-1" d="${band("-1", "1")}" fill="#00b140"/>` : "",
      `<path class="bayes-expected" d="${curve(get("bayes", "0"))}" fill="none" stroke="black" ${dashed}/>`,
      `<path class="cls-expected" d="${curve(get("cls", "0"))}" fill="none" stroke="#c0392b" ${dashed}/>`,
      `<path class="bayes-observed" d="${curve(get("bayes"))}" fill="none" stroke="black" stroke-width="2"/>`,
      `<path class="cls-observed" d="${curve(get("cls"))}" fill="none" stroke="#c0392b" stroke-width="2"/>`,
      legend(
        [
          ["Bayesian observed", `<line x1="0" y1="0" x2="26" y2="0" stroke="black" stroke-width="2"/>`],
          ["Bayesian expected", `<line x1="0" y1="0" x2="26" y2="0" stroke="black" ${dashed}/>`],
          ...(bands
            ? ([
                ["expected ±1σ", `<rect x="0" y="-6" width="26" height="12" fill="#00b140"/>`],
                ["expected ±2σ", `<rect x="0" y="-6" width="26" height="12" fill="#ffd700"/>`],
              ] as [string, string][])
            : []),
          ["CLs observed", `<line x1="0" y1="0" x2="26" y2="0" stroke="#c0392b" stroke-width="2"/>`],
          ["CLs expected", `<line x1="0" y1="0" x2="26" y2="0" stroke="#c0392b" ${dashed}/>`],
        ],
        170,
      ),
    ].join("\n"),
  );
}
