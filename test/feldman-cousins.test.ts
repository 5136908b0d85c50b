// Feldman–Cousins intervals (`--method fc`): the exact construction over n against FC's published
// Table IV and an independent brute-force Neyman construction; the toy construction against the
// exact one on a counting model, and against the Wilks interval and the bounded-Gaussian
// construction on an unbinned peak; reproducibility with and without a worker pool; the CLI's
// output and a scan's.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { describe, expect, test } from "vitest";
import { generate } from "../src/core/generate.js";
import { countingExperiment, feldmanCousins, poissonInterval } from "../src/infer/feldman-cousins.js";
import { fit } from "../src/infer/fit.js";
import { ModelBuilder } from "../src/model/model.js";
import { parseSpec } from "../src/model/parse.js";
import { buildModel } from "../src/model/spec.js";
import { hepdataTable } from "../src/report/hepdata.js";
import { limitsCsv } from "../src/report/tables.js";
import { runScan } from "../src/scan/scan.js";
import { compile } from "./helpers.js";

const table = JSON.parse(readFileSync("test/fixtures/feldman-cousins-table4.json", "utf8")) as {
  source: string;
  cl: number;
  intervals: Record<string, [number, number][]>;
};

// ---------------------------------------------------------------------------------------------
// An independent construction: every n ranked by R = P(n|μ+b)/P(n|max(0, n−b)+b) (a full sort),
// outcomes added until they hold ≥ CL, on a grid of μ; the interval of n0 is [the first μ whose
// region holds n0 or more, the last μ whose region holds n0 or less] (the belt pushed outward).

const LN_FACTORIAL = [0];
for (let k = 1; k < 200; k++) LN_FACTORIAL.push(LN_FACTORIAL[k - 1] + Math.log(k));
const lnFactorial = (n: number) => LN_FACTORIAL[n];
const lnPoisson = (n: number, lambda: number) =>
  lambda === 0 ? (n === 0 ? 0 : -Infinity) : n * Math.log(lambda) - lambda - lnFactorial(n);

function region(mu: number, b: number, cl: number): [number, number] {
  const lambda = mu + b;
  const outcomes = Array.from({ length: Math.ceil(lambda + 10 * Math.sqrt(lambda + 1) + 20) }, (_, n) => ({
    n,
    p: Math.exp(lnPoisson(n, lambda)),
    r: lnPoisson(n, lambda) - lnPoisson(n, Math.max(0, n - b) + b),
  })).sort((x, y) => y.r - x.r || x.n - y.n);
  let sum = 0,
    n1 = Infinity,
    n2 = -Infinity;
  for (const o of outcomes) {
    if (sum >= cl) break;
    sum += o.p;
    n1 = Math.min(n1, o.n);
    n2 = Math.max(n2, o.n);
  }
  return [n1, n2];
}

/** Brute-force intervals for n0 = 0…nMax on a μ grid of step h (each end within h of the exact one). */
function bruteForce(b: number, nMax: number, h: number, muMax: number, cl = 0.9): [number, number][] {
  const out: [number, number][] = Array.from({ length: nMax + 1 }, () => [Infinity, -Infinity]);
  for (let i = 0; i * h <= muMax; i++) {
    const [n1, n2] = region(i * h, b, cl);
    for (let n = 0; n <= nMax; n++) {
      if (n2 >= n) out[n][0] = Math.min(out[n][0], i * h);
      if (n1 <= n) out[n][1] = Math.max(out[n][1], i * h);
    }
  }
  return out;
}

