/**
 * The JSON model spec's types (docs/spec.md): the observable, the signal and backgrounds, samples,
 * nuisances, parameters, the scan, regions. Its JSON Schema is schema.ts.
 */
import type { MassFunction } from "./mass-function.js";
import type { ShapeName } from "./shapes.js";
import type { TemplateHistograms } from "./template.js";

export interface ShapeSpec {
  shape: ShapeName;
  name?: string;
  /** A peaking background's position (the signal's comes from the mass: see `peak`). */
  mean?: number;
  /** The signal: its position in the observable as a function of the hypothesis mass (default: the mass). */
  peak?: MassFunction;
  sigma?: MassFunction;
  sigmaL?: MassFunction;
  sigmaR?: MassFunction;
  alpha?: MassFunction;
  n?: MassFunction;
  alphaL?: MassFunction;
  nL?: MassFunction;
  alphaR?: MassFunction;
  nR?: MassFunction;
  order?: number;
  init?: number[];
  lambda?: number;
  m0?: number;
  c?: number;
  p?: number;
  /** A fixed yield: a number (events in the whole range), or a mass function (events in the fit range). */
  yield?: MassFunction;
  /** Shape fields fitted as parameters named `<field>_<component>`. */
  free?: string[];
  /** A template signal (shape "template"): the file of simulated events, relative to the spec. */
  path?: string;
  /** Its columns: the observable, and the true (hypothesis) mass each event was simulated at. */
  column?: string;
  massColumn?: string;
  /** The TTree of a ROOT file. */
  tree?: string;
  /** Histogram bins per simulated mass (default 100). */
  bins?: number;
  /** The template's histograms as read from `path` (io/data.ts, loadSpecTemplates); results record them. */
  loaded?: TemplateHistograms;
}

/** Where a dataset's events are: a file, its column (a branch for ROOT), optional weights, the TTree of a ROOT file. */
export interface DataSpec {
  path: string;
  column?: string;
  weights?: string;
  tree?: string;
  /** The observable as an expression of columns, instead of `column` (docs/spec.md). */
  expr?: string;
  /** The events kept: those for which this expression of columns is true. */
  cut?: string;
}

/** One dataset of a simultaneous fit, with what differs from the top level. */
export interface SampleSpec {
  name: string;
  data: DataSpec;
  /** Signal yield nsig_k = poi × scale × luminosity × efficiency (each a mass function, default 1). */
  scale?: MassFunction;
  luminosity?: MassFunction;
  efficiency?: MassFunction;
  /** The sample's own observable range and vetoes (added to the observable's). */
  range?: [number, number];
  exclude?: [number, number][];
  /** Changes to the signal's fields (not its shape) in this sample. */
  signal?: Partial<ShapeSpec>;
  /** The sample's own background list (instead of the top level's). */
  background?: ShapeSpec | ShapeSpec[];
}

/** What a nuisance acts on: a component's yield, or one of its shape fields; every sample unless named. */
export interface NuisanceTarget {
  sample?: string;
  component: string;
  field?: string;
}

/** A systematic θ with a unit Gaussian constraint: × κ^θ (lnN) or × (1 + r·θ) (gauss) on its targets. */
export interface NuisanceSpec {
  name: string;
  lnN?: number;
  gauss?: number;
  /** The older form: the signal yields of these samples (default: all). */
  samples?: string[];
  on?: NuisanceTarget[];
}

export interface ParameterSpec {
  init?: number;
  lo?: number;
  hi?: number;
  fixed?: boolean;
  /** A Gaussian constraint ½((p − mean)/sigma)² (a calibration from a control sample). */
  constraint?: { mean: number; sigma: number };
}

export interface Spec {
  observable: { name?: string; unit?: string; range: [number, number]; exclude?: [number, number][] };
  /** The scanned quantity when it is not the observable (scan and --mass are in its units). */
  hypothesis?: { name?: string; unit?: string };
  data?: DataSpec;
  signal: ShapeSpec;
  background: ShapeSpec | ShapeSpec[];
  /** The parameter of interest: its name (default nsig for one sample, mu for several) and unit. */
  poi?: { name?: string; unit?: string };
  parameters?: Record<string, ParameterSpec>;
  scan?: { from?: number; to?: number; step?: number; window?: number; masses?: number[] };
  /** Several datasets fitted simultaneously, sharing the POI. */
  samples?: SampleSpec[];
  nuisances?: NuisanceSpec[];
  /** The POI as poi1(m) × coupling^power: limits are also given on the coupling. */
  interpret?: { name?: string; unit?: string; poi1: MassFunction; power: number };
  /** Several models of one search, each a partial spec laid over the top level. */
  regions?: ({ name: string } & Partial<Omit<Spec, "regions" | "limit">>)[];
  limit?: { cl?: number; method?: "asymptotic" | "toys" | "bayes" | "fc"; toys?: number; seed?: number };
}
