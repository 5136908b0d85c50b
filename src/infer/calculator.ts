/**
 * What every CLs calculator gives (pyhf's calculators share one interface the same way): p-values
 * of the observed data at a POI value, and the expected CLs of the background-only hypothesis at
 * a band of N standard deviations. The limit search (limits.ts) needs nothing else.
 */
export interface CLsValues {
  /** The POI value tested. */
  mu: number;
  /** Observed test statistic q̃μ. */
  q: number;
  clsb: number;
  clb: number;
  cls: number;
  /** Statistical error of CLs (toys), 0 for asymptotic formulas. */
  clsError: number;
}

/** What a limit excludes on: CLs (default) or CLs+b. */
export type Statistic = "cls" | "clsb";

export interface Calculator {
  readonly method: "asymptotic" | "toys";
  /** Observed CLs+b, CLb and CLs at mu (toys may run elsewhere: hence a promise, or a value). */
  pvalues(mu: number): CLsValues | Promise<CLsValues>;
  /**
   * Expected CLs (or CLs+b, with statistic "clsb") at mu for the background-only band
   * N ∈ {−2, −1, 0, 1, 2}.
   */
  expectedCls(mu: number, band: number, statistic?: Statistic): number | Promise<number>;
  /** A scale for the POI (about its 1σ error), to start the bracketing of a limit. */
  readonly scale: number;
  /** How finely a limit is worth locating: far below the scale for formulas, about the toys' resolution for toys. */
  readonly tolerance: number;
  /** The expected limit of band N in closed form, where the calculator has one (NaN: search instead). */
  expectedLimit?(band: number, alpha: number, tol: number, statistic?: Statistic): number;
  /** Where a limit is expected (band N, or the observed limit when undefined), to start its search nearby. */
  guess?(band?: number): Promise<number>;
}
