/**
 * The spec's validator is plain code generated from its JSON Schema at build time: it must match
 * the schema (regenerate with `npm run gen:validator`) and compile nothing at run time.
 */
import { expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { specSchema } from "../src/model/schema.js";
import { parseSpec } from "../src/model/parse.js";
// @ts-expect-error: a plain JS build script without types
import { validatorSource } from "../scripts/spec-validator.mjs";

test(
  "src/model/spec-validator.ts is the schema's standalone code (run npm run gen:validator after changing the " +
    "schema)",
  () => {
    expect(readFileSync("src/model/spec-validator.ts", "utf8")).toBe(validatorSource(specSchema));
  },
);

test("the validator needs no code compiled at run time and no Ajv (a strict Content-Security-Policy allows it)", () => {
  const text = readFileSync("src/model/spec-validator.ts", "utf8");
  expect(text).not.toMatch(/new Function|\beval\(|require\(|from "ajv/);
});

test("it validates as the schema says: a field, its type and an unknown key are named", () => {
  const base = {
    observable: { range: [0, 10] },
    signal: { shape: "gaussian", sigma: 0.1 },
    background: { shape: "uniform" },
  };
  expect(parseSpec(base).signal.shape).toBe("gaussian");
  expect(() => parseSpec({ ...base, signal: { shape: "gausian", sigma: 0.1 } }, "s.json")).toThrow(
    /s\.json: signal\.shape/,
  );
  expect(() => parseSpec({ ...base, observable: { range: "x" } }, "s.json")).toThrow(
    /s\.json: observable\.range must be array/,
  );
  expect(() => parseSpec({ ...base, sigam: 1 }, "s.json")).toThrow(/must NOT have additional properties "sigam"/);
});
