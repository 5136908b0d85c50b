/**
 * A plot frame as plain SVG text: scales from d3-scale, axes with ticks and labels, and helpers
 * to escape text. Plots build on it; no DOM and no browser are needed.
 */
import { scaleLinear, scaleLog, type ScaleLinear, type ScaleLogarithmic } from "d3-scale";

export const WIDTH = 760;
export const HEIGHT = 460;
export const MARGIN = { left: 78, right: 24, top: 34, bottom: 58 };

/** Greek letters a spec may spell out in a name ("epsilon" → ε). */
const GREEK: Record<string, string> = {
  alpha: "α",
  beta: "β",
  gamma: "γ",
  epsilon: "ε",
  eta: "η",
  mu: "μ",
  nu: "ν",
  pi: "π",
  sigma: "σ",
  tau: "τ",
  Upsilon: "Υ",
};

/**
 * A label as SVG text: Greek names as letters, `_x` / `_{xy}` as subscripts and `^x` / `^{xy}` as
 * superscripts (M_X^2, N_sig, g'), everything else escaped.
 */
export function richLabel(text: string): string {
  const word = (w: string) => GREEK[w] ?? w;
  let out = "";
  const re = /([_^])(\{[^}]*\}|[A-Za-z0-9'+\-*]+)|([A-Za-z]+)|([^_^A-Za-z]+)/g;
  for (const m of text.matchAll(re)) {
    if (m[1]) {
      const body = m[2].startsWith("{") ? m[2].slice(1, -1) : m[2];
      const shift = m[1] === "_" ? "sub" : "super";
      out += `<tspan baseline-shift="${shift}" font-size="75%">${esc(body.replace(/[A-Za-z]+/g, word))}</tspan>`;
    } else out += esc(m[3] ? word(m[3]) : m[0]);
  }
  return out;
}

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
      `text-anchor="middle">${richLabel(xLabel)}</text>`,
  );
  parts.push(
    `<text transform="translate(20 ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle">` +
      `${richLabel(yLabel)}</text>`,
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
