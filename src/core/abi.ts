/**
 * The interface between the TypeScript side and the WASM core: every word offset, result layout,
 * status code, size limit and PDF kind code both sides agree on, in one place.
 *
 * Both compilers read this file: tsc (src/) and asc (assembly/ imports it as
 * "../src/core/abi"). It must therefore stay in the subset they share: plain integer constants
 * and nothing else (no types, no imports, no objects). Changing a number here changes both sides
 * at the next `npm run build`; test/abi.test.ts checks that the built core agrees.
 *
 * Tables are arrays of f64 words; every offset below is a word index (× 8 for bytes).
 */

// ---------------------------------------------------------------------------------------------
// MODEL record (word 0 of the compiled model's table).
// After the header come nSamples words of sample offsets, then the constraints, then each sample.
// All offsets stored in the table count words from the model's start.

/** Number of parameters (the first nParams words of the value vector). */
export const MODEL_N_PARAMS = 0;
/** Length of the value vector: parameters, then constants (masses, widths, mapping ranges…). */
export const MODEL_N_VALUES = 1;
export const MODEL_N_SAMPLES = 2;
export const MODEL_N_CONSTRAINTS = 3;
/** Offset of the first CONSTRAINT record. */
export const MODEL_CONSTRAINTS = 4;
/** First of nSamples words: the offset of each SAMPLE record. */
export const MODEL_SAMPLES = 5;

// CONSTRAINT record: a Gaussian ½((θ − mean)/sigma)² on one parameter.
export const CONSTRAINT_PARAM = 0;
export const CONSTRAINT_MEAN = 1;
export const CONSTRAINT_SIGMA = 2;
export const CONSTRAINT_WORDS = 3;

// ---------------------------------------------------------------------------------------------
// SAMPLE record. Words marked (core) are filled in by prepareModel/setFree; TS writes 0 there
// (SAMPLE_FAST_COMPONENT: −1).

/** Byte offset of the sample's events (f64 each). */
export const SAMPLE_DATA = 0;
/** Byte offset of the event weights, 0 when unweighted. */
export const SAMPLE_WEIGHTS = 1;
export const SAMPLE_EVENTS = 2;
export const SAMPLE_LO = 3;
export const SAMPLE_HI = 4;
export const SAMPLE_N_COMPONENTS = 5;
/** (core) Byte offset of the events mapped to [−1, 1] for the fused kernel's expPoly. */
export const SAMPLE_MAPPED = 6;
/** (core) Index of the background component (expPoly, exponential) when the fused kernel applies, else −1. */
export const SAMPLE_FAST_COMPONENT = 7;
export const SAMPLE_N_GUARDS = 8;
/** Offset of the guard points: observable values where the density must stay ≥ 0. */
export const SAMPLE_GUARDS = 9;
/** (core) 1 once SAMPLE_MAPPED holds the current events. */
export const SAMPLE_MAPPED_VALID = 10;
/** The sample's NLL is multiplied by this (1, or Σw/Σw² for weighted events). */
export const SAMPLE_NLL_SCALE = 11;
/** Number of vetoes: open intervals (a, b) taken out of the range (0: the range is whole). */
export const SAMPLE_N_HOLES = 12;
/** Offset of the vetoes: 2 words (a, b) each, sorted, disjoint, strictly inside [lo, hi]. */
export const SAMPLE_HOLES = 13;
/** First of nComponents words: the offset of each COMPONENT record. */
export const SAMPLE_COMPONENTS = 14;

// ---------------------------------------------------------------------------------------------
// COMPONENT record: kind, arguments, yield = constant × Π factors, argument = base × Π factors.

/** A PDF_* kind code. */
export const COMPONENT_KIND = 0;
export const COMPONENT_N_ARGS = 1;
export const COMPONENT_YIELD_CONSTANT = 2;
/** FACTOR records of the yield. */
export const COMPONENT_N_FACTORS = 3;
/** (core) Byte offset of the per-event buffer of the normalised density. */
export const COMPONENT_BUFFER = 4;
/** (core) Byte offset of the gathered argument values (bases times their factors). */
export const COMPONENT_ARG_VALUES = 5;
/** (core) Byte offset of the argument values the buffer was filled at. */
export const COMPONENT_SNAPSHOT = 6;
/** (core) ∫ g over the sample's range less its vetoes, at the snapshot (NaN: never filled). */
export const COMPONENT_NORM = 7;
/** FACTOR records on arguments (after the yield's); 0 for plain arguments. */
export const COMPONENT_N_ARG_FACTORS = 8;
/**
 * First of nArgs words: each argument's base, an index in the value vector; then the yield's
 * nFactors FACTOR records, then the nArgFactors FACTOR records on arguments.
 */
export const COMPONENT_ARGS = 9;

// FACTOR record: a factor F(θ) of θ = the parameter FACTOR_PARAM, of form FACTOR_FORM:
// FORM_PARAM θ, FORM_LOG_NORMAL κ^θ (FACTOR_COEF = κ), FORM_GAUSS 1 + r·θ (FACTOR_COEF = r; where
// 1 + r·θ ≤ 0 the factor is NaN and the NLL +∞). FACTOR_ARG: the argument it multiplies (−1: the yield).
export const FACTOR_PARAM = 0;
export const FACTOR_FORM = 1;
export const FACTOR_COEF = 2;
export const FACTOR_ARG = 3;
export const FACTOR_WORDS = 4;
export const FORM_PARAM = 0;
export const FORM_LOG_NORMAL = 1;
export const FORM_GAUSS = 2;

// ---------------------------------------------------------------------------------------------
// Minimizer: status codes (returned by minimize, and per fit in toy results) and output layout.

