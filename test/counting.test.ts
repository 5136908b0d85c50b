// Counting searches: the expected counts and background uncertainty of a counting model against
// closed forms; the Bayesian and CLs limits of the counting table against Helene's formula (one
// channel), against numerical integration (a marginalised nuisance, several channels) and against
// an exact CLs computed by enumerating every outcome (several channels); the CLI's `count`.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { limitAtMass } from "../src/job/mass-job.js";
import { countingModel } from "../src/model/counting.js";
import { ModelBuilder } from "../src/model/model.js";
import { parseSpec } from "../src/model/parse.js";
import { countingCsv } from "../src/report/counting.js";
import { countingScan } from "../src/scan/counting.js";
import { relDiff } from "./helpers.js";

const LN_FACTORIAL = [0];
for (let k = 1; k < 400; k++) LN_FACTORIAL.push(LN_FACTORIAL[k - 1] + Math.log(k));
const poisson = (n: number, lambda: number) =>
  lambda === 0 ? (n === 0 ? 1 : 0) : Math.exp(n * Math.log(lambda) - lambda - LN_FACTORIAL[n]);
const cumulative = (n: number, lambda: number) => {
  let sum = 0;
  for (let k = 0; k <= n; k++) sum += poisson(k, lambda);
  return sum;
};

/** The root of a decreasing function f on [lo, hi], by bisection. */
function root(f: (x: number) => number, lo: number, hi: number): number {
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) > 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Helene's formula: the upper limit s on a Poisson signal over a known background b for n observed,
 * Σ_{k≤n} P(k; s+b) / Σ_{k≤n} P(k; b) = 1 − CL (the flat-prior Bayesian limit, and CLs with n as
 * the test statistic).
 */
const helene = (n: number, b: number, cl = 0.9) =>
  root((s) => cumulative(n, s + b) / cumulative(n, b) - (1 - cl), 0, 100);

/** The flat-prior limit of a posterior density on [0, top] by the midpoint rule (top: its support). */
function posteriorLimit(density: (s: number) => number, top: number, cl = 0.9, steps = 40_000): number {
  const h = top / steps;
  const cdf = [0];
  for (let i = 0; i < steps; i++) cdf.push(cdf[i] + density((i + 0.5) * h) * h);
  const total = cdf[steps];
  const i = cdf.findIndex((c) => c >= cl * total);
  const frac = (cl * total - cdf[i - 1]) / (cdf[i] - cdf[i - 1]);
  return (i - 1 + frac) * h;
}

/** Events at evenly spread positions inside [lo, hi] (a uniform model sees only their number). */
const spread = (n: number, [lo, hi]: [number, number]) =>
  Array.from({ length: n }, (_, i) => lo + ((i + 0.5) * (hi - lo)) / n);

