/**
 * Event files: dropped or chosen, decoded in a Web Worker of the page (read-worker.ts: the page
 * stays responsive; no upload: the data stay on this machine).
 */
import { BumpscanError, type ColumnChoice } from "../../src/browser.js";
import type { Selection } from "../../src/io/column.js";
import type { ReadProgress, ReadReply, ReadRequest } from "./read-worker.js";

export interface Events {
  name: string;
  values: Float64Array;
  weights?: Float64Array;
  /** With a cut or an expression: the events read and those passing. */
  selected?: Selection;
  /** The file's numeric columns, where the reader can tell. */
  columns?: string[];
}

/** A file not read, with its numeric columns where the reader could tell (to pick one). */
export class UnreadFile extends BumpscanError {
  constructor(
    message: string,
    readonly columns?: string[],
  ) {
    super(message);
  }
}

/**
 * Call `onFile` with a file dropped on `zone` or chosen in `input`.
 * @example
 * acceptFiles(byId("drop"), byId("file"), (f) => load(f));
 */
export function acceptFiles(zone: HTMLElement, input: HTMLInputElement, onFile: (file: File) => void): void {
  zone.addEventListener("dragover", (e) => {
    e.preventDefault();
    zone.classList.add("over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.classList.remove("over");
    const file = e.dataTransfer?.files[0];
    if (file) onFile(file);
  });
  input.addEventListener("change", () => {
    const file = input.files?.[0];
    if (file) onFile(file);
    input.value = ""; // the same file again is a new choice
  });
}

/**
 * The event column of a file, in whatever format its extension names, decoded off the main thread;
 * `onProgress` hears how far the reading is.
 * @example
 * const events = await readEvents(file, { column: "m" }, (p) => console.log(p.stage, p.loaded));
 */
export async function readEvents(
  file: File,
  choice: ColumnChoice,
  onProgress?: (p: ReadProgress["progress"]) => void,
): Promise<Events> {
  const worker = new Worker(new URL("./read-worker.ts", import.meta.url), { type: "module" });
  try {
    const reply = await new Promise<ReadReply>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<ReadReply | ReadProgress>) => {
        if ("progress" in e.data) onProgress?.(e.data.progress);
        else resolve(e.data);
      };
      worker.onerror = (e) => reject(new BumpscanError(`${file.name}: the file reader did not start (${e.message})`));
      worker.postMessage({ file, choice } satisfies ReadRequest);
    });
    if ("error" in reply) throw new UnreadFile(reply.error, reply.columns);
    const { values, weights, selected, columns } = reply;
    return { name: file.name, values, weights, selected, ...(columns ? { columns } : {}) };
  } finally {
    worker.terminate();
  }
}
