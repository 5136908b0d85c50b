/**
 * JSON Schema (draft-07) of the model spec (docs/spec.md).
 */
const number = { type: "number" };
/** An event file: the column (a TTree branch for ROOT files) and optional weights column; `tree` names the TTree. */
const data = {
  type: "object",
  required: ["path"],
  additionalProperties: false,
  properties: {
    path: { type: "string", minLength: 1 },
    column: { type: "string", minLength: 1 },
    weights: { type: "string" },
    tree: { type: "string", minLength: 1 },
  },
};
const resolution = {
  oneOf: [
    { type: "number", exclusiveMinimum: 0 },
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
};
const shape = {
  type: "object",
  required: ["shape"],
  additionalProperties: false,
  properties: {
    shape: {
      enum: [
        "uniform",
        "gaussian",
        "crystalBall",
        "doubleCrystalBall",
        "exponential",
        "chebyshev",
        "polynomial",
        "expPoly",
        "argus",
      ],
    },
    name: { type: "string", pattern: "^[A-Za-z0-9_]+$" },
    mean: number,
    sigma: resolution,
    sigmaL: resolution,
    sigmaR: resolution,
    alpha: { type: "number", exclusiveMinimum: 0 },
    n: { type: "number", exclusiveMinimum: 0 },
    alphaL: { type: "number", exclusiveMinimum: 0 },
    nL: { type: "number", exclusiveMinimum: 0 },
    alphaR: { type: "number", exclusiveMinimum: 0 },
    nR: { type: "number", exclusiveMinimum: 0 },
    order: { type: "integer", minimum: 0, maximum: 6 },
    init: { type: "array", items: number },
    lambda: number,
    m0: { type: "number", exclusiveMinimum: 0 },
    c: number,
    p: { type: "number", exclusiveMinimum: -1 },
    yield: { type: "number", minimum: 0 },
  },
};

const schema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "bumpscan model spec",
  type: "object",
  required: ["observable", "signal", "background"],
  additionalProperties: false,
  properties: {
    $schema: { type: "string" },
    observable: {
      type: "object",
      required: ["range"],
      additionalProperties: false,
      properties: {
        name: { type: "string" },
        unit: { type: "string" },
        range: { type: "array", items: number, minItems: 2, maxItems: 2 },
      },
    },
    data,
    signal: shape,
    background: { oneOf: [shape, { type: "array", minItems: 1, items: shape }] },
    parameters: {
      type: "object",
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        properties: { init: number, lo: number, hi: number, fixed: { type: "boolean" } },
      },
    },
    samples: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["name", "data", "scale"],
        additionalProperties: false,
        properties: {
          name: { type: "string", pattern: "^[A-Za-z0-9_]+$" },
          data,
          scale: { type: "number", exclusiveMinimum: 0 },
        },
      },
    },
    nuisances: {
      type: "array",
      items: {
        type: "object",
        required: ["name", "lnN"],
        additionalProperties: false,
        properties: {
          name: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]*$" },
          lnN: { type: "number", exclusiveMinimum: 0 },
          samples: { type: "array", items: { type: "string" } },
        },
      },
    },
    scan: {
      type: "object",
      additionalProperties: false,
      properties: {
        from: number,
        to: number,
        step: { type: "number", exclusiveMinimum: 0 },
        window: { type: "number", exclusiveMinimum: 0 },
        masses: { type: "array", items: number, minItems: 1 },
      },
    },
    limit: {
      type: "object",
      additionalProperties: false,
      properties: {
        cl: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1 },
        method: { enum: ["asymptotic", "toys", "bayes"] },
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
    if (o.type === "object" && o.properties) (o.properties as Record<string, unknown>).$comment = { type: "string" };
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
