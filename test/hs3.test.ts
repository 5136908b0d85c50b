// HS3 in and out (docs/hs3.md): exported documents validate against the HS3 subset schema
// (test/fixtures/hs3), a spec → HS3 → fit gives the spec's own fit, a document in ROOT's style fits
// as the same model built by hand, and what has no mapping is refused by name.
import { Ajv } from "ajv";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { discovery } from "../src/infer/significance.js";
import { hs3ToModel } from "../src/io/hs3-import.js";
import { modelToHs3 } from "../src/io/hs3.js";
import { exportHs3, fitHs3 } from "../src/job/hs3.js";
import { fitAtMass, type FitReport } from "../src/job/mass-job.js";
import { ModelBuilder } from "../src/model/model.js";
import { parseSpec } from "../src/model/parse.js";
import { compile, events, referenceSpec, relDiff } from "./helpers.js";

const schema = JSON.parse(readFileSync("test/fixtures/hs3/hs3-subset.schema.json", "utf8"));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const valid = (doc: unknown) => (validate(doc) ? [] : validate.errors);
/** A JSON round trip: what a file holds. */
const json = <T>(x: T): T => JSON.parse(JSON.stringify(x));

let bump: Float64Array;
beforeAll(async () => {
  bump = await events("bump-1e4");
});

/** Every fitted value and error, and the significance, equal within `tol` relative. */
function expectSameFit(a: FitReport, b: FitReport, tol = 1e-9) {
  expect(b.status).toBe("converged");
  expect(Object.keys(b.parameters).sort()).toEqual(Object.keys(a.parameters).sort());
  for (const [name, p] of Object.entries(a.parameters)) {
    expect(relDiff(b.parameters[name].value, p.value), name).toBeLessThan(tol);
    // an error is NaN (null in JSON) where undefined: then in both
    if (Number.isNaN(p.error) || p.error === null) expect(b.parameters[name].error ?? NaN).toBeNaN();
    else expect(relDiff(b.parameters[name].error, p.error), `${name} error`).toBeLessThan(1e-6);
  }
  expect(relDiff(b.nll, a.nll)).toBeLessThan(tol);
  expect(relDiff(b.z, a.z)).toBeLessThan(1e-6);
}

describe("export", () => {
  test("the reference spec at 4.2: the documented distributions, data and analysis, valid HS3", async () => {
    const doc = json(await exportHs3(referenceSpec(), { values: bump }, 4.2));
    expect(valid(doc)).toEqual([]);
    const [sig, bkg, mix] = doc.distributions;
    expect(sig).toEqual({
      name: "signal",
      type: "crystalball_dist",
      m: "m",
      m0: "signal_m0",
      sigma: "signal_sigma",
      alpha: "signal_alpha",
      n: "signal_n",
    });
    expect(bkg.expression).toBe("exp(c1*(2*(m-(0))/(10)-1)+c2*pow((2*(m-(0))/(10)-1),2))");
    expect(mix).toMatchObject({ type: "mixture_dist", coefficients: ["nsig", "nbkg"], extended: true });
    expect(doc.data[0].axes).toEqual([{ name: "m", min: 0, max: 10 }]);
    expect(doc.data[0].entries.length).toBe(10112);
    expect(doc.analyses[0].parameters_of_interest).toEqual(["nsig"]);
    const point = new Map(doc.parameter_points[0].parameters.map((p) => [p.name, p]));
    expect(point.get("signal_m0")).toEqual({ name: "signal_m0", value: 4.2, const: true });
    expect(doc.domains[0].axes.find((a) => a.name === "c1")).toEqual({ name: "c1", min: -50, max: 50 });
  });

  test("several samples, nuisances on yields and widths, a constraint: functions, aux constraints", async () => {
    const spec = multiSpec();
    const doc = json(await exportHs3(spec, multiData(), 4.2));
    expect(valid(doc)).toEqual([]);
    expect(doc.likelihoods[0].distributions).toEqual(["model_A", "model_B"]);
    expect(doc.likelihoods[0].aux_distributions).toEqual(["eff_constraint", "res_constraint", "c1_A_constraint"]);
    const fns = Object.fromEntries((doc.functions ?? []).map((f) => [f.name, f.expression]));
    // yield of A: mu × 1 × 1.1^eff; B: mu × 2 × 1.1^eff; the width × (1 + 0.1·res)
    expect(fns.signal_A_yield).toBe(`mu*exp(${Math.log(1.1)}*eff)`);
    expect(fns.signal_B_yield).toBe(`2*mu*exp(${Math.log(1.1)}*eff)`);
    expect(fns.signal_A_sigma).toBe("0.05*(1+0.1*res)");
  });

  test("the exponential is HS3's e^{−c·x}: c is −λ (ROOT's _exponential_inverted function)", () => {
    const model = new ModelBuilder("m", [0, 10])
      .parameter("nsig", 0)
      .parameter("nbkg", 3, { lo: 0 })
      .parameter("lambda", -0.2)
      .component("signal", "gaussian", [5, 0.1], "nsig")
      .component("background", "exponential", ["lambda"], "nbkg")
      .build("nsig");
    const doc = modelToHs3(model, [{ values: new Float64Array([1, 2]) }]);
    expect(doc.distributions[1]).toEqual({
      name: "background",
      type: "exponential_dist",
      x: "m",
      c: "lambda_exponential_inverted",
    });
    expect(doc.functions).toEqual([
      { name: "lambda_exponential_inverted", type: "generic_function", expression: "-lambda" },
    ]);
  });
});

