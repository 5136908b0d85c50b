/**
 * Columnar event files: Parquet (parquet-wasm, reading only the columns asked for) and Arrow IPC
 * (.arrow, .feather; apache-arrow). Values must be finite numbers; a null or NaN names its row.
 * Both libraries load only when such a file is read.
 */
import type { Table } from "apache-arrow";
import { BumpscanError } from "../errors.js";
import { Column, ColumnChoice } from "./column.js";

/** parquet-wasm: the Node build is ready when imported; the browser build fetches its WASM first. */
async function parquetWasm(): Promise<typeof import("parquet-wasm")> {
  const pq = await import("parquet-wasm");
  const init = (pq as unknown as { default?: unknown }).default;
  if (typeof init === "function") await (init as () => Promise<unknown>)();
  return pq;
}

function column(table: Table, path: string, name: string | undefined): Float64Array {
  const names = table.schema.fields.map((f) => f.name);
  const key = name ?? (names.length === 1 ? names[0] : undefined);
  if (key === undefined) throw new BumpscanError(`${path} has columns ${names.join(", ")}: name one in the spec's data.column`);
  const vector = table.getChild(key);
  if (!vector) throw new BumpscanError(`${path} has no column "${key}" (columns: ${names.join(", ")})`);
  const out = new Float64Array(vector.length);
  for (let i = 0; i < vector.length; i++) {
    const v = vector.get(i);
    const x = typeof v === "bigint" ? Number(v) : v;
    if (typeof x !== "number" || !Number.isFinite(x)) throw new BumpscanError(`${path} row ${i + 1}: column ${key} is ${x === null ? "null" : String(x)}, not a finite number`);
    out[i] = x;
  }
  return out;
}

/**
 * Read one numeric column (and optional weights) from the bytes of a Parquet file.
 * @example
 * const { values } = await parquetColumn(bytes, "events.parquet", { column: "m" });
 */
export async function parquetColumn(bytes: Uint8Array, path: string, { column: name, weights }: ColumnChoice): Promise<Column> {
  const { readParquet } = await parquetWasm();
  const { tableFromIPC } = await import("apache-arrow");
  let table: Table;
  try {
    const columns = name ? [name, ...(weights ? [weights] : [])] : undefined;
    table = tableFromIPC(readParquet(bytes, columns ? { columns } : undefined).intoIPCStream());
  } catch (e) {
    const all = (() => {
      try {
        return tableFromIPC(readParquet(bytes).intoIPCStream()).schema.fields.map((f) => f.name);
      } catch {
        return undefined;
      }
    })();
    if (all && name && !all.includes(name)) throw new BumpscanError(`${path} has no column "${name}" (columns: ${all.join(", ")})`);
    if (all && weights && !all.includes(weights)) throw new BumpscanError(`${path} has no column "${weights}" (columns: ${all.join(", ")})`);
    throw new BumpscanError(`${path}: not a readable Parquet file (${(e as Error).message ?? e})`);
  }
  return { values: column(table, path, name), weights: weights ? column(table, path, weights) : undefined };
}

/**
 * Read one numeric column (and optional weights) from the bytes of an Arrow IPC file (.arrow, .feather).
 * @example
 * const { values } = await arrowColumn(bytes, "events.arrow", { column: "m" });
 */
export async function arrowColumn(bytes: Uint8Array, path: string, { column: name, weights }: ColumnChoice): Promise<Column> {
  const { tableFromIPC } = await import("apache-arrow");
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (e) {
    throw new BumpscanError(`${path}: not a readable Arrow IPC file (${(e as Error).message})`);
  }
  return { values: column(table, path, name), weights: weights ? column(table, path, weights) : undefined };
}