describe("the exact construction over n (counting experiments)", () => {
  test("reproduces FC's Table IV (90% CL; b = 0, 1, 3; n = 0…10) within 0.01 in all 33 entries", () => {
    expect(table.source).toMatch(/Feldman and R\. D\. Cousins.*Phys\. Rev\. D 57 \(1998\) 3873, Table IV/);
    let entries = 0;
    for (const [b, rows] of Object.entries(table.intervals))
      for (const [n, [lo, hi]] of rows.entries()) {
        const [ours, oursHi] = poissonInterval(n, Number(b), table.cl);
        expect(Math.abs(ours - lo), `b = ${b}, n = ${n}: lower end ${ours}, published ${lo}`).toBeLessThanOrEqual(
          0.01 + 1e-9,
        );
        expect(Math.abs(oursHi - hi), `b = ${b}, n = ${n}: upper end ${oursHi}, published ${hi}`).toBeLessThanOrEqual(
          0.01 + 1e-9,
        );
        entries++;
      }
    expect(entries).toBe(33);
  });

  test("equals a brute-force Neyman construction (a full sort of n at every μ) to its grid step", () => {
    const h = 0.002;
    // b = 2.5 and 3.5 have non-monotonic belts (n = 0 leaves the region and comes back): pushed outward
    for (const b of [0, 1, 2.5, 3, 3.5]) {
      const brute = bruteForce(b, 10, h, 18);
      for (let n = 0; n <= 10; n++) {
        const [lo, hi] = poissonInterval(n, b, 0.9, { backgroundEnvelope: false });
        const where = `b = ${b}, n = ${n}: [${lo}, ${hi}] vs [${brute[n]}]`;
        expect(lo, where).toBeLessThanOrEqual(brute[n][0] + 1e-9);
        expect(lo, where).toBeGreaterThan(brute[n][0] - h);
        expect(hi, where).toBeGreaterThanOrEqual(brute[n][1] - 1e-9);
        expect(hi, where).toBeLessThan(brute[n][1] + h);
      }
    }
    // the pushed-outward belt at b = 2.5: n = 0 is out of the region on (0.849, 1.090), back in up to 1.180
    expect(poissonInterval(0, 2.5, 0.9, { backgroundEnvelope: false })[1]).toBeCloseTo(1.18, 2);
  });

  test("the upper end is non-increasing in b as in the table: b = 3, n = 0 takes the belt's 1.08 from b ≈ 3.46", () => {
    const belt = (b: number) => bruteForce(b, 0, 0.001, 1.3)[0][1];
    expect(belt(3)).toBeCloseTo(0.953, 2); // the belt at b = 3 alone
    let largest = 0;
    for (let b = 3; b <= 4.2; b += 0.005) largest = Math.max(largest, belt(b));
    expect(largest).toBeGreaterThan(1.07);
    expect(Math.abs(poissonInterval(0, 3)[1] - largest)).toBeLessThan(0.006); // the brute force's b and μ steps
    // and where the belt's own upper end is the largest (b = 2.5: 1.18), nothing changes
    expect(poissonInterval(0, 2.5)).toEqual(poissonInterval(0, 2.5, 0.9, { backgroundEnvelope: false }));
  });

  test("a counting model is recognised and constructed exactly; its expected band from n ~ Poisson(b)", async () => {
    const cm = await counting(6, 3);
    expect(countingExperiment(cm.model)).toEqual({ signalPerPoi: 1, background: 3 });
    const r = await feldmanCousins(cm);
    expect(r.construction).toBe("exact");
    expect([r.lo, r.hi]).toEqual(poissonInterval(6, 3));
    // Poisson(3): n = 0 at Φ(−2), 1 at Φ(−1), 3 at the median, 5 at Φ(1), 7 at Φ(2)
    const ul = (n: number) => poissonInterval(n, 3)[1];
    expect(r.expected).toEqual({ "-2": ul(0), "-1": ul(1), "0": ul(3), "1": ul(5), "2": ul(7) });
    expect(r.expected!["0"]).toBeCloseTo(4.42, 2);
    // a POI scaled by a constant (a cross section): the interval on it scales
    const scaled = new ModelBuilder("m", [0, 1])
      .parameter("xsec", 1, { lo: 0 })
      .component("sig", "uniform", [], { constant: 2, factors: [{ param: "xsec" }] })
      .component("bkg", "uniform", [], { constant: 3, factors: [] })
      .build("xsec");
    const s = await feldmanCousins(await compile(scaled, [{ values: cm6 }]));
    expect(s.lo).toBeCloseTo(poissonInterval(6, 3)[0] / 2, 12);
    expect(s.hi).toBeCloseTo(poissonInterval(6, 3)[1] / 2, 12);
    // not counting: a floating background yield, a shape, a constraint
    const free = new ModelBuilder("m", [0, 1])
      .parameter("nsig", 1, { lo: 0 })
      .parameter("nbkg", 3, { lo: 0 })
      .component("sig", "uniform", [], "nsig")
      .component("bkg", "uniform", [], "nbkg")
      .build("nsig");
    expect(countingExperiment(free)).toBeUndefined();
    expect(countingExperiment(gaussianPeak().model)).toBeUndefined();
  });
});

