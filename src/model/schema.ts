/**
 * JSON Schema (draft-07) of the model spec (docs/spec.md).
 */
import { MAX_TEMPLATE_BINS } from "../core/abi.js";

const number = { type: "number" };
/**
 * An event file: the column (a TTree branch for ROOT files) or an expression of columns (`expr`),
 * optional weights column, a cut; `tree` names the TTree.
 */
const data = {
  type: "object",
  required: ["path"],
  additionalProperties: false,
  properties: {
    path: { type: "string", minLength: 1 },
    column: { type: "string", minLength: 1 },
    weights: { type: "string" },
    tree: { type: "string", minLength: 1 },
    expr: { type: "string", minLength: 1 },
    cut: { type: "string", minLength: 1 },
  },
};
/** A mass function: a number, {"poly": [a0, a1, …]} (a0 + a1·m + …) or {"table": [[m, value], …]}. */
const massFunction = (numberSchema: object = number) => ({
  oneOf: [
    numberSchema,
    {
      type: "object",
      required: ["poly"],
      additionalProperties: false,
      properties: { poly: { type: "array", items: number, minItems: 1 } },
    },
    {
      type: "object",
      required: ["table"],
      additionalProperties: false,
      properties: {
        table: { type: "array", minItems: 1, items: { type: "array", items: number, minItems: 2, maxItems: 2 } },
      },
    },
  ],
});
const positive = massFunction({ type: "number", exclusiveMinimum: 0 });
const nonNegative = massFunction({ type: "number", minimum: 0 });
const interval = { type: "array", items: number, minItems: 2, maxItems: 2 };
const intervals = { type: "array", items: interval };
const SHAPE_NAMES = [
  "uniform",
  "gaussian",
  "crystalBall",
  "doubleCrystalBall",
  "exponential",
  "chebyshev",
  "polynomial",
  "expPoly",
  "argus",
];
const FIELDS = [
  "mean",
  "sigma",
  "sigmaL",
  "sigmaR",
  "alpha",
  "n",
  "alphaL",
  "nL",
  "alphaR",
  "nR",
  "lambda",
  "m0",
  "c",
  "p",
];
const shapeProperties = {
  shape: { enum: SHAPE_NAMES },
  name: { type: "string", pattern: "^[A-Za-z0-9_]+$" },
  mean: number,
  peak: massFunction(),
  sigma: positive,
  sigmaL: positive,
  sigmaR: positive,
  alpha: positive,
  n: positive,
  alphaL: positive,
  nL: positive,
  alphaR: positive,
  nR: positive,
  order: { type: "integer", minimum: 0, maximum: 6 },
  init: { type: "array", items: number },
  lambda: number,
  m0: { type: "number", exclusiveMinimum: 0 },
  c: number,
  p: { type: "number", exclusiveMinimum: -1 },
  yield: nonNegative,
  free: { type: "array", items: { enum: FIELDS } },
};
const shape = { type: "object", required: ["shape"], additionalProperties: false, properties: shapeProperties };
/** A template as loaded (model/template.ts): each simulated mass's smoothed histogram. */
const loadedTemplate = {
  type: "object",
  required: ["masses", "histograms"],
  additionalProperties: false,
  properties: {
    masses: { type: "array", minItems: 1, items: number },
    histograms: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["range", "contents", "events"],
        additionalProperties: false,
        properties: {
          range: { type: "array", items: number, minItems: 2, maxItems: 2 },
          contents: { type: "array", minItems: 2, items: { type: "number", minimum: 0 } },
          events: { type: "integer", minimum: 0 },
        },
      },
    },
  },
};
/**
 * The signal: a shape, or a template from simulated events (`path`, its `column` and `massColumn`,
 * `bins` per simulated mass; `loaded` once read).
 */
