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
// Vetoes: the density is 0 inside them and a candidate there is rejected; a cell overlapping one
// takes its envelope and squeeze from five points on each of its allowed pieces (none: the cell
// has no mass). The count is Poisson(Σν), the PDFs being normalised over the allowed region.
import {
  model, values, word, setWord, iword, nParams, nSamples, nConstraints, constraint, sample, component,
  sData, sComponents, cKind, cArgs, cArgPtr, cNorm, yieldOf, sHoles, sHoleLo, sHoleHi, inHole,
} from "./model";
import { refreshNorm, setFree, invalidateSample } from "./nll";
import { pdfValue } from "./pdf/index";
import { minimize, CONVERGED, useMetricSlot, forgetMetrics, freezeMetrics } from "./minimizer";
import { seedStream, poisson, gaussian, bits32, uniform32 } from "./rng";
import {
  MAX_SAMPLES, MAX_COMPONENTS, MAX_CONSTRAINTS, MAX_FREE, MINIMIZE_ERRORS, MINIMIZE_FVAL, MINIMIZE_NFCN, SAMPLE_EVENTS,
  CONSTRAINT_PARAM, CONSTRAINT_MEAN, CONSTRAINT_SIGMA, STATUS_TOY_OVERFLOW, TOY_MU_HAT, TOY_STATUS, TOY_EVENTS,
  TOY_TESTS, TEST_Q, TEST_STATUS, TEST_WORDS, TOY_STATISTIC_QMU, TOY_STATISTIC_Q0, TOY_STATISTIC_FC, RUN_GEN,
  RUN_COUNT, RUN_FIRST, RUN_SEED_LO,
  RUN_SEED_HI, RUN_GRID, RUN_MASS_INDEX, RUN_HYPOTHESIS, RUN_POI, RUN_MU_TESTS, RUN_N_MU, RUN_STATISTIC, RUN_BOUNDS,
  RUN_BOUNDS_FREE, RUN_MASK_FREE, RUN_MASK_FIXED, RUN_MAX_CALLS, RUN_EDM_MAX, RUN_POI_START, RUN_RESULTS,
} from "../src/core/abi";

// the six parts of a grid's work space (GRID_WORK_PER_CELL of src/core/abi.ts)
const ENV = 0, LOW = 1, PROB = 2, ALIAS = 3, SMALL = 4, LARGE = 5;
const gridEdges = memory.data(MAX_SAMPLES << 3, 16); // per sample: edges pointer
const gridCells = memory.data(MAX_SAMPLES << 3, 16); // per sample: number of cells
const gridWork = memory.data(MAX_SAMPLES << 3, 16); // per sample: 6 × cells words of work space
const capacity = memory.data(MAX_SAMPLES << 3, 16); // per sample: event buffer capacity
const nuTotal = memory.data(MAX_SAMPLES << 3, 16);
const yields = memory.data(MAX_COMPONENTS << 3, 16);
const savedMeans = memory.data(MAX_CONSTRAINTS << 3, 16);
const fitOut = memory.data((MINIMIZE_ERRORS + MAX_FREE) << 3, 16);
const calibration = memory.data((TOY_TESTS + TEST_WORDS) << 3, 16); // the calibration toy's result (one μ; discarded)
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

/**
 * One toy dataset of every sample, no fits: drawn at `gen` from the stream (seed, toy, grid,
 * massHyp) into the samples' event buffers (setToyGrid's grids and capacities); counts gets each
 * sample's number of events. Returns 0, or −1 where a sample overflowed its capacity.
 */
