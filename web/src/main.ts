/**
 * The bumpscan web app: data in (a dropped file or the demo), the spec edited as a form or JSON,
 * a fit at one mass, and a scan on Web Workers whose Brazil and significance plots grow live.
 */
import {
  BumpscanError,
  demoEvents,
  demoSpec,
  type FitReport,
  type Dataset,
  type LimitReport,
  fitPlotAtMass,
  type OutputFile,
  type PointResult,
  type ScanResult,
  scanOutputs,
  type Spec,
} from "../../src/browser.js";
import { inRange } from "../../src/api/io.js";
import { assemble } from "../../src/api/scan.js";
import { pickColumns, rangeFromData, showColumns } from "./column-picker.js";
import { acceptFiles, type Events, readEvents, UnreadFile } from "./data-input.js";
import type { ReadProgress } from "./read-worker.js";
import { byId, esc, messageOf, showError } from "./dom.js";
import { limitRows, type RunningJob, startLimit } from "./limit-panel.js";
import { ScanPlots } from "./plot-interaction.js";
import { SampleFiles } from "./sample-files.js";
import { SpectrumView } from "./spectrum-view.js";
import { type RunningScan, startScan } from "./scan-runner.js";
import { expectedToysOfPage, leeSummary, scanOptionsOfPage } from "./scan-options.js";
import { registerOffline } from "./offline.js";
import { offerPngs, pngRowAfter } from "./png.js";
import { failedPointsHtml, formatNumber, formatZ } from "./format.js";
import { saveSession, startSession } from "./session.js";
import { SpecEditor } from "./spec-editor.js";

/** What the page holds; exposed as window.bumpscan for the end-to-end tests and the bench. */
const app: {
  events?: Events;
  file?: File;
  choice?: string;
  result?: ScanResult;
  scanMs?: number;
  running?: RunningScan | RunningJob<unknown>;
  fit?: FitReport;
  limit?: LimitReport;
  spectrum?: SpectrumView;
  /** The last file's reading progress as the reading worker reported it. */
  reading?: ReadProgress["progress"][];
} = {};
(window as unknown as { bumpscan: typeof app }).bumpscan = app;

/** The live plots' redraw interval. */
const REDRAW_MS = 400;

type State = "idle" | "loading" | "fitting" | "limiting" | "scanning" | "done" | "cancelled" | "error";
const setState = (s: State) => (document.body.dataset.state = s);
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

/** One file per sample, for a spec with several samples. */
const sampleFiles = new SampleFiles(
  byId("sample-files"),
  choice,
  () => {
    if (!app.running) {
      // results of other data would mislead (as when the one file changes)
      byId("fit-view").hidden = byId("scan-view").hidden = byId("limit-view").hidden = true;
      spectrum.clear();
    }
    updateButtons();
  },
  specOrNull,
);

function updateButtons(): void {
  const spec = specOrNull();
  sampleFiles.sync(spec);
  const data = sampleFiles.active(spec) ? sampleFiles.complete(spec) : !!app.events;
  const ready = data && !!spec && !app.running;
  byId<HTMLButtonElement>("fit").disabled = !ready;
  byId<HTMLButtonElement>("limit").disabled = !ready;
  byId<HTMLButtonElement>("scan").disabled = !ready;
  byId<HTMLButtonElement>("cancel").disabled = !app.running;
  byId<HTMLButtonElement>("range-from-data").disabled = !data || !!app.running;
}

/**
 * The events inside the spec's range (the others dropped and counted, as the CLI does); with
 * several samples, each sample's file (the fit and the scan keep each sample's range).
 */
function eventsInRange(spec: Spec): Dataset | Dataset[] {
  if (sampleFiles.active(spec)) {
    byId("run-status").textContent = "";
    return sampleFiles.datasets(spec);
  }
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
    byId("fit-view").hidden = byId("scan-view").hidden = byId("limit-view").hidden = true;
    spectrum.clear();
    setState("idle");
  }
  updateButtons();
}

