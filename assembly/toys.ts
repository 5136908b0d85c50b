// Toy experiments inside WASM: generate a dataset from the total density of the model at given
// parameter values, fit it twice (POI free with POI ≥ 0, and POI fixed), return the test
// statistic. Nothing leaves WASM between toys.
//
// Generation: the number of events is Poisson(ν_total); each event is drawn from a tabulated
// envelope and accepted with probability density/envelope, so the sample follows the total
// density exactly — also where a negative signal yield pulls it below the background. Per cell
// the envelope is 1.03 × the density's maximum over five points, and a squeeze 0.97 × their minimum
// accepts most candidates without evaluating the density at all. Cells (from TS: uniform panels
// refined near peaks, as the Asimov grid) are chosen in O(1) by Walker's alias method, and one
// Philox block (four 32-bit draws) serves one candidate. A density above its envelope is counted.
import {
  model, values, word, setWord, iword, nParams, nSamples, nConstraints, constraint, sample, component,
  sData, sComponents, cKind, cArgs, cArgPtr, yieldOf,
} from "./model";
import { refreshNorm, setFree, invalidateSample } from "./nll";
import { pdfValue } from "./pdf/index";
import { minimize, CONVERGED, useMetricSlot, forgetMetrics, freezeMetrics } from "./minimizer";
import { seedStream, poisson, gaussian, bits32, uniform32 } from "./rng";

const MAX_SAMPLES: i32 = 64;
const MAX_COMPONENTS: i32 = 64;
const gridEdges = memory.data(MAX_SAMPLES << 3, 16); // per sample: edges pointer
const gridCells = memory.data(MAX_SAMPLES << 3, 16); // per sample: number of cells
const gridWork = memory.data(MAX_SAMPLES << 3, 16); // per sample: 6 × cells words of work space
const capacity = memory.data(MAX_SAMPLES << 3, 16); // per sample: event buffer capacity
const nuTotal = memory.data(MAX_SAMPLES << 3, 16);
const yields = memory.data(MAX_COMPONENTS << 3, 16);
const savedMeans = memory.data(1024 << 3, 16);
const fitOut = memory.data((4 + 64) << 3, 16);
const calibration = memory.data(5 << 3, 16); // the result of the calibration toy (one μ; discarded)
let violations: i32 = 0;
let totalCalls: f64 = 0;

/** NLL+gradient evaluations of all toy fits since the last call (benchmarks). */
export function takeToyCalls(): f64 {
  const c = totalCalls;
  totalCalls = 0;
  return c;
}

/** Generate n toys of sample 0 only, no fits (benchmarks: the generator's share of a toy's time). */
export function generateOnly(gen: usize, n: i32, seedLo: u32, seedHi: u32): void {
  const np = <usize>nParams();
  memory.copy(values, gen, np << 3);
  for (let k = 0; k < nSamples(); k++) prepareGeneration(k);
  for (let t = 0; t < n; t++) {
    seedStream(seedLo, seedHi, <u32>t, 0, 0);
    for (let k = 0; k < nSamples(); k++) generateSample(k);
  }
}

@inline function getP(table: usize, k: i32): usize { return <usize>load<f64>(table + (<usize>k << 3)); }
@inline function getF(table: usize, k: i32): f64 { return load<f64>(table + (<usize>k << 3)); }
@inline function setF(table: usize, k: i32, v: f64): void { store<f64>(table + (<usize>k << 3), v); }

/**
 * Register sample k's generation cells (nEdges edges), work space of 6 × (nEdges − 1) words
 * (envelope, squeeze, alias probability and index, two stacks), and its event capacity. The caller
 * owns the memory and registers again before each batch (several toy models may share one core).
 */
export function setToyGrid(k: i32, edges: usize, nEdges: i32, work: usize, cap: i32): void {
  setF(gridEdges, k, <f64>edges);
  setF(gridCells, k, <f64>(nEdges - 1));
  setF(gridWork, k, <f64>work);
  setF(capacity, k, <f64>cap);
}

// work space layout: [env | low | prob | alias | stack small | stack large], cells words each
@inline function workPart(k: i32, part: i32): usize {
  return getP(gridWork, k) + (<usize>(part * <i32>getF(gridCells, k)) << 3);
}

/** Total density of sample s at m (yields in `yields`, norms current). */
function density(s: usize, m: f64): f64 {
  const nc = sComponents(s);
  let d: f64 = 0;
  for (let j = 0; j < nc; j++) {
    const c = component(s, j);
    d += load<f64>(yields + (<usize>j << 3)) * pdfValue(cKind(c), m, cArgPtr(c), cArgs(c)) / word(c, 7);
  }
  return d;
}

