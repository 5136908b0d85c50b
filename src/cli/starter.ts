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
        observable: { $comment: "the fitted variable and its range", name: "m", unit: "GeV", range: [0, 10] },
        data: {
          $comment: "CSV/TSV with a header line ('#' comments allowed), or a JSON array; path relative to this file",
          path: "events.csv",
          column: "m",
        },
        signal: {
          $comment:
            'the signal at each scanned mass; sigma: a number, {"poly": [a0, a1, ...]} (a0 + a1*m + ...) or ' +
            '{"table": [[m, sigma], ...]}',
          shape: "crystalBall",
          sigma: { poly: [0.01, 0.005] },
          alpha: 1.5,
          n: 3,
        },
        background: {
          $comment:
            "expPoly: exp(c1*x + ... + ck*x^k), x = m mapped onto [-1, 1]; also chebyshev, polynomial, " +
            "exponential, argus",
          shape: "expPoly",
          order: 2,
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