const cm6 = Float64Array.from([0.1, 0.2, 0.3, 0.5, 0.7, 0.9]);

/** Uniform signal over a uniform background of fixed yield b: a counting experiment with n events. */
async function counting(n: number, b: number) {
  const spec = parseSpec({
    observable: { range: [0, 1] },
    signal: { shape: "uniform" },
    background: { shape: "uniform", yield: b },
  });
  const values = Float64Array.from({ length: n }, (_, i) => (i + 0.5) / Math.max(n, 1));
  return compile(buildModel(spec, { mass: 0.5, nEvents: n }), [{ values }]);
}

describe("the toy construction", () => {
  test("on a counting model equals the exact construction within its errors (10000 toys per POI value)", async () => {
    for (const [n, b] of [
      [6, 3],
      [3, 0],
    ]) {
      const r = await feldmanCousins(await counting(n, b), { exact: false, toys: 10000, seed: 3, expected: false });
      const [lo, hi] = poissonInterval(n, b, 0.9, { backgroundEnvelope: false });
      expect(r.construction).toBe("toys");
      expect(r.toys!.failed).toBe(0);
      // the errors are small enough for the comparison to mean something
      expect(r.loError!).toBeLessThan(0.05);
      expect(r.hiError!).toBeLessThan(0.1);
      expect(Math.abs(r.lo - lo), `n = ${n}, b = ${b}: lower ${r.lo} ± ${r.loError} vs ${lo}`).toBeLessThan(
        3 * r.loError!,
      );
      expect(Math.abs(r.hi - hi), `n = ${n}, b = ${b}: upper ${r.hi} ± ${r.hiError} vs ${hi}`).toBeLessThan(
        3 * r.hiError!,
      );
    }
  }, 60_000);

  test("on an unbinned Gaussian peak with a large signal: the two-sided Wilks interval within its errors", async () => {
    const { cm, model } = await gaussianPeakData();
    const r = await feldmanCousins(cm, { toys: 400, seed: 1, expected: false });
    expect(r.construction).toBe("toys");
    // the Wilks interval: 2ΔNLL = χ²₁(90%) = 2.706 either side of μ̂ (independent profile fits)
    const free = fit(cm);
    const t = (mu: number) => 2 * (fit(cm, { fixed: { [model.poi]: mu }, hesse: false }).nll - free.nll);
    const cut = 2.705543454095404;
    const muHat = free.values.nsig;
    const root = (a: number, c: number) => {
      for (let i = 0; i < 60; i++) {
        const m = 0.5 * (a + c);
        if (t(m) - cut < 0 === t(a) - cut < 0) a = m;
        else c = m;
      }
      return 0.5 * (a + c);
    };
    const wilks = [root(muHat - 60, muHat), root(muHat, muHat + 60)];
    expect(r.lo).toBeGreaterThan(0); // two-sided
    expect(r.hiError!).toBeLessThan(0.05 * (wilks[1] - wilks[0]));
    expect(Math.abs(r.lo - wilks[0]), `lower ${r.lo} ± ${r.loError} vs ${wilks[0]}`).toBeLessThan(3 * r.loError!);
    expect(Math.abs(r.hi - wilks[1]), `upper ${r.hi} ± ${r.hiError} vs ${wilks[1]}`).toBeLessThan(3 * r.hiError!);
  }, 60_000);

  test("its expected band is the bounded Gaussian's (FC's Table X construction) in units of σ_A", async () => {
    const { FeldmanCousinsToys } = await import("../src/infer/feldman-cousins.js");
    const { cm } = await gaussianPeakData();
    const fc = new FeldmanCousinsToys(cm, { toys: 300, seed: 5 });
    const band = await fc.expected();
    const sigma = fc.engine.scale;
    expect(gaussianUpper(0)).toBeCloseTo(1.64, 2); // FC's Table X, x0 = 0
    for (const n of [-1, 0, 1] as const) {
      const want = sigma * gaussianUpper(n);
      expect(
        Math.abs(band[String(n) as "0"] - want) / want,
        `band ${n}: ${band[String(n) as "0"]} vs ${want}`,
      ).toBeLessThan(0.15);
    }
    expect(band["-2"]).toBeLessThan(band["-1"]);
    expect(band["1"]).toBeLessThan(band["2"]);
    expect(fc.counts().b).toBeGreaterThan(0);
    fc.dispose();
  }, 60_000);

  test("is reproducible: one seed, one interval, here and on 2 workers; another seed, another", async () => {
    const { WorkerPool } = await import("../src/scan/pool.js");
    const { cm } = await gaussianPeakData();
    const options = { toys: 150, seed: 7, expected: false };
    const here = await feldmanCousins(cm, options);
    const pool = await WorkerPool.start(2);
    try {
      const there = await feldmanCousins(cm, { ...options, pool });
      expect([there.lo, there.hi]).toEqual([here.lo, here.hi]);
      expect(there.toys).toEqual(here.toys);
    } finally {
      await pool.close();
    }
    expect([(await feldmanCousins(cm, options)).hi]).toEqual([here.hi]);
    expect((await feldmanCousins(cm, { ...options, seed: 8 })).hi).not.toBe(here.hi);
  }, 60_000);
});

