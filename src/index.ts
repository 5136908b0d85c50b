/**
 * bumpscan's public API under Node: everything of the browser entry, plus reading event files and
 * a spec's datasets from disk, and the demo that writes its files.
 * @example
 * import { parseSpec, loadSpecData, scan, WorkerPool } from "bumpscan";
 */
export * from "./browser.js";
export { readColumn } from "./io/files.js";
export { loadSpecData, loadSpecSamples, loadSpecTemplates } from "./io/data.js";
export type { LoadedEvents } from "./io/data.js";
export { runDemo } from "./demo.js";
