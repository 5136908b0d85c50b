/**
 * A plot frame as plain SVG text: scales from d3-scale, axes with ticks and labels, and helpers
 * to escape text. Plots build on it; no DOM and no browser are needed.
 */
import { scaleLinear, scaleLog, type ScaleLinear, type ScaleLogarithmic } from "d3-scale";

export const WIDTH = 760;
export const HEIGHT = 460;
export const MARGIN = { left: 78, right: 24, top: 34, bottom: 58 };

/**
 * Escape text for SVG.
 */
export function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const fmt = (v: number) => Number(v.toPrecision(6)).toString();

export interface Frame {
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number> | ScaleLogarithmic<number, number>;
  /** The axes, grid and labels. */
  svg: string;
}

/**
 * Scales and axes for data in [x0, x1] × [y0, y1] (log y when `logY`).
 */
export function frame(
  xDomain: [number, number],
  yDomain: [number, number],
  logY: boolean,
  xLabel: string,
  yLabel: string,
  title = "",
): Frame {
  const x = scaleLinear()
    .domain(xDomain)
    .range([MARGIN.left, WIDTH - MARGIN.right]);
  const y = (logY ? scaleLog() : scaleLinear()).domain(yDomain).range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  if (!logY) (y as ScaleLinear<number, number>).nice();
  const [top, bottom] = [MARGIN.top, HEIGHT - MARGIN.bottom];
  const parts: string[] = [
    `<rect x="${MARGIN.left}" y="${top}" width="${WIDTH - MARGIN.left - MARGIN.right}" height="${bottom - top}" ` +
      `fill="white" stroke="#333"/>`,
  ];
  for (const t of x.ticks(10)) {
    const px = x(t).toFixed(1);
    parts.push(
      `<line x1="${px}" y1="${bottom}" x2="${px}" y2="${bottom + 6}" stroke="#333"/><text x="${px}" ` +
        `y="${bottom + 21}" text-anchor="middle">${fmt(t)}</text>`,
    );
  }
  const yTicks = logY ? (y as ScaleLogarithmic<number, number>).ticks(6) : (y as ScaleLinear<number, number>).ticks(8);
  const majors = logY ? yTicks.filter((t) => Math.abs(Math.log10(t) - Math.round(Math.log10(t))) < 1e-9) : yTicks;
  for (const t of yTicks) {
    const py = y(t).toFixed(1);
    const major = majors.includes(t);
    parts.push(`<line x1="${MARGIN.left - (major ? 6 : 3)}" y1="${py}" x2="${MARGIN.left}" y2="${py}" stroke="#333"/>`);
    if (major)
      parts.push(
        `<line x1="${MARGIN.left}" y1="${py}" x2="${WIDTH - MARGIN.right}" y2="${py}" stroke="#e4e4e4"/><text ` +
          `x="${MARGIN.left - 9}" y="${py}" text-anchor="end" dominant-baseline="middle">${fmt(t)}</text>`,
      );
  }
  parts.push(
    `<text x="${(MARGIN.left + WIDTH - MARGIN.right) / 2}" y="${HEIGHT - 14}" ` +
      `text-anchor="middle">${esc(xLabel)}</text>`,
  );
  parts.push(
    `<text transform="translate(20 ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`,
  );
  if (title) parts.push(`<text x="${MARGIN.left}" y="${top - 12}" font-weight="bold">${esc(title)}</text>`);
  return { x, y, svg: parts.join("\n") };
}

/**
 * Wrap plot content in an SVG document.
 */
export function svgDocument(body: string): string {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" ` +
    `viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Helvetica, Arial, sans-serif" font-size="13">`;
  return `<?xml version="1.0" encoding="UTF-8"?>
${svg}
<rect width="100%" height="100%" fill="white"/>
${body}
</svg>
`;
}
