/**
 * Cuts and derived variables (`data.cut`, `data.expr`) on the columns a reader gives back: the
 * same expression language (model/expression.ts) for every format, ROOT included, so a cut means
 * the same on a TTree as on its CSV or Parquet copy. Browser-safe.
 */
import { BumpscanError } from "../errors.js";
import { type Expression, parseExpression } from "../model/expression.js";
import { type Column, type ColumnChoice, NoSuchColumn, type Wanted } from "./column.js";

/** What a reader is asked for and how its arrays become the events. */
export interface Plan {
  /** The columns to read: the event column (or the expression's first), then the others. */
  wanted: Wanted;
  /** The events from the wanted columns' arrays (in `wanted`'s order). */
  finish(arrays: Float64Array[]): Column;
  /** A reader's error, naming the expression that asked for a missing column. */
  explain(e: unknown): unknown;
}

/**
 * The plan of a read: with neither `expr` nor `cut`, the event column and weights as they are;
 * otherwise the columns the expressions name (parsed here: syntax errors name data.expr or data.cut).
 */
export function planRead(label: string, choice: ColumnChoice): Plan {
  if (choice.expr !== undefined && choice.column !== undefined)
    throw new BumpscanError(`${label}: give data.column or data.expr, not both`);
  const expr = choice.expr === undefined ? undefined : parseExpression(choice.expr, "data.expr");
  const cut = choice.cut === undefined ? undefined : parseExpression(choice.cut, "data.cut");
  if (expr && expr.columns.length === 0) throw new BumpscanError(`${label}: data.expr names no column`);
  const named = [...new Set([...(expr?.columns ?? []), ...(cut?.columns ?? [])].map((c) => c.name))];
  const first = expr ? [] : [choice.column];
  const wanted: Wanted = [...first, ...named, ...(choice.weights === undefined ? [] : [choice.weights])];
  const weightsAt = choice.weights === undefined ? -1 : wanted.length - 1;
  return {
    wanted,
    finish: (arrays) =>
      expr || cut
        ? select(label, expr, cut, arrays, first.length, named, weightsAt)
        : { values: arrays[0], weights: weightsAt >= 0 ? arrays[weightsAt] : undefined },
    explain: (e) => (e instanceof NoSuchColumn ? (unknownColumn(label, e, expr, cut) ?? e) : e),
  };
}

/** A missing column that an expression names: the error names the field and the position. */
function unknownColumn(label: string, e: NoSuchColumn, ...exprs: (Expression | undefined)[]) {
  for (const x of exprs) {
    const c = x?.columns.find((c) => c.name === e.column);
    if (c)
      return new BumpscanError(
        `${label}: ${x!.field}: unknown column "${c.name}" at ${c.at}${e.have ? ` (have ${e.have.join(", ")})` : ""}`,
      );
  }
  return undefined;
}

/** The events passing the cut, their observable (the column or the expression) and weights. */
function select(
  label: string,
  expr: Expression | undefined,
  cut: Expression | undefined,
  arrays: Float64Array[],
  skip: number,
  named: string[],
  weightsAt: number,
): Column {
  const n = arrays[0].length;
  const columns = Object.fromEntries(named.map((name, k) => [name, arrays[skip + k]]));
  const values = expr ? expr.evaluate(columns, n) : arrays[0];
  const pass = cut?.evaluate(columns, n);
  const weights = weightsAt >= 0 ? arrays[weightsAt] : undefined;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    if (pass) {
      if (Number.isNaN(pass[i])) throw notANumber(label, "data.cut", i, pass[i]);
      if (pass[i] === 0) continue;
    }
    if (!Number.isFinite(values[i])) throw notANumber(label, "data.expr", i, values[i]);
    keep.push(i);
  }
  const selected = { events: n, passed: keep.length, cut: cut?.text, expr: expr?.text };
  return {
    values: Float64Array.from(keep, (i) => values[i]),
    weights: weights && Float64Array.from(keep, (i) => weights[i]),
    selected,
  };
}

function notANumber(label: string, field: string, i: number, v: number): BumpscanError {
  return new BumpscanError(`${label} event ${i + 1}: ${field} is ${v}, not a finite number`);
}

/**
 * Read through a plan: `read` gets the wanted columns; a missing column an expression names is
 * reported as the expression's error.
 */
export async function readPlanned(
  label: string,
  choice: ColumnChoice,
  read: (wanted: Wanted) => Float64Array[] | Promise<Float64Array[]>,
): Promise<Column> {
  const plan = planRead(label, choice);
  let arrays: Float64Array[];
  try {
    arrays = await read(plan.wanted);
  } catch (e) {
    throw plan.explain(e);
  }
  return plan.finish(arrays);
}

/** readPlanned for a reader that is not asynchronous. */
export function readPlannedSync(label: string, choice: ColumnChoice, read: (wanted: Wanted) => Float64Array[]): Column {
  const plan = planRead(label, choice);
  let arrays: Float64Array[];
  try {
    arrays = read(plan.wanted);
  } catch (e) {
    throw plan.explain(e);
  }
  return plan.finish(arrays);
}
