/**
 * Bayesian upper limits (what BABAR and Belle II publish): flat prior on the POI ≥ 0; the
 * posterior is the likelihood with the nuisances profiled, or marginalised (flat priors, Laplace
 * approximation: the profile times √det of the nuisances' covariance at each POI value). The
 * credible bound solves ∫₀^μup p dμ = CL · ∫₀^∞ p dμ on a piecewise Chebyshev interpolant of p.
 */
import type { CompiledModel } from "../core/compile.js";
import { chebyshevPiece, integralTo } from "../core/chebyshev.js";
import { BumpscanError } from "../errors.js";
import { fit, type FitResult } from "./fit.js";
import { discovery } from "./significance.js";
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
  /** Estimated relative error of the posterior's normalisation (quadrature). */
  integrationError: number;
  /** Conditional fits made (one per posterior value). */
  fits: number;
}

/** log of the unnormalised posterior at μ, with warm-started conditional fits memoised. */
function logPosterior(
  cm: CompiledModel,
  free: FitResult,
  marginalise: boolean,
): ((mu: number) => number) & { fits: () => number } {
  const poi = cm.model.poi;
  const cache = new Map<number, number>();
  const converged: FitResult[] = [free];
  const nearest = (mu: number) =>
    converged.reduce((a, b) => (Math.abs(b.values[poi] - mu) < Math.abs(a.values[poi] - mu) ? b : a));
  const lp = (mu: number) => {
    const hit = cache.get(mu);
    if (hit !== undefined) return hit;
    // tight convergence: the quadrature below must see a smooth posterior, not the fit tolerance
    const r = fit(cm, { fixed: { [poi]: mu }, start: nearest(mu), hesse: marginalise, tol: 1e-6 });
    if (r.status === "converged") converged.push(r);
    let lp = -r.nll;
    if (marginalise && r.covariance && r.covariance.length > 0)
      lp += 0.5 * Math.log(Math.max(det(curved(r.covariance)), 1e-300));
    cache.set(mu, lp);
    return lp;
  };
  return Object.assign(lp, { fits: () => cache.size });
}

/**
 * The covariance of the parameters that have an error: one without curvature (a yield at its
 * bound with no events) is profiled, not integrated (the Laplace approximation does not apply).
 */
function curved(cov: number[][]): number[][] {
  const keep = cov.map((row, i) => Number.isFinite(row[i])).flatMap((ok, i) => (ok ? [i] : []));
  return keep.map((i) => keep.map((j) => cov[i][j]));
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
 * A scale of the posterior near its mode: a step whose log-posterior drop lies in [0.5, 8], found
 * by doubling and halving from 1 (a few conditional fits; the data's HESSE error is no guide when
 * the POI sits at its bound, e.g. with no events).
 */
function posteriorScale(lp: (mu: number) => number, mode: number, peak: number): number {
  const drop = (s: number) => peak - lp(mode + s);
  let s = 1;
  for (let k = 0; k < 80 && drop(s) < 0.5; k++) s *= 2;
  for (let k = 0; k < 80 && drop(s) > 8; k++) s /= 2;
  return s;
}

/**
 * The Bayesian upper limit on the POI. The posterior is interpolated piecewise by Chebyshev
 * polynomials (points doubled until each piece's integral is known to 1e-10 of the whole, at most
 * 257 conditional fits a piece), so the credible bound is a root of the interpolant's integral.
 * @example
 * import { readFileSync } from "node:fs";
 * import { parseSpec, readColumn } from "bumpscan";
 * import { compileAt, instantiateCore } from "bumpscan/core";
 * import { bayesianLimit } from "bumpscan/infer";
 * const spec = parseSpec(JSON.parse(readFileSync("spec.json", "utf8")), "spec.json");
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * const { cm } = compileAt(await instantiateCore(), spec, { values }, 4.2); // the reference model at 4.2
 * const bayes = await bayesianLimit(cm, { cl: 0.9 }); // flat prior on nsig ≥ 0, nuisances profiled
 * bayes.observed; // => 69.14
 */
export async function bayesianLimit(cm: CompiledModel, options: BayesOptions = {}): Promise<BayesResult> {
  const cl = options.cl ?? 0.9;
  const poi = cm.model.poi;
  const { free } = discovery(cm);
  const muMode = Math.max(0, free.values[poi]);
  const lp = logPosterior(cm, free, options.marginalise ?? false);
  const peak = lp(muMode);
  const sigma = posteriorScale(lp, muMode, peak);
  const p = (mu: number) => Math.exp(lp(mu) - peak);
  // the posterior's support: beyond the mode until it has fallen by e^-40
  let hi = muMode + 8 * sigma;
  for (let k = 0; lp(hi) - peak > -40; k++) {
    if (k > 60)
      throw new BumpscanError(`the posterior of ${poi} does not fall off (still ${p(hi)} of its peak at ${hi})`);
    hi = muMode + 2 * (hi - muMode);
  }
  const cuts = [0, muMode, muMode + sigma, muMode + 3 * sigma, muMode + 8 * sigma, hi].filter(
    (x, i, a) => x <= hi && (i === 0 || x > a[i - 1]),
  );
  // each piece to 1e-10 of the posterior's area near the mode (about σ, p ≤ 1 there)
  const pieces = cuts.slice(1).map((b, i) => chebyshevPiece(p, cuts[i], b, 1e-10 * sigma));
  const total = pieces.reduce((a, b) => a + b.integral, 0);
  if (!(total > 0) || !Number.isFinite(total)) throw new BumpscanError(`the posterior of ${poi} cannot be normalised`);
  const target = cl * total;
  // the piece where the cumulative integral crosses cl · total, then Brent on its interpolant
  let acc = 0,
    k = 0;
  while (k < pieces.length - 1 && acc + pieces[k].integral < target) acc += pieces[k++].integral;
  const piece = pieces[k];
  const observed = await brent(
    (mu) => acc + integralTo(piece, mu) - target,
    piece.a,
    piece.b,
    1e-12 * (piece.b - piece.a) + 1e-14 * Math.abs(piece.b),
  );
  return {
    method: "bayes",
    cl,
    observed,
    nuisances: options.marginalise ? "marginalised" : "profiled",
    mode: muMode,
    integrationError: pieces.reduce((a, b) => a + b.error, 0) / total,
    fits: lp.fits(),
  };
}
