/** The starter spec `bumpscan init` writes: every section explained in a "$comment". */

/**
 * The starter spec as JSON text.
 */
export function starterSpec(): string {
  return (
    JSON.stringify(
      {
        $schema: "./node_modules/bumpscan/schema/spec.schema.json",
        $comment: "bumpscan model spec (README: 'The model spec'). Run: bumpscan scan spec.json --out results.json",
        observable: {
          $comment:
            "the fitted variable and its range; exclude: vetoed open intervals [[lo, hi], ...] (events there " +
            "are dropped, every PDF is normalised over the range minus them, masses there are skipped)",
          name: "m",
          unit: "GeV",
          range: [0, 10],
          exclude: [],
        },
        hypothesis: {
          $comment:
            "the scanned quantity when it is not the observable (e.g. m_A' while fitting M_X^2; then give " +
            'signal.peak, e.g. {"poly": [0, 0, 1]} for peak = m^2); scan and --mass are in its units',
          name: "m",
          unit: "GeV",
        },
        data: {
          $comment: "CSV/TSV with a header line ('#' comments allowed), or a JSON array; path relative to this file",
          path: "events.csv",
          column: "m",
        },
        signal: {
          $comment:
            'the signal at each scanned mass; sigma: a number, {"poly": [a0, a1, ...]} (a0 + a1*m + ...) or ' +
            '{"table": [[m, sigma], ...]}. From simulation instead: {"shape": "template", "path": "sig_mc.csv", ' +
            '"column": "m", "massColumn": "m_true", "bins": 200} (events at several true masses, interpolated)',
          shape: "crystalBall",
          sigma: { poly: [0.01, 0.005] },
          alpha: 1.5,
          n: 3,
          free: [],
        },
        poi: {
          $comment:
            "the parameter of interest: nsig events for one dataset, mu for several (nsig_k = mu x scale x " +
            "luminosity x efficiency of sample k, each a number, poly or table of the mass)",
          name: "nsig",
          unit: "events",
        },
        background: {
          $comment:
            "expPoly: exp(c1*x + ... + ck*x^k), x = m mapped onto [-1, 1]; also chebyshev, polynomial, " +
            "exponential, argus",
          shape: "expPoly",
          order: 2,
        },
        nuisances: [],
        parameters: {
          $comment:
            'start values, bounds, fixes and Gaussian constraints: "nbkg": {"init": 1000, "lo": 0}, ' +
            '"mean_peak": {"constraint": {"mean": 3.1, "sigma": 0.01}}. Nuisances: [{"name": "lumi", "lnN": 1.02, ' +
            '"on": [{"component": "signal"}]}, {"name": "res", "gauss": 0.05, "on": [{"component": "signal", ' +
            '"field": "sigma"}]}]. Several datasets: "samples" (docs/spec.md); several models: "regions"',
        },
        scan: {
          $comment:
            "masses from 'from' to 'to' in steps of 'step' resolutions; add \"window\": 10 to fit m +- 10 sigma only",
          from: 0.5,
          to: 9.5,
          step: 0.5,
        },
        limit: {
          $comment: "cl: confidence level; method: asymptotic | toys | bayes",
          cl: 0.9,
          method: "asymptotic",
          toys: 2000,
          seed: 1,
        },
      },
      null,
      2,
    ) + "\n"
  );
}
