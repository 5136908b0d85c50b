/**
 * The model spec, edited as a form or as raw JSON. The JSON text is the one source of truth: the
 * form writes into it, and every change is validated with the CLI's schema (parseSpec), whose
 * messages name the field and the expected type.
 */
import { parseSpec, type Spec } from "../../src/browser.js";

type Json = Record<string, unknown>;

function getPath(obj: unknown, path: string[]): unknown {
  return path.reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Json)[k] : undefined), obj);
}

function setPath(obj: Json, path: string[], value: unknown): void {
  let o: Json = obj;
  path.slice(0, -1).forEach((k, i) => {
    if (!o[k] || typeof o[k] !== "object") o[k] = /^\d+$/.test(path[i + 1]) ? [] : {};
    o = o[k] as Json;
  });
  const last = path[path.length - 1];
  if (value === undefined) delete o[last];
  else o[last] = value;
}

/** σ(m) as the form shows it: "0.05" (constant) or "0.015, 0.008" (polynomial coefficients). */
const sigmaText = (v: unknown) =>
  typeof v === "number"
    ? String(v)
    : Array.isArray((v as { poly?: number[] })?.poly)
      ? (v as { poly: number[] }).poly.join(", ")
      : "";

function sigmaValue(text: string): unknown {
  const c = text
    .split(/[,\s]+/)
    .filter(Boolean)
    .map(Number);
  if (c.length === 0 || c.some((x) => !Number.isFinite(x))) return NaN;
  return c.length === 1 ? c[0] : { poly: c };
}

export class SpecEditor {
  private readonly inputs: (HTMLInputElement | HTMLSelectElement)[];

  constructor(
    form: HTMLFormElement,
    private readonly json: HTMLTextAreaElement,
    private readonly status: HTMLElement,
    private readonly changed: () => void,
  ) {
    // Enter in a field submits: no page load (a listener, not an inline handler: the page's CSP)
    form.addEventListener("submit", (e) => e.preventDefault());
    this.inputs = [...form.querySelectorAll<HTMLInputElement | HTMLSelectElement>("[data-spec]")];
    for (const input of this.inputs) input.addEventListener("input", () => this.fromForm(input));
    json.addEventListener("input", () => this.fromJson());
  }

  /** Replace the spec (the demo's, say). */
  set(spec: object): void {
    this.json.value = JSON.stringify(spec, null, 2);
    this.fromJson();
  }

  /** The validated spec; throws the schema's message when the JSON is wrong. */
  current(): Spec {
    let raw: unknown;
    try {
      raw = JSON.parse(this.json.value);
    } catch (e) {
      throw new Error(`the spec is not valid JSON: ${(e as Error).message}`);
    }
    return parseSpec(raw, "spec");
  }

  private fromForm(input: HTMLInputElement | HTMLSelectElement): void {
    let obj: Json;
    try {
      obj = JSON.parse(this.json.value);
    } catch {
      this.report("spec: fix the JSON first (the form edits it)");
      return;
    }
    const text = input.value.trim();
    const kind = input.dataset.kind;
    const value =
      text === "" ? undefined : kind === "number" ? Number(text) : kind === "sigma" ? sigmaValue(text) : text;
    const bad = typeof value === "number" && !Number.isFinite(value);
    input.classList.toggle("invalid", bad);
    if (bad) {
      this.report(`spec: ${input.dataset.spec} "${text}" is not a number`);
      return;
    }
    setPath(obj, input.dataset.spec!.split("."), value);
    this.json.value = JSON.stringify(obj, null, 2);
    this.validate();
  }

  private fromJson(): void {
    let obj: unknown;
    try {
      obj = JSON.parse(this.json.value);
    } catch {
      obj = undefined;
    }
    if (obj) {
      for (const input of this.inputs) {
        if (input === document.activeElement) continue;
        const v = getPath(obj, input.dataset.spec!.split("."));
        input.value = input.dataset.kind === "sigma" ? sigmaText(v) : v === undefined ? "" : String(v);
        input.classList.remove("invalid");
      }
    }
    this.validate();
  }

  private validate(): void {
    try {
      this.current();
      this.report();
    } catch (e) {
      this.report((e as Error).message);
    }
  }

  private report(problem?: string): void {
    this.json.classList.toggle("invalid", !!problem);
    this.status.textContent = problem ?? "Spec valid."; // parseSpec names the spec, the field and what it expects
    this.status.classList.toggle("bad", !!problem);
    this.changed();
  }
}