function prepareYields(s: usize): f64 {
  const nc = sComponents(s);
  let total: f64 = 0;
  for (let j = 0; j < nc; j++) {
    const c = component(s, j);
    refreshNorm(s, c);
    const y = yieldOf(c);
    store<f64>(yields + (<usize>j << 3), y);
    total += y;
  }
  return total;
}

/** Envelope, squeeze and alias table of sample k at the current values; returns ν_total. */
function prepareGeneration(k: i32): f64 {
  const s = sample(k);
  const total = prepareYields(s);
  setF(nuTotal, k, total);
  const edges = getP(gridEdges, k);
  const cells = <i32>getF(gridCells, k);
  const env = workPart(k, 0), low = workPart(k, 1), prob = workPart(k, 2), alias = workPart(k, 3);
  const small = workPart(k, 4), large = workPart(k, 5);
  let mass: f64 = 0;
  for (let j = 0; j < cells; j++) {
    const a = getF(edges, j), b = getF(edges, j + 1);
    let top: f64 = 0, bottom: f64 = Infinity;
    for (let q = 0; q <= 4; q++) {
      const d = density(s, a + (b - a) * 0.25 * <f64>q);
      top = Math.max(top, d);
      bottom = Math.min(bottom, d);
    }
    setF(env, j, 1.03 * top);
    setF(low, j, Math.max(0.0, 0.97 * bottom));
    setF(prob, j, 1.03 * top * (b - a));
    mass += 1.03 * top * (b - a);
  }
  // Vose's alias method: cell j keeps probability prob[j], else hands over to alias[j]
  let ns = 0, nl = 0;
  for (let j = 0; j < cells; j++) {
    const p = getF(prob, j) * <f64>cells / mass;
    setF(prob, j, p);
    if (p < 1.0) setF(small, ns++, <f64>j);
    else setF(large, nl++, <f64>j);
  }
  while (ns > 0 && nl > 0) {
    const sj = <i32>getF(small, --ns), lj = <i32>getF(large, --nl);
    setF(alias, sj, <f64>lj);
    const p = getF(prob, lj) + getF(prob, sj) - 1.0;
    setF(prob, lj, p);
    if (p < 1.0) setF(small, ns++, <f64>lj);
    else setF(large, nl++, <f64>lj);
  }
  while (nl > 0) setF(prob, <i32>getF(large, --nl), 1.0);
  while (ns > 0) setF(prob, <i32>getF(small, --ns), 1.0);
  return total;
}

/** Draw sample k's events into its data buffer; returns the count, or −1 if over capacity. */
function generateSample(k: i32): i32 {
  const s = sample(k);
  prepareYields(s); // the previous toy's fits left their own arguments and norms in the components
  const n = <i32>poisson(getF(nuTotal, k));
  if (<f64>n > getF(capacity, k)) return -1;
  const edges = getP(gridEdges, k);
  const cells = <i32>getF(gridCells, k);
  const env = workPart(k, 0), low = workPart(k, 1), prob = workPart(k, 2), alias = workPart(k, 3);
  const data = sData(s);
  for (let i = 0; i < n; i++) {
    for (;;) {
      let j = <i32>((<u64>bits32() * <u64>cells) >>> 32);
      if (uniform32() >= getF(prob, j)) j = <i32>getF(alias, j);
      const a = getF(edges, j);
      const m = a + (getF(edges, j + 1) - a) * uniform32();
      const y = uniform32() * getF(env, j);
      if (y > getF(low, j)) {
        const d = density(s, m);
        if (d > getF(env, j)) violations++;
        if (y > d) continue;
      }
      store<f64>(data + (<usize>i << 3), m);
      break;
    }
  }
  setWord(s, 2, <f64>n);
  invalidateSample(k);
  return n;
}

/** Points where the density exceeded its envelope since the last call (should stay 0). */
export function takeEnvelopeViolations(): i32 {
  const v = violations;
  violations = 0;
  return v;
}

/** Gaussian constraints: draw each auxiliary measurement around its generating value. */
function randomiseConstraints(gen: usize): void {
  const nk = nConstraints();
  for (let k = 0; k < nk; k++) {
    const q = constraint(k);
    store<f64>(savedMeans + (<usize>k << 3), word(q, 1));
    setWord(q, 1, getF(gen, iword(q, 0)) + word(q, 2) * gaussian());
  }
}

function restoreConstraints(): void {
  const nk = nConstraints();
  for (let k = 0; k < nk; k++) setWord(constraint(k), 1, load<f64>(savedMeans + (<usize>k << 3)));
}