describe("round trip: spec → HS3 → fit", () => {
  test("the reference spec at 4.2 on bump-1e4: the same fit (values within 1e-9), Z 3.365", async () => {
    const spec = referenceSpec();
    const direct = await fitAtMass(spec, { values: bump }, 4.2);
    const viaHs3 = await fitHs3(json(await exportHs3(spec, { values: bump }, 4.2)));
    expectSameFit(direct, viaHs3);
    expect(viaHs3.mass).toBe(4.2);
    expect(viaHs3.z).toBeCloseTo(3.365, 3);
  });

  test("a window, and a Chebyshev and a Gaussian peak background: the same fit", async () => {
    const spec = parseSpec({
      observable: { name: "m", range: [0, 10] },
      signal: { shape: "gaussian", sigma: 0.05 },
      background: [
        { name: "cont", shape: "chebyshev", order: 2 },
        { name: "peak", shape: "gaussian", mean: 4.6, sigma: 0.1, free: ["mean"] },
      ],
      scan: { window: 20 },
    });
    const direct = await fitAtMass(spec, { values: bump }, 4.2);
    const doc = json(await exportHs3(spec, { values: bump }, 4.2));
    expect(valid(doc)).toEqual([]);
    expect(doc.data[0].axes[0]).toEqual({ name: "m", min: 3.2, max: 5.2 });
    expectSameFit(direct, await fitHs3(doc));
  });

  test("several samples with nuisances and a constraint: the same fit", async () => {
    const spec = multiSpec();
    const direct = await fitAtMass(spec, multiData(), 4.2);
    expectSameFit(direct, await fitHs3(json(await exportHs3(spec, multiData(), 4.2))));
  });
});

describe("import of a document in ROOT's style (test/fixtures/hs3/root-style.json)", () => {
  /** The fixture with the events of bump-1e4 in [3.5, 5]. */
  const rootDoc = () => {
    const doc = JSON.parse(readFileSync("test/fixtures/hs3/root-style.json", "utf8"));
    doc.data[0].entries = Array.from(bump.filter((x) => x >= 3.5 && x <= 5)).map((x) => [x]);
    return doc;
  };

  /** The same model by hand (parameters in the document's order): a constrained CB width. */
  const byHand = (shape: "exponential" | "polynomial", args: (string | number)[]) => {
    const [param, start] = shape === "exponential" ? ["slope", -0.1] : ["a1", 0];
    return new ModelBuilder("mass", [3.5, 5])
      .parameter("nbkg", 1500, { lo: 0, hi: 100000 })
      .parameter("nsig", 0, { lo: -1000, hi: 1000 })
      .parameter(param, start, { lo: -10, hi: 10 })
      .parameter("width", 0.05, { lo: 0.01, hi: 0.2 })
      .component("sig", "crystalBall", [4.2, "width", 1.5, 3], "nsig")
      .component("bkg", shape, args, "nbkg")
      .constrain("width", 0.05, 0.005)
      .build("nsig");
  };

  test("it validates, reads as the model built by hand, and fits to the same values", async () => {
    const doc = rootDoc();
    expect(valid(doc)).toEqual([]);
    const { model, data } = hs3ToModel(doc);
    expect(model.samples[0].components.map((c) => [c.shape, c.args])).toEqual([
      ["crystalBall", [4.2, "width", 1.5, 3]],
      ["exponential", ["slope"]],
    ]);
    expect(model.constraints).toEqual([{ param: "width", mean: 0.05, sigma: 0.005 }]);
    const r = await fitHs3(doc);
    const expected = discovery(await compile(byHand("exponential", ["slope"]), data)).free;
    for (const [name, v] of Object.entries(expected.values))
      expect(relDiff(r.parameters[name].value, v), name).toBeLessThan(1e-9);
    expect(r.parameters.nsig.value).toBeGreaterThan(20);
    expect(r.parameters.width.value).toBeGreaterThan(0.03);
  });

  test("a RooPolynomial (coefficients '1.0', a1) is 1 + a1·m: the same fit as by hand", async () => {
    const doc = rootDoc();
    doc.distributions[0] = { name: "bkg", type: "polynomial_dist", x: "mass", coefficients: ["1.0", "a1"] };
    const params = doc.parameter_points[0].parameters;
    params[params.findIndex((p: { name: string }) => p.name === "slope")] = { name: "a1", value: 0 };
    doc.domains[0].axes.push({ name: "a1", min: -10, max: 10 });
    expect(valid(doc)).toEqual([]);
    const { model, data } = hs3ToModel(doc);
    expect(model.samples[0].components[1].args).toEqual([-1, 1, "a1"]);
    const r = await fitHs3(doc);
    const cm = await compile(byHand("polynomial", [-1, 1, "a1"]), data);
    const expected = discovery(cm).free;
    expect(r.status).toBe("converged");
    expect(relDiff(r.parameters.a1.value, expected.values.a1)).toBeLessThan(1e-9);
    expect(relDiff(r.parameters.nsig.value, expected.values.nsig)).toBeLessThan(1e-9);
  });
});

