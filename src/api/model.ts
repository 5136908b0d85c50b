/**
 * `bumpscan/model`: specs and models — validation, the model a spec describes at one mass, the
 * builder for models by hand, the shapes and their arguments.
 * @example
 * import { parseSpec, buildModel, ModelBuilder, SHAPES } from "bumpscan/model";
 */
export { parseSpec } from "../model/parse.js";
export { buildModel } from "../model/spec.js";
export type { BuildOptions } from "../model/spec.js";
export type {
  DataSpec,
  NuisanceSpec,
  NuisanceTarget,
  ParameterSpec,
  SampleSpec,
  ShapeSpec,
  Spec,
} from "../model/types.js";
export { massFunctionAt } from "../model/mass-function.js";
export type { MassFunction } from "../model/mass-function.js";
export { layoutAt } from "../model/window.js";
export type { PointLayout, SampleWindow } from "../model/window.js";
export { regionNames, regionSpec } from "../model/regions.js";
export { massAxis, poiAxis } from "../model/labels.js";
export { couplingLimit } from "../model/interpret.js";
export { countingModel, countingSummary } from "../model/counting.js";
export type { CountingChannel, CountingModel, CountingSummary } from "../model/counting.js";
export type { AxisName } from "../model/labels.js";
export {
  ModelBuilder,
  checkModel,
  nominalArg,
  argParts,
  allowedPieces,
  isExcluded,
  factorValue,
} from "../model/model.js";
export type {
  Model,
  Parameter,
  Component,
  Sample,
  Constraint,
  Arg,
  FactoredArg,
  Factor,
  ArgFactor,
  YieldFactor,
} from "../model/model.js";
export { SHAPES, shapeArgs, isShape } from "../model/shapes.js";
export type { ShapeName } from "../model/shapes.js";
export type { TemplateHistogram, TemplateHistograms } from "../model/template.js";
export { resolutionAt } from "../model/resolution.js";
export { fitRange } from "../model/window.js";
export { specSchema } from "../model/schema.js";
