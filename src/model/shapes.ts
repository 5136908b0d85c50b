/**
 * The PDF shapes the core implements, with the kind codes of assembly/pdf/index.ts and the
 * arguments each takes, in order. Polynomial shapes carry the mapping range [xlo, xhi] of
 * x = 2(m − xlo)/(xhi − xlo) − 1 as their first two (constant) arguments.
 */
export type ShapeName =
  | "uniform" | "gaussian" | "crystalBall" | "doubleCrystalBall" | "exponential"
  | "chebyshev" | "polynomial" | "expPoly" | "argus";

export interface ShapeInfo {
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
 * SHAPES.crystalBall.args; // ["mean", "sigma", "alpha", "n"]
 */
export const SHAPES: Record<ShapeName, ShapeInfo> = {
  uniform: { kind: 0, args: [] },
  gaussian: { kind: 1, args: ["mean", "sigma"], mean: "mean" },
  crystalBall: { kind: 2, args: ["mean", "sigma", "alpha", "n"], mean: "mean" },
  doubleCrystalBall: { kind: 3, args: ["mean", "sigmaL", "sigmaR", "alphaL", "nL", "alphaR", "nR"], mean: "mean" },
  exponential: { kind: 4, args: ["lambda"] },
  chebyshev: { kind: 5, args: ["xlo", "xhi"], coefficients: { prefix: "a", maxOrder: 6 } },
  polynomial: { kind: 6, args: ["xlo", "xhi"], coefficients: { prefix: "a", maxOrder: 6 } },
  expPoly: { kind: 7, args: ["xlo", "xhi"], coefficients: { prefix: "c", maxOrder: 4 } },
  argus: { kind: 8, args: ["m0", "c", "p"] },
};

/**
 * Whether `name` is a shape the core implements.
 * @example
 * isShape("crystalBall"); // true
 */
export function isShape(name: unknown): name is ShapeName {
  return typeof name === "string" && Object.hasOwn(SHAPES, name);
}

/**
 * All argument names of a shape of the given order, in core order.
 * @example
 * shapeArgs("expPoly", 2); // ["xlo", "xhi", "c1", "c2"]
 */
export function shapeArgs(shape: ShapeName, order = 0): string[] {
  const info = SHAPES[shape];
  const coeffs = info.coefficients ? Array.from({ length: order }, (_, k) => `${info.coefficients!.prefix}${k + 1}`) : [];
  return [...info.args, ...coeffs];
}
