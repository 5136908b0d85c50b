/**
 * One file per sample for a spec with several samples (`samples`, each with its name): a file
 * input per sample name, each file read as the sample's `data` says (its column, weights, tree,
 * expression and cut; the page's fields where it names none), and the samples' events handed to
 * the fit, the limit and the scan in the spec's order. The inputs follow the spec as it is edited.
 */
import { BumpscanError, type ColumnChoice, type Dataset, type Spec } from "../../src/browser.js";
import { esc, messageOf } from "./dom.js";
import { type Events, readEvents } from "./data-input.js";

/** The samples a spec names, when it has several (else the page's one file serves). */
export const sampleNames = (spec: Spec | null): string[] =>
  spec?.samples && spec.samples.length > 1 ? spec.samples.map((s) => s.name) : [];

export class SampleFiles {
  private readonly loaded = new Map<string, Events>();
  private readonly problems = new Map<string, string>();
  private names: string[] = [];
  /** The samples' events in the spec's order, the same array until a file changes (a cache key). */
  private list?: Dataset[];

  constructor(
    private readonly box: HTMLElement,
    /** The page's column fields, for samples whose data name none. */
    private readonly pageChoice: () => ColumnChoice,
    /** A file was read (or failed). */
    private readonly changed: () => void,
    /** The spec as it is now (a sample's data settings are read when its file is). */
    private readonly spec: () => Spec | null,
  ) {}

  /** Does the spec want one file per sample? */
  active(spec: Spec | null): boolean {
    return sampleNames(spec).length > 0;
  }

  /** Every sample of the spec has its events. */
  complete(spec: Spec | null): boolean {
    const names = sampleNames(spec);
    return names.length > 0 && names.every((n) => this.loaded.has(n));
  }

  /** Show an input per sample of the spec (kept files stay); none for a one-sample spec. */
  sync(spec: Spec | null): void {
    const names = sampleNames(spec);
    if (names.join("\u0000") === this.names.join("\u0000")) return;
    this.names = names;
    this.list = undefined;
    this.box.hidden = names.length === 0;
    this.box.replaceChildren();
    if (!names.length) return;
    const head = document.createElement("p");
    head.className = "status";
    head.textContent = `The spec has ${names.length} samples: give one file per sample.`;
    this.box.append(head);
    for (const name of names) {
      const row = document.createElement("div");
      row.className = "row";
      const label = document.createElement("label");
      label.append(`sample ${name} `);
      const input = document.createElement("input");
      Object.assign(input, { type: "file" });
      input.dataset.sample = name;
      input.accept = ".csv,.tsv,.txt,.json,.root,.parquet,.arrow,.arrows,.feather";
      label.append(input);
      const status = document.createElement("span");
      status.className = "status sample-status";
      status.dataset.sample = name;
      row.append(label, status);
      this.box.append(row);
      this.showStatus(name);
      input.addEventListener("change", () => {
        const file = input.files?.[0];
        if (file) void this.read(name, file);
        input.value = ""; // the same file again is a new choice
      });
    }
  }

  private showStatus(name: string): void {
    const el = this.box.querySelector<HTMLElement>(`.sample-status[data-sample="${CSS.escape(name)}"]`);
    if (!el) return;
    const e = this.loaded.get(name);
    const problem = this.problems.get(name);
    el.classList.toggle("bad", !!problem);
    el.innerHTML = problem
      ? esc(problem)
      : e
        ? `${esc(e.name)}: ${e.values.length.toLocaleString("en")} events${e.weights ? ", weighted" : ""}.`
        : "no file yet.";
  }

  private async read(name: string, file: File): Promise<void> {
    const data = this.spec()?.samples?.find((s) => s.name === name)?.data;
    const page = this.pageChoice();
    // the sample's own data settings first (its path is a file name for the CLI: here, the file chosen)
    const choice: ColumnChoice = {
      column: data?.column ?? page.column,
      weights: data?.weights ?? page.weights,
      tree: data?.tree ?? page.tree,
      expr: data?.expr ?? page.expr,
      cut: data?.cut ?? page.cut,
    };
    this.problems.delete(name);
    this.loaded.delete(name);
    this.list = undefined;
    const el = this.box.querySelector<HTMLElement>(`.sample-status[data-sample="${CSS.escape(name)}"]`);
    if (el) el.textContent = `reading ${file.name} …`;
    try {
      const show = (p: { stage: string; loaded: number; total: number }) => {
        if (el) el.textContent = `${p.stage} ${file.name}: ${Math.round((100 * p.loaded) / Math.max(1, p.total))}% …`;
      };
      this.loaded.set(name, await readEvents(file, choice, show));
    } catch (e) {
      this.problems.set(name, `${messageOf(e)}`);
    }
    this.showStatus(name);
    this.changed();
  }

  /** The samples' events in the spec's order; a message naming the samples still without a file. */
  datasets(spec: Spec): Dataset[] {
    const names = sampleNames(spec);
    const missing = names.filter((n) => !this.loaded.has(n));
    if (missing.length)
      throw new BumpscanError(`give a file for sample${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
    this.list ??= names.map((n) => {
      const e = this.loaded.get(n)!;
      return e.weights ? { values: e.values, weights: e.weights } : { values: e.values };
    });
    return this.list;
  }
}
