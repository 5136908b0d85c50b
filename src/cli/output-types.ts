/**
 * The JSON the CLI writes, as types: `npm run build` turns each into a JSON Schema in `schema/`
 * (scripts/write-output-schemas.mjs), and the tests check real outputs against them.
 */
import type { InjectReport } from "../job/inject.js";
import type { FitReport, LimitReport } from "../job/mass-job.js";
import type { CountingTable } from "../scan/counting.js";
import type { ScanResult } from "../scan/result.js";
import type { FileSelection } from "../report/format.js";
import type { Provenance } from "./provenance.js";

/**
 * Where the events came from: the file (one per sample), the events outside the observable range
 * and, with a cut or an expression, each file's events read and passing (a list for several samples).
 */
export interface InputFiles {
  file: string | string[];
  dropped: number;
  selected?: FileSelection | (FileSelection | null)[];
}

/** `fit --json`. */
export type FitOutput = Omit<FitReport, "timing"> &
  InputFiles & { bumpscan: Provenance; timing: { readMs: number; fitMs: number } };

/** `limit --json`. */
export type LimitOutput = Omit<LimitReport, "timing" | "curve"> &
  InputFiles & { bumpscan: Provenance; timing: { readMs: number; limitMs: number } };

/** `scan --out`, `scan --json`, `merge --out`. */
export type ScanOutput = ScanResult & { bumpscan: Provenance };

/** `count --out`, `count --json`. */
export type CountingOutput = CountingTable & { bumpscan: Provenance };

/** `inject --json`. */
export type InjectOutput = InjectReport & { bumpscan: Provenance };
