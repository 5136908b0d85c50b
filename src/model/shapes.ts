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
  | "argus";

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
