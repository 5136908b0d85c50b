// The TS/WASM interface: the built core agrees with src/core/abi.ts, the table TS writes has the
// layout the core reads, and models beyond the core's sizes are refused before they are written.
import { describe, expect, test } from "vitest";
import * as abi from "../src/core/abi.js";
import { CompiledModel, loadData, STATUS } from "../src/core/compile.js";
import { ABI_PROBE, coreAbi, instantiateCore } from "../src/core/wasm.js";
import { ModelBuilder, type Model } from "../src/model/model.js";
import { SHAPES } from "../src/model/shapes.js";
import { ToyRunner } from "../src/infer/toy-runner.js";
import { core } from "./helpers.js";

/** A model of `samples` samples with `components` gaussians each, plus `extra` further parameters. */
function model(opts: { samples?: number; components?: number; extra?: number; fixedExtra?: boolean }): Model {
  const b = new ModelBuilder("m", [0, 10]).parameter("mu", 1, { lo: -10, hi: 10 });
  for (let k = 0; k < (opts.extra ?? 0); k++) b.parameter(`p${k}`, 0, { fixed: opts.fixedExtra ?? false });
  for (let s = 0; s < (opts.samples ?? 1); s++) {
    b.sample(`s${s}`);
    for (let c = 0; c < (opts.components ?? 1); c++) b.component(`g${s}_${c}`, "gaussian", [5, 1], "mu");
  }
  return b.build("mu");
}

const datasets = (m: Model) => m.samples.map(() => ({ values: new Float64Array([4, 5, 6]) }));