/** FC's construction for a Gaussian measurement x of mean μ ≥ 0, σ = 1: the upper end for x0. */
function gaussianUpper(x0: number, cl = 0.9): number {
  const Phi = (x: number) => normalCdf(x, 0, 1);
  // R(x) = exp(−(x−μ)²/2) for x ≥ 0 and exp(xμ − μ²/2) below; the region {R ≥ c} holding cl
  const lowerEdge = (mu: number) => {
    const edges = (lnc: number): [number, number] => {
      const w = Math.sqrt(-2 * lnc);
      const x1 = mu - w >= 0 ? mu - w : mu > 0 ? (lnc + (mu * mu) / 2) / mu : -Infinity;
      return [x1, mu + w];
    };
    let [a, c] = [-60, 0];
    for (let i = 0; i < 100; i++) {
      const m = 0.5 * (a + c);
      const [x1, x2] = edges(m);
      if (Phi(x2 - mu) - Phi(x1 - mu) > cl) a = m;
      else c = m;
    }
    return edges(0.5 * (a + c))[0];
  };
  let [a, c] = [0, Math.max(x0, 0) + 10];
  for (let i = 0; i < 100; i++) {
    const m = 0.5 * (a + c);
    if (lowerEdge(m) <= x0) a = m;
    else c = m;
  }
  return a;
}

/** A Gaussian peak (σ = 0.2 at m = 5) over an exponential background on [0, 10]. */
function gaussianPeak() {
  const spec = parseSpec({
    observable: { name: "m", range: [0, 10] },
    signal: { shape: "gaussian", sigma: 0.2 },
    background: { shape: "exponential" },
  });
  return { spec, model: buildModel(spec, { mass: 5, nEvents: 650 }) };
}

