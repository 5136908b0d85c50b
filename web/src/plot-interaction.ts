/**
 * The scan's Brazil and significance plots, interactive: a transparent hit target per mass point
 * (click: fit there; hover: mass, limits and Z in a tooltip), and zoom in mass (drag across a plot,
 * or the buttons), with a reset. The plots are the library's SVG (brazilPlot, significancePlot),
 * redrawn over the points inside the zoomed range.
 */
import { brazilPlot, type PointResult, type ScanResult, significancePlot } from "../../src/browser.js";
import { shownPoints } from "../../src/scan/result.js";
import { num } from "./limit-panel.js";

const SVG = "http://www.w3.org/2000/svg";
const ok = (p: PointResult) => p.status !== "skipped" && p.status !== "failed";

/** What a point's tooltip says. */
export function pointText(p: PointResult, unit?: string): string {
  const u = unit ? ` ${unit}` : "";
  const parts = [`m = ${num(p.mass, 6)}${u}`];
  if (p.observed !== undefined) parts.push(`limit ${num(p.observed)}`);
  if (p.expected) parts.push(`expected ${num(p.expected["0"])} [${num(p.expected["-1"])}, ${num(p.expected["1"])}]`);
  if (p.z !== undefined) parts.push(`local Z = ${num(p.z, 3)}σ`);
  if (!ok(p)) parts.push(p.status);
  return parts.join(" · ");
}

export class ScanPlots {
  private result?: ScanResult;
  /** The mass range shown, when zoomed. */
  zoom?: [number, number];
  private readonly tip: HTMLElement;
  private readonly tools: HTMLElement;

  constructor(
    private readonly plots: HTMLElement[],
    /** A mass point clicked. */
    private readonly onPick: (mass: number) => void,
  ) {
    this.tip = document.createElement("div");
    this.tip.id = "plot-tip";
    this.tip.hidden = true;
    // styled here: the tooltip is this module's
    Object.assign(this.tip.style, {
      position: "absolute",
      pointerEvents: "none",
      background: "rgba(255, 255, 255, 0.95)",
      border: "1px solid #9aa5b8",
      borderRadius: "4px",
      padding: "0.25rem 0.5rem",
      fontSize: "0.85rem",
      boxShadow: "0 1px 4px rgba(0, 0, 0, 0.2)",
      zIndex: "10",
    });
    document.body.append(this.tip);
    this.tools = document.createElement("div");
    this.tools.className = "row plot-tools";
    const button = (id: string, text: string, title: string, act: () => void) => {
      const b = document.createElement("button");
      Object.assign(b, { id, type: "button", textContent: text, title });
      b.addEventListener("click", act);
      return b;
    };
    const hint = document.createElement("span");
    hint.className = "status";
    hint.textContent = "Click a point to fit there; drag across a plot to zoom.";
    this.tools.append(
      button("zoom-in", "Zoom in", "halve the mass range shown", () => this.scale(0.5)),
      button("zoom-out", "Zoom out", "double the mass range shown", () => this.scale(2)),
      button("zoom-reset", "Reset zoom", "the whole scan", () => this.setZoom(undefined)),
      hint,
    );
    plots[0].before(this.tools);
    for (const el of plots) this.dragToZoom(el);
  }

  /** Forget the zoom (a new scan). */
  reset(): void {
    this.zoom = undefined;
    this.result = undefined;
    for (const el of this.plots) el.innerHTML = "";
    this.tip.hidden = true;
  }

  /** Draw (or redraw, as points come in) the scan's plots over the zoomed range. */
  draw(result: ScanResult): void {
    this.result = result;
    const [lo, hi] = this.zoom ?? [-Infinity, Infinity];
    const points = result.points.filter((p) => p.mass >= lo && p.mass <= hi);
    if (points.filter(ok).length < 2) return;
    const shown = { ...result, points };
    const [brazil, sig] = this.plots;
    brazil.innerHTML = brazilPlot(shown);
    sig.innerHTML = significancePlot(shown);
    const masses = shownPoints(points).map((p) => p.mass);
    const domain: [number, number] = [Math.min(...masses), Math.max(...masses)];
    for (const el of this.plots) {
      el.dataset.xRange = `${domain[0]} ${domain[1]}`;
      this.addTargets(el, shownPoints(points).filter(ok), domain, result.spec.observable.unit);
    }
  }

  private setZoom(zoom: [number, number] | undefined): void {
    this.zoom = zoom;
    if (this.result) this.draw(this.result);
  }

  /** Zoom by `factor` about the centre of the range shown (never beyond the whole scan). */
  private scale(factor: number): void {
    if (!this.result) return;
    const all = this.result.points.map((p) => p.mass);
    const [a, b] = [Math.min(...all), Math.max(...all)];
    const [lo, hi] = this.zoom ?? [a, b];
    const c = (lo + hi) / 2,
      h = ((hi - lo) / 2) * factor;
    const next: [number, number] = [Math.max(a, c - h), Math.min(b, c + h)];
    this.trySetZoom(next[0] <= a && next[1] >= b ? undefined : next);
  }

  /** Zoom only where at least two fitted points remain (a plot needs them). */
  private trySetZoom(zoom: [number, number] | undefined): void {
    if (zoom && this.result) {
      const inside = this.result.points.filter((p) => ok(p) && p.mass >= zoom[0] && p.mass <= zoom[1]);
      if (inside.length < 2) return;
    }
    this.setZoom(zoom);
  }

