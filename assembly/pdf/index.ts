// One entry point per PDF operation, dispatching on the kind code the compiled model stores.
// `a` points at the component's gathered arguments (f64 each); `nargs` is their count.
// Kinds with an analytic shape gradient (exponential families, linear shapes, the peaks' location
// and scales) also give the derivative of their integral with respect to argument j; the per-event
// derivatives are summed in the general passes (general.ts).
import { uniformIntegral } from "./uniform";
import { gaussianValue, gaussianIntegral, gaussianIntegralDerivative } from "./gaussian";
import {
  crystalBallValue, crystalBallIntegral, crystalBallFill, doubleCBValue, doubleCBIntegral,
  crystalBallIntegralDerivative, doubleCBIntegralDerivative,
} from "./crystalball";
import { exponentialValue, exponentialIntegral } from "./exponential";
import {
  mapX, chebyshevValue, chebyshevIntegral, chebyshevBasisIntegral,
  polynomialValue, polynomialIntegral, polynomialBasisIntegral,
} from "./polynomials";
import { expPolyExponent, expPolyValue, expPolyMoment } from "./exppoly";
import { argusValue, argusIntegral, argusIntegralDerivative } from "./argus";
import { vectorFill } from "./vfill";
import { templateValue, templateIntegral } from "./template";
import { GL_N, glNode, glWeight } from "../quadrature";

// the kind codes the compiled model stores (COMPONENT_KIND), from the shared ABI
export {
  PDF_UNIFORM as UNIFORM, PDF_GAUSSIAN as GAUSSIAN, PDF_CRYSTAL_BALL as CRYSTAL_BALL, PDF_DOUBLE_CB as DOUBLE_CB,
  PDF_EXPONENTIAL as EXPONENTIAL, PDF_CHEBYSHEV as CHEBYSHEV, PDF_POLYNOMIAL as POLYNOMIAL, PDF_EXP_POLY as EXP_POLY,
  PDF_ARGUS as ARGUS, PDF_TEMPLATE as TEMPLATE,
} from "../../src/core/abi";
import {
  PDF_UNIFORM as UNIFORM, PDF_GAUSSIAN as GAUSSIAN, PDF_CRYSTAL_BALL as CRYSTAL_BALL, PDF_DOUBLE_CB as DOUBLE_CB,
  PDF_EXPONENTIAL as EXPONENTIAL, PDF_CHEBYSHEV as CHEBYSHEV, PDF_POLYNOMIAL as POLYNOMIAL, PDF_EXP_POLY as EXP_POLY,
  PDF_ARGUS as ARGUS, PDF_TEMPLATE as TEMPLATE,
} from "../../src/core/abi";

/** Unnormalised density g(m). */
export function pdfValue(kind: i32, m: f64, a: usize, nargs: i32): f64 {
  switch (kind) {
    case UNIFORM: return 1.0;
    case GAUSSIAN: return gaussianValue(m, a);
    case CRYSTAL_BALL: return crystalBallValue(m, a);
    case DOUBLE_CB: return doubleCBValue(m, a);
    case EXPONENTIAL: return exponentialValue(m, a);
    case CHEBYSHEV: return chebyshevValue(m, a, nargs - 2);
    case POLYNOMIAL: return polynomialValue(m, a, nargs - 2);
    case EXP_POLY: return expPolyValue(m, a, nargs - 2);
    case ARGUS: return argusValue(m, a);
    case TEMPLATE: return templateValue(m, a, nargs - 2);
  }
  return NaN;
}

