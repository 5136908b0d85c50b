/**
 * Loading the WASM core: one compiled `WebAssembly.Module` per process (or worker), instantiated
 * as often as needed. The exports are plain numbers and byte offsets into the instance's memory.
 */

import { loadBytes } from "#platform";
import * as abi from "./abi.js";

/** The functions the AssemblyScript core exports (see assembly/index.ts). */
export interface CoreExports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  mark(): number;
  release(mark: number): void;
  setModel(model: number, values: number): void;
  prepareModel(): void;
  setFree(mask: number): void;
  setFastPath(enabled: number): void;
  setAnalyticHessian(enabled: number): void;
  /** The background component sample k's fused kernel takes, −1 on the scalar path (tests). */
  fusedComponent(sample: number): number;
  sampleDensity(sample: number, xs: number, n: number, out: number): void;
  sampleBinYields(sample: number, edges: number, nBins: number, out: number): void;
  sampleNorms(sample: number, out: number): void;
  nll(): number;
  nllGrad(grad: number): number;
  minimize(bounds: number, maxCalls: number, edmMax: number, out: number): number;
  hesse(steps: number, out: number): number;
  useMetricSlot(slot: number): void;
  forgetMetrics(): void;
  erf(x: number): number;
  erfc(x: number): number;
  pdfValueAt(kind: number, m: number, args: number, nargs: number): number;
  pdfIntegralOver(kind: number, lo: number, hi: number, args: number, nargs: number): number;
  vexpBatch(input: number, output: number, n: number): void;
  vlogBatch(input: number, output: number, n: number): void;
  setToyGrid(sample: number, edges: number, nEdges: number, work: number, capacity: number): void;
  /** Runs the toys a parameter block of RUN_WORDS words describes (src/core/abi.ts). */
  runToys(block: number): void;
  takeEnvelopeViolations(): number;
  takeToyCalls(): number;
  generateOnly(gen: number, n: number, seedLo: number, seedHi: number): void;
  generateToy(
    gen: number,
    seedLo: number,
    seedHi: number,
    toy: number,
    grid: number,
    massHyp: number,
    counts: number,
  ): number;
  philox(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, dst: number): void;
  seedStream(seedLo: number, seedHi: number, toy: number, poi: number, massHyp: number): void;
  uniform(): number;
  poisson(mean: number): number;
  gaussian(): number;
  invalidateSample(sample: number): void;
  abiConstants(out: number): number;
}

/**
 * The ABI constants the core reports from `abiConstants`, in its order (assembly/index.ts): a
 * core compiled from another version of src/core/abi.ts is refused when it is instantiated.
 */
export const ABI_PROBE: readonly number[] = [
  abi.MODEL_SAMPLES,
  abi.CONSTRAINT_WORDS,
  abi.SAMPLE_NLL_SCALE,
  abi.SAMPLE_COMPONENTS,
  abi.COMPONENT_NORM,
  abi.COMPONENT_ARGS,
  abi.FACTOR_WORDS,
  abi.MINIMIZE_ERRORS,
  abi.STATUS_FAILED,
  abi.STATUS_TOY_OVERFLOW,
  abi.RUN_RESULTS,
  abi.RUN_WORDS,
  abi.TOY_TESTS,
  abi.TEST_WORDS,
  abi.MAX_PARAMS,
  abi.MAX_FREE,
  abi.MAX_COMPONENTS,
  abi.MAX_SAMPLES,
  abi.MAX_CONSTRAINTS,
  abi.PDF_EXP_POLY,
  abi.PDF_ARGUS,
  abi.SAMPLE_HOLES,
  abi.COMPONENT_N_ARG_FACTORS,
  abi.FACTOR_ARG,
  abi.FORM_GAUSS,
  abi.MAX_HOLES,
  abi.MAX_FACTORS,
  abi.PDF_TEMPLATE,
  abi.MAX_TEMPLATE_BINS,
];

/**
 * The ABI constants a core instance was compiled with (see ABI_PROBE).
 */
export function coreAbi(core: CoreExports): number[] {
  const mark = core.mark();
  const out = core.alloc(8 * 64); // room for the probe of any version of the core
  const n = core.abiConstants(out);
  const values = Array.from(viewF64(core, out, n));
  core.release(mark);
  return values;
}

/** Throws unless the core was compiled with this side's ABI (a stale build/bumpscan.wasm). */
function checkAbi(core: CoreExports): void {
  const got = coreAbi(core);
  if (got.length !== ABI_PROBE.length || got.some((v, i) => v !== ABI_PROBE[i])) {
    throw new Error("bumpscan: the WASM core was built from another src/core/abi.ts; rebuild it (npm run asbuild)");
  }
}

let compiled: Promise<WebAssembly.Module> | undefined;

/**
 * URL of the built core, next to the package's `dist/`.
 */
export const wasmUrl = new URL("../../build/bumpscan.wasm", import.meta.url);

/**
 * The compiled core module, compiled once and shared (read from disk under Node, fetched in a browser).
 * @example
 * import { coreModule, instantiateCore } from "bumpscan/core";
 * const module = await coreModule(); // compiled once, e.g. to post to workers
 * const core = await instantiateCore(module);
 * core.erf(0.5); // => 0.5204998778130465
 */
export function coreModule(): Promise<WebAssembly.Module> {
  compiled ??= loadBytes(wasmUrl).then((bytes) => WebAssembly.compile(bytes));
  return compiled;
}

/**
 * A fresh core instance with its own memory.
 * @example
 * import { instantiateCore } from "bumpscan/core";
 * const core = await instantiateCore();
 * core.erf(0.5); // => 0.5204998778130465
 */
export async function instantiateCore(module?: WebAssembly.Module): Promise<CoreExports> {
  const instance = await WebAssembly.instantiate(module ?? (await coreModule()), {});
  const core = instance.exports as unknown as CoreExports;
  checkAbi(core);
  return core;
}

/**
 * Copy numbers into freshly allocated core memory; returns the byte offset.
 */
export function writeF64(core: CoreExports, data: ArrayLike<number>): number {
  const ptr = core.alloc(Math.max(data.length, 1) * 8);
  if (ptr === 0) throw new Error("bumpscan: the WASM core ran out of memory");
  new Float64Array(core.memory.buffer, ptr, data.length).set(data);
  return ptr;
}

/**
 * A view of `n` f64 words at `ptr` (rebuild after any call that may grow memory).
 */
export function viewF64(core: CoreExports, ptr: number, n: number): Float64Array {
  return new Float64Array(core.memory.buffer, ptr, n);
}
