/**
 * Parsers of the CLI's option values: each takes the text as given and returns the value or throws
 * commander's InvalidArgumentError, which commander prints as one line naming the option (exit 2).
 */
import { InvalidArgumentError } from "commander";
import { availableParallelism } from "node:os";
import type { LimitMethod } from "../job/mass-job.js";
import type { ErrorMode } from "../infer/weights.js";
import { decimal } from "../io/column.js";

/** The most toys per POI value (b-only toys: twice as many); more would not fit in memory. */
export const MAX_TOYS = 10_000_000;
/** The most background-only toy scans (`--lee-toys`). */
export const MAX_LEE_TOYS = 1_000_000;
/** The most histogram bins of `plot fit`. */
export const MAX_BINS = 100_000;

/**
 * A decimal number ("4.2", "-1e-3"); "0x4", "0b101", "1_000", "Infinity" and "" are refused.
 */
export function number(value: string): number {
  const v = decimal(value);
  if (!Number.isFinite(v)) throw new InvalidArgumentError(`"${value}" is not a decimal number`);
  return v;
}

/**
 * A number > 0.
 */
export function positive(value: string): number {
  const v = number(value);
  if (!(v > 0)) throw new InvalidArgumentError(`"${value}" must be > 0`);
  return v;
}

/**
 * A number strictly between 0 and 1.
 */
export function probability(value: string): number {
  const v = number(value);
  if (!(v > 0 && v < 1)) throw new InvalidArgumentError(`"${value}" must lie between 0 and 1`);
  return v;
}

/**
 * A limit method.
 */
export function method(value: string): LimitMethod {
  if (value !== "asymptotic" && value !== "toys" && value !== "bayes" && value !== "fc")
    throw new InvalidArgumentError(`"${value}" is not one of asymptotic, toys, bayes, fc`);
  return value;
}

/**
 * A non-negative integer. (One argument only: commander passes an option's previous value second.)
 */
export function count(value: string): number {
  const v = number(value);
  if (!Number.isInteger(v) || v < 0 || v > Number.MAX_SAFE_INTEGER)
    throw new InvalidArgumentError(`"${value}" is not a non-negative integer`);
  return v;
}

/** `--units`: what the limits are shown in. */
export function limitUnits(value: string): "poi" | "events" | "coupling" {
  if (value === "poi" || value === "events" || value === "coupling") return value;
  throw new InvalidArgumentError(`"${value}" is not one of poi, events, coupling`);
}

/** The CLs method of a counting table. */
export function clsMethod(value: string): "toys" | "asymptotic" {
  if (value === "toys" || value === "asymptotic") return value;
  throw new InvalidArgumentError(`"${value}" is not one of toys, asymptotic`);
}

/** A finite number ≥ 0. */
export function nonNegative(value: string): number {
  const v = number(value);
  if (!(v >= 0)) throw new InvalidArgumentError(`"${value}" must be ≥ 0`);
  return v;
}

/**
 * An option parser for integers from `min` to `max`.
 */
export const between =
  (min: number, max: number) =>
  (value: string): number => {
    const v = count(value);
    if (v > max) throw new InvalidArgumentError(`"${value}" is more than ${max}, the most allowed`);
    if (v < min) throw new InvalidArgumentError(`"${value}" must be at least ${min}`);
    return v;
  };

/** `--toys`: 1 to MAX_TOYS. */
export const toys = between(1, MAX_TOYS);
/** `--lee-toys`: 0 (none) to MAX_LEE_TOYS. */
export const leeToys = between(0, MAX_LEE_TOYS);
/** `--bins`: 1 to MAX_BINS. */
export const bins = between(1, MAX_BINS);

/**
 * `--workers`: a thread count, capped at the available cores (more threads only cost memory), with
 * a note on stderr when capped.
 */
export function workers(value: string): number {
  const v = count(value);
  const cores = availableParallelism();
  if (v > cores) {
    console.error(`bumpscan: --workers ${v}: using the ${cores} available cores`);
    return cores;
  }
  return v;
}

/**
 * `--shard k/N`.
 */
export function shard(value: string): { k: number; n: number } {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  if (!m || +m[1] < 1 || +m[1] > +m[2]) throw new InvalidArgumentError(`"${value}" is not k/N with 1 ≤ k ≤ N`);
  return { k: +m[1], n: +m[2] };
}

/**
 * The error treatment of weighted fits.
 */
export function errorMode(value: string): ErrorMode {
  if (value !== "asymptotic" && value !== "sumw2" && value !== "hesse")
    throw new InvalidArgumentError(`"${value}" is not one of asymptotic, sumw2, hesse`);
  return value;
}

/**
 * `--set a=1,b=2` (repeatable): parameter values by name, joined with those of earlier uses.
 */
export function assignments(value: string, previous: Record<string, number> = {}): Record<string, number> {
  const out = { ...previous };
  for (const pair of value.split(",")) {
    const m = /^\s*([A-Za-z_][\w']*)\s*=\s*(\S+)\s*$/.exec(pair);
    const v = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(v)) throw new InvalidArgumentError(`"${pair}" is not name=number`);
    out[m[1]] = v;
  }
  return out;
}
