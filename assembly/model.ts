// The compiled model: a flat table of f64 words written by src/core/compile.ts. Its layout (the
// MODEL, CONSTRAINT, SAMPLE, COMPONENT and FACTOR records) is defined once, with every word's
// meaning, in src/core/abi.ts; the accessors below are the only reads of it on this side.
// GUARDS: observable values where the total density must stay ≥ 0 although no event may sit
// there (the signal peak): a negative signal yield cannot dig a hole below zero.
// HOLES: vetoed open intervals (a, b) of the range; every PDF is normalised over the range less
// them and is 0 inside them.
// The value vector holds the nParams parameters followed by the model's constants.
import {
  MODEL_N_PARAMS, MODEL_N_SAMPLES, MODEL_N_CONSTRAINTS, MODEL_CONSTRAINTS, MODEL_SAMPLES, CONSTRAINT_WORDS,
  SAMPLE_DATA, SAMPLE_WEIGHTS, SAMPLE_EVENTS, SAMPLE_LO, SAMPLE_HI, SAMPLE_N_COMPONENTS, SAMPLE_N_GUARDS,
  SAMPLE_GUARDS, SAMPLE_NLL_SCALE, SAMPLE_COMPONENTS, SAMPLE_MAPPED, SAMPLE_FAST_COMPONENT,
  SAMPLE_MAPPED_VALID, SAMPLE_N_HOLES, SAMPLE_HOLES, COMPONENT_KIND, COMPONENT_N_ARGS, COMPONENT_YIELD_CONSTANT,
  COMPONENT_N_FACTORS, COMPONENT_BUFFER, COMPONENT_ARG_VALUES, COMPONENT_SNAPSHOT, COMPONENT_NORM,
  COMPONENT_N_ARG_FACTORS, COMPONENT_ARGS, FACTOR_PARAM, FACTOR_FORM, FACTOR_COEF, FACTOR_ARG, FACTOR_WORDS,
  FORM_LOG_NORMAL, FORM_GAUSS,
} from "../src/core/abi";

export let model: usize = 0;
export let values: usize = 0;

@inline export function word(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}
@inline export function setWord(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}
@inline export function iword(p: usize, i: i32): i32 {
  return <i32>load<f64>(p + (<usize>i << 3));
}
@inline export function pword(p: usize, i: i32): usize {
  return <usize>load<f64>(p + (<usize>i << 3));
}

export function setModel(m: usize, v: usize): void {
  model = m;
  values = v;
}

@inline export function nParams(): i32 { return iword(model, MODEL_N_PARAMS); }
@inline export function nSamples(): i32 { return iword(model, MODEL_N_SAMPLES); }
@inline export function nConstraints(): i32 { return iword(model, MODEL_N_CONSTRAINTS); }
@inline export function constraint(k: i32): usize {
  return model + ((<usize>iword(model, MODEL_CONSTRAINTS) + <usize>CONSTRAINT_WORDS * <usize>k) << 3);
}
@inline export function sample(s: i32): usize { return model + (<usize>iword(model, MODEL_SAMPLES + s) << 3); }
@inline export function component(s: usize, c: i32): usize {
  return model + (<usize>iword(s, SAMPLE_COMPONENTS + c) << 3);
}
@inline export function value(i: i32): f64 { return load<f64>(values + (<usize>i << 3)); }

// Sample fields
@inline export function sData(s: usize): usize { return pword(s, SAMPLE_DATA); }
@inline export function sWeights(s: usize): usize { return pword(s, SAMPLE_WEIGHTS); }
@inline export function sEvents(s: usize): i32 { return iword(s, SAMPLE_EVENTS); }
@inline export function sLo(s: usize): f64 { return word(s, SAMPLE_LO); }
@inline export function sHi(s: usize): f64 { return word(s, SAMPLE_HI); }
@inline export function sComponents(s: usize): i32 { return iword(s, SAMPLE_N_COMPONENTS); }
@inline export function sGuards(s: usize): i32 { return iword(s, SAMPLE_N_GUARDS); }
@inline export function sScale(s: usize): f64 { return word(s, SAMPLE_NLL_SCALE); }
@inline export function sGuard(s: usize, k: i32): f64 { return word(model, iword(s, SAMPLE_GUARDS) + k); }
@inline export function sMapped(s: usize): usize { return pword(s, SAMPLE_MAPPED); }
@inline export function sFastComponent(s: usize): i32 { return iword(s, SAMPLE_FAST_COMPONENT); }
@inline export function sMappedValid(s: usize): bool { return word(s, SAMPLE_MAPPED_VALID) != 0; }
@inline export function sHoles(s: usize): i32 { return iword(s, SAMPLE_N_HOLES); }
@inline export function sHoleLo(s: usize, k: i32): f64 { return word(model, iword(s, SAMPLE_HOLES) + 2 * k); }
@inline export function sHoleHi(s: usize, k: i32): f64 { return word(model, iword(s, SAMPLE_HOLES) + 2 * k + 1); }

/** Whether m lies inside one of the sample's vetoes (open intervals: their ends are allowed). */
export function inHole(s: usize, m: f64): bool {
  const nh = sHoles(s);
  for (let k = 0; k < nh; k++) if (m > sHoleLo(s, k) && m < sHoleHi(s, k)) return true;
  return false;
}

