// What every worked example shares (examples/README.md): its command line, pseudo-data drawn from
// a spec's own model with a fixed seed, the data and spec files written into the output folder,
// the scan on a worker pool and its result files. Run `npm run build` first: the examples import
// the package by its own name.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseSpec, scan, scanOutputs, WorkerPool } from "bumpscan";
import { generate } from "bumpscan/core";
import { loadScanEvents } from "bumpscan/io";
import { argParts, buildModel, factorValue, layoutAt, regionSpec } from "bumpscan/model";
import { shapeIntegral } from "bumpscan/oracle";

/**
 * The command line of an example: `--out DIR` (default ./out-<search>), `--quick` (a reduced grid,
 * seconds on two cores), `--workers K` (default: every core).
 */
export function exampleOptions(search, argv = process.argv.slice(2)) {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: "string" },
      quick: { type: "boolean", default: false },
      workers: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(`usage: node examples/${search}/run.mjs [--out DIR] [--quick] [--workers K]`);
    process.exit(0);
  }
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1))
    throw new Error(`--workers must be a whole number ≥ 1 (got ${values.workers})`);
  return { out: resolve(values.out ?? `out-${search}`), quick: values.quick, workers };
}

/** The example's spec.json (the folder of the run.mjs given by its import.meta.url). */
export function readExampleSpec(url) {
  return JSON.parse(readFileSync(new URL("spec.json", url), "utf8"));
}

/**
 * The model a spec describes (of the region, if named) and the parameter values `truth` (the POI
 * at 0 unless given: background only; the others at their start values). `mass` only has to lie
 * where every mass function has a value (default: the region's first scan mass).
 */
function truthModel(specJson, truth, { region, mass } = {}) {
  const whole = parseSpec(structuredClone(specJson), "the truth spec");
  const spec = region === undefined ? whole : regionSpec(whole, region);
  const at = mass ?? spec.scan?.from ?? spec.scan?.masses?.[0];
  const layout = layoutAt(spec, at, false);
  const model = buildModel(spec, { mass: at, nEvents: layout.samples.map(() => 1), layout });
  const missing = Object.keys(truth).filter((name) => !model.parameters.some((p) => p.name === name));
  if (missing.length)
    throw new Error(`no parameter ${missing.join(", ")} (have ${model.parameters.map((p) => p.name).join(", ")})`);
  return { model, values: { [model.poi]: 0, ...truth } };
}

/**
 * Pseudo-data from the model a spec describes: one array per sample (of the region, if named),
 * drawn by `generate` at the parameter values `truth` with the random stream `seed`.
 */
export function simulate(specJson, truth, seed, where = {}) {
  const { model, values } = truthModel(specJson, truth, where);
  return generate(model, values, seed);
}

/**
 * The events the same model expects in [lo, hi] of sample `sample` (index), summed over its
 * components: yield × the share of the component's shape there (outside the vetoes).
 */
export function expectedEvents(specJson, truth, [lo, hi], { sample = 0, ...where } = {}) {
  const { model, values } = truthModel(specJson, truth, where);
  const value = (name) => values[name] ?? model.parameters.find((p) => p.name === name).value;
  const arg = (a) => {
    const { base, factors } = argParts(a);
    return factors.reduce((x, f) => x * factorValue(f, value(f.param)), typeof base === "number" ? base : value(base));
  };
  const s = model.samples[sample];
  let sum = 0;
  for (const c of s.components) {
    const nu = c.yieldFactors.reduce((y, f) => y * factorValue(f, value(f.param)), c.yieldConstant);
    const args = c.args.map(arg);
    const share = (a, b) => shapeIntegral(c.shape, args, a, b, 1e-12, s.exclude ?? []);
    sum += (nu * share(Math.max(lo, s.range[0]), Math.min(hi, s.range[1]))) / share(s.range[0], s.range[1]);
  }
  return sum;
}

/** A CSV file of one column, written with the digits given. */
export function writeColumn(path, column, values, digits = 7) {
  mkdirSync(dirname(path), { recursive: true });
  const lines = Array.from(values, (v) => v.toFixed(digits));
  writeFileSync(path, `${column}\n${lines.join("\n")}\n`);
}

/** Every dataset a spec reads, as `[path, column]` (each region's samples too), in spec order. */
export function dataFiles(specJson) {
  const out = new Map();
  const add = (d) => d && out.set(d.path, d.column ?? "m");
  add(specJson.data);
  for (const s of specJson.samples ?? []) add(s.data);
  for (const r of specJson.regions ?? []) {
    add(r.data);
    for (const s of r.samples ?? []) add(s.data);
  }
  return [...out];
}

/**
 * Write the data and the spec as run into `out`, read the data back through the spec (as
 * `bumpscan scan out/spec.json` would), scan on a worker pool and write results.json, limits.csv,
 * brazil.svg, significance.svg and the HEPData record. `data` maps each data path of the spec to
 * its events; `options` go to the scan (`marginalise`, say). Prints a summary; returns the result and the wall time (exit code 1 if a point failed).
 */
export async function runExample({ search, spec, data, out, workers, options = {} }) {
  mkdirSync(out, { recursive: true });
  for (const [path, column] of dataFiles(spec)) {
    if (!data[path]) throw new Error(`${search}: no events generated for ${path}`);
    writeColumn(join(out, path), column, data[path]);
  }
  const specPath = join(out, "spec.json");
  writeFileSync(specPath, `${JSON.stringify(spec, null, 2)}\n`);
  const parsed = parseSpec(structuredClone(spec), specPath);
  const t0 = performance.now();
  const events = await loadScanEvents(parsed, out);
  const pool = await WorkerPool.start(workers);
  let result;
  try {
    result = await scan(parsed, parsed.regions ? events : events[""], { ...options, pool });
  } finally {
    await pool.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  for (const file of scanOutputs(result)) {
    mkdirSync(dirname(join(out, file.name)), { recursive: true });
    writeFileSync(join(out, file.name), file.text);
  }
  summarise(search, result, seconds, out);
  // as `bumpscan scan`: exit code 1 when a point failed or did not converge
  if (result.points.some((p) => p.status !== "converged" && p.status !== "skipped")) process.exitCode = 1;
  return { result, seconds };
}

function summarise(search, result, seconds, out) {
  const count = (status) => result.points.filter((p) => p.status === status).length;
  const fitted = count("converged");
  const skipped = count("skipped");
  const max = result.maxLocalZ;
  const unit = result.spec.hypothesis?.unit ?? result.spec.observable.unit ?? "";
  console.log(
    `${search}: ${result.points.length} mass points (${fitted} fitted, ${skipped} skipped, ` +
      `${result.points.length - fitted - skipped} not converged) in ${seconds.toFixed(1)} s`,
  );
  if (max) {
    const where = `${max.mass.toPrecision(5)} ${unit}`.trim();
    const at = result.points.find((p) => p.mass === max.mass && p.z === max.z);
    const region = at?.region === undefined ? "" : ` (region ${at.region})`;
    console.log(
      `largest local Z ${max.z.toFixed(2)}σ at ${where}${region}; ` +
        `global Z ${result.globalZ.toFixed(2)}σ (Gross–Vitells)`,
    );
  }
  console.log(`wrote results.json, limits.csv, brazil.svg, significance.svg into ${out}`);
}