/** 150 signal events over 500 of background, generated once. */
let peak: Promise<{ cm: Awaited<ReturnType<typeof compile>>; model: ReturnType<typeof gaussianPeak>["model"] }>;
function gaussianPeakData() {
  peak ??= (async () => {
    const { model } = gaussianPeak();
    const truth = Object.fromEntries(model.parameters.map((p) => [p.name, p.value]));
    const [values] = generate(model, { ...truth, nsig: 150, nbkg: 500, lambda: -0.1 }, 7);
    return { cm: await compile(model, [{ values }]), model };
  })();
  return peak;
}

describe("limit and scan", () => {
  const dir = mkdtempSync(join(tmpdir(), "bumpscan-fc-"));
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [resolve("dist/cli/main.js"), ...args], {
      encoding: "utf8",
      cwd: dir,
    });

  test("`limit --method fc --json` prints the interval (observed: its upper end); the text names it", () => {
    writeFileSync(join(dir, "c6.csv"), `m\n${[...cm6].join("\n")}\n`);
    const spec = {
      observable: { name: "m", range: [0, 1] },
      signal: { shape: "uniform" },
      background: { shape: "uniform", yield: 3 },
      data: { path: "c6.csv", column: "m" },
    };
    writeFileSync(join(dir, "c6.json"), JSON.stringify(spec));
    const r = cli(["limit", "c6.json", "--mass", "0.5", "--method", "fc", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.method).toBe("fc");
    expect(out.construction).toBe("exact");
    expect(out.interval).toEqual(poissonInterval(6, 3));
    expect(out.interval[0]).toBeCloseTo(0.15, 2);
    expect(out.interval[1]).toBeCloseTo(8.47, 2);
    expect(out.observed).toBe(out.interval[1]);
    expect(out.expected["0"]).toBeCloseTo(4.42, 2);
    const text = cli(["limit", "c6.json", "--mass", "0.5", "--method", "fc", "--workers", "1"]);
    expect(text.stdout).toMatch(/90% CL interval on nsig at m = 0\.5, Feldman–Cousins \(exact over n\), 6 events/);
    expect(text.stdout).toMatch(/interval +\[0\.1519\d*, 8\.469\d*\]/);
    // the spec's limit.method takes "fc" too
    writeFileSync(join(dir, "c6-spec.json"), JSON.stringify({ ...spec, limit: { method: "fc" } }));
    expect(JSON.parse(cli(["limit", "c6-spec.json", "--mass", "0.5", "--json", "--workers", "1"]).stdout).method).toBe(
      "fc",
    );
    expect(cli(["limit", "c6.json", "--mass", "0.5", "--method", "fk"]).stderr).toMatch(
      /"fk" is not one of asymptotic, toys, bayes, fc/,
    );
  });

  test("a scan: points carry their interval, observed its upper end; CSV and HEPData keep their shape", async () => {
    const { spec } = gaussianPeak();
    const { model } = gaussianPeak();
    const truth = Object.fromEntries(model.parameters.map((p) => [p.name, p.value]));
    const [values] = generate(model, { ...truth, nsig: 0, nbkg: 300, lambda: -0.1 }, 11);
    const result = await runScan({ ...spec, scan: { masses: [4, 6] } }, values, { method: "fc", toys: 60, seed: 2 });
    expect(result.method).toBe("fc");
    expect(result.seed).toBe(2);
    expect(result.toys).toBe(60);
    for (const p of result.points) {
      expect(p.status).toBe("converged");
      expect(p.interval![0]).toBeGreaterThanOrEqual(0);
      expect(p.interval![1]).toBeGreaterThan(p.interval![0]);
      expect(p.observed).toBe(p.interval![1]);
      expect(Object.values(p.expected!).every(Number.isFinite)).toBe(true);
    }
    const csv = limitsCsv(result).split("\n");
    expect(csv[0]).toBe(
      "mass,status,nsig,nsig_error,q0,local_z,observed,expected_minus2,expected_minus1,expected_median," +
        "expected_plus1,expected_plus2",
    );
    expect(csv[1].split(",")[6]).toBe(String(result.points[0].observed));
    expect(hepdataTable(result)).toContain("Feldman-Cousins (upper end of the interval)");
  }, 60_000);
});
