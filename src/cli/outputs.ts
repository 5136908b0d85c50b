/** The result files of `scan`: checked before the scan starts, written (each atomically) after it. */
import { scanOutputs } from "../report/outputs.js";
import { checkOutputFile, checkOutputFolder, writeAtomic, writeFilesInto } from "../report/write.js";
import type { ScanResult } from "../scan/scan.js";
import type { LimitUnits } from "../scan/units.js";

/** Where `scan` writes: the JSON and CSV files, the HEPData and plot folders. */
export interface ScanOutputPaths {
  out?: string;
  csv?: string;
  hepdata?: string;
  plots?: string;
}

/**
 * Check every requested output before any fit runs, so an unwritable path fails at once.
 */
export async function checkScanOutputs(o: ScanOutputPaths): Promise<void> {
  if (o.out) await checkOutputFile(o.out, "--out");
  if (o.csv) await checkOutputFile(o.csv, "--csv");
  if (o.hepdata) await checkOutputFolder(o.hepdata, "--hepdata");
  if (o.plots) await checkOutputFolder(o.plots, "--plots");
}

/**
 * Write the requested outputs of a scan, its limits in `units` (the JSON keeps every unit); returns
 * the scan JSON text (for `--json`).
 */
export async function writeScanOutputs(
  result: ScanResult,
  o: ScanOutputPaths,
  units: LimitUnits = "poi",
): Promise<string> {
  const files = scanOutputs(result, units);
  const text = files[0].text;
  const pick = (prefix: string) =>
    files.filter((f) => f.name.startsWith(prefix)).map((f) => ({ name: f.name.slice(prefix.length), text: f.text }));
  if (o.out) await writeAtomic(o.out, text);
  if (o.csv) await writeAtomic(o.csv, files.find((f) => f.name === "limits.csv")!.text);
  if (o.hepdata) await writeFilesInto(o.hepdata, pick("hepdata/"));
  if (o.plots)
    await writeFilesInto(
      o.plots,
      files.filter((f) => f.name.endsWith(".svg")),
    );
  return text;
}
