/**
 * The bumpscan web app: data in (a dropped file or the demo), the spec edited as a form or JSON,
 * a fit at one mass, and a scan on Web Workers whose Brazil and significance plots grow live.
 */
import {
  brazilPlot,
  BumpscanError,
  demoEvents,
  demoSpec,
  type FitReport,
  fitPlotAtMass,
  type OutputFile,
  type PointResult,
  type ScanResult,
  scanOutputs,
  significancePlot,
  type Spec,
} from "../../src/browser.js";
import { inRange } from "../../src/api/io.js";
import { assemble } from "../../src/api/scan.js";
import { acceptFiles, type Events, readEvents } from "./data-input.js";
import { byId, esc, messageOf, showError } from "./dom.js";
import { registerOffline } from "./offline.js";
import { offerPngs, pngRowAfter } from "./png.js";
import { failedPointsHtml, formatNumber, formatZ } from "./format.js";
import { type RunningScan, startScan } from "./scan-runner.js";
import { saveSession, startSession } from "./session.js";
import { SpecEditor } from "./spec-editor.js";

/** What the page holds; exposed as window.bumpscan for the end-to-end tests and the bench. */
const app: {
  events?: Events;
  file?: File;
  choice?: string;
  result?: ScanResult;
  scanMs?: number;
  running?: RunningScan;
  fit?: FitReport;
} = {};
(window as unknown as { bumpscan: typeof app }).bumpscan = app;

/** The live plots' redraw interval. */
const REDRAW_MS = 400;

const setState = (s: "idle" | "loading" | "fitting" | "scanning" | "done" | "cancelled" | "error") =>
  (document.body.dataset.state = s);
const editor = new SpecEditor(
  byId<HTMLFormElement>("spec-form"),
  byId<HTMLTextAreaElement>("spec-json"),
  byId("spec-status"),
  () => {
    updateButtons();
    if (document.body.dataset.ready) saveSession(); // the session in localStorage and the URL
  },
);
const choice = () => ({
  column: byId<HTMLInputElement>("column").value.trim() || undefined,
  weights: byId<HTMLInputElement>("weights").value.trim() || undefined,
  tree: byId<HTMLInputElement>("tree").value.trim() || undefined,
  expr: byId<HTMLInputElement>("expr").value.trim() || undefined,
  cut: byId<HTMLInputElement>("cut").value.trim() || undefined,
});

function specOrNull(): Spec | null {
  try {
    return editor.current();
  } catch {
    return null;
  }
}

function updateButtons(): void {
  const ready = !!app.events && !!specOrNull() && !app.running;
  byId<HTMLButtonElement>("fit").disabled = !ready;
  byId<HTMLButtonElement>("scan").disabled = !ready;
  byId<HTMLButtonElement>("cancel").disabled = !app.running;
}

/** The events inside the spec's range (the others dropped and counted, as the CLI does). */
function eventsInRange(spec: Spec): { values: Float64Array; weights?: Float64Array } {
  if (!app.events) throw new BumpscanError("load a data file or the demo spectrum first");
  const events = inRange(app.events.values, app.events.weights, spec.observable.range);
  const [lo, hi] = spec.observable.range;
  byId("run-status").textContent = events.dropped
    ? `${events.dropped} of ${app.events.values.length} events outside the range [${lo}, ${hi}] left out.`
    : "";
  return events;
}

function loaded(events: Events): void {
  app.events = events;
  const w = events.weights ? ", weighted" : "";
  const s = events.selected;
  const passed = s ? ` (of ${s.events.toLocaleString("en")} read, passing the cut and expression)` : "";
  byId("data-status").textContent = `${events.name}: ${events.values.length.toLocaleString("en")} events${passed}${w}.`;
  showError();
  if (!app.running) {
    // results of other data would mislead; a scan under way goes on with the events it was given
    byId("fit-view").hidden = byId("scan-view").hidden = true;
    setState("idle");
  }
  updateButtons();
}

async function loadFile(file: File): Promise<void> {
  app.file = file;
  app.choice = JSON.stringify(choice());
  setState("loading");
  byId("data-status").textContent = `reading ${file.name} …`;
  try {
    loaded(await readEvents(file, choice()));
  } catch (e) {
    app.events = undefined;
    byId("data-status").textContent = `${file.name}: not loaded.`;
    showError(messageOf(e));
    setState("error");
    updateButtons();
  }
}

function loadDemo(): void {
  app.file = undefined;
  editor.set(demoSpec());
  byId<HTMLInputElement>("fit-mass").value = "5.1";
  loaded({ name: "demo spectrum (BABAR-like recoil mass, 45 signal events at 5.1 GeV)", values: demoEvents() });
}

async function runFit(): Promise<void> {
  showError();
  try {
    const spec = editor.current();
    const text = byId<HTMLInputElement>("fit-mass").value.trim();
    if (text === "") throw new BumpscanError("enter the mass to fit at");
    const mass = Number(text);
    const events = eventsInRange(spec);
    setState("fitting");
    const { report, svg } = await fitPlotAtMass(spec, events, mass); // one fit: the report and its plot
    app.fit = report;
    byId("fit-plot").innerHTML = svg;
    byId("fit-download").replaceChildren(download({ name: `fit-${mass}.svg`, type: "image/svg+xml", text: svg }));
    void offerPngs(pngRowAfter("fit-download"), [{ name: `fit-${mass}.png`, svg }], showError);
    byId("fit-table").innerHTML =
      "<tr><th>parameter</th><th>value</th><th>error</th></tr>" +
      Object.entries(report.parameters)
        .map(
          ([k, v]) =>
            `<tr><td>${esc(k)}</td><td>${formatNumber(v.value, 6)}</td><td>${formatNumber(v.error, 3)}</td></tr>`,
        )
        .join("") +
      `<tr><td>local Z</td><td>${formatZ(report.z)}</td><td></td></tr>` +
      `<tr><td>status</td><td>${esc(report.status)}</td><td></td></tr>`;
    byId("fit-view").hidden = false;
    setState("done");
  } catch (e) {
    showError(messageOf(e));
    setState("error");
  }
}

