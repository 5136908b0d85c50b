/**
 * `bumpscan/io` under Node: the browser readers, plus reading files and a spec's datasets from disk.
 * @example
 * import { readColumn, loadSpecData } from "bumpscan/io";
 */
export * from "./io.js";
export { readColumn, readCsvColumn } from "../io/files.js";
export { loadScanEvents, loadSpecData, loadSpecSamples, loadSpecTemplates } from "../io/data.js";
export type { LoadedEvents } from "../io/data.js";
