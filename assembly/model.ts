// The compiled model: a flat table of f64 words written by src/core/compile.ts. Its layout (the
// MODEL, CONSTRAINT, SAMPLE, COMPONENT and FACTOR records) is defined once, with every word's
// meaning, in src/core/abi.ts; the accessors below are the only reads of it on this side.
// GUARDS: observable values where the total density must stay ≥ 0 although no event may sit
// there (the signal peak): a negative signal yield cannot dig a hole below zero.
// The value vector holds the nParams parameters followed by the model's constants.
import {
  MODEL_N_PARAMS, MODEL_N_SAMPLES, MODEL_N_CONSTRAINTS, MODEL_CONSTRAINTS, MODEL_SAMPLES, CONSTRAINT_WORDS,
  SAMPLE_DATA, SAMPLE_WEIGHTS, SAMPLE_EVENTS, SAMPLE_LO, SAMPLE_HI, SAMPLE_N_COMPONENTS, SAMPLE_N_GUARDS,
  SAMPLE_GUARDS, SAMPLE_NLL_SCALE, SAMPLE_COMPONENTS, SAMPLE_R, SAMPLE_MAPPED, SAMPLE_FAST_COMPONENT,
  SAMPLE_MAPPED_VALID, COMPONENT_KIND, COMPONENT_N_ARGS, COMPONENT_YIELD_CONSTANT, COMPONENT_N_FACTORS,
  COMPONENT_BUFFER, COMPONENT_ARG_VALUES, COMPONENT_SNAPSHOT, COMPONENT_NORM, COMPONENT_ARGS, FACTOR_PARAM,
  FACTOR_KAPPA, FACTOR_WORDS,
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
@inline export function sR(s: usize): usize { return pword(s, SAMPLE_R); }
@inline export function sMapped(s: usize): usize { return pword(s, SAMPLE_MAPPED); }
@inline export function sFastComponent(s: usize): i32 { return iword(s, SAMPLE_FAST_COMPONENT); }
@inline export function sMappedValid(s: usize): bool { return word(s, SAMPLE_MAPPED_VALID) != 0; }

// Component fields
@inline export function cKind(c: usize): i32 { return iword(c, COMPONENT_KIND); }
@inline export function cArgs(c: usize): i32 { return iword(c, COMPONENT_N_ARGS); }
@inline export function cFactors(c: usize): i32 { return iword(c, COMPONENT_N_FACTORS); }
@inline export function cBuf(c: usize): usize { return pword(c, COMPONENT_BUFFER); }
@inline export function cArgPtr(c: usize): usize { return pword(c, COMPONENT_ARG_VALUES); }
@inline export function cArgIndex(c: usize, j: i32): i32 { return iword(c, COMPONENT_ARGS + j); }
// FACTOR records follow the nArgs argument indices
@inline export function cFactorParam(c: usize, f: i32): i32 {
  return iword(c, COMPONENT_ARGS + FACTOR_PARAM + cArgs(c) + FACTOR_WORDS * f);
}
@inline export function cFactorKappa(c: usize, f: i32): f64 {
  return word(c, COMPONENT_ARGS + FACTOR_KAPPA + cArgs(c) + FACTOR_WORDS * f);
}
@inline export function cSnapshot(c: usize): usize { return pword(c, COMPONENT_SNAPSHOT); }
@inline export function cNorm(c: usize): f64 { return word(c, COMPONENT_NORM); }
@inline export function setNorm(c: usize, v: f64): void { setWord(c, COMPONENT_NORM, v); }

/** The component's expected yield: constant × Π parameters × Π κ^θ. */
export function yieldOf(c: usize): f64 {
  let y = word(c, COMPONENT_YIELD_CONSTANT);
  const nf = cFactors(c);
  for (let f = 0; f < nf; f++) {
    const v = value(cFactorParam(c, f));
    const kappa = cFactorKappa(c, f);
    y *= kappa == 0 ? v : Math.pow(kappa, v);
  }
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
      const v = value(cFactorParam(c, g));
      const kappa = cFactorKappa(c, g);
      if (g == f) d *= kappa == 0 ? 1.0 : Math.pow(kappa, v) * Math.log(kappa);
      else d *= kappa == 0 ? v : Math.pow(kappa, v);
    }
    sum += d;
  }
  return sum;
}