export const STATUS_CONVERGED = 0;
export const STATUS_CALL_LIMIT = 1;
export const STATUS_EDM_ABOVE_MAX = 2;
export const STATUS_FAILED = 3;
/** Toys only: the generated toy did not fit in the sample's event buffer. */
export const STATUS_TOY_OVERFLOW = 4;

// Bounds tables (minimize's and the toys'): one BOUND record of (lo, hi) per parameter, ±∞ for none.
export const BOUND_LO = 0;
export const BOUND_HI = 1;
export const BOUND_WORDS = 2;

// minimize(bounds, maxCalls, edmMax, out) writes MINIMIZE_ERRORS + nFree words to out.
export const MINIMIZE_FVAL = 0;
export const MINIMIZE_EDM = 1;
/** NLL+gradient evaluations. */
export const MINIMIZE_NFCN = 2;
export const MINIMIZE_ITERATIONS = 3;
/** First of nFree words: √V_kk of the minimizer's metric in external units (sizes HESSE's steps). */
export const MINIMIZE_ERRORS = 4;

// ---------------------------------------------------------------------------------------------
// Toys: runToys(run) reads a parameter block of RUN_WORDS words (pointers are byte offsets).

/** Parameter values to generate at (nParams words). */
export const RUN_GEN = 0;
export const RUN_COUNT = 1;
/** Index of the first toy in its stream. */
export const RUN_FIRST = 2;
/** User seed, low and high 32 bits. */
export const RUN_SEED_LO = 3;
export const RUN_SEED_HI = 4;
/** Grid index of the POI value the toys are generated at (keys the stream). */
export const RUN_GRID = 5;
/** Mass index in a scan (keys the stream). */
export const RUN_MASS_INDEX = 6;
/** TOY_HYPOTHESIS_* (keys the stream). */
export const RUN_HYPOTHESIS = 7;
/** Index of the POI among the parameters. */
export const RUN_POI = 8;
/** POI values to test at (RUN_N_MU words). */
export const RUN_MU_TESTS = 9;
export const RUN_N_MU = 10;
/** TOY_STATISTIC_*. */
export const RUN_STATISTIC = 11;
/** Bounds of the fixed-POI fits and of the free fit (nParams × (lo, hi) words each). */
export const RUN_BOUNDS = 12;
export const RUN_BOUNDS_FREE = 13;
/** Free masks (nParams words) of the free and the fixed-POI fits. */
export const RUN_MASK_FREE = 14;
export const RUN_MASK_FIXED = 15;
export const RUN_MAX_CALLS = 16;
export const RUN_EDM_MAX = 17;
/** Lowest start of the POI in the free fit. */
export const RUN_POI_START = 18;
/** Where the results go: RUN_COUNT × toyStride(RUN_N_MU) words. */
export const RUN_RESULTS = 19;
export const RUN_WORDS = 20;

/** Work space of setToyGrid per generation cell: envelope, squeeze, alias probability and index, two stacks. */
export const GRID_WORK_PER_CELL = 6;

export const TOY_HYPOTHESIS_B = 0;
export const TOY_HYPOTHESIS_SB = 1;
/** q̃μ (0 when μ̂ > μ). */
export const TOY_STATISTIC_QMU = 0;
/** q0 (tested at μ = 0). */
export const TOY_STATISTIC_Q0 = 1;
/** Feldman–Cousins' t_μ = 2(NLL(μ) − NLL(max(0, μ̂))): two-sided, μ̂ from the free fit's μ ≥ 0. */
export const TOY_STATISTIC_FC = 2;

// One toy's result: TOY_TESTS + TEST_WORDS · nMu words.
export const TOY_MU_HAT = 0;
/** Status of the free fit (STATUS_*). */
export const TOY_STATUS = 1;
/** Events generated in sample 0. */
export const TOY_EVENTS = 2;
/** First TEST record: one per tested POI value. */
export const TOY_TESTS = 3;
export const TEST_Q = 0;
/** Status of the fixed-POI fit. */
export const TEST_STATUS = 1;
export const TEST_WORDS = 2;

// ---------------------------------------------------------------------------------------------
// Size limits of the core's static tables: a model beyond them is refused before it is written.

/** Parameters of one model (free masks, gradients). */
export const MAX_PARAMS = 1024;
/** Parameters floating in one fit (the minimizer's metric is MAX_FREE²). */
export const MAX_FREE = 64;
/** Components of one sample. */
export const MAX_COMPONENTS = 64;
/** Samples of one model (the toy engine's per-sample tables). */
export const MAX_SAMPLES = 64;
/** Gaussian constraints of one model (the toy engine keeps their means). */
export const MAX_CONSTRAINTS = 1024;
/** Vetoes of one sample. */
export const MAX_HOLES = 256;
/** Factors of one component, its yield's and its arguments' together. */
export const MAX_FACTORS = 64;
/** Bins of one template component (PDF_TEMPLATE: its arguments are xlo, xhi and one word per bin). */
export const MAX_TEMPLATE_BINS = 1024;

// ---------------------------------------------------------------------------------------------
// PDF kind codes (COMPONENT_KIND), one per shape of src/model/shapes.ts.

export const PDF_UNIFORM = 0;
export const PDF_GAUSSIAN = 1;
export const PDF_CRYSTAL_BALL = 2;
export const PDF_DOUBLE_CB = 3;
export const PDF_EXPONENTIAL = 4;
export const PDF_CHEBYSHEV = 5;
export const PDF_POLYNOMIAL = 6;
export const PDF_EXP_POLY = 7;
export const PDF_ARGUS = 8;
/** A fixed histogram shape: [xlo, xhi, d_1 … d_n], linear between bin centres (assembly/pdf/template.ts). */
export const PDF_TEMPLATE = 9;
