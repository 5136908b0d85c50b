// Writes schema/{fit,limit,scan,counting,inject}.schema.json — the JSON Schemas of the CLI's
// results — from their TypeScript types (src/cli/output-types.ts), with their TSDoc as descriptions.
// A number may be null in every result: JSON has no NaN, and a quantity that has no value (a failed
// point's limit, an error HESSE could not give) is written as null.
import { mkdirSync, writeFileSync } from "node:fs";
import { createGenerator } from "ts-json-schema-generator";

const outputs = {
  fit: ["FitOutput", "bumpscan fit --json"],
  limit: ["LimitOutput", "bumpscan limit --json"],
  scan: ["ScanOutput", "bumpscan scan --out / --json, bumpscan merge --out"],
  counting: ["CountingOutput", "bumpscan count --out / --json"],
  inject: ["InjectOutput", "bumpscan inject --json"],
};

const generator = createGenerator({
  path: "src/cli/output-types.ts",
  tsconfig: "tsconfig.json",
  skipTypeCheck: true,
  additionalProperties: false,
  jsDoc: "basic",
});

/** Every `"type": "number"` (alone or in a list) also admits null. */
function nullableNumbers(node) {
  if (Array.isArray(node)) return node.map(nullableNumbers);
  if (!node || typeof node !== "object") return node;
  const out = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, nullableNumbers(v)]));
  if (out.type === "number") out.type = ["number", "null"];
  else if (Array.isArray(out.type) && out.type.includes("number") && !out.type.includes("null"))
    out.type = [...out.type, "null"];
  return out;
}

mkdirSync("schema", { recursive: true });
for (const [name, [type, what]] of Object.entries(outputs)) {
  const schema = nullableNumbers(generator.createSchema(type));
  schema.title = `The result of ${what}`;
  writeFileSync(`schema/${name}.schema.json`, `${JSON.stringify(schema, null, 2)}\n`);
}