  /** The frame of a plot (its first rect): the x pixels the mass domain maps onto. */
  private static frameOf(svg: SVGSVGElement): { x0: number; x1: number; y: number; h: number } | undefined {
    const r = svg.querySelector('rect[stroke="#333"]'); // the frame (the first rect is the background)
    if (!r) return undefined;
    const x0 = Number(r.getAttribute("x")),
      w = Number(r.getAttribute("width"));
    return { x0, x1: x0 + w, y: Number(r.getAttribute("y")), h: Number(r.getAttribute("height")) };
  }

  /** One transparent stripe per fitted point, from half-way to its neighbours, with its tooltip. */
  private addTargets(el: HTMLElement, points: PointResult[], [lo, hi]: [number, number], unit?: string): void {
    const svg = el.querySelector("svg");
    const f = svg && ScanPlots.frameOf(svg);
    if (!svg || !f || !(hi > lo)) return;
    const px = (m: number) => f.x0 + ((m - lo) / (hi - lo)) * (f.x1 - f.x0);
    // zoomed: a mark of a point outside the range shown (the largest excess's circle) would sit off the frame
    for (const c of svg.querySelectorAll("circle")) {
      const x = Number(c.getAttribute("cx"));
      if (x < f.x0 - 0.5 || x > f.x1 + 0.5) c.remove();
    }
    const g = document.createElementNS(SVG, "g");
    g.setAttribute("class", "hits");
    points.forEach((p, i) => {
      const left = i > 0 ? (px(points[i - 1].mass) + px(p.mass)) / 2 : f.x0;
      const right = i + 1 < points.length ? (px(p.mass) + px(points[i + 1].mass)) / 2 : f.x1;
      const r = document.createElementNS(SVG, "rect");
      const text = pointText(p, unit);
      for (const [k, v] of Object.entries({
        class: "hit",
        x: left.toFixed(2),
        y: String(f.y),
        width: Math.max(0.5, right - left).toFixed(2),
        height: String(f.h),
        fill: "transparent",
        "data-mass": String(p.mass),
      }))
        r.setAttribute(k, v);
      const title = document.createElementNS(SVG, "title");
      title.textContent = text;
      r.append(title);
      r.addEventListener("mouseenter", (e) => this.showTip(text, e));
      r.addEventListener("mousemove", (e) => this.moveTip(e));
      r.addEventListener("mouseleave", () => (this.tip.hidden = true));
      r.addEventListener("click", () => {
        if (el.dataset.dragged === "true") return; // the end of a drag, not a click
        this.onPick(p.mass);
      });
      g.append(r);
    });
    svg.append(g);
  }

  private showTip(text: string, e: MouseEvent): void {
    this.tip.textContent = text;
    this.tip.hidden = false;
    this.moveTip(e);
  }

  private moveTip(e: MouseEvent): void {
    this.tip.style.left = `${e.pageX + 14}px`;
    this.tip.style.top = `${e.pageY + 14}px`;
  }

  /** Drag across a plot: zoom to the masses under the drag (a band shows it as it goes). */
  private dragToZoom(el: HTMLElement): void {
    let start: number | undefined;
    let band: SVGRectElement | undefined;
    const massAt = (e: MouseEvent): number | undefined => {
      const svg = el.querySelector("svg");
      const f = svg && ScanPlots.frameOf(svg);
      const ctm = svg?.getScreenCTM();
      const [lo, hi] = (el.dataset.xRange ?? "").split(" ").map(Number);
      if (!svg || !f || !ctm || !(hi > lo)) return undefined;
      const x = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse()).x;
      return lo + ((Math.min(f.x1, Math.max(f.x0, x)) - f.x0) / (f.x1 - f.x0)) * (hi - lo);
    };
    const pxOf = (e: MouseEvent) => {
      const ctm = el.querySelector("svg")?.getScreenCTM();
      return ctm ? new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse()).x : 0;
    };
    let x0 = 0;
    el.addEventListener("mousedown", (e) => {
      if (e.button !== 0) return;
      start = massAt(e);
      x0 = pxOf(e);
      el.dataset.dragged = "false";
      e.preventDefault(); // no text selection while dragging
    });
    el.addEventListener("mousemove", (e) => {
      if (start === undefined) return;
      const x = pxOf(e);
      if (Math.abs(x - x0) < 4) return;
      el.dataset.dragged = "true";
      const svg = el.querySelector("svg");
      const f = svg && ScanPlots.frameOf(svg);
      if (!svg || !f) return;
      if (!band) {
        band = document.createElementNS(SVG, "rect");
        band.setAttribute("class", "zoom-band");
        band.setAttribute("fill", "#1f4e9c");
        band.setAttribute("fill-opacity", "0.15");
        band.setAttribute("pointer-events", "none");
        svg.append(band);
      }
      band.setAttribute("x", String(Math.min(x, x0)));
      band.setAttribute("width", String(Math.abs(x - x0)));
      band.setAttribute("y", String(f.y));
      band.setAttribute("height", String(f.h));
    });
    const end = (e: MouseEvent) => {
      if (start === undefined) return;
      const a = start;
      start = undefined;
      band?.remove();
      band = undefined;
      if (el.dataset.dragged !== "true") return;
      const b = massAt(e);
      if (b !== undefined && a !== b) this.trySetZoom([Math.min(a, b), Math.max(a, b)]);
      // the click that follows this mouseup ends the drag, not a pick
      setTimeout(() => (el.dataset.dragged = "false"), 0);
    };
    el.addEventListener("mouseup", end);
    el.addEventListener("mouseleave", (e) => end(e));
  }
}
