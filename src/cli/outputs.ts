/** The result files of `scan`: checked before the scan starts, written (each atomically) after it. */
import { hepdataSubmission, hepdataTable } from "../report/hepdata.js";
import { limitsCsv } from "../report/tables.js";
import { checkOutputFile, checkOutputFolder, writeAtomic, writeFilesInto } from "../report/write.js";
import { brazilPlot, significancePlot } from "../plot/scan-plots.js";
import type { ScanResult } from "../scan/scan.js";

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
 * Write the requested outputs of a scan; returns the scan JSON text (for `--json`).
 */
export async function writeScanOutputs(result: ScanResult, o: ScanOutputPaths): Promise<string> {
  const text = JSON.stringify(result, null, 2) + "\n";
  if (o.out) await writeAtomic(o.out, text);
  if (o.csv) await writeAtomic(o.csv, limitsCsv(result));
  if (o.hepdata) {
    await writeFilesInto(o.hepdata, [
      { name: "submission.yaml", text: hepdataSubmission(result, "limits.yaml") },
      { name: "limits.yaml", text: hepdataTable(result) },
    ]);
  }
  if (o.plots)
    await writeFilesInto(o.plots, [
      { name: "brazil.svg", text: brazilPlot(result) },
      { name: "significance.svg", text: significancePlot(result) },
    ]);
  return text;
}