describe("a counting model's expected counts", () => {
  const builder = () =>
    new ModelBuilder("m", [0, 1]).parameter("nsig", 0).component("sig", "uniform", [], "nsig").sample("B", [0, 1]);

  test("log-normal and gauss factors: ±1σ moves each constrained parameter by its σ; shifts add in quadrature", () => {
    const model = new ModelBuilder("m", [0, 1])
      .parameter("nsig", 0)
      .parameter("a", 0)
      .parameter("r", 0)
      .component("sig", "uniform", [], { constant: 0.5, factors: [{ param: "nsig" }, { param: "a", kappa: 1.1 }] })
      .component("bkg", "uniform", [], {
        constant: 10,
        factors: [
          { param: "a", kappa: 1.2 },
          { param: "r", gauss: 0.3 },
        ],
      })
      .constrain("a", 0, 1)
      .constrain("r", 0, 1)
      .build("nsig");
    const c = countingModel(model);
    expect(c.reason).toBeUndefined();
    expect(c.channels![0].signalPerPoi).toBe(0.5);
    expect(c.background).toBe(10);
    // a: 10·1.2 − 10 = 2 up, 10 − 10/1.2 down; r: ±3
    expect(c.backgroundError[1]).toBeCloseTo(Math.hypot(2, 3), 12);
    expect(c.backgroundError[0]).toBeCloseTo(Math.hypot(10 - 10 / 1.2, 3), 12);
  });

  test("a nuisance shared by two samples moves both: the total's error is the sum, not the quadrature", () => {
    const model = builder()
      .parameter("t", 0)
      .component("bkgA", "uniform", [], { constant: 3, factors: [{ param: "t", gauss: 0.1 }] })
      .sample("C", [0, 1])
      .component("bkgB", "uniform", [], { constant: 5, factors: [{ param: "t", gauss: 0.1 }] })
      .constrain("t", 0, 1)
      .build("nsig");
    const c = countingModel(model);
    expect(c.channels!.map((ch) => ch.background)).toEqual([0, 3, 5]);
    expect(c.channels![1].backgroundError[1]).toBeCloseTo(0.3, 12);
    expect(c.backgroundError[1]).toBeCloseTo(0.8, 12);
  });

  test("a yield calibrated elsewhere (a constrained parameter) counts; a floating one does not", () => {
    const constrained = builder()
      .parameter("nb", 7, { lo: 0 })
      .component("bkg", "uniform", [], "nb")
      .constrain("nb", 6, 1.5)
      .build("nsig");
    const c = countingModel(constrained);
    expect(c.background).toBe(6);
    expect(c.backgroundError).toEqual([1.5, 1.5]);
    const floating = builder().parameter("nb", 7, { lo: 0 }).component("bkg", "uniform", [], "nb").build("nsig");
    expect(countingModel(floating).reason).toBe("parameter nb floats without a constraint");
  });

  test("a shape other than uniform, or a POI not entering linearly, is no counting model (and says why)", () => {
    const shaped = builder().parameter("c1", 0).component("bkg", "expPoly", [0, 1, "c1"], 5).build("nsig");
    expect(countingModel(shaped).reason).toBe("parameter c1 floats without a constraint");
    const fixedShape = builder().component("bkg", "expPoly", [0, 1, 0.5], 5).build("nsig");
    expect(countingModel(fixedShape).reason).toBe("component bkg of sample B has shape expPoly, not uniform");
    const squared = new ModelBuilder("m", [0, 1])
      .parameter("nsig", 0)
      .component("sig", "uniform", [], { constant: 1, factors: [{ param: "nsig" }, { param: "nsig" }] })
      .build("nsig");
    expect(countingModel(squared).reason).toBe("component sig: its yield is not linear in nsig");
  });
});

/** One window at mass 5 of ±0.5 around it over a known background b, with optional nuisances. */
const oneWindow = (b: number, extra: object = {}) =>
  parseSpec({
    observable: { range: [0, 10] },
    signal: { shape: "uniform", sigma: 0.5 },
    background: { shape: "uniform", yield: { poly: [b] } },
    scan: { masses: [5], window: 1 },
    ...extra,
  });

describe("one channel: the classic limits", () => {
  test("Bayesian limits equal Helene's formula (b = 0: PDG's 2.30, 3.89, 5.32) within 1e-3", async () => {
    for (const b of [0, 1, 3])
      for (const n of [0, 1, 2, 4]) {
        const r = await limitAtMass(oneWindow(b), { values: Float64Array.from(spread(n, [4.5, 5.5])) }, 5, {
          method: "bayes",
        });
        expect(r.counting).toMatchObject({ observed: n, background: b, range: [4.5, 5.5] });
        expect(relDiff(r.observed, helene(n, b)), `n = ${n}, b = ${b}`).toBeLessThan(1e-3);
      }
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: the classic Poisson limit for n = 0, not ln 10
    expect(helene(0, 0)).toBeCloseTo(2.3026, 4);
    expect(helene(1, 0)).toBeCloseTo(3.8897, 4);
    expect(helene(2, 0)).toBeCloseTo(5.3223, 4);
  });

  test("the counting table's CLs (toys) agrees with Helene's formula within 3 toy errors", async () => {
    const spec = parseSpec({
      observable: { range: [0, 10] },
      signal: { shape: "uniform", sigma: 0.5 },
      background: { shape: "uniform", yield: { poly: [1.5] } },
      scan: { masses: [2, 5, 8], window: 1 },
    });
    const counts = [0, 2, 5];
    const events = Float64Array.from(counts.flatMap((n, i) => spread(n, [[1.5, 4.5, 7.5][i], [2.5, 5.5, 8.5][i]])));
    const table = await countingScan(spec, events, { expectedToys: 0, toys: 2000, seed: 3 });
    for (const [i, row] of table.rows.entries()) {
      expect(row.status).toBe("converged");
      expect(row.counting?.observed).toBe(counts[i]);
      const want = helene(counts[i], 1.5);
      expect(relDiff(row.bayes!.observed, want)).toBeLessThan(1e-3);
      expect(Math.abs(row.cls!.observed - want), `n = ${counts[i]}`).toBeLessThan(3 * row.cls!.observedError! + 1e-3);
    }
  }, 120_000);

  test("a log-normal background nuisance, marginalised: the limit of the integrated posterior (1e-3)", async () => {
    const spec = oneWindow(2.5, { nuisances: [{ name: "bkg", lnN: 1.3, on: [{ component: "background" }] }] });
    const n = 4;
    const r = await limitAtMass(spec, { values: Float64Array.from(spread(n, [4.5, 5.5])) }, 5, {
      method: "bayes",
      marginalise: true,
      expectedToys: 0,
    });
    expect(r.counting?.backgroundError[1]).toBeCloseTo(0.75, 12);
    // p(s) ∝ ∫ Pois(n; s + 2.5·1.3^θ) φ(θ) dθ, θ by the midpoint rule on [−9, 9]
    const density = (s: number) => {
      let sum = 0;
      for (let i = 0; i < 720; i++) {
        const t = -9 + (i + 0.5) * 0.025;
        sum += poisson(n, s + 2.5 * 1.3 ** t) * Math.exp(-0.5 * t * t);
      }
      return sum;
    };
    const want = posteriorLimit(density, 40);
    expect(relDiff(r.observed, want)).toBeLessThan(1e-3);
    // the nuisance widens the posterior: above the limit without it
    expect(r.observed).toBeGreaterThan(helene(n, 2.5));
  }, 60_000);
});

