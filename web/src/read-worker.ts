/**
 * The Web Worker that decodes a file for the page (data-input.ts starts one per file): reading a
 * 1e6-row CSV or Parquet file takes a few hundred milliseconds, and the page stays responsive
 * meanwhile. A cut and an expression (data.cut, data.expr) are applied here, by the same
 * expression module as everywhere (no eval: the page's Content-Security-Policy allows it). It
 * answers one message, { file, choice }, with the columns (their buffers transferred, not copied)
 * or the error's message.
 */
import type { ColumnChoice, Selection } from "../../src/io/column.js";
import { decodeColumn } from "../../src/io/decode.js";
import { numericColumns } from "./column-picker.js";

/** What the page sends. */
export interface ReadRequest {
  file: File;
  choice: ColumnChoice;
}

/**
 * What the worker answers: with a cut or an expression, the events read and passing too; and the
 * file's numeric columns where it can tell (for the column picker).
 */
export type ReadReply = ({ values: Float64Array; weights?: Float64Array; selected?: Selection } | { error: string }) & {
  columns?: string[];
};

const scope = self as unknown as {
  onmessage: (e: MessageEvent<ReadRequest>) => void;
  postMessage: Worker["postMessage"];
};

scope.onmessage = async ({ data: { file, choice } }) => {
  let reply: ReadReply;
  const columns = await numericColumns(file, choice);
  try {
    // Parquet and ROOT: only the pieces needed; the cut and expression as the CLI applies them
    const { values, weights, selected } = await decodeColumn(file.name, file, choice);
    reply = { values, weights, selected, columns };
  } catch (e) {
    scope.postMessage({ error: e instanceof Error ? e.message : String(e), columns } satisfies ReadReply);
    return;
  }
  scope.postMessage(reply, [reply.values.buffer, ...(reply.weights ? [reply.weights.buffer] : [])]);
};
