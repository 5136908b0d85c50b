/**
 * The Web Worker that decodes a file for the page (data-input.ts starts one per file): reading a
 * 1e6-row CSV or Parquet file takes a few hundred milliseconds, and the page stays responsive
 * meanwhile. It answers one message, { file, choice }, with the columns (their buffers
 * transferred, not copied) or the error's message.
 */
import type { ColumnChoice } from "../../src/io/column.js";
import { decodeColumn } from "../../src/io/decode.js";

/** What the page sends. */
export interface ReadRequest {
  file: File;
  choice: ColumnChoice;
}

/** What the worker answers. */
export type ReadReply = { values: Float64Array; weights?: Float64Array } | { error: string };

const scope = self as unknown as {
  onmessage: (e: MessageEvent<ReadRequest>) => void;
  postMessage: Worker["postMessage"];
};

scope.onmessage = async ({ data: { file, choice } }) => {
  let reply: ReadReply;
  try {
    const { values, weights } = await decodeColumn(file.name, file, choice); // Parquet and ROOT: only the pieces needed
    reply = { values, weights };
  } catch (e) {
    scope.postMessage({ error: e instanceof Error ? e.message : String(e) } satisfies ReadReply);
    return;
  }
  scope.postMessage(reply, [reply.values.buffer, ...(reply.weights ? [reply.weights.buffer] : [])]);
};
