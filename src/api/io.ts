/**
 * `bumpscan/io` in browsers: decoding event files (CSV/TSV, JSON, ROOT, Parquet, Arrow) from bytes
 * or Blobs, one column (and weights) at a time.
 * @example
 * import { decodeColumn, formatOf, parseCsvColumn, inRange } from "bumpscan/io";
 */
export { decodeColumn, formatOf } from "../io/decode.js";
export { parseExpression } from "../model/expression.js";
export type { Expression } from "../model/expression.js";
export type { DataFormat } from "../io/decode.js";
export type { Column, ColumnChoice, Selection } from "../io/column.js";
export { inRange } from "../io/column.js";
export { parseCsvColumn } from "../io/csv.js";
export { parseJsonColumn } from "../io/json.js";
export { parquetColumn, arrowColumn } from "../io/columnar.js";
export { rootBranchProblem, rootColumn } from "../io/root.js";
export { modelToHs3, isHs3Document, HS3_VERSION } from "../io/hs3.js";
export type { Hs3Document, Hs3ExportOptions } from "../io/hs3.js";
export { hs3ToModel } from "../io/hs3-import.js";
export type { Hs3Model } from "../io/hs3-import.js";