function drawScan(result: ScanResult): void {
  if (result.points.filter((p) => p.status !== "skipped" && p.status !== "failed").length < 2) return;
  byId("brazil").innerHTML = brazilPlot(result);
  byId("significance").innerHTML = significancePlot(result);
}

/** A download link for a file made in the page. */
function download(f: OutputFile): HTMLAnchorElement {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([f.text], { type: f.type }));
  a.download = f.name.replace("/", "-");
  a.textContent = a.download;
  return a;
}

function offerDownloads(result: ScanResult): void {
  for (const a of byId("downloads").querySelectorAll("a")) URL.revokeObjectURL(a.href);
  const files = scanOutputs(result);
  byId("downloads").replaceChildren(...files.map(download));
  // the plots as PNG too, from the same SVG files
  const svgs = files.filter((f) => f.name.endsWith(".svg"));
  const plots = svgs.map((f) => ({ name: f.name.replace("/", "-").replace(/\.svg$/, ".png"), svg: f.text }));
  void offerPngs(byId("png-downloads"), plots, showError);
}

async function runScanInPage(): Promise<void> {
  showError();
  let spec: Spec, events: { values: Float64Array; weights?: Float64Array };
  try {
    spec = editor.current();
    events = eventsInRange(spec); // weighted events are scanned as the fit treats them
  } catch (e) {
    showError(messageOf(e));
    return;
  }
  const options = { method: spec.limit?.method ?? "asymptotic", cl: spec.limit?.cl ?? 0.9 } as const;
  const progress = byId<HTMLProgressElement>("progress");
  let pending = 0;
  let latest: PointResult[] = [];
  byId("scan-view").hidden = false;
  byId("downloads").replaceChildren();
  void offerPngs(byId("png-downloads"), [], showError);
  byId("summary").textContent = "";
  byId("failed-points").innerHTML = "";
  // nothing of the last scan's progress may show while this one starts its workers
  progress.value = 0;
  progress.max = 1;
  byId("eta").textContent = "";
  byId("brazil").innerHTML = byId("significance").innerHTML = "";
  setState("scanning");
  const t0 = performance.now();
  try {
    app.running = await startScan(spec, events, Number(byId<HTMLSelectElement>("workers").value), {
      onPoint: (points) => {
        latest = points;
        // redraw at most every REDRAW_MS: the workers need the cores more than the plots do
        pending ||= window.setTimeout(() => {
          pending = 0;
          drawScan(assemble(spec, options, latest));
        }, REDRAW_MS);
      },
      onProgress: (p) => {
        progress.max = p.total;
        progress.value = p.done;
        byId("eta").textContent =
          `${p.done} / ${p.total} mass points · ` +
          `${p.done < p.total ? `about ${(p.etaMs / 1000).toFixed(1)} s left` : "done"}`;
      },
    });
    updateButtons();
    const result = await app.running.result;
    app.scanMs = performance.now() - t0;
    app.result = result;
    clearTimeout(pending);
    drawScan(result);
    offerDownloads(result);
    byId("failed-points").innerHTML = failedPointsHtml(result.points, spec.observable.unit);
    const top = result.maxLocalZ;
    const unit = spec.observable.unit ? ` ${spec.observable.unit}` : "";
    byId("summary").textContent =
      `${result.points.length} mass points in ${(app.scanMs / 1000).toFixed(2)} s. ` +
      (top
        ? `Largest excess: local Z = ${formatZ(top.z)} at ${top.mass.toPrecision(4)}${unit}; global Z = ` +
          `${formatZ(result.globalZ)} (Gross–Vitells).`
        : "No fitted mass point.");
    setState("done");
  } catch (e) {
    clearTimeout(pending);
    const cancelled = messageOf(e) === "scan cancelled";
    if (cancelled) {
      drawScan(assemble(spec, options, latest)); // what was done
      byId("failed-points").innerHTML = failedPointsHtml(latest, spec.observable.unit);
    }
    byId("eta").textContent = "";
    byId("run-status").textContent = cancelled
      ? `Scan cancelled after ${progress.value} of ${progress.max} mass points.`
      : "";
    if (!cancelled) showError(messageOf(e));
    setState(cancelled ? "cancelled" : "error");
  } finally {
    app.running = undefined;
    updateButtons();
  }
}

const cores = navigator.hardwareConcurrency || 2;
byId("workers").innerHTML = Array.from(
  { length: cores },
  (_, i) => `<option${i + 1 === cores ? " selected" : ""}>${i + 1}</option>`,
).join("");
acceptFiles(byId("drop"), byId<HTMLInputElement>("file"), (f) => void loadFile(f));
// a changed column, weights, tree, expression or cut reads the file again
for (const id of ["column", "weights", "tree", "expr", "cut"])
  byId(id).addEventListener(
    "change",
    () => app.file && app.choice !== JSON.stringify(choice()) && void loadFile(app.file),
  );
byId("demo").addEventListener("click", loadDemo);
byId("fit").addEventListener("click", () => void runFit());
byId("scan").addEventListener("click", () => void runScanInPage());
byId("cancel").addEventListener("click", () => app.running?.cancel());
startSession(demoSpec(), (spec) => editor.set(spec)); // the link's or the stored spec, else the demo's
byId("run-status").textContent = "";
document.body.dataset.ready = "true";
void registerOffline((text) => (byId("offline-status").textContent = text));