describe("what has no mapping", () => {
  test("import: an unsupported distribution is named with its type", () => {
    const doc = JSON.parse(readFileSync("test/fixtures/hs3/root-style.json", "utf8"));
    doc.distributions[0] = { name: "bkg", type: "landau_dist", x: "mass", mean: "slope", sigma: "width" };
    expect(() => hs3ToModel(doc)).toThrow('HS3: distribution type "landau_dist" (bkg) is not supported');
  });

  test("import: a generic_dist that is not a polynomial form, binned data, a missing POI", () => {
    const doc = () => JSON.parse(readFileSync("test/fixtures/hs3/root-style.json", "utf8"));
    const generic = doc();
    generic.distributions[0] = { name: "bkg", type: "generic_dist", expression: "exp(-slope*mass*mass)" };
    expect(() => hs3ToModel(generic)).toThrow("is not a polynomial form bumpscan reads");
    const binned = doc();
    binned.data[0] = {
      name: "obsData",
      type: "binned",
      contents: [1, 2],
      axes: [{ name: "mass", min: 3.5, max: 5, nbins: 2 }],
    };
    expect(() => hs3ToModel(binned)).toThrow('HS3: data type "binned" (obsData) is not supported (only unbinned)');
    const nopoi = doc();
    delete nopoi.analyses[0].parameters_of_interest;
    expect(() => hs3ToModel(nopoi)).toThrow("names no parameter of interest");
    expect(() => hs3ToModel({ distributions: [] })).toThrow("not an HS3 document");
  });

  test("export: a template signal and vetoes are refused by name", () => {
    const template = new ModelBuilder("m", [0, 10])
      .parameter("nsig", 10)
      .component("signal", "template", [0, 10, 1, 2, 1], "nsig")
      .build("nsig");
    expect(() => modelToHs3(template, [{ values: new Float64Array([5]) }])).toThrow(
      'HS3 export: component signal: shape "template" has no HS3 distribution',
    );
    const vetoed = new ModelBuilder("m", [0, 10])
      .exclude([[3, 3.2]])
      .parameter("nbkg", 10, { lo: 0 })
      .component("background", "uniform", [], "nbkg")
      .build("nbkg");
    expect(() => modelToHs3(vetoed, [{ values: new Float64Array([5]) }])).toThrow("vetoes (exclude) have no HS3 form");
  });
});

describe("the command line", () => {
  const cli = resolve("dist/cli/main.js");
  const run = (args: string[], cwd: string) => {
    const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", cwd });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  test("export-hs3 --out, then fit of the document: the spec's fit; --mass on a document is refused", () => {
    const dir = mkdtempSync(join(tmpdir(), "bumpscan-hs3-"));
    const spec = join(dir, "spec.json");
    writeFileSync(spec, JSON.stringify({ ...referenceSpec(), data: { path: resolve("test/fixtures/bump-1e4.csv") } }));
    expect(run(["export-hs3", spec, "--mass", "4.2", "--out", "doc.json"], dir)).toMatchObject({ code: 0, err: "" });
    const doc = JSON.parse(readFileSync(join(dir, "doc.json"), "utf8"));
    expect(doc.metadata.packages[0].name).toBe("bumpscan");
    expect(valid(doc)).toEqual([]);
    const a = run(["fit", spec, "--mass", "4.2", "--json"], dir);
    const b = run(["fit", "doc.json", "--json"], dir);
    expect(b.code).toBe(0);
    expectSameFit(JSON.parse(a.out), JSON.parse(b.out));
    expect(run(["fit", "doc.json", "--mass", "4.2"], dir)).toMatchObject({
      code: 2,
      err: "bumpscan: doc.json is an HS3 document, whose model is fixed: --mass does not apply\n",
    });
    expect(run(["limit", "doc.json", "--mass", "4.2"], dir)).toMatchObject({ code: 2 });
  });
});

/** Two samples sharing mu, a log-normal efficiency, a Gaussian width nuisance, a constrained slope. */
function multiSpec() {
  return parseSpec({
    observable: { name: "m", range: [0, 10] },
    signal: { shape: "crystalBall", sigma: 0.05, alpha: 1.5, n: 3 },
    background: { shape: "expPoly", order: 1 },
    samples: [
      { name: "A", data: { path: "a.csv" } },
      { name: "B", data: { path: "b.csv" }, scale: 2 },
    ],
    nuisances: [
      { name: "eff", lnN: 1.1, on: [{ component: "signal" }] },
      { name: "res", gauss: 0.1, on: [{ component: "signal", field: "sigma" }] },
    ],
    parameters: { c1_A: { constraint: { mean: -1.2, sigma: 0.1 } } },
  });
}

function multiData() {
  return [{ values: bump.filter((_, i) => i % 2 === 0) }, { values: bump.filter((_, i) => i % 2 === 1) }];
}
