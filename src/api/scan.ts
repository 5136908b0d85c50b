/**
 * `bumpscan/scan`: scans over the mass grid on a worker pool, shards and their merge, the global
 * significance.
 * @example
 * import { runScan, mergeScans, massGrid, WorkerPool } from "bumpscan/scan";
 */
export { runScan, assemble } from "../scan/scan.js";
export { shownPoints } from "../scan/result.js";
export { inUnits, LIMIT_UNITS } from "../scan/units.js";
export type { LimitUnits } from "../scan/units.js";
export type { ScanResult, RunScanOptions, Progress, LeeToys, ScanEvents, RegionEvents } from "../scan/scan.js";
export type { PointResult, ScanOptions } from "../scan/point.js";
export { mergeScans, checkScanResult } from "../scan/merge.js";
export { massGrid, scanGrid } from "../scan/grid.js";
export type { GridPoint } from "../scan/grid.js";
export { grossVitells } from "../scan/global.js";
export { WorkerPool } from "../scan/pool.js";
export type { PoolOptions } from "../scan/pool.js";
export { countingScan, countingTable, checkCountingSearch } from "../scan/counting.js";
export type { CountingTable, CountingRow, CountingLimit, CountingScanOptions } from "../scan/counting.js";
