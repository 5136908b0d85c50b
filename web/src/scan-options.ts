/**
 * The run section's scan options beyond the spec: background-only toy scans for the look-elsewhere
 * effect (LEE toys, seeded by the spec's limit.seed) and marginalised nuisances for Bayesian scans;
 * and the global significance the toy scans give, as the summary states it.
 */
import { BumpscanError } from "../../src/browser.js";
import { zFromLogP } from "../../src/core/normal.js";
import type { LeeToys } from "../../src/scan/result.js";
import type { Spec } from "../../src/browser.js";
import { byId } from "./dom.js";
import { num } from "./limit-panel.js";

/** The CLI's bound on --lee-toys. */
const MAX_LEE_TOYS = 1_000_000;

/** The CLI's bound on --expected-toys. */
const MAX_EXPECTED_TOYS = 100_000;

/** The Bayesian band's pseudo-experiments (the CLI's --expected-toys); a message unless 1 to 100 000. */
export function expectedToysOfPage(): number {
  const text = byId<HTMLInputElement>("expected-toys").value.trim();
  const n = text === "" ? 100 : Number(text);
  if (!(Number.isInteger(n) && n >= 1 && n <= MAX_EXPECTED_TOYS))
    throw new BumpscanError(
      `band pseudo-experiments must be a whole number from 1 to ${MAX_EXPECTED_TOYS.toLocaleString("en")} ` +
        `(got "${text}")`,
    );
  return n;
}

/** The scan options the page adds to the spec's; a message for a toy count that is not a whole number ≥ 0. */
export function scanOptionsOfPage(spec: Spec): { leeToys?: number; marginalise?: boolean; expectedToys?: number } {
  const text = byId<HTMLInputElement>("lee-toys").value.trim();
  const leeToys = text === "" ? 0 : Number(text);
  if (!(Number.isInteger(leeToys) && leeToys >= 0 && leeToys <= MAX_LEE_TOYS))
    throw new BumpscanError(
      `LEE toys must be a whole number from 0 to ${MAX_LEE_TOYS.toLocaleString("en")} (got "${text}")`,
    );
  const marginalise = byId<HTMLInputElement>("marginalise").checked && spec.limit?.method === "bayes";
  const bayes = spec.limit?.method === "bayes";
  return {
    ...(leeToys ? { leeToys } : {}),
    ...(marginalise ? { marginalise } : {}),
    ...(bayes ? { expectedToys: expectedToysOfPage() } : {}),
  };
}

const zOf = (p: number) => zFromLogP(Math.log(p));

/**
 * The global significance from the toy scans: p with its binomial error, Z, and the Z range p ± error
 * spans (a lower bound when no toy scan reached the observed local Z).
 * @example
 * leeSummary(result.lee); // => "LEE from 200 toy scans: global p = 0.035 ± 0.013, global Z = 1.81σ (1.6–2.1σ)."
 */
export function leeSummary(lee: LeeToys): string {
  const head = `LEE from ${lee.toys.toLocaleString("en")} background-only toy scans: `;
  if (lee.globalZIsLowerBound)
    return (
      head +
      `no toy scan reached the observed local Z: global p < ${num(1 / lee.toys, 2)}, ` +
      `global Z > ${num(lee.globalZ, 3)}σ.`
    );
  const lo = zOf(Math.min(1, lee.globalP + lee.globalPError));
  const hi = lee.globalP > lee.globalPError ? zOf(lee.globalP - lee.globalPError) : undefined;
  const span = hi === undefined ? `≥ ${num(lo, 2)}σ` : `${num(lo, 2)}–${num(hi, 2)}σ`;
  return (
    head +
    `global p = ${num(lee.globalP, 3)} ± ${num(lee.globalPError, 2)}, global Z = ${num(lee.globalZ, 3)}σ ` +
    `(${span} for p ± its error).`
  );
}
