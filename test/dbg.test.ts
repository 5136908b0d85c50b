import { test } from "vitest";
import { ToyCalculator } from "../src/infer/toys.js";
import { upperLimit } from "../src/infer/limits.js";
import { buildModel, parseSpec } from "../src/model/spec.js";
import { compile, referenceModel } from "./helpers.js";
test("dbg", async () => {
  const spec = parseSpec({ observable: { range: [0, 1] }, signal: { shape: "uniform" }, background: { shape: "uniform", yield: 0 } });
  for (const n of [0, 1, 2]) {
    const values = Float64Array.from({ length: n }, (_, i) => (i + 0.5) / n);
    const model = buildModel(spec, { mass: 0.5, nEvents: n });
    const cm = await compile(model, [{ values }]);
    const t = performance.now();
    const calc = new ToyCalculator(cm, { toys: 4000, seed: 3 });
    const lim = upperLimit(calc, { expected: false });
    console.log("R " + JSON.stringify({ n, lim: lim.observed, ms: performance.now() - t, counts: calc.counts(), viol: calc.envelopeViolations, curve: lim.curve.map((c) => [c.mu.toFixed(3), c.cls.toFixed(4), c.clsError.toFixed(4)]) }));
  }
  const { cm } = await referenceModel("bump-1e4");
  const t = performance.now();
  const calc = new ToyCalculator(cm, { toys: 200, seed: 1 });
  const p = calc.pvalues(68.342);
  console.log("R " + JSON.stringify({ p, ms: performance.now() - t, counts: calc.counts(), viol: calc.envelopeViolations }));
});