/** A file's reading progress in the data section (and in app.reading, for the tests). */
function showReading(name: string, p: ReadProgress["progress"]): void {
  app.reading = [...(app.reading ?? []), p];
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
  byId("data-status").textContent =
    p.stage === "reading"
      ? `reading ${name}: ${Math.round((100 * p.loaded) / Math.max(1, p.total))}% of ${mb(p.total)} …`
      : `decoding ${name} (${mb(p.total)}) …`;
}

async function loadFile(file: File): Promise<void> {
  app.reading = [];
  app.file = file;
  app.choice = JSON.stringify(choice());
  setState("loading");
  byId("data-status").textContent = `reading ${file.name} …`;
  try {
    const events = await readEvents(file, choice(), (p) => showReading(file.name, p));
    showColumns(byId("column-pick"), byId("column"), events.columns);
    loaded(events);
  } catch (e) {
    app.events = undefined;
    showColumns(byId("column-pick"), byId("column"), e instanceof UnreadFile ? e.columns : undefined);
    byId("data-status").textContent = `${file.name}: not loaded.`;
    showError(messageOf(e));
    setState("error");
    updateButtons();
  }
}

function loadDemo(): void {
  app.file = undefined;
  showColumns(byId("column-pick"), byId("column"));
  editor.set(demoSpec());
  byId<HTMLInputElement>("fit-mass").value = "5.1";
  loaded({ name: "demo spectrum (BABAR-like recoil mass, 45 signal events at 5.1 GeV)", values: demoEvents() });
}

/** The mass field's value; a message when it is empty or not a number. */
function massField(what: string): number {
  const text = byId<HTMLInputElement>("fit-mass").value.trim();
  if (text === "") throw new BumpscanError(`enter the mass to ${what} at`);
  const mass = Number(text);
  if (!Number.isFinite(mass)) throw new BumpscanError(`the mass "${text}" is not a number`);
  return mass;
}

async function runFit(): Promise<void> {
  showError();
  try {
    const spec = editor.current();
    const mass = massField("fit");
    const events = eventsInRange(spec);
    setState("fitting");
    // one fit: the report and its plot (several samples: fitted together, the first one plotted)
    const { report, svg } = await fitPlotAtMass(spec, events as Dataset, mass);
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
    void spectrum.show(spec, events, dataSource(spec, events));
  } catch (e) {
    showError(messageOf(e));
    setState("error");
  }
}

/** The upper limit at the mass field's mass, off the page's thread, with progress for the long methods. */
async function runLimitInPage(): Promise<void> {
  showError();
  const progress = byId<HTMLProgressElement>("progress");
  const eta = byId("eta");
  let job: RunningJob<LimitReport>;
  try {
    const spec = editor.current();
    const mass = massField("compute the limit");
    const events = eventsInRange(spec);
    const method = spec.limit?.method ?? "asymptotic";
    const marginalise = byId<HTMLInputElement>("marginalise").checked;
    if (marginalise && method !== "bayes")
      byId("run-status").textContent = "Marginalising applies to Bayesian limits only: the nuisances are profiled.";
    const options = { method, cl: spec.limit?.cl, toys: spec.limit?.toys, seed: spec.limit?.seed };
    job = startLimit(
      {
        spec,
        events,
        mass,
        options: {
          ...options,
          marginalise: method === "bayes" && marginalise,
          ...(method === "bayes" ? { expectedToys: expectedToysOfPage() } : {}),
        },
        workers: workers(),
      },
      (done, total, unit) => {
        if (total) {
          progress.max = total;
          progress.value = done;
        } else progress.removeAttribute("value"); // toy limits: the toys needed are not known in advance
        eta.textContent = `${done.toLocaleString("en")}${total ? ` / ${total.toLocaleString("en")}` : ""} ${unit}`;
      },
    );
  } catch (e) {
    showError(messageOf(e));
    setState("error");
    return;
  }
  setState("limiting");
  progress.value = 0;
  eta.textContent = "";
  app.running = job;
  updateButtons();
  try {
    const report = await job.result;
    app.limit = report;
    byId("limit-table").innerHTML = limitRows(report, editor.current().observable.unit);
    byId("limit-view").hidden = false;
    progress.max = progress.value = 1;
    setState("done");
  } catch (e) {
    const cancelled = messageOf(e) === "limit cancelled";
    progress.value = 0;
    eta.textContent = "";
    if (cancelled) byId("run-status").textContent = "Limit cancelled.";
    else showError(messageOf(e));
    setState(cancelled ? "cancelled" : "error");
  } finally {
    app.running = undefined;
    updateButtons();
  }
}

