// The compiled model: a flat table of f64 words written by src/core/compile.ts.
// Words marked * are filled in here by prepareModel.
//
// MODEL       0 nParams, 1 nValues, 2 nSamples, 3 nConstraints, 4 constraintsOff, 5.. sampleOff[s]
// CONSTRAINT  paramIndex, mean, sigma                       (Gaussian: ½((θ − mean)/sigma)²)
// SAMPLE      0 dataPtr, 1 weightPtr (0: unweighted), 2 nEvents, 3 lo, 4 hi, 5 nComponents,
//             6 rPtr*, 7 xPtr*, 8 fastComp*, 9 nGuards, 10 guardsOff, 11 xValid*, 12 nllScale,
//             13.. componentOff[c]    (nllScale: the sample's NLL is multiplied by it; weighted
//             events use Σw/Σw², so that the curvature counts the effective number of events)
// GUARDS      observable values where the total density must stay ≥ 0 although no event may sit
//             there (the signal peak): a negative signal yield cannot dig a hole below zero.
// COMPONENT   0 kind, 1 nArgs, 2 yieldConst, 3 nFactors, 4 bufPtr*, 5 argsPtr*, 6 snapPtr*, 7 norm*,
//             8.. argIndex[nArgs] (into the value vector), then nFactors × (paramIndex, kappa):
//             kappa = 0 multiplies the yield by the parameter, kappa > 0 by kappa^parameter.
// Offsets are in words from the model's start. The value vector holds the nParams parameters
// followed by the model's constants (signal mass, widths, mapping ranges, ...).

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

@inline export function nParams(): i32 { return iword(model, 0); }
@inline export function nSamples(): i32 { return iword(model, 2); }
@inline export function nConstraints(): i32 { return iword(model, 3); }
@inline export function constraint(k: i32): usize { return model + ((<usize>iword(model, 4) + 3 * <usize>k) << 3); }
@inline export function sample(s: i32): usize { return model + (<usize>iword(model, 5 + s) << 3); }
@inline export function component(s: usize, c: i32): usize { return model + (<usize>iword(s, 13 + c) << 3); }
@inline export function value(i: i32): f64 { return load<f64>(values + (<usize>i << 3)); }

// Sample fields
@inline export function sData(s: usize): usize { return pword(s, 0); }
@inline export function sWeights(s: usize): usize { return pword(s, 1); }
@inline export function sEvents(s: usize): i32 { return iword(s, 2); }
@inline export function sLo(s: usize): f64 { return word(s, 3); }
@inline export function sHi(s: usize): f64 { return word(s, 4); }
@inline export function sComponents(s: usize): i32 { return iword(s, 5); }
@inline export function sGuards(s: usize): i32 { return iword(s, 9); }
@inline export function sScale(s: usize): f64 { return word(s, 12); }
@inline export function sGuard(s: usize, k: i32): f64 { return word(model, iword(s, 10) + k); }

// Component fields
@inline export function cKind(c: usize): i32 { return iword(c, 0); }
@inline export function cArgs(c: usize): i32 { return iword(c, 1); }
@inline export function cFactors(c: usize): i32 { return iword(c, 3); }
@inline export function cBuf(c: usize): usize { return pword(c, 4); }
@inline export function cArgPtr(c: usize): usize { return pword(c, 5); }
@inline export function cArgIndex(c: usize, j: i32): i32 { return iword(c, 8 + j); }
@inline export function cFactorParam(c: usize, f: i32): i32 { return iword(c, 8 + cArgs(c) + 2 * f); }
@inline export function cFactorKappa(c: usize, f: i32): f64 { return word(c, 9 + cArgs(c) + 2 * f); }

/** The component's expected yield: constant × Π parameters × Π κ^θ. */
export function yieldOf(c: usize): f64 {
  let y = word(c, 2);
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
    let d = word(c, 2);
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
