#!/usr/bin/env node
/**
 * The bumpscan command line. Errors reach the user as one line naming the problem, never a stack
 * trace; exit codes: 0 success, 1 the job ran but a fit did not converge, 2 bad input, 3 internal error.
 */
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { readFile, mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fitAtMass, fitPlotAtMass, limitAtMass, LimitMethod } from "../analysis.js";
import { starterSpec } from "./starter.js";
import { BumpscanError } from "../errors.js";
import { loadSpecSamples, LoadedEvents } from "../io/data.js";
import { parseSpec, Spec } from "../model/spec.js";
import { formatFit, formatLimit } from "./format.js";
import { WorkerPool } from "../scan/pool.js";
import { runScan, mergeScans, ScanResult } from "../scan/scan.js";
import { formatScan } from "./format.js";
import cliProgress from "cli-progress";
import { limitsCsv } from "../io/tables.js";
import { hepdataSubmission, hepdataTable } from "../io/hepdata.js";
import { brazilPlot, significancePlot } from "../plot/scan-plots.js";
import { runDemo, DEMO_SIGNAL } from "../demo.js";

const program = new Command();
program.name("bumpscan").description("Unbinned fits, limits and mass scans for bump hunts (WASM core)").version("0.1.0").exitOverride();

/** The input files and the events dropped outside the range (one entry per sample for several). */
function files(samples: LoadedEvents[]): { file: string | string[]; dropped: number } {
  return { file: samples.length === 1 ? samples[0].path : samples.map((s) => s.path), dropped: samples.reduce((n, s) => n + s.dropped, 0) };
}

function number(value: string): number {
  const v = Number(value);
  if (value.trim() === "" || !Number.isFinite(v)) throw new InvalidArgumentError(`"${value}" is not a number`);
  return v;
}

