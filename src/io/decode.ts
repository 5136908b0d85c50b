/**
 * An event column from a file's name and bytes, in any supported format (browser-safe: what the
 * web app uses for a dropped file). Under Node, files.ts reads paths, streaming where it can.
 */
import { arrowColumn, parquetColumn } from "./columnar.js";
import type { Column, ColumnChoice } from "./column.js";
import { decodeCsvColumn } from "./csv.js";
import { parseJsonColumn } from "./json.js";
import { rootColumn } from "./root.js";

export type DataFormat = "csv" | "json" | "parquet" | "arrow" | "root";

/**
 * The format a file name's extension names (anything unknown is read as CSV/TSV).
 * @example
 * import { formatOf } from "bumpscan/io";
 * formatOf("run1.root"); // => "root"
 * formatOf("events.feather"); // => "arrow"
 */
export function formatOf(name: string): DataFormat {
  const ext = name.toLowerCase().split(".").pop();
  if (ext === "parquet") return "parquet";
  if (ext === "arrow" || ext === "arrows" || ext === "feather") return "arrow";
  if (ext === "json") return "json";
  if (ext === "root") return "root";
  return "csv";
}

/**
 * Decode the event column of a file given as bytes or as a Blob (a browser File: Parquet and ROOT
 * files are then read in pieces, only what the column needs); `name` picks the format and labels errors.
 * @example
 * import { decodeColumn } from "bumpscan";
 * const { values } = await decodeColumn("events.csv", new TextEncoder().encode("m\n4.2\n"), { column: "m" });
 * values; // => [4.2]
 */
export async function decodeColumn(
  name: string,
  source: Uint8Array | Blob,
  choice: ColumnChoice = {},
): Promise<Column> {
  const bytes = async () => (source instanceof Uint8Array ? source : new Uint8Array(await source.arrayBuffer()));
  const text = async () => new TextDecoder().decode(await bytes());
  switch (formatOf(name)) {
    case "parquet":
      return parquetColumn(
        source instanceof Uint8Array ? new Blob([source as Uint8Array<ArrayBuffer>]) : source,
        name,
        choice,
      );
    case "arrow":
      return arrowColumn(await bytes(), name, choice);
    case "json":
      return parseJsonColumn(await text(), name, choice);
    // jsroot reads a named File in pieces; bytes it takes whole
    case "root":
      return rootColumn(
        source instanceof Uint8Array
          ? source.slice().buffer
          : "name" in source
            ? (source as File)
            : await source.arrayBuffer(),
        name,
        choice,
      );
    case "csv":
      return decodeCsvColumn(source, name, choice); // a Blob is streamed; an empty file is an error there
  }
}
