/**
 * `bumpscan/core`: the WebAssembly core — instantiate it, load events into its memory, compile a
 * model into its tables (NLL, gradient, densities, bin yields), generate pseudo-data.
 * @example
 * import { instantiateCore, CompiledModel, loadData, compileAt, generate } from "bumpscan/core";
 */
export { instantiateCore, coreModule } from "../core/wasm.js";
export type { CoreExports } from "../core/wasm.js";
export { CompiledModel, loadData, STATUS } from "../core/compile.js";
export type { Dataset, LoadedData, FitStatus, MinimizeResult } from "../core/compile.js";
export { compileAt } from "../job/events.js";
export { generate } from "../core/generate.js";