async function readSpec(path: string): Promise<Spec> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new BumpscanError(`cannot read spec ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new BumpscanError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  return parseSpec(json, path);
}

program
  .command("fit")
  .description("fit signal + background at one mass: values, HESSE errors, q0 and local Z")
  .argument("<spec>", "model spec (JSON, DESIGN.md §3)")
  .requiredOption("--mass <m>", "signal mass hypothesis", number)
  .option("--json", "print JSON (DESIGN.md §6) instead of a table")
  .addHelpText("after", "\nExample:\n  bumpscan fit examples/bump.json --mass 4.2 --json")
  .action(async (specPath: string, opts: { mass: number; json?: boolean }) => {
    const t0 = performance.now();
    const spec = await readSpec(specPath);
    const samples = await loadSpecSamples(spec, dirname(resolve(specPath)));
    const readMs = performance.now() - t0;
    const report = await fitAtMass(spec, samples, opts.mass);
    const out = { ...report, ...files(samples), timing: { readMs, fitMs: report.timing.fitMs } };
    console.log(opts.json ? JSON.stringify(out, null, 2) : formatFit(out, spec.observable.unit));
    if (report.status !== "converged") process.exitCode = 1;
  });

function probability(value: string): number {
  const v = number(value);
  if (!(v > 0 && v < 1)) throw new InvalidArgumentError(`"${value}" must lie between 0 and 1`);
  return v;
}

function method(value: string): LimitMethod {
  if (value !== "asymptotic" && value !== "toys" && value !== "bayes") throw new InvalidArgumentError(`"${value}" is not one of asymptotic, toys, bayes`);
  return value;
}

function count(value: string): number {
  const v = number(value);
  if (!Number.isInteger(v) || v < 0) throw new InvalidArgumentError(`"${value}" is not a non-negative integer`);
  return v;
}

/** The options `limit` and `scan` share. */
function withLimitOptions(command: Command): Command {
  return command
    .option("--method <method>", "asymptotic | toys | bayes (default: the spec's limit.method, else asymptotic)", method)
    .option("--cl <cl>", "confidence (credibility) level (default: the spec's limit.cl, else 0.9)", probability)
    .option("--toys <n>", "s+b toys per POI value; b-only toys: twice as many (toys, default 2000)", count)
    .option("--seed <s>", "random seed (toys)", count)
    .option("--workers <k>", "worker threads (default: the available cores; 1: none)", count);
}

withLimitOptions(program
  .command("limit")
  .description("upper limit on the signal yield at one mass: observed and expected (CLs) or Bayesian")
  .argument("<spec>", "model spec (JSON)")
  .requiredOption("--mass <m>", "signal mass hypothesis", number))
  .option("--clsb", "CLs+b instead of CLs limits")
  .option("--marginalise", "Bayesian: marginalise the nuisances instead of profiling them")
  .option("--no-expected", "observed limit only (toys spend most of their time on the expected band)")
  .option("--target-error <e>", "toys: double the toys until the observed limit's toy error is below e", number)
  .option("--json", "print JSON (DESIGN.md §6) instead of a summary")
  .addHelpText("after", "\nExamples:\n  bumpscan limit examples/bump.json --mass 4.2\n  bumpscan limit examples/bump.json --mass 4.2 --method toys --toys 500 --seed 7\n  bumpscan limit examples/bump.json --mass 4.2 --method bayes --cl 0.95 --json")
  .action(async (specPath: string, opts: { mass: number; method?: LimitMethod; cl?: number; toys?: number; seed?: number; workers?: number; clsb?: boolean; marginalise?: boolean; expected: boolean; targetError?: number; json?: boolean }) => {
    const t0 = performance.now();
    const spec = await readSpec(specPath);
    const samples = await loadSpecSamples(spec, dirname(resolve(specPath)));
    const readMs = performance.now() - t0;
    const toys = (opts.method ?? spec.limit?.method) === "toys";
    const pool = toys && opts.workers !== 1 ? await WorkerPool.start(opts.workers || undefined) : undefined;
    const report = await limitAtMass(spec, samples, opts.mass, {
      method: opts.method, cl: opts.cl, statistic: opts.clsb ? "clsb" : "cls", marginalise: opts.marginalise, toys: opts.toys, seed: opts.seed, pool, expected: opts.expected, targetError: opts.targetError,
    }).finally(() => pool?.close());
    const out = { ...report, curve: undefined, ...files(samples), events: samples.reduce((n, s) => n + s.values.length, 0), timing: { readMs, limitMs: report.timing.limitMs } };
    console.log(opts.json ? JSON.stringify(out, null, 2) : formatLimit(out, spec.observable.unit));
  });

function shard(value: string): { k: number; n: number } {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  if (!m || +m[1] < 1 || +m[1] > +m[2]) throw new InvalidArgumentError(`"${value}" is not k/N with 1 ≤ k ≤ N`);
  return { k: +m[1], n: +m[2] };
}

withLimitOptions(program
  .command("scan")
  .description("scan the spec's mass grid: fit, local Z and limits at every mass, global significance")
  .argument("<spec>", "model spec with a \"scan\" entry (JSON)"))
  .option("--shard <k/N>", "run shard k of N (mass points with index ≡ k−1 mod N); join with merge", shard)
  .option("--lee-toys <n>", "check the global significance with n background-only toy scans", count)
  .option("--out <file>", "write the scan JSON (DESIGN.md §6) to this file")
  .option("--csv <file>", "write the limits table as CSV")
  .option("--hepdata <dir>", "write a HEPData record (submission.yaml, limits.yaml)")
  .option("--plots <dir>", "write brazil.svg and significance.svg")
  .option("--quiet", "no progress bar")
  .option("--json", "print the scan JSON instead of the summary")
  .addHelpText("after", "\nExamples:\n  bumpscan scan spec.json --out results.json\n  bumpscan scan spec.json --shard 2/10 --out shard2.json   # one task of a Slurm array / Indexed Job")
  .action(async (specPath: string, opts: { workers?: number; method?: LimitMethod; cl?: number; toys?: number; seed?: number; shard?: { k: number; n: number }; leeToys?: number; out?: string; csv?: string; hepdata?: string; plots?: string; quiet?: boolean; json?: boolean }) => {
    const spec = await readSpec(specPath);
    const samples = await loadSpecSamples(spec, dirname(resolve(specPath)));
    if (samples.some((s) => s.weights)) throw new BumpscanError("scan: per-event weights (data.weights) are not supported in scans yet; fit and limit use them");
    const t0 = performance.now();
    const pool = opts.workers === 1 ? undefined : await WorkerPool.start(opts.workers || undefined);
    const bar = process.stderr.isTTY && !opts.quiet && !opts.json
      ? new cliProgress.SingleBar({ format: "scan |{bar}| {value}/{total} mass points | ETA {eta_formatted}", stream: process.stderr }, cliProgress.Presets.shades_classic)
      : undefined;
    let started = false;
    const result = await runScan(spec, samples.map((s) => s.values), {
      method: opts.method, cl: opts.cl, toys: opts.toys, seed: opts.seed, shard: opts.shard, pool, leeToys: opts.leeToys,
      onProgress: (p) => {
        if (!bar) return;
        if (!started) bar.start(p.total, 0), (started = true);
        bar.update(p.done);
      },
    }).finally(async () => {
      bar?.stop();
      await pool?.close();
    });
    const text = JSON.stringify(result, null, 2) + "\n";
    if (opts.out) await writeFile(opts.out, text);
    if (opts.csv) await writeFile(opts.csv, limitsCsv(result));
    if (opts.hepdata) {
      await mkdir(opts.hepdata, { recursive: true });
      await writeFile(join(opts.hepdata, "submission.yaml"), hepdataSubmission(result, "limits.yaml"));
      await writeFile(join(opts.hepdata, "limits.yaml"), hepdataTable(result));
    }
    if (opts.plots) {
      await mkdir(opts.plots, { recursive: true });
      await writeFile(join(opts.plots, "brazil.svg"), brazilPlot(result));
      await writeFile(join(opts.plots, "significance.svg"), significancePlot(result));
    }
    if (opts.json) process.stdout.write(text);
    else console.log(formatScan(result, spec.observable.unit, performance.now() - t0, pool?.size ?? 1) + (opts.out ? `\nresults written to ${opts.out}` : ""));
  });

program
  .command("merge")
  .description("join the JSON results of scan shards into exactly what one run gives")
  .argument("<shards...>", "shard result files (scan --shard k/N --out …)")
  .requiredOption("-o, --out <file>", "merged results file")
  .option("--json", "print the merged scan JSON too")
  .addHelpText("after", "\nExample:\n  bumpscan merge shard-*.json -o results.json")
  .action(async (files: string[], opts: { out: string; json?: boolean }) => {
    const parts: ScanResult[] = [];
    for (const f of files) {
      let text: string;
      try {
        text = await readFile(f, "utf8");
      } catch (e) {
        throw new BumpscanError(`cannot read ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      try {
        parts.push(JSON.parse(text));
      } catch (e) {
        throw new BumpscanError(`${f} is not valid JSON: ${(e as Error).message}`);
      }
    }
    const merged = mergeScans(parts);
    const text = JSON.stringify(merged, null, 2) + "\n";
    await writeFile(opts.out, text);
    if (opts.json) process.stdout.write(text);
    else console.log(`merged ${files.length} shards: ${merged.points.length} mass points written to ${opts.out}`);
  });