describe("the built core agrees with src/core/abi.ts", () => {
  test("the core reports the constants it was compiled with", async () => {
    expect(coreAbi(await core())).toEqual(ABI_PROBE);
    expect(ABI_PROBE).toContain(abi.MAX_SAMPLES);
  });

  test("a fresh instance checks them at load", async () => {
    await expect(instantiateCore()).resolves.toBeDefined();
  });

  test("the table's words are where the core reads them", async () => {
    const c = await core();
    const m = new ModelBuilder("m", [0, 10])
      .parameter("nsig", 3)
      .parameter("nbkg", 10, { lo: 0 })
      .component("sig", "gaussian", [5, 0.5], "nsig")
      .component("bkg", "uniform", [], { constant: 2, factors: [{ param: "nbkg" }, { param: "nsig", kappa: 1.5 }] })
      .build("nsig");
    const cm = new CompiledModel(c, m, loadData(c, [{ values: new Float64Array([4.5, 5, 7]) }]));
    // the core's density at 5 from the table TS wrote: 3·N(5; 5, 0.5)/I + 2·10·1.5³/10
    const gauss = 3 / (0.5 * Math.sqrt(2 * Math.PI)); // its integral over [0, 10] is 1 − 2·10⁻²³
    expect(cm.density(0, [5])[0]).toBeCloseTo(gauss + (2 * 10 * 1.5 ** 3) / 10, 6);
    cm.dispose();
  });

  test("status names follow the codes", () => {
    expect(STATUS[abi.STATUS_CONVERGED]).toBe("converged");
    expect(STATUS[abi.STATUS_FAILED]).toBe("failed");
    expect(STATUS.length).toBe(4);
  });

  test("every shape's kind is a PDF code the core evaluates", async () => {
    const c = await core();
    const kinds = Object.values(SHAPES).map((s) => s.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    for (const kind of kinds)
      expect(kind).toBeGreaterThanOrEqual(abi.PDF_UNIFORM), expect(kind).toBeLessThanOrEqual(abi.PDF_TEMPLATE);
    expect(c.pdfValueAt(abi.PDF_TEMPLATE + 1, 1, 0, 0)).toBeNaN(); // no kind beyond the last
  });

  test("the minimize output has the ABI's layout", async () => {
    const c = await core();
    const m = new ModelBuilder("m", [0, 10]).parameter("n", 5, { lo: 0 }).component("u", "uniform", [], "n").build("n");
    const cm = new CompiledModel(c, m, loadData(c, [{ values: new Float64Array([1, 2, 3]) }]));
    const r = cm.minimize(500, 1e-6);
    expect(r.status).toBe("converged");
    expect(r.fval).toBeCloseTo(3 - 3 * Math.log(3 / 10), 6); // ν̂ = 3 events
    expect(r.errorGuess).toHaveLength(1);
    cm.dispose();
  });
});

describe("models beyond the core's sizes are refused before they are written", () => {
  const refused = async (m: Model, message: RegExp) => {
    const c = await core();
    const data = loadData(c, datasets(m));
    const before = c.mark();
    expect(() => new CompiledModel(c, m, data)).toThrow(message);
    expect(c.mark()).toBe(before); // nothing written
  };

  test(`${abi.MAX_SAMPLES + 1} samples`, async () => {
    await refused(
      model({ samples: abi.MAX_SAMPLES + 1 }),
      /^too many samples: the core holds at most 64 \(the model has 65\)$/,
    );
  });

  test(`${abi.MAX_COMPONENTS + 1} components in a sample`, async () => {
    await refused(
      model({ components: abi.MAX_COMPONENTS + 1 }),
      /^too many components in sample s0: the core holds at most 64 \(the model has 65\)$/,
    );
  });

  test(`${abi.MAX_PARAMS + 1} parameters`, async () => {
    await refused(
      model({ extra: abi.MAX_PARAMS, fixedExtra: true }),
      /^too many parameters: the core holds at most 1024 \(the model has 1025\)$/,
    );
  });

  test(`${abi.MAX_FREE + 1} free parameters`, async () => {
    await refused(
      model({ extra: abi.MAX_FREE }),
      /^too many free parameters: the core holds at most 64 \(the model has 65\)$/,
    );
  });

  test("freeing more parameters than the minimizer holds", async () => {
    const c = await core();
    const m = model({ extra: abi.MAX_FREE, fixedExtra: true });
    const cm = new CompiledModel(c, m, loadData(c, datasets(m)));
    expect(() => cm.setFree(m.parameters.map(() => true))).toThrow(
      /^too many free parameters: the core holds at most 64/,
    );
    cm.dispose();
  });

  test("the limits themselves are accepted", async () => {
    const c = await core();
    const m = model({ samples: abi.MAX_SAMPLES, components: 2 });
    const cm = new CompiledModel(c, m, loadData(c, datasets(m)));
    expect(Number.isFinite(cm.nll())).toBe(true);
    cm.dispose();
  });

  test("the toy engine refuses the model before it writes its event buffers", async () => {
    const c = await instantiateCore();
    const m = model({ samples: abi.MAX_SAMPLES + 1 });
    const before = c.mark();
    const config = {
      model: m,
      capacity: m.samples.map(() => 100),
      grids: m.samples.map(() => [0, 5, 10]),
      seed: 1,
      massIndex: 0,
      maxCalls: 100,
      poiStart: 0,
    };
    expect(() => new ToyRunner(c, config)).toThrow(/^too many samples: the core holds at most 64/);
    expect(c.mark()).toBe(before);
  });
});

describe("the toy parameter block", () => {
  test("named requests reach the core: statistic, tested values and counts", async () => {
    const c = await instantiateCore();
    const m = new ModelBuilder("m", [0, 10])
      .parameter("nsig", 0, { lo: -50 })
      .parameter("nbkg", 200, { lo: 0 })
      .component("sig", "gaussian", [5, 0.3], "nsig")
      .component("bkg", "uniform", [], "nbkg")
      .build("nsig");
    const runner = new ToyRunner(c, {
      model: m,
      capacity: [1000],
      grids: [[0, 2.5, 5, 7.5, 10]],
      seed: 7,
      massIndex: 0,
      maxCalls: 500,
      poiStart: 5,
    });
    const request = { gen: [0, 200], hypothesis: abi.TOY_HYPOTHESIS_B, grid: 0, muTests: [0, 20], first: 0, count: 20 };
    const [q0, q20] = runner.runBatch({ ...request, statistic: "qmu" });
    expect(q0.q.length + q0.failed).toBe(20);
    expect(q20.q.length + q20.failed).toBe(20);
    expect(q20.q.every((q) => q >= 0)).toBe(true);
    // the same toys split in two give the same results (the stream is keyed by the request's fields)
    const parts = [
      runner.runBatch({ ...request, count: 8, statistic: "qmu" }),
      runner.runBatch({ ...request, first: 8, count: 12, statistic: "qmu" }),
    ];
    expect([...parts[0][1].q, ...parts[1][1].q]).toEqual(Array.from(q20.q));
    // q0 never clips at μ̂ > μ: its values at μ = 0 are those of q̃μ where μ̂ ≤ 0 and positive elsewhere
    const [d0] = runner.runBatch({ ...request, muTests: [0], statistic: "q0" });
    expect(d0.q.length).toBe(q0.q.length);
    d0.q.forEach((q, i) =>
      q0.muHat[i] > 0 ? expect(q).toBeGreaterThanOrEqual(0) : expect(q).toBeCloseTo(q0.q[i], 12),
    );
    expect(d0.q.some((q, i) => q0.muHat[i] > 1 && q > 0)).toBe(true);
    runner.dispose();
  });
});
