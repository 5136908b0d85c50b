// Toy experiments inside WASM: generate a dataset from the total density of the model at given
// parameter values, fit it twice (POI free with POI ≥ 0, and POI fixed), return the test
// statistic. Nothing leaves WASM between toys.
//
// Generation: the number of events is Poisson(ν_total); each event is drawn from a tabulated
// envelope (per cell: the density's maximum over five points, times 1.1) and accepted with
// probability density/envelope, so the sample follows the total density exactly — also where a
// negative signal yield pulls it below the background. Cells come from TS (uniform panels refined
// near peaks, as the Asimov grid). A point where the density exceeds its envelope is counted.
import {
  model, values, word, setWord, iword, nParams, nSamples, nConstraints, constraint, sample, component,
  sData, sEvents, sComponents, cKind, cArgs, cArgPtr, cBuf, yieldOf,
} from "./model";
import { refreshNorm, setFree } from "./nll";
import { pdfValue } from "./pdf/index";
import { minimize, CONVERGED, useMetricSlot, forgetMetrics, freezeMetrics } from "./minimizer";
import { seedStream, uniform, poisson, gaussian } from "./rng";

const MAX_SAMPLES: i32 = 64;
const MAX_COMPONENTS: i32 = 64;
const gridEdges = memory.data(MAX_SAMPLES << 3, 16); // per sample: edges pointer
const gridCells = memory.data(MAX_SAMPLES << 3, 16); // per sample: number of cells
const gridEnv = memory.data(MAX_SAMPLES << 3, 16); // per sample: envelope per cell
const gridCum = memory.data(MAX_SAMPLES << 3, 16); // per sample: cumulative envelope mass
const capacity = memory.data(MAX_SAMPLES << 3, 16); // per sample: event buffer capacity
const nuTotal = memory.data(MAX_SAMPLES << 3, 16);
const yields = memory.data(MAX_COMPONENTS << 3, 16);
const parts = memory.data(MAX_COMPONENTS << 3, 16); // normalised component values at the last point
const savedMeans = memory.data(1024 << 3, 16);
const fitOut = memory.data((4 + 64) << 3, 16);
const calibration = memory.data(5 << 3, 16); // the result of the calibration toy (discarded)
let violations: i32 = 0;

@inline function getP(table: usize, k: i32): usize { return <usize>load<f64>(table + (<usize>k << 3)); }
@inline function getF(table: usize, k: i32): f64 { return load<f64>(table + (<usize>k << 3)); }
@inline function setF(table: usize, k: i32, v: f64): void { store<f64>(table + (<usize>k << 3), v); }

/**
 * Register sample k's generation cells (nEdges edges), work space for its envelope (nEdges − 1
 * words) and cumulative mass (nEdges words), and its event capacity. The caller owns the memory
 * and registers again before each batch (several toy models may share one core).
 */
export function setToyGrid(k: i32, edges: usize, nEdges: i32, env: usize, cum: usize, cap: i32): void {
  setF(gridEdges, k, <f64>edges);
  setF(gridCells, k, <f64>(nEdges - 1));
  setF(gridEnv, k, <f64>env);
  setF(gridCum, k, <f64>cum);
  setF(capacity, k, <f64>cap);
}

