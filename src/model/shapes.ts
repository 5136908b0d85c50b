/**
 * The PDF shapes the core implements, with their kind codes (src/core/abi.ts, the codes the
 * compiled model stores) and the arguments each takes, in order. Polynomial shapes carry the
 * mapping range [xlo, xhi] of x = 2(m − xlo)/(xhi − xlo) − 1 as their first two (constant) arguments.
 */
import {
  PDF_UNIFORM,
  PDF_GAUSSIAN,
  PDF_CRYSTAL_BALL,
  PDF_DOUBLE_CB,
  PDF_EXPONENTIAL,
  PDF_CHEBYSHEV,
  PDF_POLYNOMIAL,
  PDF_EXP_POLY,
  PDF_ARGUS,
  PDF_TEMPLATE,
  MAX_TEMPLATE_BINS,
} from "../core/abi.js";

export type ShapeName =
  | "uniform"
  | "gaussian"
  | "crystalBall"
  | "doubleCrystalBall"
  | "exponential"
  | "chebyshev"
  | "polynomial"
  | "expPoly"
  | "argus"
  | "template";

export interface ShapeInfo {
  /** The PDF_* code of src/core/abi.ts the compiled model stores for this shape. */
  kind: number;
  /** Named arguments (before the order-dependent coefficients). */
  args: readonly string[];
  /** Coefficient name prefix and maximum order for polynomial families. */
  coefficients?: { prefix: string; maxOrder: number };
  /** The argument that the scanned mass sets. */
  mean?: string;
}

/**
 * The shape table.
 * @example
 * import { SHAPES } from "bumpscan/model";
 * SHAPES.crystalBall.args; // => ["mean", "sigma", "alpha", "n"]
 */
export const SHAPES: Record<ShapeName, ShapeInfo> = {
  uniform: { kind: PDF_UNIFORM, args: [] },
  gaussian: { kind: PDF_GAUSSIAN, args: ["mean", "sigma"], mean: "mean" },
  crystalBall: { kind: PDF_CRYSTAL_BALL, args: ["mean", "sigma", "alpha", "n"], mean: "mean" },
  doubleCrystalBall: {
    kind: PDF_DOUBLE_CB,
    args: ["mean", "sigmaL", "sigmaR", "alphaL", "nL", "alphaR", "nR"],
    mean: "mean",
  },
  exponential: { kind: PDF_EXPONENTIAL, args: ["lambda"] },
  chebyshev: { kind: PDF_CHEBYSHEV, args: ["xlo", "xhi"], coefficients: { prefix: "a", maxOrder: 6 } },
  polynomial: { kind: PDF_POLYNOMIAL, args: ["xlo", "xhi"], coefficients: { prefix: "a", maxOrder: 6 } },
  expPoly: { kind: PDF_EXP_POLY, args: ["xlo", "xhi"], coefficients: { prefix: "c", maxOrder: 4 } },
  argus: { kind: PDF_ARGUS, args: ["m0", "c", "p"] },
  /** A histogram's bin contents d1 … dn over [xlo, xhi] (the signal from simulation: model/template.ts). */
  template: { kind: PDF_TEMPLATE, args: ["xlo", "xhi"], coefficients: { prefix: "d", maxOrder: MAX_TEMPLATE_BINS } },
};

/**
 * Whether `name` is a shape the core implements.
 * @example
 * import { isShape } from "bumpscan/model";
 * isShape("crystalBall"); // => true
 * isShape("landau"); // => false
 */
export function isShape(name: unknown): name is ShapeName {
  return typeof name === "string" && Object.hasOwn(SHAPES, name);
}

/**
 * All argument names of a shape of the given order, in core order.
 * @example
 * import { shapeArgs } from "bumpscan/model";
 * shapeArgs("expPoly", 2); // => ["xlo", "xhi", "c1", "c2"]
 */
export function shapeArgs(shape: ShapeName, order = 0): string[] {
  const info = SHAPES[shape];
  const coeffs = info.coefficients
    ? Array.from({ length: order }, (_, k) => `${info.coefficients!.prefix}${k + 1}`)
    : [];
  return [...info.args, ...coeffs];
}

/**
 * Where a shape with numeric arguments changes slope: a template's bin centres and ends (it is
 * linear between them), none for the other shapes. Grids over the range (the Asimov data, toy
 * generation, the POI's floor) put edges there, so that each of their panels sees one linear piece.
 */
export function shapeKnots(shape: ShapeName, args: number[]): number[] {
  if (shape !== "template") return [];
  const [xlo, xhi] = args;
  const n = args.length - 2;
  const h = (xhi - xlo) / n;
  return [xlo, ...Array.from({ length: n }, (_, k) => xlo + (k + 0.5) * h), xhi];
}

/**
 * Where a shape with numeric arguments peaks, if it is a peak: a peaking shape's mean, a
 * template's largest bin's centre. The core keeps the total density ≥ 0 there (a negative signal
 * yield cannot dig a hole below zero where no event sits).
 */
export function shapePeak(shape: ShapeName, args: number[]): number | undefined {
  if (SHAPES[shape].mean !== undefined) return args[0];
  if (shape !== "template" || args.length < 3) return undefined;
  let best = 2;
  for (let k = 3; k < args.length; k++) if (args[k] > args[best]) best = k;
  return args[0] + ((best - 2 + 0.5) * (args[1] - args[0])) / (args.length - 2);
}
