/** Event files: dropped or chosen, decoded in the page (no upload: the data stays on this machine). */
import { type ColumnChoice, decodeColumn } from "../../src/browser.js";

export interface Events {
  name: string;
  values: Float64Array;
  weights?: Float64Array;
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
 * The event column of a file, in whatever format its extension names.
 * @example
 * const events = await readEvents(file, { column: "m" });
 */
export async function readEvents(file: File, choice: ColumnChoice): Promise<Events> {
  const column = await decodeColumn(file.name, file, choice); // Parquet and ROOT: only the pieces needed
  return { name: file.name, ...column };
}
