/**
 * The fit at one mass over a histogram of the data, with pulls: events per bin with Poisson
 * error bars, the fitted model (total, and background only dashed) as expected events per bin,
 * and (n − ν)/√ν per bin below. It draws a FitHistogram (job/fit-histogram.ts) and computes nothing.
 */
import { scaleLinear } from "d3-scale";
import { line } from "d3-shape";
import type { FitHistogram } from "../job/fit-histogram.js";
import { esc, svgDocument, WIDTH, HEIGHT, MARGIN } from "./frame.js";

export interface FitPlotLabels {
  unit?: string;
  name?: string;
}

const fmt = (v: number) => Number(v.toPrecision(5)).toString();

/**
 * The SVG plot of a fit's histogram.
 * @example
 * import { readFileSync } from "node:fs";
 * import { parseSpec, readColumn } from "bumpscan";
 * import { compileAt, instantiateCore } from "bumpscan/core";
 * import { fit } from "bumpscan/infer";
 * import { fitHistogram, fitPlot } from "bumpscan/report";
 * const spec = parseSpec(JSON.parse(readFileSync("spec.json", "utf8")), "spec.json");
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * const { cm } = compileAt(await instantiateCore(), spec, { values }, 4.2); // the reference model at 4.2
 * const svg = fitPlot(fitHistogram(cm, fit(cm), values, { mass: 4.2, sigma: 0.05 }), { unit: "GeV" });
 * svg.includes("</svg>"); // => true
 */
