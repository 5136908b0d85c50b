/**
 * Asymptotic CLs with q̃μ (arXiv:1007.1727, eqs. 65–66): σ² = μ²/q_A from the Asimov dataset of the
 * background-only fit to data, then closed forms for CLs+b and CLb.
 */
import { CompiledModel, loadData } from "../core/compile.js";
import { asimovData, type AsimovGrid } from "./asimov.js";
import type { Calculator, CLsValues, Statistic } from "./calculator.js";
import { logUpperTail, normalCdf, normalQuantile } from "../core/normal.js";
import type { FitResult } from "./fit.js";
import { discovery } from "./significance.js";
import { qmuTilde } from "./test-statistics.js";
import { ProfileCache } from "./profile.js";

const Phi = (x: number) => normalCdf(x);

/**
 * CLs+b and CLb from q̃μ and q_A (q̃μ ≤ q_A: √-forms; above: the shifted quadratic forms).
 * @example
 * import { asymptoticPvalues } from "bumpscan/infer";
 * asymptoticPvalues(1.6435, 19.8335); // => { clsb: 0.0999, clb: 0.9992, cls: 0.1000 }
 */
export function asymptoticPvalues(q: number, qA: number): { clsb: number; clb: number; cls: number } {
  if (!(qA > 0)) return { clsb: 0.5, clb: 0.5, cls: 1 };
  if (q <= qA) {
    const clsb = 1 - Phi(Math.sqrt(q)),
      clb = Phi(Math.sqrt(qA) - Math.sqrt(q));
    return { clsb, clb, cls: clsb / clb };
  }
  // far above q_A both tails underflow: their ratio comes from their logs
  const s = 2 * Math.sqrt(qA);
  const lnClsb = logUpperTail((q + qA) / s),
    lnClb = logUpperTail((q - qA) / s);
  return { clsb: Math.exp(lnClsb), clb: Math.exp(lnClb), cls: Math.exp(lnClsb - lnClb) };
}

export class AsymptoticCalculator implements Calculator {
  readonly method = "asymptotic";
  readonly free: FitResult;
  readonly background: FitResult;
  readonly asimov: CompiledModel;
  readonly scale: number;
  readonly tolerance: number;
  private readonly data: ProfileCache;
  private readonly asimovFits: ProfileCache;
  private readonly asimovMin: number;

  /**
   * Fit the data (POI fixed at 0, and free: `discovery`), build the Asimov dataset at the
   * background-only fit. The POI's scale (where limits are searched, and how finely) is the
   * expected error σ_A from the Asimov dataset, never the data's own error: with no event near the
   * peak that error says nothing about where the limit lies.
   * @example
   * import { readFileSync } from "node:fs";
   * import { parseSpec, readColumn } from "bumpscan";
   * import { compileAt, instantiateCore } from "bumpscan/core";
   * import { AsymptoticCalculator } from "bumpscan/infer";
   * const spec = parseSpec(JSON.parse(readFileSync("spec.json", "utf8")), "spec.json");
   * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
   * const { cm } = compileAt(await instantiateCore(), spec, { values }, 4.2); // the reference model at 4.2
   * const calc = new AsymptoticCalculator(cm);
   * (await calc.pvalues(68.34)).cls; // => 0.100
   */
  constructor(
    readonly cm: CompiledModel,
    options: { free?: FitResult; background?: FitResult; grid?: AsimovGrid } = {},
  ) {
    const fits =
      options.free && options.background
        ? { free: options.free, background: options.background }
        : discovery(cm, {}, options.free);
    this.free = fits.free;
    this.background = fits.background;
    const asimov = asimovData(
      cm,
      cm.model.parameters.map((p) => this.background.values[p.name]),
      options.grid,
    );
    this.asimov = new CompiledModel(cm.core, cm.model, loadData(cm.core, asimov), { scales: cm.scales });
    // the conditional fits of the data and of the Asimov dataset each reuse their metric
    cm.core.forgetMetrics();
    this.data = new ProfileCache(cm, this.free, 0);
    this.asimovFits = new ProfileCache(this.asimov, this.background, 1);
    this.asimovMin = this.asimovFits.at(0).nll;
    this.scale = this.asimovScale();
    this.tolerance = 1e-5 * this.scale;
  }

