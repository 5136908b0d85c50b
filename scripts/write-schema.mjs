// Writes schema/spec.schema.json (shipped in the package, for editors) from the built spec schema.
import { mkdirSync, writeFileSync } from "node:fs";
import { specSchema } from "../dist/model/schema.js";

mkdirSync("schema", { recursive: true });
writeFileSync("schema/spec.schema.json", JSON.stringify(specSchema, null, 2) + "\n");
