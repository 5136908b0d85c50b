// The rules of HEPData's submission format (hepdata-validator, schema version 1.1.1: data_schema.json
// and submission_schema.json), restated as JSON Schemas for ajv: required fields, types, no other
// fields, the keyword names HEPData knows, and an error as either symerror or asymerror.
const header = {
  type: "object",
  required: ["name"],
  additionalProperties: false,
  properties: { name: { type: "string" }, units: { type: "string" } },
};
const numOrStr = { type: ["number", "string"] };

export const hepdataDataSchema = {
  type: "object",
  required: ["independent_variables", "dependent_variables"],
  additionalProperties: false,
  properties: {
    independent_variables: {
      type: "array",
      items: {
        type: "object",
        required: ["header", "values"],
        additionalProperties: false,
        properties: {
          header,
          values: {
            type: "array",
            items: {
              oneOf: [
                { type: "object", required: ["value"], additionalProperties: false, properties: { value: numOrStr } },
                {
                  type: "object",
                  required: ["low", "high"],
                  additionalProperties: false,
                  properties: { value: { type: "number" }, low: { type: "number" }, high: { type: "number" } },
                },
              ],
            },
          },
        },
      },
    },
    dependent_variables: {
      type: "array",
      items: {
        type: "object",
        required: ["header", "values"],
        additionalProperties: false,
        properties: {
          header,
          qualifiers: {
            type: "array",
            items: {
              type: "object",
              required: ["name", "value"],
              additionalProperties: false,
              properties: { name: { type: "string" }, value: numOrStr, units: { type: "string" } },
            },
          },
          values: {
            type: "array",
            items: {
              type: "object",
              required: ["value"],
              additionalProperties: false,
              properties: {
                value: numOrStr,
                errors: {
                  type: "array",
                  items: {
                    type: "object",
                    additionalProperties: false,
                    oneOf: [{ required: ["symerror"] }, { required: ["asymerror"] }],
                    properties: {
                      symerror: numOrStr,
                      label: { type: "string" },
                      asymerror: {
                        type: "object",
                        required: ["minus", "plus"],
                        additionalProperties: false,
                        properties: { minus: numOrStr, plus: numOrStr },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

export const hepdataSubmissionSchema = {
  type: "object",
  required: ["name", "description", "keywords", "data_file"],
  additionalProperties: false,
  properties: {
    name: { type: "string", maxLength: 64 },
    location: { type: "string", maxLength: 256 },
    description: { type: "string" },
    keywords: {
      type: "array",
      items: {
        type: "object",
        required: ["name", "values"],
        additionalProperties: false,
        properties: {
          name: { enum: ["cmenergies", "observables", "reactions", "phrases"] },
          values: { type: "array", items: { type: ["string", "number"], maxLength: 128 } },
        },
      },
    },
    data_file: { type: "string" },
    data_schema: { type: "string" },
  },
};