export function generateToy(
  gen: usize, seedLo: u32, seedHi: u32, toy: u32, grid: u32, massHyp: u32, counts: usize,
): i32 {
  const np = <usize>nParams();
  memory.copy(values, gen, np << 3);
  for (let k = 0; k < nSamples(); k++) prepareGeneration(k);
  seedStream(seedLo, seedHi, toy, grid, massHyp);
  let status: i32 = 0;
  for (let k = 0; k < nSamples(); k++) {
    const n = generateSample(k);
    setF(counts, k, <f64>n);
    if (n < 0) status = -1;
  }
  return status;
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
// (GRID_WORK_PER_CELL parts: the caller allocates that many words per cell)
@inline function workPart(k: i32, part: i32): usize {
  return getP(gridWork, k) + (<usize>(part * <i32>getF(gridCells, k)) << 3);
}

/** Whether the open cell (a, b) meets one of the sample's vetoes. */
function overlapsHole(s: usize, a: f64, b: f64): bool {
  const nh = sHoles(s);
  for (let k = 0; k < nh; k++) if (sHoleLo(s, k) < b && sHoleHi(s, k) > a) return true;
  return false;
}

/** Total density of sample s at m (yields in `yields`, norms current). */
function density(s: usize, m: f64): f64 {
  const nc = sComponents(s);
  let d: f64 = 0;
  for (let j = 0; j < nc; j++) {
    const c = component(s, j);
    d += load<f64>(yields + (<usize>j << 3)) * pdfValue(cKind(c), m, cArgPtr(c), cArgs(c)) / cNorm(c);
  }
  return sHoles(s) > 0 && inHole(s, m) ? 0.0 : d;
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
  const env = workPart(k, ENV), low = workPart(k, LOW), prob = workPart(k, PROB), alias = workPart(k, ALIAS);
  const small = workPart(k, SMALL), large = workPart(k, LARGE);
  let mass: f64 = 0;
  const nh = sHoles(s);
  for (let j = 0; j < cells; j++) {
    const a = getF(edges, j), b = getF(edges, j + 1);
    let top: f64 = 0, bottom: f64 = Infinity;
    if (nh > 0 && overlapsHole(s, a, b)) {
      // five points on each allowed piece of the cell
      let start = a;
      for (let k = 0; k <= nh && start < b; k++) {
        const end = k < nh ? Math.min(sHoleLo(s, k), b) : b;
        if (k < nh && sHoleHi(s, k) <= start) continue;
        if (end > start) {
          for (let q = 0; q <= 4; q++) {
            const d = density(s, start + (end - start) * 0.25 * <f64>q);
            top = Math.max(top, d);
            bottom = Math.min(bottom, d);
          }
        }
        if (k < nh) start = Math.max(start, sHoleHi(s, k));
      }
      if (top == 0) bottom = 0;
    } else {
      for (let q = 0; q <= 4; q++) {
        const d = density(s, a + (b - a) * 0.25 * <f64>q);
        top = Math.max(top, d);
        bottom = Math.min(bottom, d);
      }
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
  const env = workPart(k, ENV), low = workPart(k, LOW), prob = workPart(k, PROB), alias = workPart(k, ALIAS);
  const data = sData(s);
  const holes = sHoles(s) > 0;
  for (let i = 0; i < n; i++) {
    for (;;) {
      let j = <i32>((<u64>bits32() * <u64>cells) >>> 32);
      if (uniform32() >= getF(prob, j)) j = <i32>getF(alias, j);
      const a = getF(edges, j);
      const m = a + (getF(edges, j + 1) - a) * uniform32();
      const y = uniform32() * getF(env, j);
      if (holes && inHole(s, m)) continue;
      if (y > getF(low, j)) {
        const d = density(s, m);
        if (d > getF(env, j)) violations++;
        if (y > d) continue;
      }
      store<f64>(data + (<usize>i << 3), m);
      break;
    }
  }
  setWord(s, SAMPLE_EVENTS, <f64>n);
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
    store<f64>(savedMeans + (<usize>k << 3), word(q, CONSTRAINT_MEAN));
    setWord(q, CONSTRAINT_MEAN, getF(gen, iword(q, CONSTRAINT_PARAM)) + word(q, CONSTRAINT_SIGMA) * gaussian());
  }
}

function restoreConstraints(): void {
  const nk = nConstraints();
  for (let k = 0; k < nk; k++) setWord(constraint(k), CONSTRAINT_MEAN, load<f64>(savedMeans + (<usize>k << 3)));
}

// The parameter block of the current runToys call (RUN_* words of src/core/abi.ts).
let run: usize = 0;
@inline function runPtr(k: i32): usize { return getP(run, k); }
@inline function runInt(k: i32): i32 { return <i32>getF(run, k); }
@inline function runU32(k: i32): u32 { return <u32>getF(run, k); }

/**
 * Run toys first … first+count−1 of one stream, as the parameter block `block` (RUN_* words of
 * src/core/abi.ts) describes: generate at RUN_GEN, fit with the POI free (bounds RUN_BOUNDS_FREE,
 * POI ≥ 0, starting at least at RUN_POI_START, about half its error), then with the POI fixed at
 * each of the RUN_N_MU values at RUN_MU_TESTS (bounds RUN_BOUNDS). Background-only toys are the
 * same events at every POI value, so one generation and one free fit serve them all.
 * RUN_STATISTIC: TOY_STATISTIC_QMU (q̃μ, 0 when μ̂ > μ), TOY_STATISTIC_Q0, or TOY_STATISTIC_FC
 * (Feldman–Cousins' t_μ = 2(NLL(μ) − NLL(μ̂)) with μ̂ ≥ 0: two-sided, as q0 is at μ = 0). Each toy writes
 * TOY_TESTS + TEST_WORDS·nMu words to RUN_RESULTS (TOY_* and TEST_* slots); a status ≠ 0 marks a
 * failed fit (STATUS_TOY_OVERFLOW: the toy did not fit in the event buffer).
 */
export function runToys(block: usize): void {
  run = block;
  const statistic = runInt(RUN_STATISTIC);
  if (statistic != TOY_STATISTIC_QMU && statistic != TOY_STATISTIC_Q0 && statistic != TOY_STATISTIC_FC) unreachable();
  const gen = runPtr(RUN_GEN);
  const np = <usize>nParams();
  const ns = nSamples();
  memory.copy(values, gen, np << 3);
  for (let k = 0; k < ns; k++) prepareGeneration(k);
  // Calibrate the minimizer's starting metrics on toy 0 of the stream, then freeze them: every toy
  // then starts from the same metric whichever batch or worker runs it, so results never depend
  // on how the toys were split.
  forgetMetrics();
  const before = totalCalls;
  const muTests = runPtr(RUN_MU_TESTS);
  toy(0, muTests, 1, calibration);
  freezeMetrics();
  totalCalls = before; // the calibration toy's fits are not counted
  const nMu = runInt(RUN_N_MU);
  const stride = <usize>(TOY_TESTS + TEST_WORDS * nMu);
  const first = runInt(RUN_FIRST), count = runInt(RUN_COUNT);
  const results = runPtr(RUN_RESULTS);
  for (let t = 0; t < count; t++) toy(first + t, muTests, nMu, results + ((<usize>t * stride) << 3));
  forgetMetrics();
}

/** One toy: generate, fit free, fit at each of nMu values; its result at r as runToys describes. */
function toy(index: i32, muTests: usize, nMu: i32, r: usize): void {
  const gen = runPtr(RUN_GEN);
  const poi = runInt(RUN_POI);
  const np = <usize>nParams();
  const ns = nSamples();
  const massHyp = (runU32(RUN_MASS_INDEX) << 8) | runU32(RUN_HYPOTHESIS);
  seedStream(runU32(RUN_SEED_LO), runU32(RUN_SEED_HI), <u32>index, runU32(RUN_GRID), massHyp);
  memory.copy(values, gen, np << 3);
  let ok = true;
  let n0: i32 = 0;
  for (let k = 0; k < ns; k++) {
    const n = generateSample(k);
    if (k == 0) n0 = n;
    if (n < 0) ok = false;
  }
  setF(r, TOY_EVENTS, <f64>n0);
  if (!ok) {
    setF(r, TOY_MU_HAT, NaN);
    setF(r, TOY_STATUS, STATUS_TOY_OVERFLOW);
    for (let j = 0; j < nMu; j++) {
      setF(r, TOY_TESTS + TEST_WORDS * j + TEST_Q, NaN);
      setF(r, TOY_TESTS + TEST_WORDS * j + TEST_STATUS, STATUS_TOY_OVERFLOW);
    }
    return;
  }
  randomiseConstraints(gen);
  const maxCalls = runInt(RUN_MAX_CALLS);
  const edmMax = getF(run, RUN_EDM_MAX);
  // the free fit's POI starts well inside its μ ≥ 0 bound: next to it the bound's transform
  // flattens the gradient and the EDM would call a start point converged
  setF(values, poi, Math.max(getF(values, poi), getF(run, RUN_POI_START)));
  setFree(runPtr(RUN_MASK_FREE));
  useMetricSlot(0);
  const s1 = minimize(runPtr(RUN_BOUNDS_FREE), maxCalls, edmMax, fitOut);
  const nllFree = getF(fitOut, MINIMIZE_FVAL);
  totalCalls += getF(fitOut, MINIMIZE_NFCN);
  const muHat = getF(values, poi);
  setF(r, TOY_MU_HAT, muHat);
  setF(r, TOY_STATUS, <f64>s1);
  setFree(runPtr(RUN_MASK_FIXED));
  useMetricSlot(1);
  // q̃μ is one-sided; q0 and FC's t_μ are not (μ̂ ≥ 0 from the free fit's bound either way)
  const qmu = runInt(RUN_STATISTIC) == TOY_STATISTIC_QMU;
  for (let j = 0; j < nMu; j++) {
    const mu = getF(muTests, j);
    memory.copy(values, gen, np << 3);
    setF(values, poi, mu);
    const s2 = minimize(runPtr(RUN_BOUNDS), maxCalls, edmMax, fitOut);
    totalCalls += getF(fitOut, MINIMIZE_NFCN);
    const q = qmu && muHat > mu ? 0.0 : Math.max(0.0, 2.0 * (getF(fitOut, MINIMIZE_FVAL) - nllFree));
    setF(r, TOY_TESTS + TEST_WORDS * j + TEST_Q, q);
    setF(r, TOY_TESTS + TEST_WORDS * j + TEST_STATUS, <f64>s2);
  }
  useMetricSlot(-1);
  restoreConstraints();
}

export { CONVERGED, model };