const workers = () => Number(byId<HTMLSelectElement>("workers").value);

/** What the events came from: the spectrum is recomputed when it changes. */
const dataSource = (spec: Spec, events: Dataset | Dataset[]) => (sampleFiles.active(spec) ? events : app.events);

/** The whole spectrum with the background-only fit, after a fit or a scan. */
const spectrum = new SpectrumView(
  byId("spectrum-view"),
  byId("spectrum"),
  byId("spectrum-status"),
  byId<HTMLInputElement>("spectrum-log"),
);
app.spectrum = spectrum;

/** The scan plots; a point clicked is fitted (once no scan runs). */
const plots = new ScanPlots([byId("brazil"), byId("significance")], (mass) => {
  byId<HTMLInputElement>("fit-mass").value = String(mass);
  if (!app.running) void runFit();
});

function drawScan(result: ScanResult): void {
  if (result.points.filter((p) => p.status !== "skipped" && p.status !== "failed").length < 2) return;
  plots.draw(result);
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
  let spec: Spec, events: Dataset | Dataset[];
  let extra: ReturnType<typeof scanOptionsOfPage>;
  try {
    spec = editor.current();
    extra = scanOptionsOfPage(spec);
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
  plots.reset();
  byId("failed-points").innerHTML = "";
  // nothing of the last scan's progress may show while this one starts its workers
  progress.value = 0;
  progress.max = 1;
  byId("eta").textContent = "";
  setState("scanning");
  const t0 = performance.now();
  try {
    const running = await startScan(spec, events, workers(), {
      options: extra,
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
          `${p.done} / ${p.total} ${p.stage === "lee" ? "LEE toy scans" : "mass points"} · ` +
          `${p.done < p.total ? `about ${(p.etaMs / 1000).toFixed(1)} s left` : "done"}`;
      },
    });
    app.running = running;
    updateButtons();
    const result = await running.result;
    app.scanMs = performance.now() - t0;
    app.result = result;
    clearTimeout(pending);
    drawScan(result);
    offerDownloads(result);
    void spectrum.show(spec, events, dataSource(spec, events));
    byId("failed-points").innerHTML = failedPointsHtml(result.points, spec.observable.unit);
    const top = result.maxLocalZ;
    const unit = spec.observable.unit ? ` ${spec.observable.unit}` : "";
    byId("summary").textContent =
      `${result.points.length} mass points in ${(app.scanMs / 1000).toFixed(2)} s. ` +
      (top
        ? `Largest excess: local Z = ${formatZ(top.z)} at ${top.mass.toPrecision(4)}${unit}; global Z = ` +
          `${formatZ(result.globalZ)} (Gross–Vitells).`
        : "No fitted mass point.") +
      (result.lee ? ` ${leeSummary(result.lee)}` : "");
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
pickColumns(byId("column-pick"), byId("column"));
byId("range-from-data").addEventListener("click", () => {
  try {
    const spec = specOrNull();
    const data = sampleFiles.active(spec) && spec ? sampleFiles.datasets(spec) : app.events ? [app.events] : [];
    if (data.length)
      editor.set(
        rangeFromData(
          byId<HTMLTextAreaElement>("spec-json").value,
          data.map((d) => d.values),
        ),
      );
  } catch (e) {
    showError(messageOf(e));
  }
});
byId("fit").addEventListener("click", () => void runFit());
byId("limit").addEventListener("click", () => void runLimitInPage());
byId("scan").addEventListener("click", () => void runScanInPage());
byId("cancel").addEventListener("click", () => app.running?.cancel());
startSession(demoSpec(), (spec) => editor.set(spec)); // the link's or the stored spec, else the demo's
byId("run-status").textContent = "";
document.body.dataset.ready = "true";
void registerOffline((text) => (byId("offline-status").textContent = text));