// Component fields
@inline export function cKind(c: usize): i32 { return iword(c, COMPONENT_KIND); }
@inline export function cArgs(c: usize): i32 { return iword(c, COMPONENT_N_ARGS); }
@inline export function cFactors(c: usize): i32 { return iword(c, COMPONENT_N_FACTORS); }
@inline export function cBuf(c: usize): usize { return pword(c, COMPONENT_BUFFER); }
@inline export function cArgPtr(c: usize): usize { return pword(c, COMPONENT_ARG_VALUES); }
@inline export function cArgIndex(c: usize, j: i32): i32 { return iword(c, COMPONENT_ARGS + j); }
@inline export function cArgFactors(c: usize): i32 { return iword(c, COMPONENT_N_ARG_FACTORS); }
// FACTOR records follow the nArgs argument indices: the yield's nFactors, then nArgFactors on arguments
@inline function factorWord(c: usize, f: i32, field: i32): f64 {
  return word(c, COMPONENT_ARGS + cArgs(c) + FACTOR_WORDS * f + field);
}
@inline export function cFactorParam(c: usize, f: i32): i32 { return <i32>factorWord(c, f, FACTOR_PARAM); }
@inline export function cFactorForm(c: usize, f: i32): i32 { return <i32>factorWord(c, f, FACTOR_FORM); }
@inline export function cFactorCoef(c: usize, f: i32): f64 { return factorWord(c, f, FACTOR_COEF); }
/** The g-th factor on an argument: its record index among all the component's factors. */
@inline export function argFactorIndex(c: usize, g: i32): i32 { return cFactors(c) + g; }
@inline export function cFactorArg(c: usize, f: i32): i32 { return <i32>factorWord(c, f, FACTOR_ARG); }
@inline export function cSnapshot(c: usize): usize { return pword(c, COMPONENT_SNAPSHOT); }
@inline export function cNorm(c: usize): f64 { return word(c, COMPONENT_NORM); }
@inline export function setNorm(c: usize, v: f64): void { setWord(c, COMPONENT_NORM, v); }

/** F(θ) of a factor: θ, κ^θ, or 1 + r·θ (NaN where that is ≤ 0: the NLL is then +∞). */
@inline export function factorValue(form: i32, coef: f64, v: f64): f64 {
  if (form == FORM_LOG_NORMAL) return Math.pow(coef, v);
  if (form == FORM_GAUSS) {
    const f = 1.0 + coef * v;
    return f > 0 ? f : NaN;
  }
  return v;
}

/** dF/dθ of a factor. */
@inline export function factorSlope(form: i32, coef: f64, v: f64): f64 {
  if (form == FORM_LOG_NORMAL) return Math.pow(coef, v) * Math.log(coef);
  if (form == FORM_GAUSS) return coef;
  return 1.0;
}

@inline function factorAt(c: usize, f: i32): f64 {
  return factorValue(cFactorForm(c, f), cFactorCoef(c, f), value(cFactorParam(c, f)));
}

/** The component's expected yield: constant × Π factors (parameters, κ^θ, 1 + r·θ). */
export function yieldOf(c: usize): f64 {
  let y = word(c, COMPONENT_YIELD_CONSTANT);
  const nf = cFactors(c);
  for (let f = 0; f < nf; f++) y *= factorAt(c, f);
  return y;
}

/** ∂ yield/∂ parameter p (0 if p is not among its factors). */
export function yieldDerivative(c: usize, p: i32): f64 {
  let sum: f64 = 0;
  const nf = cFactors(c);
  for (let f = 0; f < nf; f++) {
    if (cFactorParam(c, f) != p) continue;
    let d = word(c, COMPONENT_YIELD_CONSTANT);
    for (let g = 0; g < nf; g++) {
      if (g == f) d *= factorSlope(cFactorForm(c, g), cFactorCoef(c, g), value(cFactorParam(c, g)));
      else d *= factorAt(c, g);
    }
    sum += d;
  }
  return sum;
}

/**
 * Gather the component's arguments into its ARG_VALUES buffer: each base from the value vector,
 * times the factors on it. False where a factor is NaN (1 + r·θ ≤ 0): no valid model there.
 */
export function gatherArgs(c: usize): bool {
  const na = cArgs(c);
  const args = pword(c, COMPONENT_ARG_VALUES);
  for (let a = 0; a < na; a++) store<f64>(args + (<usize>a << 3), value(cArgIndex(c, a)));
  const ng = cArgFactors(c);
  if (ng == 0) return true;
  let ok = true;
  for (let g = 0; g < ng; g++) {
    const f = argFactorIndex(c, g);
    const p = args + (<usize>cFactorArg(c, f) << 3);
    const v = load<f64>(p) * factorAt(c, f);
    if (isNaN(v)) ok = false;
    store<f64>(p, v);
  }
  return ok;
}

/**
 * ∂ argument a/∂ parameter p: the product of the other terms for each place p takes in it (its
 * base, its factors); 0 if p is not among them.
 */
export function argDerivative(c: usize, a: i32, p: i32): f64 {
  const ng = cArgFactors(c);
  const base = value(cArgIndex(c, a));
  let sum: f64 = 0;
  if (cArgIndex(c, a) == p) {
    let d: f64 = 1.0;
    for (let g = 0; g < ng; g++) {
      const f = argFactorIndex(c, g);
      if (cFactorArg(c, f) == a) d *= factorAt(c, f);
    }
    sum += d;
  }
  for (let g = 0; g < ng; g++) {
    const f = argFactorIndex(c, g);
    if (cFactorArg(c, f) != a || cFactorParam(c, f) != p) continue;
    let d = base;
    for (let h = 0; h < ng; h++) {
      const e = argFactorIndex(c, h);
      if (cFactorArg(c, e) != a) continue;
      if (h == g) d *= factorSlope(cFactorForm(c, e), cFactorCoef(c, e), value(cFactorParam(c, e)));
      else d *= factorAt(c, e);
    }
    sum += d;
  }
  return sum;
}
