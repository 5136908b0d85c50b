/**
 * A scan's limits in the units a plot, a table or a HEPData record shows: the POI itself, the
 * signal events it means (POI × Σ scale × luminosity × efficiency over the samples whose signal
 * takes part at the mass), or the coupling (`interpret`).
 */
import { BumpscanError } from "../errors.js";
import { type AxisName, poiAxis } from "../model/labels.js";
import { signalScale } from "../model/spec.js";
import { samplesOf } from "../model/window.js";
import type { PointResult } from "./point.js";
import type { ScanResult } from "./result.js";

export type LimitUnits = "poi" | "events" | "coupling";
export const LIMIT_UNITS: readonly LimitUnits[] = ["poi", "events", "coupling"];

/** What the limits are called in `units`: the POI's name and unit, signal events, or the coupling's. */
export function unitsAxis(r: ScanResult, units: LimitUnits): AxisName {
  if (units === "events") return { name: "N_sig", unit: "events" };
  if (units === "coupling") {
    if (!r.spec.interpret) throw new BumpscanError('--units coupling needs "interpret" in the spec');
    return { name: r.spec.interpret.name ?? "coupling", unit: r.spec.interpret.unit ?? "" };
  }
  return poiAxis(r.spec);
}

/**
 * The scan with every point's observed limit and expected band in `units` (and `units` recorded).
 * @example
 * import { readFileSync } from "node:fs";
 * import { parseSpec, readColumn, scan } from "bumpscan";
 * import { inUnits } from "bumpscan/scan";
 * const spec = parseSpec({ ...JSON.parse(readFileSync("spec.json", "utf8")), scan: { masses: [4.2] },
 *   interpret: { name: "epsilon", poi1: 1e6, power: 2 } });
 * const { values } = await readColumn("bump-1e4.csv", { column: "m" });
 * const result = await scan(spec, values);
 * inUnits(result, "coupling").points[0].observed; // => 0.008267
 */
export function inUnits(r: ScanResult, units: LimitUnits): ScanResult & { units: LimitUnits } {
  unitsAxis(r, units); // refuses coupling without interpret
  if (units === "poi") return { ...r, units };
  return { ...r, units, points: r.points.map((p) => convert(r, p, units)) };
}

function convert(r: ScanResult, p: PointResult, units: LimitUnits): PointResult {
  if (p.observed === undefined) return p;
  if (units === "coupling") {
    const c = p.coupling;
    return { ...p, observed: c?.observed ?? NaN, ...(p.expected ? { expected: c?.expected ?? p.expected } : {}) };
  }
  const specs = samplesOf(r.spec);
  const taking = p.samples ?? specs.map((s) => s.name);
  const factor = specs.filter((s) => taking.includes(s.name)).reduce((sum, s) => sum + signalScale(s, p.mass), 0);
  const scale = (x: number) => x * factor;
  const e = p.expected;
  return {
    ...p,
    observed: scale(p.observed),
    ...(e
      ? {
          expected: {
            "-2": scale(e["-2"]),
            "-1": scale(e["-1"]),
            "0": scale(e["0"]),
            "1": scale(e["1"]),
            "2": scale(e["2"]),
          },
        }
      : {}),
  };
}
