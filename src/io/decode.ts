/**
 * An event column from a file's name and bytes, in any supported format (browser-safe: what the
 * web app uses for a dropped file). Under Node, files.ts reads paths, streaming where it can.
 */
import { BumpscanError } from "../errors.js";
import { arrowColumn, parquetColumn } from "./columnar.js";
import { Column, ColumnChoice } from "./column.js";
import { parseCsvColumn } from "./csv.js";
import { parseJsonColumn } from "./json.js";
import { rootColumn } from "./root.js";

export type DataFormat = "csv" | "json" | "parquet" | "arrow" | "root";

/**
 * The format a file name's extension names (anything unknown is read as CSV/TSV).
 * @example
 * formatOf("run1.root"); // "root"
 */
export function formatOf(name: string): DataFormat {
  const ext = name.toLowerCase().split(".").pop();
  if (ext === "parquet") return "parquet";
  if (ext === "arrow" || ext === "feather") return "arrow";
  if (ext === "json") return "json";
  if (ext === "root") return "root";
  return "csv";
}

/**
 * Decode the event column of a file given as bytes; `name` picks the format and labels errors.
 * @example
 * const { values } = await decodeColumn("events.csv", new TextEncoder().encode("m\n4.2\n"), { column: "m" });
 */
export async function decodeColumn(name: string, bytes: Uint8Array, choice: ColumnChoice = {}): Promise<Column> {
  const text = () => new TextDecoder().decode(bytes);
  switch (formatOf(name)) {
    case "parquet": return parquetColumn(bytes, name, choice);
    case "arrow": return arrowColumn(bytes, name, choice);
    case "json": return parseJsonColumn(text(), name, choice);
    case "root": return rootColumn(bytes.slice().buffer, name, choice);
    case "csv": {
      if (bytes.length === 0) throw new BumpscanError(`${name}: empty file (expected a header line)`);
      return parseCsvColumn(text(), name, choice);
    }
  }
}