/** Total density of sample s at m (yields in `yields`, norms current); components kept in `parts`. */
function density(s: usize, m: f64): f64 {
  const nc = sComponents(s);
  let d: f64 = 0;
  for (let j = 0; j < nc; j++) {
    const c = component(s, j);
    const f = pdfValue(cKind(c), m, cArgPtr(c), cArgs(c)) / word(c, 7);
    store<f64>(parts + (<usize>j << 3), f);
    d += load<f64>(yields + (<usize>j << 3)) * f;
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

/** Envelope and cumulative mass of sample k at the current values; returns ν_total. */
function prepareGeneration(k: i32): f64 {
  const s = sample(k);
  const total = prepareYields(s);
  setF(nuTotal, k, total);
  const edges = getP(gridEdges, k), env = getP(gridEnv, k), cum = getP(gridCum, k);
  const cells = <i32>getF(gridCells, k);
  let acc: f64 = 0;
  setF(cum, 0, 0);
  for (let j = 0; j < cells; j++) {
    const a = getF(edges, j), b = getF(edges, j + 1);
    let top: f64 = 0;
    for (let q = 0; q <= 4; q++) top = Math.max(top, density(s, a + (b - a) * 0.25 * <f64>q));
    top *= 1.1;
    setF(env, j, top);
    acc += top * (b - a);
    setF(cum, j + 1, acc);
  }
  return total;
}

/** Draw sample k's events into its data buffer; returns the count, or −1 if over capacity. */
function generateSample(k: i32): i32 {
  const s = sample(k);
  prepareYields(s);
  const n = <i32>poisson(getF(nuTotal, k));
  if (<f64>n > getF(capacity, k)) return -1;
  const edges = getP(gridEdges, k), env = getP(gridEnv, k), cum = getP(gridCum, k);
  const cells = <i32>getF(gridCells, k);
  const totalMass = getF(cum, cells);
  const data = sData(s);
  const nc = sComponents(s);
  for (let i = 0; i < n; i++) {
    for (;;) {
      const target = uniform() * totalMass;
      let lo = 0, hi = cells;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (getF(cum, mid) <= target) lo = mid;
        else hi = mid;
      }
      const a = getF(edges, lo), b = getF(edges, lo + 1);
      const m = a + (b - a) * uniform();
      const d = density(s, m);
      const e = getF(env, lo);
      if (d > e) violations++;
      if (uniform() * e <= d) {
        store<f64>(data + (<usize>i << 3), m);
        // the per-event caches get the values just computed: no component is evaluated again
        for (let j = 0; j < nc; j++) store<f64>(cBuf(component(s, j)) + (<usize>i << 3), load<f64>(parts + (<usize>j << 3)));
        break;
      }
    }
  }
  setWord(s, 2, <f64>n);
  // the caches hold the generating arguments; only the mapped x must be rebuilt
  for (let j = 0; j < nc; j++) {
    const c = component(s, j);
    memory.copy(<usize>word(c, 6), cArgPtr(c), <usize>cArgs(c) << 3);
  }
  setWord(s, 11, 0);
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
 * Run toys toy0 … toy0+nToys−1 of one stream: generate at `gen` (nParams words), fit with the
 * POI free (bounds `boundsFree`, POI ≥ 0) and with the POI fixed at `muTest` (bounds `bounds`).
 * mode 0: q̃μ (0 when μ̂ > muTest), mode 1: q0 (muTest = 0). results: 5 words per toy
 * [q, μ̂, status free, status fixed, events in sample 0]; a status ≠ 0 marks a failed toy fit
 * (status 4: the toy did not fit in the event buffer).
 */
export function runToys(gen: usize, nToys: i32, toy0: i32, seedLo: u32, seedHi: u32, poiIndex: u32, massHyp: u32,
  poi: i32, muTest: f64, mode: i32, bounds: usize, boundsFree: usize, maskFree: usize, maskFixed: usize,
  maxCalls: i32, edmMax: f64, results: usize): void {
  const np = <usize>nParams();
  const ns = nSamples();
  memory.copy(values, gen, np << 3);
  for (let k = 0; k < ns; k++) prepareGeneration(k);
  // Calibrate the minimizer's starting metrics on toy 0 of the stream, then freeze them: every toy
  // then starts from the same metric whichever batch or worker runs it, so results never depend
  // on how the toys were split.
  forgetMetrics();
  toy(gen, 0, seedLo, seedHi, poiIndex, massHyp, poi, muTest, mode, bounds, boundsFree, maskFree, maskFixed, maxCalls, edmMax, calibration);
  freezeMetrics();
  for (let t = 0; t < nToys; t++) {
    toy(gen, toy0 + t, seedLo, seedHi, poiIndex, massHyp, poi, muTest, mode, bounds, boundsFree, maskFree, maskFixed, maxCalls, edmMax,
      results + (<usize>(5 * t) << 3));
  }
  forgetMetrics();
}

/** One toy: generate, fit twice, write [q, μ̂, status free, status fixed, events in sample 0] to r. */
function toy(gen: usize, index: i32, seedLo: u32, seedHi: u32, poiIndex: u32, massHyp: u32, poi: i32, muTest: f64, mode: i32,
  bounds: usize, boundsFree: usize, maskFree: usize, maskFixed: usize, maxCalls: i32, edmMax: f64, r: usize): void {
  const np = <usize>nParams();
  const ns = nSamples();
  {
    seedStream(seedLo, seedHi, <u32>index, poiIndex, massHyp);
    memory.copy(values, gen, np << 3);
    let ok = true;
    let n0: i32 = 0;
    for (let k = 0; k < ns; k++) {
      const n = generateSample(k);
      if (k == 0) n0 = n;
      if (n < 0) ok = false;
    }
    if (!ok) {
      setF(r, 0, NaN); setF(r, 1, NaN); setF(r, 2, 4); setF(r, 3, 4); setF(r, 4, <f64>n0);
      return;
    }
    randomiseConstraints(gen);
    setFree(maskFree);
    useMetricSlot(0);
    const s1 = minimize(boundsFree, maxCalls, edmMax, fitOut);
    const nllFree = getF(fitOut, 0);
    const muHat = getF(values, poi);
    memory.copy(values, gen, np << 3);
    setF(values, poi, muTest);
    setFree(maskFixed);
    useMetricSlot(1);
    const s2 = minimize(bounds, maxCalls, edmMax, fitOut);
    useMetricSlot(-1);
    const nllFixed = getF(fitOut, 0);
    restoreConstraints();
    const q = mode == 0 && muHat > muTest ? 0.0 : Math.max(0.0, 2.0 * (nllFixed - nllFree));
    setF(r, 0, q);
    setF(r, 1, muHat);
    setF(r, 2, <f64>s1);
    setF(r, 3, <f64>s2);
    setF(r, 4, <f64>n0);
  }
}

export { CONVERGED, model };