/**
 * Run toys toy0 … toy0+nToys−1 of one stream: generate at `gen` (nParams words), fit with the POI
 * free (bounds `boundsFree`, POI ≥ 0, starting at least at poiStart, about half its error), then
 * with the POI fixed at each of the nMu values at `muTests` (bounds `bounds`). Background-only toys
 * are the same events at every POI value, so one generation and one free fit serve them all.
 * mode 0: q̃μ (0 when μ̂ > μ), mode 1: q0 (μ = 0). results, 3 + 2·nMu words per toy:
 * [μ̂, status free, events in sample 0, then per μ: q, status fixed]; a status ≠ 0 marks a failed
 * fit (4: the toy did not fit in the event buffer).
 */
export function runToys(gen: usize, nToys: i32, toy0: i32, seedLo: u32, seedHi: u32, poiIndex: u32, massHyp: u32,
  poi: i32, muTests: usize, nMu: i32, mode: i32, bounds: usize, boundsFree: usize, maskFree: usize, maskFixed: usize,
  maxCalls: i32, edmMax: f64, poiStart: f64, results: usize): void {
  const np = <usize>nParams();
  const ns = nSamples();
  memory.copy(values, gen, np << 3);
  for (let k = 0; k < ns; k++) prepareGeneration(k);
  // Calibrate the minimizer's starting metrics on toy 0 of the stream, then freeze them: every toy
  // then starts from the same metric whichever batch or worker runs it, so results never depend
  // on how the toys were split.
  forgetMetrics();
  const before = totalCalls;
  toy(gen, 0, seedLo, seedHi, poiIndex, massHyp, poi, muTests, 1, mode, bounds, boundsFree, maskFree, maskFixed, maxCalls, edmMax, poiStart, calibration);
  freezeMetrics();
  totalCalls = before; // the calibration toy's fits are not counted
  const stride = <usize>(3 + 2 * nMu);
  for (let t = 0; t < nToys; t++) {
    toy(gen, toy0 + t, seedLo, seedHi, poiIndex, massHyp, poi, muTests, nMu, mode, bounds, boundsFree, maskFree, maskFixed, maxCalls, edmMax,
      poiStart, results + ((<usize>t * stride) << 3));
  }
  forgetMetrics();
}

/** One toy: generate, fit free, fit at each μ; results as runToys describes. */
function toy(gen: usize, index: i32, seedLo: u32, seedHi: u32, poiIndex: u32, massHyp: u32, poi: i32, muTests: usize, nMu: i32, mode: i32,
  bounds: usize, boundsFree: usize, maskFree: usize, maskFixed: usize, maxCalls: i32, edmMax: f64, poiStart: f64, r: usize): void {
  const np = <usize>nParams();
  const ns = nSamples();
  seedStream(seedLo, seedHi, <u32>index, poiIndex, massHyp);
  memory.copy(values, gen, np << 3);
  let ok = true;
  let n0: i32 = 0;
  for (let k = 0; k < ns; k++) {
    const n = generateSample(k);
    if (k == 0) n0 = n;
    if (n < 0) ok = false;
  }
  setF(r, 2, <f64>n0);
  if (!ok) {
    setF(r, 0, NaN);
    setF(r, 1, 4);
    for (let j = 0; j < nMu; j++) { setF(r, 3 + 2 * j, NaN); setF(r, 4 + 2 * j, 4); }
    return;
  }
  randomiseConstraints(gen);
  // the free fit's POI starts well inside its μ ≥ 0 bound: next to it the bound's transform
  // flattens the gradient and the EDM would call a start point converged
  setF(values, poi, Math.max(getF(values, poi), poiStart));
  setFree(maskFree);
  useMetricSlot(0);
  const s1 = minimize(boundsFree, maxCalls, edmMax, fitOut);
  const nllFree = getF(fitOut, 0);
  totalCalls += getF(fitOut, 2);
  const muHat = getF(values, poi);
  setF(r, 0, muHat);
  setF(r, 1, <f64>s1);
  setFree(maskFixed);
  useMetricSlot(1);
  for (let j = 0; j < nMu; j++) {
    const mu = getF(muTests, j);
    memory.copy(values, gen, np << 3);
    setF(values, poi, mu);
    const s2 = minimize(bounds, maxCalls, edmMax, fitOut);
    totalCalls += getF(fitOut, 2);
    const q = mode == 0 && muHat > mu ? 0.0 : Math.max(0.0, 2.0 * (getF(fitOut, 0) - nllFree));
    setF(r, 3 + 2 * j, q);
    setF(r, 4 + 2 * j, <f64>s2);
  }
  useMetricSlot(-1);
  restoreConstraints();
}

export { CONVERGED, model };
