import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { CompiledModel, loadData, type Dataset } from "../src/core/compile.js";
import { type CoreExports, instantiateCore, writeF64 } from "../src/core/wasm.js";
import type { Model } from "../src/model/model.js";
import { buildModel, type Spec } from "../src/model/spec.js";
import { parseSpec } from "../src/model/parse.js";
import { readCsvColumn } from "../src/io/files.js";

/** Reference numbers of a case in test/fixtures/expected (independent iminuit/scipy fits and limits). */
export function reference(name: "bump-1e4" | "nobump-1e5") {
  return JSON.parse(readFileSync(`test/fixtures/expected/${name}.json`, "utf8"));
}

/** The reference model's spec: one-sided CB signal (α 1.5, n 3, σ 0.05) + expPoly(2) on [0, 10]. */
export function referenceSpec(): Spec {
  return parseSpec({
    observable: { name: "m", unit: "GeV", range: [0, 10] },
    signal: { shape: "crystalBall", sigma: 0.05, alpha: 1.5, n: 3 },
    background: { shape: "expPoly", order: 2 },
  });
}

export async function events(name: string): Promise<Float64Array> {
  return (await readCsvColumn(`test/fixtures/${name}.csv`, "m")).values;
}

let shared: CoreExports | undefined;
export async function core(): Promise<CoreExports> {
  shared ??= await instantiateCore();
  return shared;
}

export async function compile(model: Model, data: Dataset[]): Promise<CompiledModel> {
  const c = await core();
  return new CompiledModel(c, model, loadData(c, data));
}

export async function referenceModel(name: "bump-1e4" | "nobump-1e5") {
  const values = await events(name);
  const model = buildModel(referenceSpec(), { mass: 4.2, nEvents: values.length });
  return { model, values, cm: await compile(model, [{ values }]) };
}

/** Call a PDF export of the core with numeric arguments. */
export async function corePdf(kind: number, args: number[]) {
  const c = await core();
  const ptr = writeF64(c, args);
  return {
    value: (m: number) => c.pdfValueAt(kind, m, ptr, args.length),
    integral: (lo: number, hi: number) => c.pdfIntegralOver(kind, lo, hi, ptr, args.length),
  };
}

export const relDiff = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

/**
 * An analytic Hessian against Richardson-extrapolated central differences of the gradient (steps h
 * and h/2: truncation O(h⁴)), every entry on the scale √(H_ii·H_jj).
 */
export function expectHessianNear(H: number[][], fine: number[][], coarse: number[][], names: string[], tol: number) {
  for (let i = 0; i < H.length; i++) {
    for (let j = 0; j < H.length; j++) {
      const want = (4 * fine[i][j] - coarse[i][j]) / 3;
      const unit = Math.sqrt(Math.abs(H[i][i] * H[j][j]));
      expect(Math.abs(H[i][j] - want) / unit, `H[${names[i]}][${names[j]}]: ${H[i][j]} vs ${want}`).toBeLessThan(tol);
    }
  }
}