export function fitPlot(h: FitHistogram, labels: FitPlotLabels = {}): string {
  const { lo, width, counts, pulls, mass } = h;
  const nu = h.total,
    nuB = h.background;
  const nb = counts.length;
  const hi = lo + nb * width;
  const input = labels;
  const split = MARGIN.top + 0.68 * (HEIGHT - MARGIN.top - MARGIN.bottom);
  const x = scaleLinear()
    .domain([lo, hi])
    .range([MARGIN.left, WIDTH - MARGIN.right]);
  const yMax = Math.max(...counts.map((n) => n + Math.sqrt(n)), ...nu) * 1.15;
  const y = scaleLinear()
    .domain([0, yMax])
    .range([split - 6, MARGIN.top])
    .nice();
  const pMax = Math.max(3, ...pulls.map(Math.abs)) * 1.1;
  const yp = scaleLinear()
    .domain([-pMax, pMax])
    .range([HEIGHT - MARGIN.bottom, split + 6]);
  const centre = (i: number) => x(lo + (i + 0.5) * width);
  const parts: string[] = [];
  const [x0, x1] = x.range();
  for (const [top, bottom] of [
    [MARGIN.top, split - 6],
    [split + 6, HEIGHT - MARGIN.bottom],
  ]) {
    parts.push(`<rect x="${x0}" y="${top}" width="${x1 - x0}" height="${bottom - top}" fill="white" stroke="#333"/>`);
  }
  for (const t of x.ticks(8)) {
    parts.push(
      `<line x1="${x(t).toFixed(1)}" y1="${HEIGHT - MARGIN.bottom}" x2="${x(t).toFixed(1)}" ` +
        `y2="${HEIGHT - MARGIN.bottom + 6}" stroke="#333"/><text x="${x(t).toFixed(1)}" ` +
        `y="${HEIGHT - MARGIN.bottom + 21}" text-anchor="middle">${fmt(t)}</text>`,
    );
  }
  for (const t of y.ticks(6))
    parts.push(
      `<line x1="${x0 - 6}" y1="${y(t).toFixed(1)}" x2="${x0}" y2="${y(t).toFixed(1)}" stroke="#333"/><text ` +
        `x="${x0 - 9}" y="${y(t).toFixed(1)}" text-anchor="end" dominant-baseline="middle">${fmt(t)}</text>`,
    );
  for (const t of [-3, 0, 3].filter((v) => Math.abs(v) <= pMax))
    parts.push(
      `<text x="${x0 - 9}" y="${yp(t).toFixed(1)}" text-anchor="end" dominant-baseline="middle">${t}</text><line ` +
        `x1="${x0}" y1="${yp(t).toFixed(1)}" x2="${x1}" y2="${yp(t).toFixed(1)}" ` +
        `stroke="${t === 0 ? "#888" : "#ddd"}"/>`,
    );
  const unit = input.unit ? ` (${input.unit})` : "";
  parts.push(
    `<text x="${(x0 + x1) / 2}" y="${HEIGHT - 14}" text-anchor="middle">${esc((input.name ?? "m") + unit)}</text>`,
  );
  parts.push(
    `<text transform="translate(20 ${(MARGIN.top + split) / 2}) rotate(-90)" ` +
      `text-anchor="middle">${esc(`events / ${fmt(width)}${input.unit ? " " + input.unit : ""}`)}</text>`,
  );
  parts.push(
    `<text transform="translate(20 ${(split + HEIGHT - MARGIN.bottom) / 2}) rotate(-90)" ` +
      `text-anchor="middle">pull</text>`,
  );
  // model curves as steps over the bins, data with error bars, pulls as bars
  const steps = (v: number[]) =>
    line<number>()
      .x((_, k) => x(lo + Math.floor((k + 1) / 2) * width))
      .y((_, k) => y(v[Math.floor(k / 2)]))(Array.from({ length: 2 * nb }, (_, k) => k)) ?? "";
  parts.push(`<path d="${steps(nuB)}" fill="none" stroke="#1f4e9c" stroke-width="1.5" stroke-dasharray="6 4"/>`);
  parts.push(`<path d="${steps(nu)}" fill="none" stroke="#c0392b" stroke-width="2"/>`);
  counts.forEach((n, i) => {
    const e = Math.sqrt(n);
    parts.push(
      `<line x1="${centre(i).toFixed(1)}" y1="${y(Math.max(0, n - e)).toFixed(1)}" x2="${centre(i).toFixed(1)}" ` +
        `y2="${y(n + e).toFixed(1)}" stroke="black"/><circle cx="${centre(i).toFixed(1)}" cy="${y(n).toFixed(1)}" ` +
        `r="2.4" fill="black"/>`,
    );
    const p = pulls[i];
    parts.push(
      `<rect x="${(x(lo + i * width) + 1).toFixed(1)}" y="${Math.min(yp(p), yp(0)).toFixed(1)}" ` +
        `width="${Math.max(0.5, x(lo + width) - x(lo) - 2).toFixed(1)}" ` +
        `height="${Math.abs(yp(p) - yp(0)).toFixed(1)}" fill="#7f8c8d"/>`,
    );
  });
  const at = `${input.name ?? "m"} = ${fmt(mass)}${input.unit ? " " + input.unit : ""}`;
  const error = Number.isFinite(h.error) ? fmt(h.error) : "—";
  const title = `Fit at ${at}: ${h.poi} = ${fmt(h.value)} ± ${error} (${h.status})`;
  parts.push(`<text x="${MARGIN.left}" y="${MARGIN.top - 12}" font-weight="bold">${esc(title)}</text>`);
  const legend = [
    ["data", `<circle cx="13" cy="0" r="3" fill="black"/>`],
    ["fit: signal + background", `<line x1="0" y1="0" x2="26" y2="0" stroke="#c0392b" stroke-width="2"/>`],
    ["background", `<line x1="0" y1="0" x2="26" y2="0" stroke="#1f4e9c" stroke-width="1.5" stroke-dasharray="6 4"/>`],
  ];
  parts.push(
    `<rect x="${x1 - 210}" y="${MARGIN.top + 6}" width="202" height="68" fill="white" fill-opacity="0.85" ` +
      `stroke="#999"/>`,
  );
  legend.forEach(([label, mark], i) =>
    parts.push(
      `<g transform="translate(${x1 - 200} ${MARGIN.top + 22 + 18 * i})">${mark}<text x="34" y="0" ` +
        `dominant-baseline="middle">${esc(label)}</text></g>`,
    ),
  );
  return svgDocument(parts.join("\n"));
}
