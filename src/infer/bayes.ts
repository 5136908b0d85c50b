/**
 * Bayesian upper limits (what BABAR and Belle II publish): flat prior on the POI ≥ 0; the
 * posterior is the likelihood with the nuisances profiled, or marginalised (flat priors, Laplace
 * approximation: the profile times √det of the nuisances' covariance at each POI value). The
 * credible bound solves ∫₀^μup p dμ = CL · ∫₀^∞ p dμ, both integrals by adaptive Gauss–Kronrod.
 */
import { CompiledModel } from "../core/compile.js";
import { adaptiveIntegral } from "../core/quadrature.js";
import { BumpscanError } from "../errors.js";
import { fit, FitResult } from "./fit.js";
import { brent } from "./roots.js";

export interface BayesOptions {
  cl?: number;
  /** Marginalise the nuisances (Laplace approximation) instead of profiling them. */
  marginalise?: boolean;
}

export interface BayesResult {
  method: "bayes";
  cl: number;
  observed: number;
  nuisances: "profiled" | "marginalised";
  /** Posterior mode on μ ≥ 0. */
  mode: number;
}

/** log of the unnormalised posterior at μ, with warm-started conditional fits memoised. */
function logPosterior(cm: CompiledModel, free: FitResult, marginalise: boolean): (mu: number) => number {
  const poi = cm.model.poi;
  const cache = new Map<number, number>();
  let last = free;
  return (mu) => {
    const hit = cache.get(mu);
    if (hit !== undefined) return hit;
    // tight convergence: the quadrature below must see a smooth posterior, not the fit tolerance
    const r = fit(cm, { fixed: { [poi]: mu }, start: last, hesse: marginalise, tol: 1e-6 });
    if (r.status === "converged") last = r;
    let lp = -r.nll;
    if (marginalise && r.covariance && r.covariance.length > 0) lp += 0.5 * Math.log(Math.max(det(r.covariance), 1e-300));
    cache.set(mu, lp);
    return lp;
  };
}

function det(a: number[][]): number {
  const m = a.map((r) => [...r]);
  let d = 1;
  for (let i = 0; i < m.length; i++) {
    const p = m[i][i];
    if (!(p > 0)) return 0;
    d *= p;
    for (let r = i + 1; r < m.length; r++) {
      const f = m[r][i] / p;
      for (let c = i; c < m.length; c++) m[r][c] -= f * m[i][c];
    }
  }
  return d;
}

/**
 * The Bayesian upper limit on the POI.
 * @example
 * (await bayesianLimit(cm, { cl: 0.9 })).observed; // 2.303 for a counting experiment with n = 0, b = 0
 */
export async function bayesianLimit(cm: CompiledModel, options: BayesOptions = {}): Promise<BayesResult> {
  const cl = options.cl ?? 0.9;
  const poi = cm.model.poi;
  const free = fit(cm);
  const muMode = Math.max(0, free.values[poi]);
  const sigma = Number.isFinite(free.errors[poi]) && free.errors[poi] > 0 ? free.errors[poi] : Math.max(1, Math.sqrt(muMode + 1));
  const lp = logPosterior(cm, free, options.marginalise ?? false);
  const peak = lp(muMode);
  const p = (mu: number) => Math.exp(lp(mu) - peak);
  // the posterior's support: beyond the mode until it has fallen by e^-40
  let hi = muMode + 5 * sigma;
  for (let k = 0; p(hi) > Math.exp(-40); k++) {
    if (k > 60) throw new BumpscanError(`the posterior of ${poi} does not fall off (still ${p(hi)} of its peak at ${hi})`);
    hi *= 2;
  }
  const cuts = [0, muMode, muMode + sigma, muMode + 3 * sigma, hi].filter((x, i, a) => x <= hi && (i === 0 || x > a[i - 1]));
  const pieces = cuts.slice(1).map((b, i) => adaptiveIntegral(p, cuts[i], b, 1e-7, 0, 200));
  const total = pieces.reduce((a, b) => a + b, 0);
  if (!(total > 0) || !Number.isFinite(total)) throw new BumpscanError(`the posterior of ${poi} cannot be normalised`);
  const target = cl * total;
  // the piece where the cumulative integral crosses cl · total, then Brent inside it
  let acc = 0, k = 0;
  while (k < pieces.length - 1 && acc + pieces[k] < target) acc += pieces[k++];
  const base = acc;
  const observed = await brent((mu) => base + adaptiveIntegral(p, cuts[k], mu, 1e-8, 0, 200) - target, cuts[k], cuts[k + 1], 1e-5 * sigma);
  return { method: "bayes", cl, observed, nuisances: options.marginalise ? "marginalised" : "profiled", mode: muMode };
}