const signal = {
  ...shape,
  properties: {
    ...shapeProperties,
    shape: { enum: [...SHAPE_NAMES, "template"] },
    path: { type: "string", minLength: 1 },
    column: { type: "string", minLength: 1 },
    massColumn: { type: "string", minLength: 1 },
    tree: { type: "string", minLength: 1 },
    bins: { type: "integer", minimum: 2, maximum: MAX_TEMPLATE_BINS },
    loaded: loadedTemplate,
  },
};
/** A sample's changes to the signal: any shape field but the shape itself. */
const signalOverride = { type: "object", additionalProperties: false, properties: shapeProperties };
const backgrounds = { oneOf: [shape, { type: "array", minItems: 1, items: shape }] };
const label = {
  type: "object",
  additionalProperties: false,
  properties: { name: { type: "string" }, unit: { type: "string" } },
};
const sample = {
  type: "object",
  required: ["name", "data"],
  additionalProperties: false,
  properties: {
    name: { type: "string", pattern: "^[A-Za-z0-9_]+$" },
    data,
    scale: positive,
    luminosity: positive,
    efficiency: positive,
    range: interval,
    exclude: intervals,
    signal: signalOverride,
    background: backgrounds,
  },
};
const target = {
  type: "object",
  required: ["component"],
  additionalProperties: false,
  properties: {
    sample: { type: "string" },
    component: { type: "string", minLength: 1 },
    field: { enum: FIELDS.filter((f) => f !== "mean") },
  },
};
const nuisance = {
  type: "object",
  required: ["name"],
  additionalProperties: false,
  properties: {
    name: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]*$" },
    lnN: { type: "number", exclusiveMinimum: 0 },
    gauss: { type: "number", exclusiveMinimum: 0 },
    samples: { type: "array", items: { type: "string" } },
    on: { type: "array", minItems: 1, items: target },
  },
};
const parameter = {
  type: "object",
  additionalProperties: false,
  properties: {
    init: number,
    lo: number,
    hi: number,
    fixed: { type: "boolean" },
    constraint: {
      type: "object",
      required: ["mean", "sigma"],
      additionalProperties: false,
      properties: { mean: number, sigma: { type: "number", exclusiveMinimum: 0 } },
    },
  },
};
const scan = {
  type: "object",
  additionalProperties: false,
  properties: {
    from: number,
    to: number,
    step: { type: "number", exclusiveMinimum: 0 },
    window: { type: "number", exclusiveMinimum: 0 },
    masses: { type: "array", items: number, minItems: 1 },
  },
};
/** What a spec, and each of its regions, may say about the model. */
const modelProperties = {
  observable: {
    type: "object",
    required: ["range"],
    additionalProperties: false,
    properties: { name: { type: "string" }, unit: { type: "string" }, range: interval, exclude: intervals },
  },
  hypothesis: label,
  data,
  signal,
  background: backgrounds,
  poi: {
    type: "object",
    additionalProperties: false,
    properties: { name: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]*$" }, unit: { type: "string" } },
  },
  parameters: { type: "object", additionalProperties: parameter },
  samples: { type: "array", minItems: 1, items: sample },
  nuisances: { type: "array", items: nuisance },
  interpret: {
    type: "object",
    required: ["poi1", "power"],
    additionalProperties: false,
    properties: {
      name: { type: "string" },
      unit: { type: "string" },
      poi1: positive,
      power: { type: "number", exclusiveMinimum: 0 },
    },
  },
  scan,
};

const schema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "bumpscan model spec",
  type: "object",
  required: ["observable", "signal", "background"],
  additionalProperties: false,
  properties: {
    $schema: { type: "string" },
    ...modelProperties,
    regions: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["name"],
        additionalProperties: false,
        properties: { name: { type: "string", pattern: "^[A-Za-z0-9_]+$" }, ...modelProperties },
      },
    },
    limit: {
      type: "object",
      additionalProperties: false,
      properties: {
        cl: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1 },
        method: { enum: ["asymptotic", "toys", "bayes", "fc"] },
        toys: { type: "integer", minimum: 1, maximum: 1e7 },
        seed: { type: "integer", minimum: 0 },
      },
    },
  },
};

/** Every object of the spec may carry a "$comment" (starter specs explain themselves with them). */
function allowComments(node: unknown): void {
  if (Array.isArray(node)) node.forEach(allowComments);
  else if (node && typeof node === "object") {
    const o = node as Record<string, unknown>;
    if (o.type === "object" && (o.properties || typeof o.additionalProperties === "object"))
      o.properties = { ...(o.properties as object), $comment: { type: "string" } };
    Object.values(o).forEach(allowComments);
  }
}
allowComments(schema);

/**
 * The spec's JSON Schema (draft-07), as the package also ships it in `bumpscan/schema.json`: for
 * editors and other validators (bumpscan itself validates with a validator generated from it).
 * @example
 * import { specSchema } from "bumpscan/model";
 * specSchema.required; // => ["observable", "signal", "background"]
 */
export const specSchema = schema;