describe("several channels (final states as samples with tiny backgrounds)", () => {
  // three final states: signal per unit μ a_k and background b_k in the window around the mass
  const a = [1, 0.5, 0.25];
  const b = [0.3, 0.8, 0.1];
  const observed = [2, 1, 0];
  const spec = parseSpec({
    observable: { range: [0, 10] },
    signal: { shape: "uniform", sigma: 0.5 },
    background: { shape: "uniform", yield: { poly: [b[0]] } },
    samples: [
      { name: "ee", data: { path: "ee.csv" }, scale: a[0] },
      {
        name: "mumu",
        data: { path: "mumu.csv" },
        scale: a[1],
        background: [{ name: "background", shape: "uniform", yield: { poly: [b[1]] } }],
      },
      {
        name: "pipi",
        data: { path: "pipi.csv" },
        scale: a[2],
        background: [{ name: "background", shape: "uniform", yield: { poly: [b[2]] } }],
      },
    ],
    scan: { masses: [5], window: 1 },
  });
  const events = observed.map((n) => Float64Array.from(spread(n, [4.5, 5.5])));

  /** ln L(μ) of the counts n: Σ_k n_k ln(a_k μ + b_k) − (a_k μ + b_k). */
  const lnL = (n: number[], mu: number) => n.reduce((s, nk, k) => s + nk * Math.log(a[k] * mu + b[k]) - a[k] * mu, 0);
  /** μ̂ ≥ 0 (the slope of ln L falls with μ). */
  const muHat = (n: number[]) => {
    const slope = (mu: number) => n.reduce((s, nk, k) => s + (nk * a[k]) / (a[k] * mu + b[k]) - a[k], 0);
    return slope(0) <= 0 ? 0 : root(slope, 0, 1000);
  };
  /** q̃μ of the counts n. */
  const qmu = (n: number[], mu: number) => {
    const hat = muHat(n);
    return hat > mu ? 0 : Math.max(0, 2 * (lnL(n, hat) - lnL(n, mu)));
  };
  /** Exact CLs at μ: every outcome with n_k ≤ 25 whose q̃μ reaches the data's (ties within 1e-3, as the toys). */
  const exactCls = (mu: number) => {
    const qObs = qmu(observed, mu);
    const cut = qObs - 1e-3 * (1 + qObs);
    let sb = 0,
      bOnly = 0;
    for (let i = 0; i <= 25; i++)
      for (let j = 0; j <= 25; j++)
        for (let k = 0; k <= 25; k++) {
          const n = [i, j, k];
          if (qmu(n, mu) < cut) continue;
          sb += n.reduce((p, nk, c) => p * poisson(nk, a[c] * mu + b[c]), 1);
          bOnly += n.reduce((p, nk, c) => p * poisson(nk, b[c]), 1);
        }
    return sb / bOnly;
  };

  test("each channel's count and background, and the totals, per window", async () => {
    const r = await limitAtMass(
      spec,
      events.map((values) => ({ values })),
      5,
      { method: "bayes" },
    );
    expect(r.counting?.observed).toBe(3);
    expect(r.counting?.background).toBeCloseTo(1.2, 12);
    expect(r.counting?.signalPerPoi).toBeCloseTo(1.75, 12);
    expect(r.counting?.channels?.map((c) => [c.sample, c.observed, c.background, c.signalPerPoi])).toEqual([
      ["ee", 2, 0.3, 1],
      ["mumu", 1, 0.8, 0.5],
      ["pipi", 0, 0.1, 0.25],
    ]);
  });

  test("Bayesian: Π_k Pois(n_k; a_k μ + b_k) integrated over μ (1e-3); CLs (toys): the exact CLs", async () => {
    const table = await countingScan(spec, events, { expectedToys: 0, toys: 2000, seed: 9 });
    const [row] = table.rows;
    const bayes = posteriorLimit((mu) => Math.exp(lnL(observed, mu)), 60);
    expect(relDiff(row.bayes!.observed, bayes)).toBeLessThan(1e-3);
    const cls = root((mu) => exactCls(mu) - 0.1, 0.01, 30);
    expect(Math.abs(row.cls!.observed - cls)).toBeLessThan(3 * row.cls!.observedError! + 1e-3);
    const csv = countingCsv(table).split("\n");
    expect(csv[0]).toContain("observed_ee,background_ee,background_error_down_ee,background_error_up_ee");
    expect(csv[1].split(",").slice(0, 5)).toEqual(["5", "4.5", "5.5", "converged", "3"]);
    expect(Number(csv[1].split(",")[5])).toBeCloseTo(1.2, 12);
  }, 120_000);
});

