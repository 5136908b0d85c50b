/**
 * The Web Worker that decodes a file for the page (data-input.ts starts one per file): reading a
 * 1e6-row CSV or Parquet file takes a few hundred milliseconds, and the page stays responsive
 * meanwhile. A cut and an expression (data.cut, data.expr) are applied here, by the same
 * expression module as everywhere (no eval: the page's Content-Security-Policy allows it). It
 * answers one message, { file, choice }, with the columns (their buffers transferred, not copied)
 * or the error's message.
 */
import type { ColumnChoice, Selection } from "../../src/io/column.js";
import { decodeColumn, formatOf } from "../../src/io/decode.js";
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

/**
 * Sent before the reply while the file is read: its bytes read so far ("reading"; CSV/TSV, JSON and
 * Arrow files are read whole first), then "decoding" (Parquet and ROOT files go straight to it:
 * they are read in pieces, only what the column needs).
 */
export interface ReadProgress {
  progress: { stage: "reading" | "decoding"; loaded: number; total: number };
}

/** The reading progress messages' interval. */
const PROGRESS_MS = 50;

const scope = self as unknown as {
  onmessage: (e: MessageEvent<ReadRequest>) => void;
  postMessage: Worker["postMessage"];
};

/** The whole file's bytes, read as a stream with progress messages. */
async function readWhole(file: File): Promise<Uint8Array> {
  const total = file.size;
  const out = new Uint8Array(total);
  const reader = file.stream().getReader();
  let loaded = 0;
  let last = -Infinity;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    out.set(value.subarray(0, Math.max(0, total - loaded)), loaded); // a file that grew: its size when chosen
    loaded = Math.min(total, loaded + value.length);
    const now = performance.now();
    if (now - last >= PROGRESS_MS || loaded === total) {
      last = now;
      scope.postMessage({ progress: { stage: "reading", loaded, total } } satisfies ReadProgress);
    }
  }
  return loaded === total ? out : out.subarray(0, loaded);
}

scope.onmessage = async ({ data: { file, choice } }) => {
  let reply: ReadReply;
  const columns = await numericColumns(file, choice);
  try {
    // Parquet and ROOT: only the pieces needed; the cut and expression as the CLI applies them
    const whole = ["csv", "json", "arrow"].includes(formatOf(file.name));
    const source = whole ? await readWhole(file) : file;
    scope.postMessage({ progress: { stage: "decoding", loaded: file.size, total: file.size } } satisfies ReadProgress);
    const { values, weights, selected } = await decodeColumn(file.name, source, choice);
    reply = { values, weights, selected, columns };
  } catch (e) {
    scope.postMessage({ error: e instanceof Error ? e.message : String(e), columns } satisfies ReadReply);
    return;
  }
  scope.postMessage(reply, [reply.values.buffer, ...(reply.weights ? [reply.weights.buffer] : [])]);
};
