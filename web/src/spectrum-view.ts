/**
 * The whole spectrum: a histogram of the data over each sample's whole range with the
 * background-only fit over it (expected events per bin), computed in a Web Worker of the page
 * (job-worker.ts) after a fit or a scan. A physicist's first look: does the background shape
 * describe the data everywhere, not only near one mass?
 */
import { scaleLinear, scaleLog } from "d3-scale";
import { line } from "d3-shape";
import type { Dataset, Spec } from "../../src/browser.js";
import { esc, messageOf } from "./dom.js";
import type { SampleSpectrum, Spectrum } from "./job-worker.js";
import { num, type RunningJob, startJob } from "./limit-panel.js";

const W = 760,
  H = 380,
  M = { left: 70, right: 20, top: 34, bottom: 50 };

/** The bins of the view. */
export const SPECTRUM_BINS = 100;

/** The SVG of one sample's spectrum: data with Poisson error bars, the background-only fit as a curve. */
export function spectrumPlot(s: SampleSpectrum, spec: Spec, logY: boolean, status: string): string {
  const n = s.counts.length;
  const hi = s.lo + n * s.width;
  const x = scaleLinear()
    .domain([s.lo, hi])
    .range([M.left, W - M.right]);
  const top = Math.max(...s.counts.map((c) => c + Math.sqrt(c)), ...s.background) * 1.15;
  const positive = [...s.counts, ...s.background].filter((v) => v > 0);
  const y = logY
    ? scaleLog()
        .domain([Math.max(0.5, Math.min(...positive) / 2), Math.max(1, top) * 2])
        .range([H - M.bottom, M.top])
    : scaleLinear()
        .domain([0, Math.max(1, top)])
        .range([H - M.bottom, M.top])
        .nice();
  const yc = (v: number) => y(logY ? Math.max(v, y.domain()[0]) : v);
  const centre = (i: number) => s.lo + (i + 0.5) * s.width;
  const parts: string[] = [
    `<rect x="0" y="0" width="${W}" height="${H}" fill="white"/>`,
    `<rect class="frame" x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" ` +
      `fill="white" stroke="#333"/>`,
  ];
  for (const t of x.ticks(10))
    parts.push(
      `<line x1="${x(t)}" y1="${H - M.bottom}" x2="${x(t)}" y2="${H - M.bottom + 5}" stroke="#333"/>` +
        `<text x="${x(t)}" y="${H - M.bottom + 19}" text-anchor="middle">${num(t, 5)}</text>`,
    );
  for (const t of y.ticks(logY ? 5 : 6).filter((v) => !logY || Number.isInteger(Math.log10(v))))
    parts.push(
      `<line x1="${M.left - 5}" y1="${y(t)}" x2="${M.left}" y2="${y(t)}" stroke="#333"/>` +
        `<text x="${M.left - 8}" y="${y(t)}" text-anchor="end" dominant-baseline="middle">${num(t, 5)}</text>`,
    );
  const unit = spec.observable.unit ? ` (${spec.observable.unit})` : "";
  const xLabel = esc(`${spec.observable.name ?? "observable"}${unit}`);
  parts.push(
    `<text x="${(M.left + W - M.right) / 2}" y="${H - 10}" text-anchor="middle">${xLabel}</text>`,
    `<text transform="translate(16 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">events / ` +
      `${num(s.width, 3)}${esc(spec.observable.unit ? ` ${spec.observable.unit}` : "")}</text>`,
    `<text x="${M.left}" y="${M.top - 12}" font-weight="bold">${esc(
      `${s.name ? `${s.name}: ` : ""}the whole spectrum and the background-only fit (${status})`,
    )}</text>`,
  );
  s.counts.forEach((c, i) => {
    const cx = x(centre(i)).toFixed(1);
    if (c > 0) {
      const e = Math.sqrt(c);
      parts.push(
        `<line x1="${cx}" y1="${yc(c + e).toFixed(1)}" x2="${cx}" y2="${yc(c - e).toFixed(1)}" stroke="black"/>` +
          `<circle class="data" cx="${cx}" cy="${yc(c).toFixed(1)}" r="1.8"/>`,
      );
    }
  });
  const curve = line<number>()
    .x((_, i) => x(centre(i)))
    .y((v) => yc(v))(s.background);
  parts.push(
    `<path class="background" d="${curve ?? ""}" fill="none" stroke="#1f4e9c" stroke-width="2"/>`,
    `<g transform="translate(${W - M.right - 200} ${M.top + 16})"><circle r="2.5"/><text x="10" ` +
      `dominant-baseline="middle">data (${Math.round(s.events).toLocaleString("en")} events)</text>` +
      `<line x1="-6" y1="18" x2="6" y2="18" stroke="#1f4e9c" stroke-width="2"/><text x="10" y="18" ` +
      `dominant-baseline="middle">background-only fit</text></g>`,
  );
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ` +
    `font-family="Helvetica, Arial, sans-serif" font-size="12">${parts.join("\n")}</svg>`
  );
}

/** The spectrum view: recomputed when the spec or the events change, the previous job cancelled. */
export class SpectrumView {
  spectrum?: Spectrum;
  private key?: string;
  private source?: unknown;
  private job?: RunningJob<unknown>;
  private spec?: Spec;

  constructor(
    private readonly view: HTMLElement,
    private readonly plots: HTMLElement,
    private readonly status: HTMLElement,
    private readonly logY: HTMLInputElement,
  ) {
    logY.addEventListener("change", () => this.render());
  }

  /** Hide the view (other data). */
  clear(): void {
    this.job?.cancel();
    this.spectrum = this.key = this.source = undefined;
    this.view.hidden = true;
  }

  /**
   * Show the whole spectrum of these events under this spec (at once when it is the one shown:
   * `source`, the data they came from, and the spec unchanged).
   */
  async show(spec: Spec, events: Dataset | Dataset[], source: unknown): Promise<void> {
    const key = JSON.stringify(spec);
    if (key === this.key && source === this.source && (this.spectrum || this.job)) return;
    this.job?.cancel();
    this.key = key;
    this.source = source;
    this.spec = spec;
    this.spectrum = undefined;
    this.view.hidden = false;
    this.plots.innerHTML = "";
    this.status.textContent = "Fitting the background over the whole spectrum …";
    const job = startJob({ kind: "spectrum", spec, events, bins: SPECTRUM_BINS }, () => {}, "spectrum");
    this.job = job;
    try {
      const reply = await job.result;
      if (this.job !== job) return;
      this.job = undefined;
      this.spectrum = (reply as { spectrum: Spectrum }).spectrum;
      this.render();
    } catch (e) {
      if (this.job !== job) return;
      this.job = undefined;
      this.key = undefined; // a retry computes it again
      const m = messageOf(e);
      if (m !== "spectrum cancelled") this.status.textContent = `No background-only fit of the whole spectrum: ${m}`;
    }
  }

  private render(): void {
    const s = this.spectrum;
    if (!s || !this.spec) return;
    const spec = this.spec;
    this.plots.innerHTML = s.samples.map((x) => spectrumPlot(x, spec, this.logY.checked, s.status)).join("");
    const expected = s.samples.reduce((a, x) => a + x.background.reduce((b, v) => b + v, 0), 0);
    const events = s.samples.reduce((a, x) => a + x.events, 0);
    this.status.textContent =
      `Background-only fit over the whole range: ${s.status}; it expects ${num(expected, 6)} events, ` +
      `the data have ${Math.round(events).toLocaleString("en")}.`;
  }
}
