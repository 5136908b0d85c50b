/**
 * Weighted events (sWeights, efficiency corrections): each weighted sample's extended NLL
 * ν − Σ wᵢ ln dᵢ is multiplied by λ = Σw/Σw² (CompiledModel's `scales`), so that its curvature —
 * and with it q0, Z and asymptotic or Bayesian limits — counts the data's effective number of
 * events (Σw)²/Σw² rather than Σw. The fitted values do not change (one sample: the NLL is only
 * multiplied; with constraints the data weigh as much as they inform). Parameter errors default to the
 * asymptotically correct sandwich H⁻¹CH⁻¹, C = Σ wᵢ² ∇ln dᵢ ∇ln dᵢᵀ over the extended likelihood's
 * event terms (Langenbruch, EPJC 82 (2022) 393, arXiv:1911.01303; RooFit's AsymptoticError).
 */
import { CholeskyDecomposition, Matrix } from "ml-matrix";
import { CompiledModel, type Dataset, loadData } from "../core/compile.js";
import { BumpscanError } from "../errors.js";
import type { FitResult } from "./fit.js";

/**
 * How the errors of a weighted fit are computed: "asymptotic" the sandwich H⁻¹CH⁻¹ (default);
 * "sumw2" H⁻¹H₂H⁻¹ with H₂ the Hessian of the w²-weighted likelihood (RooFit's SumW2Error);
 * "hesse" the inverse Hessian of the likelihood with the weights as given (not a valid error for
 * sWeights: shown for comparison).
 */
export type ErrorMode = "asymptotic" | "sumw2" | "hesse";

/** Whether any sample carries weights. */
export const isWeighted = (data: Dataset[]) => data.some((d) => d.weights !== undefined);

/**
 * Each sample's NLL scale: Σw/Σw² for weighted events, 1 for unweighted ones.
 */
export function nllScales(data: Dataset[]): number[] {
  return data.map((d) => {
    if (!d.weights) return 1;
    let sw = 0,
      sw2 = 0;
    for (const w of d.weights) (sw += w), (sw2 += w * w);
    return sw > 0 && sw2 > 0 ? sw / sw2 : 1;
  });
}

/** Finite-difference steps for the free parameters: a few percent of their error. */
function steps(fit: FitResult): number[] {
  return fit.covarianceNames.map((n) => {
    const e = fit.errors[n];
    return Number.isFinite(e) && e > 0 ? 0.05 * e : 1e-4 * (Math.abs(fit.values[n]) + 1e-3);
  });
}

/**
 * The Hessian of the NLL of `cm`'s model over other events (and NLL scales), at the fit's values, over its free
 * parameters.
 */
function hessianOver(cm: CompiledModel, fit: FitResult, data: Dataset[], scales: number[]): Matrix {
  const other = new CompiledModel(cm.core, cm.model, loadData(cm.core, data), { scales });
  try {
    other.values = cm.names.map((n) => fit.values[n]);
    other.setFree(cm.names.map((n) => fit.covarianceNames.includes(n)));
    const h = other.hessian(steps(fit));
    if (!h) throw new BumpscanError("the Hessian of the weighted likelihood could not be computed");
    return symmetric(new Matrix(h.matrix));
  } finally {
    other.dispose();
    cm.activate();
  }
}

function symmetric(m: Matrix): Matrix {
  return m.add(m.transpose()).mul(0.5);
}

/**
 * C = Σ_samples λ² Σ_i wᵢ² ∇ln dᵢ ∇ln dᵢᵀ over the free parameters (λ the sample's NLL scale), the
 * gradient of the log of each event's total expected density dᵢ = Σ_c ν_c f_c(xᵢ) by central differences.
 */
function scoreOuter(cm: CompiledModel, fit: FitResult, data: Dataset[]): Matrix {
  const names = fit.covarianceNames;
  const base = Float64Array.from(cm.names, (n) => fit.values[n]);
  const h = steps(fit).map((s) => 0.2 * s);
  const C = Matrix.zeros(names.length, names.length);
  data.forEach((d, k) => {
    const grads = names.map((n, p) => {
      const i = cm.names.indexOf(n);
      const at = (x: number) => {
        const v = base.slice();
        v[i] = x;
        cm.values = v;
        return cm.density(k, d.values);
      };
      const up = at(base[i] + h[p]),
        down = at(base[i] - h[p]);
      return up.map((u, e) => (Math.log(u) - Math.log(down[e])) / (2 * h[p]));
    });
    for (let e = 0; e < d.values.length; e++) {
      const w2 = (cm.scales[k] * (d.weights ? d.weights[e] : 1)) ** 2;
      for (let p = 0; p < names.length; p++)
        for (let q = 0; q <= p; q++) C.set(p, q, C.get(p, q) + w2 * grads[p][e] * grads[q][e]);
    }
  });
  cm.values = base;
  for (let p = 0; p < names.length; p++) for (let q = 0; q < p; q++) C.set(q, p, C.get(p, q));
  return C;
}

/**
 * The covariance and errors of a fit to weighted events (`data`: the events `cm` was compiled
 * over, weights as given; `cm.scales` the NLL scales) by the chosen treatment.
 * @example
 * import { compileAt, instantiateCore } from "bumpscan/core";
 * import { fit, weightedErrors } from "bumpscan/infer";
 * import { demoSpec } from "bumpscan";
 * const spec = { ...demoSpec(), signal: { shape: "gaussian", sigma: 0.05 }, background: { shape: "exponential" } };
 * const values = new Float64Array(400).map((_, i) => 0.3 + (7.4 * (i + 0.5)) / 400);
 * const data = [{ values, weights: new Float64Array(400).fill(0.5) }]; // each event counts half
 * const { cm } = compileAt(await instantiateCore(), spec, data, 4);
 * const { errors } = weightedErrors(cm, fit(cm), data, "asymptotic"); // the sandwich H⁻¹CH⁻¹
 * errors.nbkg; // => 10.11
 */
export function weightedErrors(
  cm: CompiledModel,
  fit: FitResult,
  data: Dataset[],
  mode: ErrorMode,
): { covariance: number[][]; errors: Record<string, number> } {
  const V = fit.covariance ? new Matrix(fit.covariance) : undefined;
  if (!V || fit.covarianceNames.length === 0 || V.to1DArray().some((x) => !Number.isFinite(x))) {
    return { covariance: fit.covariance ?? [], errors: fit.errors };
  }
  let cov: Matrix;
  if (mode === "asymptotic") cov = V.mmul(scoreOuter(cm, fit, data)).mmul(V);
  else if (mode === "sumw2") {
    // RooFit's V·H(w²)·V on the unscaled likelihood is, with V = H⁻¹ of the scaled one, V·H(w², λ²)·V
    const squared = data.map((d) => (d.weights ? { values: d.values, weights: d.weights.map((w) => w * w) } : d));
    cov = V.mmul(
      hessianOver(
        cm,
        fit,
        squared,
        cm.scales.map((l) => l * l),
      ),
    ).mmul(V);
  } else {
    const H = hessianOver(
      cm,
      fit,
      data,
      cm.scales.map(() => 1),
    );
    const chol = new CholeskyDecomposition(H);
    if (!chol.isPositiveDefinite())
      throw new BumpscanError(
        'the Hessian of the likelihood with the weights as given is not positive definite: no "hesse" errors',
      );
    cov = chol.solve(Matrix.eye(H.rows));
  }
  const covariance = symmetric(cov).to2DArray();
  const errors = { ...fit.errors };
  fit.covarianceNames.forEach((n, k) => (errors[n] = Math.sqrt(covariance[k][k])));
  return { covariance, errors };
}