/** ∫ g(m) dm over [lo, hi]. */
export function pdfIntegral(kind: i32, lo: f64, hi: f64, a: usize, nargs: i32): f64 {
  switch (kind) {
    case UNIFORM: return uniformIntegral(lo, hi);
    case GAUSSIAN: return gaussianIntegral(lo, hi, a);
    case CRYSTAL_BALL: return crystalBallIntegral(lo, hi, a);
    case DOUBLE_CB: return doubleCBIntegral(lo, hi, a);
    case EXPONENTIAL: return exponentialIntegral(lo, hi, a);
    case CHEBYSHEV: return chebyshevIntegral(lo, hi, a, nargs - 2);
    case POLYNOMIAL: return polynomialIntegral(lo, hi, a, nargs - 2);
    case EXP_POLY: return expPolyMoment(lo, hi, a, nargs - 2, 0);
    case ARGUS: return argusIntegral(lo, hi, a);
    case TEMPLATE: return templateIntegral(lo, hi, a, nargs - 2);
  }
  return NaN;
}

/**
 * out[i] = scale · g(xs[i]) for n events: the vector fill where the shape has one (pdf/vfill.ts),
 * else a scalar loop with the kind switch outside it.
 */
export function pdfFill(kind: i32, a: usize, nargs: i32, xs: usize, n: i32, out: usize, scale: f64): void {
  if (vectorFill(kind, a, nargs, xs, n, out, scale)) return;
  const end = xs + (<usize>n << 3);
  const d = out - xs;
  switch (kind) {
    case GAUSSIAN: for (let p = xs; p < end; p += 8) store<f64>(p + d, scale * gaussianValue(load<f64>(p), a)); return;
    case TEMPLATE: {
      for (let p = xs; p < end; p += 8) store<f64>(p + d, scale * templateValue(load<f64>(p), a, nargs - 2));
      return;
    }
    case EXP_POLY: {
      const order = nargs - 2;
      for (let p = xs; p < end; p += 8) {
        store<f64>(p + d, scale * Math.exp(expPolyExponent(mapX(load<f64>(p), a), a, order)));
      }
      return;
    }
  }
  for (let p = xs; p < end; p += 8) store<f64>(p + d, scale * pdfValue(kind, load<f64>(p), a, nargs));
}

/**
 * Whether argument j has an analytic derivative: the exponential's λ, the polynomial families'
 * coefficients, the peaks' mean and widths (Gaussian mean, σ; Crystal Ball mean, σ, and its tail's
 * α and n; double-sided mean, σ_L, σ_R and both tails' α and n; ARGUS's c). Other arguments (ARGUS's
 * m0 and p, mapping ranges) are differentiated numerically.
 */
export function pdfArgAnalytic(kind: i32, j: i32): bool {
  switch (kind) {
    case EXPONENTIAL: return true;
    case CHEBYSHEV: case POLYNOMIAL: case EXP_POLY: return j >= 2;
    case GAUSSIAN: return j <= 1;
    case CRYSTAL_BALL: return j <= 3;
    case DOUBLE_CB: return true;
    case ARGUS: return j == 1;
  }
  return false;
}

/** ∂/∂a_j of ∫ g dm over [lo, hi]. */
export function pdfIntegralDerivative(kind: i32, lo: f64, hi: f64, a: usize, nargs: i32, j: i32): f64 {
  switch (kind) {
    case GAUSSIAN: return gaussianIntegralDerivative(lo, hi, a, j);
    case CRYSTAL_BALL: return crystalBallIntegralDerivative(lo, hi, a, j);
    case DOUBLE_CB: return doubleCBIntegralDerivative(lo, hi, a, j);
    case EXPONENTIAL: {
      let sum: f64 = 0;
      for (let i = 0; i < GL_N; i++) {
        const m = glNode(i, lo, hi);
        sum += glWeight(i, lo, hi) * m * exponentialValue(m, a);
      }
      return sum;
    }
    case CHEBYSHEV: return chebyshevBasisIntegral(lo, hi, a, j - 1);
    case POLYNOMIAL: return polynomialBasisIntegral(lo, hi, a, j - 1);
    case EXP_POLY: return expPolyMoment(lo, hi, a, nargs - 2, j - 1);
    case ARGUS: return argusIntegralDerivative(lo, hi, a);
  }
  return NaN;
}