  /**
   * σ_A = μ/√q_A(μ) from the Asimov dataset, at μ about the POI's expected error: first at the
   * data's error (or 1 where it has none), then once more at 1.64 σ_A where that moved it by more
   * than half; where q_A vanishes, μ doubles until it does not.
   */
  private asimovScale(): number {
    const err = this.free.errors[this.cm.model.poi];
    const at = (mu: number) => mu / Math.sqrt(this.qAsimov(mu));
    let mu = Number.isFinite(err) && err > 0 ? err : 1;
    for (let k = 0; k < 60; k++, mu *= 2) {
      const s = at(mu);
      if (!(Number.isFinite(s) && s > 0)) continue;
      if (Math.abs(1.64 * s - mu) <= 0.5 * mu) return s;
      const again = at(1.64 * s);
      return Number.isFinite(again) && again > 0 ? again : s;
    }
    return 1;
  }

  /** Where the limits lie, roughly: the observed one near max(μ̂, 0) + 1.64σ, band N near (1.64 + N)σ. */
  async guess(band?: number): Promise<number> {
    const muHat = Math.max(0, this.free.values[this.cm.model.poi]);
    return band === undefined ? muHat + 1.64 * this.scale : (1.64 + band) * this.scale;
  }

  /** q_A(μ) = q̃μ of the Asimov dataset (μ̂_A = 0 by construction). */
  qAsimov(mu: number): number {
    return Math.max(0, 2 * (this.asimovFits.at(mu).nll - this.asimovMin));
  }

  /** Observed q̃μ. */
  qObserved(mu: number): number {
    const poi = this.cm.model.poi;
    return qmuTilde(
      mu,
      { nll: this.free.nll, muHat: this.free.values[poi] },
      this.data.at(mu).nll,
      this.background.nll,
    );
  }

  pvalues(mu: number): CLsValues {
    if (mu <= 0) return { mu, q: 0, clsb: 1, clb: 1, cls: 1, clsError: 0 };
    const q = this.qObserved(mu);
    return { mu, q, ...asymptoticPvalues(q, this.qAsimov(mu)), clsError: 0 };
  }

  /**
   * The expected limit of band N directly: μ = σ_A(μ)·(Φ⁻¹(1 − αΦ(N)) + N) for CLs, and
   * μ = σ_A(μ)·(Φ⁻¹(1 − α) + N) for CLs+b, solved by fixed-point iteration (σ_A = μ/√q_A changes
   * slowly with μ, so a few Asimov fits suffice) — the root of expectedCls(μ, N) = α, found
   * without a bracketing search.
   * @example
   * import { readFileSync } from "node:fs";
   * import { parseSpec, readColumn } from "bumpscan";
   * import { compileAt, instantiateCore } from "bumpscan/core";
   * import { AsymptoticCalculator } from "bumpscan/infer";
   * const spec = parseSpec(JSON.parse(readFileSync("spec.json", "utf8")), "spec.json");
   * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
   * const { cm } = compileAt(await instantiateCore(), spec, { values }, 4.2); // the reference model at 4.2
   * const calc = new AsymptoticCalculator(cm);
   * calc.expectedLimit(0, 0.1, 1e-4); // => 23.37
   */
  expectedLimit(band: number, alpha: number, tol: number, statistic: Statistic = "cls"): number {
    const k = normalQuantile(1 - alpha * (statistic === "cls" ? Phi(band) : 1)) + band;
    if (!(k > 0)) return 0; // CLs+b at N ≤ −Φ⁻¹(1 − α): that outcome excludes every μ > 0
    const sigmaA = (mu: number) => mu / Math.sqrt(this.qAsimov(mu));
    let mu = k * this.scale;
    for (let i = 0; i < 50; i++) {
      const next = k * sigmaA(mu);
      if (!Number.isFinite(next) || next <= 0) return NaN;
      if (Math.abs(next - mu) <= tol) return next;
      mu = next;
    }
    // no fixed point in 50 steps (σ_A changes fast with μ here, e.g. a signal shaped like a floating
    // peak): NaN hands the band to upperLimit's root search of expectedCls instead
    return NaN;
  }

  /**
   * CLs_exp(μ, N) = (1 − Φ(√q_A − N))/Φ(N) (its root is μ = σ_A(Φ⁻¹(1 − αΦ(N)) + N)); CLs+b_exp is
   * the numerator alone, the p-value of the s+b hypothesis at the b-only outcome of band N.
   */
  expectedCls(mu: number, band: number, statistic: Statistic = "cls"): number {
    if (mu <= 0) return 1;
    const clsb = 1 - Phi(Math.sqrt(this.qAsimov(mu)) - band);
    return statistic === "cls" ? clsb / Phi(band) : clsb;
  }

  /** Free the Asimov model's core memory (the data model stays the caller's). */
  dispose(): void {
    this.asimov.dispose();
  }
}