program
  .command("init")
  .description("write a starter spec, every section explained")
  .argument("[file]", "where to write it", "spec.json")
  .option("--json", "print {\"file\": …} instead of a sentence")
  .addHelpText("after", "\nExample:\n  bumpscan init my-search.json")
  .action(async (file: string, opts: { json?: boolean }) => {
    try {
      await writeFile(file, starterSpec(), { flag: "wx" });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST") throw new BumpscanError(`${file} already exists; not overwriting it`);
      throw new BumpscanError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    console.log(opts.json ? JSON.stringify({ file }) : `wrote ${file}: edit data.path, then run  bumpscan scan ${file} --out results.json`);
  });

const plot = program.command("plot").description("plots as SVG");
plot
  .command("fit")
  .description("the fit at one mass over a histogram of the data, with pulls")
  .argument("<spec>", "model spec (JSON)")
  .requiredOption("--mass <m>", "signal mass hypothesis", number)
  .option("--out <file>", "SVG file to write", "fit.svg")
  .option("--zoom <w>", "show the mass ± w resolutions", number, 15)
  .option("--bins <n>", "histogram bins", count, 60)
  .option("--json", "print the fit (values, errors, status) as JSON")
  .addHelpText("after", "\nExample:\n  bumpscan plot fit examples/bump.json --mass 4.2 --out fit.svg")
  .action(async (specPath: string, opts: { mass: number; out: string; zoom: number; bins: number; json?: boolean }) => {
    const spec = await readSpec(specPath);
    const [events] = await loadSpecSamples(spec, dirname(resolve(specPath)));
    if (spec.samples && spec.samples.length > 1) throw new BumpscanError("plot fit draws one sample; give a spec with one dataset");
    const { fit: r, poi, svg } = await fitPlotAtMass(spec, events, opts.mass, { zoom: opts.zoom, bins: opts.bins });
    await writeFile(opts.out, svg);
    if (opts.json) console.log(JSON.stringify({ mass: opts.mass, status: r.status, values: r.values, errors: r.errors, plot: opts.out }, null, 2));
    else console.log(`fit at m = ${opts.mass}: ${poi} = ${r.values[poi].toPrecision(5)} ± ${r.errors[poi].toPrecision(3)} (${r.status}); plot written to ${opts.out}`);
  });

program
  .command("demo")
  .description("generate the built-in demo spectrum (BABAR-like recoil mass), scan it, write results and plots")
  .option("--out <dir>", "folder for the demo's files", "bumpscan-demo")
  .option("--workers <k>", "worker threads (default: the available cores; 1: no workers)", count)
  .option("--json", "print the scan JSON instead of the summary")
  .addHelpText("after", "\nExample:\n  bumpscan demo --out demo/   # then open demo/brazil.svg in a browser")
  .action(async (opts: { out: string; workers?: number; json?: boolean }) => {
    const t0 = performance.now();
    const pool = opts.workers === 1 ? undefined : await WorkerPool.start(opts.workers || undefined);
    const { result, files, events } = await runDemo(opts.out, { pool }).finally(() => pool?.close());
    if (opts.json) {
      console.log(JSON.stringify(result, null, 2));
      return;
    }
    console.log(`demo: ${events} single-photon recoil-mass events on a falling background, ${DEMO_SIGNAL.events} signal events injected at ${DEMO_SIGNAL.mass} GeV\n`);
    console.log(formatScan(result, result.spec.observable.unit, performance.now() - t0, pool?.size ?? 1));
    console.log(`\nwrote ${files.join(", ")}`);
  });

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander has printed its message (usage errors) or the help/version text
      process.exitCode = e.exitCode === 0 ? 0 : 2;
    } else if (e instanceof BumpscanError) {
      console.error(`bumpscan: ${e.message}`);
      process.exitCode = 2;
    } else {
      console.error(`bumpscan: internal error: ${(e as Error).message ?? e}${process.env.BUMPSCAN_DEBUG ? "\n" + (e as Error).stack : " (set BUMPSCAN_DEBUG=1 for details)"}`);
      process.exitCode = 3;
    }
  }
}

await main();