describe("`bumpscan count`", () => {
  const dir = mkdtempSync(join(tmpdir(), "bumpscan-count-"));
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [resolve("dist/cli/main.js"), ...args], { encoding: "utf8", cwd: dir });
  const spec = {
    observable: { name: "M_recoil", unit: "GeV", range: [0, 10] },
    signal: { shape: "uniform", sigma: 0.25 },
    background: {
      shape: "uniform",
      yield: {
        table: [
          [1, 4],
          [9, 12],
        ],
      },
    },
    nuisances: [{ name: "bkg", lnN: 1.2, on: [{ component: "background" }] }],
    poi: { name: "sigma", unit: "fb" },
    samples: [{ name: "data", data: { path: "w.csv" }, luminosity: 2 }],
    scan: { masses: [2, 4, 6], window: 2 },
  };
  // n = 3, 6, 9 in [m − 0.5, m + 0.5]
  const values = [2, 4, 6].flatMap((m, i) => spread(3 * (i + 1), [m - 0.5, m + 0.5]));
  writeFileSync(join(dir, "w.csv"), `m\n${values.join("\n")}\n`);
  writeFileSync(join(dir, "spec.json"), JSON.stringify(spec));

  test("writes the table (CSV, JSON) and both plots; the text shows counts, background and both limits", () => {
    const r = cli("count", "spec.json", "--csv", "c.csv", "--out", "c.json", "--plots", "p", "--toys", "400");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("Bayesian (flat prior, nuisances marginalised");
    expect(r.stdout).toMatch(/\n6\s+5\.5–6\.5\s+9\s+9 −1\.5 \+1\.8/);
    const rows = readFileSync(join(dir, "c.csv"), "utf8").trim().split("\n");
    expect(rows).toHaveLength(4);
    const header = rows[0].split(",");
    const at4 = Object.fromEntries(rows[2].split(",").map((v, i) => [header[i], v]));
    expect(at4).toMatchObject({ mass: "4", observed: "6", background: "7", status: "converged" });
    expect(Number(at4.signal_per_poi)).toBe(2);
    expect(Number(at4.bayes_observed)).toBeGreaterThan(0);
    expect(Number(at4.cls_observed_error)).toBeGreaterThan(0);
    const json = JSON.parse(readFileSync(join(dir, "c.json"), "utf8"));
    expect(json.bayes).toEqual({ nuisances: "marginalised", expectedToys: 100 });
    expect(json.cls).toEqual({ method: "toys", toys: 400 });
    expect(json.rows[1].bayes.expected["0"]).toBeGreaterThan(0);
    for (const svg of ["counts.svg", "limits.svg"]) expect(existsSync(join(dir, "p", svg))).toBe(true);
    expect(readFileSync(join(dir, "p", "limits.svg"), "utf8")).toContain('class="cls-observed"');
  }, 120_000);

  test("a spec that is not a counting search: exit 2 naming the mass and why", () => {
    writeFileSync(
      join(dir, "shaped.json"),
      JSON.stringify({ ...spec, background: { shape: "expPoly", order: 1, yield: { poly: [5] } } }),
    );
    const r = cli("count", "shaped.json");
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(
      "bumpscan: not a counting search at mass 2: parameter c1_data floats without a constraint",
    );
  });
});
