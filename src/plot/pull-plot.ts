/**
 * The pull distribution of a signal-injection study: a histogram of (μ̂ − μ)/σ̂ with Poisson error
 * bars and the unit Gaussian it should follow, scaled to the number of toys. It draws the pulls it
 * is given and computes nothing else.
 */
import { line } from "d3-shape";
import { frame, svgDocument } from "./frame.js";

const BINS = 32;
const LO = -4,
  HI = 4;

/**
 * The SVG of a pull distribution (pulls outside ±4 are counted in the title, not drawn).
 * @example
 * import { pullPlot } from "bumpscan";
 * pullPlot([-0.3, 0.1, 0.8, -1.2, 0.4], "N_sig at 5.1 GeV").includes("</svg>"); // => true
 */
export function pullPlot(pulls: number[], what = ""): string {
  const width = (HI - LO) / BINS;
  const counts = new Array<number>(BINS).fill(0);
  let outside = 0;
  for (const p of pulls) {
    const i = Math.floor((p - LO) / width);
    if (i >= 0 && i < BINS) counts[i]++;
    else outside++;
  }
  const gauss = (x: number) => (pulls.length * width * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI);
  const top = Math.max(gauss(0), ...counts.map((n) => n + Math.sqrt(n))) * 1.15;
  const f = frame(
    [LO, HI],
    [0, top],
    false,
    "pull (fitted − injected) / error",
    `toys / ${width}`,
    `${what}${what ? ": " : ""}${pulls.length} toys${outside ? `, ${outside} outside ±4` : ""}`,
  );
  const curve =
    line<number>()
      .x((x) => f.x(x))
      .y((x) => f.y(gauss(x)))(Array.from({ length: 161 }, (_, i) => LO + (i * (HI - LO)) / 160)) ?? "";
  const marks = counts.map((n, i) => {
    const x = f.x(LO + (i + 0.5) * width).toFixed(1);
    const e = Math.sqrt(n);
    return (
      `<line x1="${x}" y1="${f.y(Math.max(0, n - e)).toFixed(1)}" x2="${x}" y2="${f.y(n + e).toFixed(1)}" ` +
      `stroke="black"/><circle cx="${x}" cy="${f.y(n).toFixed(1)}" r="3" fill="black"/>`
    );
  });
  return svgDocument(`${f.svg}<path d="${curve}" fill="none" stroke="#c0392b" stroke-width="2"/>${marks.join("")}`);
}
