/**
 * The bumpscan command line. Errors reach the user as one line naming the problem, never a stack
 * trace; exit codes (docs/errors.md): 0 success, 1 the job ran but a fit did not converge, 2 bad
 * input or an I/O fault, 3 internal error, 130 interrupted.
 */
import { Command, CommanderError, Option } from "commander";
import { readFile, stat, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { LimitMethod } from "../job/mass-job.js";
import type { ErrorMode } from "../infer/weights.js";
import type { LoadedEvents } from "../io/data.js";
import { standardInput } from "../io/stdin.js";
import { completionScript } from "./completion.js";
import type { Spec } from "../model/spec.js";
import type { ScanResult } from "../scan/scan.js";
import { starterSpec } from "./starter.js";
import { formatSelection } from "../report/format.js";
import { VERSION } from "./version.js";
import { BumpscanError, errnoWords } from "../errors.js";
import {
  assignments,
  between,
  clsMethod,
  bins,
  count,
  errorMode,
  leeToys,
  limitUnits,
  method,
  number,
  nonNegative,
  positive,
  probability,
  shard,
  toys,
  workers,
} from "./options.js";
import { exitOnInterrupt, INTERRUPTED, stoppable } from "./interrupt.js";
import { reporter } from "./progress.js";
import { type Provenance, provenance } from "./provenance.js";
import type { FitOutput, InjectOutput, InputFiles, LimitOutput } from "./output-types.js";
import { DEFAULT_SEED } from "../infer/toys.js";

/**
 * The modules that do the work, loaded by the command that runs: `--help` and `--version` load
 * none of them (WASM, Ajv, d3, the readers), so they answer at once.
 */
async function work() {
  const [
    job,
    plotAt,
    data,
    parse,
    format,
    pool,
    scan,
    merge,
    demo,
    json,
    write,
    outputs,
    regions,
    inject,
    pulls,
    countingScan,
    countingReport,
    hs3,
  ] = await Promise.all([
    import("../job/mass-job.js"),
    import("../report/fit-plot-at-mass.js"),
    import("../io/data.js"),
    import("../model/parse.js"),
    import("../report/format.js"),
    import("../scan/pool.js"),
    import("../scan/scan.js"),
    import("../scan/merge.js"),
    import("../demo.js"),
    import("../io/json.js"),
    import("../report/write.js"),
    import("./outputs.js"),
    import("../model/regions.js"),
    import("../job/inject.js"),
    import("../plot/pull-plot.js"),
    import("../scan/counting.js"),
    import("../report/counting.js"),
    import("./hs3.js"),
  ]);
  return {
    ...job,
    ...plotAt,
    ...data,
    ...parse,
    ...format,
    ...pool,
    ...scan,
    ...merge,
    ...demo,
    ...json,
    ...write,
    ...outputs,
    ...regions,
    ...inject,
    ...pulls,
    ...countingScan,
    ...countingReport,
    ...hs3,
  };
}

const program = new Command();
program
  .name("bumpscan")
  .description("Unbinned fits, limits and mass scans for bump hunts (WASM core)")
  .version(VERSION)
  .exitOverride()
  // usage errors in the one-line form of every other error (subcommands inherit this)
  .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, "bumpscan: ")) })
  .addHelpText(
    "after",
    "\nExit codes: 0 success, 1 a fit or point did not converge or failed, 2 bad input or an I/O fault, 3 internal " +
      "error, 130 interrupted.\nA spec given as - is read from standard input. BUMPSCAN_WORKERS sets the default " +
      "of --workers.",
  )
  .hook("preAction", (_, action) => {
    const { set, fix } = action.opts() as typeof overrides;
    overrides = { set, fix };
  });

/** A result with its provenance first (`bumpscan`: version, spec hash, seed). */
function withProvenance<T extends object>(result: T, spec: unknown, seed?: number): T & { bumpscan: Provenance } {
  return { bumpscan: provenance(spec, seed), ...result };
}

/**
 * The input files, the events dropped outside the range and, with data.cut or data.expr, the
 * events read and passing per file (one entry per sample for several).
 */
function files(samples: LoadedEvents[]): InputFiles {
  const selected = samples.map((s) => (s.selected ? { file: s.path, ...s.selected } : null));
  return {
    file: samples.length === 1 ? samples[0].path : samples.map((s) => s.path),
    dropped: samples.reduce((n, s) => n + s.dropped, 0),
    ...(selected.some(Boolean) ? { selected: samples.length === 1 ? (selected[0] ?? undefined) : selected } : {}),
  };
}

/** For scan and count (their standard output is the result): each file's selection, on standard error. */
function reportSelections(events: Record<string, LoadedEvents[]>, quiet?: boolean): void {
  if (quiet) return;
  for (const samples of Object.values(events))
    for (const s of samples) if (s.selected) console.error(`bumpscan: ${formatSelection(s.path, s.selected)}`);
}

/** A JSON file's text; errors name the file and the problem ("ENOENT: no such file", "is a directory"). */
async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    if (path === "-") text = new TextDecoder().decode(await standardInput("the spec"));
    else if ((await stat(path)).isDirectory()) throw Object.assign(new Error(), { code: "EISDIR" });
    else text = await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BumpscanError(
      `cannot read ${what}${path}: ` +
        `${code === "ENOENT" ? "ENOENT: no such file" : code === "EISDIR" ? "it is a directory" : errnoWords(e)}`,
    );
  }
  const { parseJsonText } = await work();
  return parseJsonText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, path);
}

/** Parameter values from `--set` (start values) and `--fix` (fixed), for the command that runs. */
let overrides: { set?: Record<string, number>; fix?: Record<string, number> } = {};

/** `--workers`, its default from BUMPSCAN_WORKERS. */
const workersOption = () =>
  new Option("--workers <k>", "worker threads, at most the available cores (default: all of them; 1: none)")
    .env("BUMPSCAN_WORKERS")
    .argParser(workers);

/** `--set` and `--fix`: parameter values over the spec's (its `parameters` entry), as Combine's --setParameters. */
function withOverrides(command: Command): Command {
  return command
    .option("--set <name=value,...>", "start parameters at these values (repeatable)", assignments)
    .option("--fix <name=value,...>", "fix parameters at these values (repeatable)", assignments);
}

/** The spec JSON with the command's `--set`/`--fix` values in its `parameters` entry. */
function overridden(json: unknown): unknown {
  if (!overrides.set && !overrides.fix) return json;
  if (typeof json !== "object" || json === null || Array.isArray(json)) return json; // parseSpec says what is wrong
  const spec = json as { parameters?: Record<string, Record<string, unknown>> };
  const parameters = { ...(spec.parameters ?? {}) };
  for (const [name, value] of Object.entries(overrides.set ?? {}))
    parameters[name] = { ...parameters[name], init: value };
  for (const [name, value] of Object.entries(overrides.fix ?? {}))
    parameters[name] = { ...parameters[name], init: value, fixed: true };
  return { ...spec, parameters };
}

/** A spec file, validated, with its signal templates' simulated events read (paths relative to it). */
async function readSpec(path: string): Promise<Spec> {
  const { parseSpec, loadSpecTemplates, isHs3Document } = await work();
  const json = await readJsonFile(path, "spec ");
  if (isHs3Document(json))
    throw new BumpscanError(`${path} is an HS3 document: \`fit\` reads it, this command needs a spec`);
  return loadSpecTemplates(parseSpec(overridden(json), path), dirname(resolve(path)));
}

/** The spec of one region for a fit at one mass (`--region`); a spec without regions is itself. */
async function regionOf(spec: Spec, region: string | undefined, path: string): Promise<Spec> {
  const { regionSpec } = await work();
  if (!spec.regions) {
    if (region !== undefined) throw new BumpscanError(`--region ${region}: ${path} has no regions`);
    return spec;
  }
  if (region === undefined)
    throw new BumpscanError(
      `${path} has regions (${spec.regions.map((r) => r.name).join(", ")}): choose one with --region`,
    );
  return regionSpec(spec, region);
}

/** The fit-range options of fit, limit and plot fit: a scan point reproduced on its own. */
function withWindow(command: Command): Command {
  return withOverrides(command)
    .option(
      "--window <w>",
      "fit only mass ± w resolutions (default: the spec's scan.window, as the scan point there does)",
      positive,
    )
    .option("--no-window", "fit the whole observable range even where the spec has a scan.window")
    .option("--region <name>", "the region whose model to fit (a spec with regions)");
}

withWindow(
  program
    .command("fit")
    .description("fit signal + background at one mass: values, HESSE errors, q0 and local Z")
    .argument("<spec>", "model spec (JSON, docs/spec.md), or an HS3 document (docs/hs3.md)")
    .option("--mass <m>", "signal mass hypothesis (required for a spec; an HS3 document has its own)", number),
)
  .option(
    "--errors <mode>",
    "weighted events: asymptotic (sandwich, default) | sumw2 | hesse (docs/statistics.md)",
    errorMode,
  )
  .option("--json", "print JSON (docs/spec.md, Outputs) instead of a table")
  .addHelpText(
    "after",
    "\nExit code 1 when a fit did not converge (no local Z is given then).\n\nExample:\n  bumpscan fit " +
      "examples/bump.json --mass 4.2 --json",
  )
  .action(
    async (
      specPath: string,
      opts: { mass?: number; window?: number | false; region?: string; errors?: ErrorMode; json?: boolean },
    ) => {
      const { fitAtMass, loadSpecSamples, formatFit, fitHs3File } = await work();
      const doc = await readJsonFile(specPath, "spec ");
      if (await fitHs3File(specPath, doc, opts)) return;
      if (opts.mass === undefined) throw new BumpscanError("required option '--mass <m>' not specified");
      const t0 = performance.now();
      const spec = await regionOf(await readSpec(specPath), opts.region, specPath);
      const samples = await loadSpecSamples(spec, dirname(resolve(specPath)));
      const readMs = performance.now() - t0;
      const report = await fitAtMass(spec, samples, opts.mass as number, {
        window: windowOption(opts.window),
        errors: opts.errors,
      });
      const out: FitOutput = {
        ...report,
        ...files(samples),
        bumpscan: provenance(spec),
        timing: { readMs, fitMs: report.timing.fitMs },
      };
      console.log(opts.json ? JSON.stringify(out, null, 2) : formatFit(out, spec.observable.unit));
      if (report.status !== "converged" || report.background.status !== "converged") process.exitCode = 1;
    },
  );

/** commander gives true for an absent --window when --no-window is declared: the spec decides then. */
function windowOption(w: number | boolean | undefined): number | false | undefined {
  return w === true ? undefined : w;
}

withWindow(
  program
    .command("export-hs3")
    .description("write the model and the events a fit at one mass uses as an HS3 JSON document (docs/hs3.md)")
    .argument("<spec>", "model spec (JSON, docs/spec.md)")
    .requiredOption("--mass <m>", "signal mass hypothesis", number)
    .option("--out <file>", "write the document to this file (default: standard output)"),
)
  .addHelpText("after", "\nExample:\n  bumpscan export-hs3 examples/bump.json --mass 4.2 --out bump-hs3.json")
  .action(async (specPath: string, opts: { mass: number; window?: number | false; region?: string; out?: string }) => {
    const { exportHs3File } = await work();
    const spec = await regionOf(await readSpec(specPath), opts.region, specPath);
    await exportHs3File(spec, specPath, { ...opts, window: windowOption(opts.window) });
  });

/** The options `limit` and `scan` share. */
function withLimitOptions(command: Command): Command {
  return command
    .option(
      "--method <method>",
      "asymptotic | toys | bayes | fc (Feldman–Cousins) (default: the spec's limit.method, else asymptotic)",
      method,
    )
    .option("--cl <cl>", "confidence (credibility) level (default: the spec's limit.cl, else 0.9)", probability)
    .option("--toys <n>", "s+b toys per POI value, 1 to 1e7; b-only toys: twice as many (toys, default 2000)", toys)
    .option("--seed <s>", "random seed (toys, the expected Bayesian band, LEE toy scans)", count)
    .option("--marginalise", "Bayesian: marginalise the nuisances instead of profiling them")
    .option(
      "--expected-toys <n>",
      "Bayesian: background-only pseudo-experiments per mass for the expected band (default 100; 0: none)",
      between(0, 65536),
    )
    .addOption(workersOption());
}

withWindow(
  withLimitOptions(
    program
      .command("limit")
      .description(
        "upper limit on the signal yield at one mass: observed and expected (CLs), Bayesian, or a Feldman–Cousins " +
          "interval",
      )
      .argument("<spec>", "model spec (JSON)")
      .requiredOption("--mass <m>", "signal mass hypothesis", number),
  ),
)
  .option("--clsb", "CLs+b instead of CLs limits")
  .option("--no-expected", "observed limit only (toys spend most of their time on the expected band)")
  .option("--target-error <e>", "toys: double the toys until the observed limit's toy error is below e (> 0)", positive)
  .option("--quiet", "no progress (toys, pseudo-experiments)")
  .option("--json", "print JSON (docs/spec.md, Outputs) instead of a summary")
  .addHelpText(
    "after",
    "\nExamples:\n  bumpscan limit examples/bump.json --mass 4.2\n  bumpscan limit examples/bump.json --mass 4.2 " +
      "--method toys --toys 500 --seed 7\n  bumpscan limit examples/bump.json --mass 4.2 --method bayes --cl 0.95 " +
      "--json",
  )
  .action(
    async (
      specPath: string,
      opts: {
        mass: number;
        window?: number | boolean;
        region?: string;
        method?: LimitMethod;
        cl?: number;
        toys?: number;
        seed?: number;
        workers?: number;
        clsb?: boolean;
        marginalise?: boolean;
        expectedToys?: number;
        expected: boolean;
        targetError?: number;
        quiet?: boolean;
        json?: boolean;
      },
    ) => {
      const { limitAtMass, loadSpecSamples, formatLimit, WorkerPool } = await work();
      const t0 = performance.now();
      const spec = await regionOf(await readSpec(specPath), opts.region, specPath);
      const samples = await loadSpecSamples(spec, dirname(resolve(specPath)));
      const readMs = performance.now() - t0;
      const method = opts.method ?? spec.limit?.method;
      const toys = method === "toys" || method === "fc";
      const pool = toys && opts.workers !== 1 ? await WorkerPool.start(opts.workers || undefined) : undefined;
      const bar = reporter("limit", opts);
      const report = await limitAtMass(spec, samples, opts.mass, {
        method: opts.method,
        cl: opts.cl,
        statistic: opts.clsb ? "clsb" : "cls",
        marginalise: opts.marginalise,
        expectedToys: opts.expectedToys,
        toys: opts.toys,
        seed: opts.seed,
        pool,
        expected: opts.expected,
        targetError: opts.targetError,
        window: windowOption(opts.window),
        onProgress: (done, total, unit) => bar.update(done, total, unit),
      }).finally(() => (bar.stop(), pool?.close()));
      const { curve: _, ...shown } = report;
      const random = report.toys || report.expectedToys; // the numbers depend on the seed
      const out: LimitOutput = {
        ...shown,
        ...files(samples),
        bumpscan: provenance(spec, random ? (opts.seed ?? spec.limit?.seed ?? DEFAULT_SEED) : undefined),
        timing: { readMs, limitMs: report.timing.limitMs },
      };
      console.log(opts.json ? JSON.stringify(out, null, 2) : formatLimit(out, spec.observable.unit));
    },
  );

withLimitOptions(
  withOverrides(program.command("scan"))
    .description("scan the spec's mass grid: fit, local Z and limits at every mass, global significance")
    .argument("<spec>", 'model spec with a "scan" entry (JSON)'),
)
  .option("--shard <k/N>", "run shard k of N (mass points with index ≡ k−1 mod N); join with merge", shard)
  .option(
    "--lee-toys <n>",
    "check the global significance with n background-only toy scans (≤ 1e6; " +
      "with --shard k/N, the toy scans with index ≡ k−1 mod N)",
    leeToys,
  )
  .option("--out <file>", "write the scan JSON (docs/spec.md, Outputs) to this file")
  .option("--csv <file>", "write the limits table as CSV")
  .option("--hepdata <dir>", "write a HEPData record (submission.yaml, limits.yaml)")
  .option("--plots <dir>", "write brazil.svg and significance.svg")
  .option(
    "--units <units>",
    "the limits the Brazil plot, the CSV and the HEPData table show: poi (default) | events | coupling",
    limitUnits,
  )
  .option("--quiet", "no progress bar")
  .option("--json", "print the scan JSON instead of the summary")
  .addHelpText(
    "after",
    "\nOutputs are checked before the scan starts and written atomically. Ctrl-C (or SIGTERM) stops the scan:\nthe " +
      'points done are written, marked "partial": true, exit code 130; a second Ctrl-C quits at once.\n' +
      "\nExamples:\n  bumpscan scan spec.json --out results.json\n  bumpscan scan spec.json --shard 2/10 --out " +
      "shard2.json   # one task of a Slurm array / Indexed Job",
  )
  .action(
    async (
      specPath: string,
      opts: {
        workers?: number;
        method?: LimitMethod;
        cl?: number;
        toys?: number;
        seed?: number;
        shard?: { k: number; n: number };
        leeToys?: number;
        marginalise?: boolean;
        expectedToys?: number;
        units?: "poi" | "events" | "coupling";
        out?: string;
        csv?: string;
        hepdata?: string;
        plots?: string;
        quiet?: boolean;
        json?: boolean;
      },
    ) => {
      const { loadScanEvents, formatScan, WorkerPool, runScan, checkScanOutputs, writeScanOutputs } = await work();
      await checkScanOutputs(opts);
      const spec = await readSpec(specPath);
      if (opts.units === "coupling" && !spec.interpret)
        throw new BumpscanError(`--units coupling: ${specPath} has no "interpret" (poi1 and power of the coupling)`);
      const events = await loadScanEvents(spec, dirname(resolve(specPath)));
      reportSelections(events, opts.quiet);
      const t0 = performance.now();
      const pool = opts.workers === 1 ? undefined : await WorkerPool.start(opts.workers || undefined);
      const bar = reporter("scan", opts);
      const controller = new AbortController();
      const stop = (signal: string) => {
        bar.stop();
        console.error(
          `bumpscan: ${signal}: stopping; the points under way finish (at most ~2 s), then what is done is written ` +
            `(again to quit at once)`,
        );
        controller.abort();
        setTimeout(() => void pool?.close(), 2500).unref(); // a point that takes longer (toys) is abandoned
      };
      const { value: result, interrupted } = await stoppable(stop, () =>
        runScan(spec, spec.regions ? events : events[""], {
          method: opts.method,
          cl: opts.cl,
          toys: opts.toys,
          seed: opts.seed,
          shard: opts.shard,
          pool,
          leeToys: opts.leeToys,
          marginalise: opts.marginalise,
          expectedToys: opts.expectedToys,
          signal: controller.signal,
          partialOnAbort: true,
          onProgress: (p) => {
            if (controller.signal.aborted) return;
            if (p.stage === "lee") bar.update(p.done, p.total, "background-only toy scans", "look-elsewhere");
            else bar.update(p.done, p.total, "mass points");
          },
        }).finally(async () => {
          bar?.stop();
          await pool?.close();
        }),
      );
      const text = await writeScanOutputs(withProvenance(result, result.spec, result.seed), opts, opts.units);
      if (opts.json) process.stdout.write(text);
      else
        console.log(
          formatScan(result, spec.observable.unit, performance.now() - t0, pool?.size ?? 1) +
            (opts.out ? `\nresults written to ${opts.out}` : ""),
        );
      if (interrupted || result.partial) process.exitCode = INTERRUPTED;
      // a failed point is no result
      else if (result.points.some((p) => p.status !== "converged" && p.status !== "skipped")) process.exitCode = 1;
    },
  );

withOverrides(program.command("count"))
  .description(
    "a counting search's table: per window the observed count, the expected background ± its uncertainty, and " +
      "the Bayesian and CLs limits side by side",
  )
  .argument("<spec>", 'counting spec (JSON): uniform shapes, "scan.window", background yields per window')
  .option("--cl <cl>", "confidence (credibility) level (default: the spec's limit.cl, else 0.9)", probability)
  .option("--cls <method>", "the CLs limits: toys (default) | asymptotic (large counts only)", clsMethod)
  .option("--toys <n>", "CLs: s+b toys per POI value, 1 to 1e7; b-only toys: twice as many (default 2000)", toys)
  .option("--profile", "Bayesian: profile the nuisances instead of integrating them out")
  .option(
    "--expected-toys <n>",
    "Bayesian: background-only pseudo-experiments per window for the expected band (default 100; 0: none)",
    between(0, 65536),
  )
  .option("--seed <s>", "random seed (CLs toys, the expected Bayesian band)", count)
  .addOption(workersOption())
  .option("--out <file>", "write the table as JSON")
  .option("--csv <file>", "write the table as CSV")
  .option("--plots <dir>", "write counts.svg (observed vs expected background) and limits.svg (both limits)")
  .option("--quiet", "no progress bar")
  .option("--json", "print the table JSON instead of the text table")
  .addHelpText(
    "after",
    "\nEvery window's model must be a counting model: uniform signal and background shapes, background yields " +
      "fixed\n(a yield table per window) or held by constraints, nuisances as lnN or gauss factors.\n" +
      "\nExamples:\n  bumpscan count examples/belle2-invisible-zprime/spec.json --csv counting.csv --plots plots",
  )
  .action(
    async (
      specPath: string,
      opts: {
        cl?: number;
        cls?: "toys" | "asymptotic";
        toys?: number;
        profile?: boolean;
        expectedToys?: number;
        seed?: number;
        workers?: number;
        out?: string;
        csv?: string;
        plots?: string;
        quiet?: boolean;
        json?: boolean;
      },
    ) => {
      const w = await work();
      for (const [path, what] of [
        [opts.out, "--out"],
        [opts.csv, "--csv"],
      ] as const)
        if (path) await w.checkOutputFile(path, what);
      if (opts.plots) await w.checkOutputFolder(opts.plots, "--plots");
      const spec = await readSpec(specPath);
      w.checkCountingSearch(spec);
      const events = await w.loadScanEvents(spec, dirname(resolve(specPath)));
      reportSelections(events, opts.quiet);
      const t0 = performance.now();
      const pool = opts.workers === 1 ? undefined : await w.WorkerPool.start(opts.workers || undefined);
      const bar = reporter("count", opts);
      const controller = new AbortController();
      const stop = (signal: string) => {
        bar.stop();
        console.error(`bumpscan: ${signal}: stopping; the windows done are written (again to quit at once)`);
        controller.abort();
        setTimeout(() => void pool?.close(), 2500).unref();
      };
      const { value: table, interrupted } = await stoppable(stop, () =>
        w
          .countingScan(spec, spec.regions ? events : events[""], {
            cl: opts.cl,
            cls: opts.cls,
            toys: opts.toys,
            seed: opts.seed,
            profile: opts.profile,
            expectedToys: opts.expectedToys,
            pool,
            signal: controller.signal,
            partialOnAbort: true,
            onProgress: (p) => {
              if (!controller.signal.aborted)
                bar.update(p.done, p.total, "windows", p.method === "bayes" ? "Bayesian limits" : "CLs limits");
            },
          })
          .finally(async () => {
            bar?.stop();
            await pool?.close();
          }),
      );
      const files = w.countingOutputs(withProvenance(table, table.spec, table.seed));
      const text = (name: string) => files.find((f) => f.name === name)!.text;
      if (opts.out) await w.writeAtomic(opts.out, text("counting.json"));
      if (opts.csv) await w.writeAtomic(opts.csv, text("counting.csv"));
      if (opts.plots)
        await w.writeFilesInto(
          opts.plots,
          files.filter((f) => f.name.endsWith(".svg")),
        );
      if (opts.json) process.stdout.write(text("counting.json"));
      else console.log(w.formatCounting(table, spec.hypothesis?.unit ?? spec.observable.unit, performance.now() - t0));
      if (interrupted || table.partial) process.exitCode = INTERRUPTED;
      else if (table.rows.some((r) => r.status !== "converged" && r.status !== "skipped")) process.exitCode = 1;
    },
  );

withWindow(
  program
    .command("inject")
    .description("signal injection: toys with a known signal on the data's background, fitted; bias, pulls, coverage")
    .argument("<spec>", "model spec (JSON)")
    .requiredOption("--mass <m>", "signal mass hypothesis", number)
    .requiredOption("--events <n>", "signal events to inject (≥ 0; summed over the samples)", nonNegative),
)
  .option("--toys <n>", "pseudo-experiments, 2 to 1e6 (default 200)", between(2, 1e6), 200)
  .option("--seed <s>", "random seed", count, 1)
  .option("--coverage", "also set each toy's asymptotic CLs upper limit and count how often it covers the truth")
  .option("--cl <cl>", "confidence level of --coverage (default: the spec's limit.cl, else 0.9)", probability)
  .option("--plot <file>", "write the pull distribution as SVG")
  .option("--quiet", "no progress")
  .option("--json", "print JSON (the figures and every toy's pull)")
  .addHelpText(
    "after",
    "\nThe truth is the background-only fit to the data at the mass plus the injected events. Exit code 1 when\n" +
      "the pull mean is more than 3 errors from 0 or the width more than 3 errors from 1.\n\nExample:\n" +
      "  bumpscan inject examples/bump.json --mass 4.2 --events 60 --toys 500 --plot pulls.svg",
  )
  .action(
    async (
      specPath: string,
      opts: {
        mass: number;
        events: number;
        window?: number | boolean;
        region?: string;
        toys: number;
        seed: number;
        coverage?: boolean;
        cl?: number;
        plot?: string;
        quiet?: boolean;
        json?: boolean;
      },
    ) => {
      const { injectAtMass, loadSpecSamples, formatInjection, pullPlot, checkOutputFile, writeAtomic } = await work();
      if (opts.plot) await checkOutputFile(opts.plot, "--plot");
      const spec = await regionOf(await readSpec(specPath), opts.region, specPath);
      const samples = await loadSpecSamples(spec, dirname(resolve(specPath)));
      const bar = reporter("inject", opts);
      const report = await injectAtMass(spec, samples, opts.mass, {
        events: opts.events,
        toys: opts.toys,
        seed: opts.seed,
        coverage: opts.coverage,
        cl: opts.cl,
        window: windowOption(opts.window),
        onToy: (done, total) => bar.update(done, total, "toys"),
      });
      bar.stop();
      if (opts.plot) await writeAtomic(opts.plot, pullPlot(report.pulls, `${report.poi} at ${opts.mass}`));
      const out: InjectOutput = withProvenance(report, spec, report.seed);
      console.log(opts.json ? JSON.stringify(out, null, 2) : formatInjection(report));
      const off = (v: { value: number; error: number }, want: number) => Math.abs(v.value - want) > 3 * v.error;
      if (off(report.pullMean, 0) || off(report.pullWidth, 1)) process.exitCode = 1;
    },
  );

program
  .command("merge")
  .description("join the JSON results of scan shards into exactly what one run gives")
  .argument("<shards...>", "shard result files (scan --shard k/N --out …)")
  .requiredOption("-o, --out <file>", "merged results file")
  .option("--json", "print the merged scan JSON too")
  .addHelpText(
    "after",
    "\nEvery file must be a complete scan result of the same spec, method, CL, seed and toys, its points on the\n" +
      "spec's grid; a missing shard is named. The shards' LEE toy scans (--lee-toys) are joined into the global\n" +
      "p-value, exactly as one run computes it.\n\nExample:\n  bumpscan merge shard-*.json -o results.json",
  )
  .action(async (files: string[], opts: { out: string; json?: boolean }) => {
    const { mergeScans, checkScanResult, checkOutputFile, writeAtomic } = await work();
    await checkOutputFile(opts.out, "-o");
    const parts: ScanResult[] = [];
    for (const f of files) parts.push(checkScanResult(await readJsonFile(f, ""), f));
    const merged = mergeScans(parts, files);
    const text = JSON.stringify(withProvenance(merged, merged.spec, merged.seed), null, 2) + "\n";
    await writeAtomic(opts.out, text);
    if (opts.json) process.stdout.write(text);
    else console.log(`merged ${files.length} shards: ${merged.points.length} mass points written to ${opts.out}`);
  });

program
  .command("completion")
  .description("print a shell completion script for bash (zsh: after bashcompinit)")
  .addHelpText("after", "\nExample:\n  source <(bumpscan completion)      # or append it to ~/.bashrc")
  .action(() => {
    process.stdout.write(completionScript(program));
  });

program
  .command("init")
  .description("write a starter spec, every section explained")
  .argument("[file]", "where to write it", "spec.json")
  .option("--json", 'print {"file": …} instead of a sentence')
  .addHelpText("after", "\nExample:\n  bumpscan init my-search.json")
  .action(async (file: string, opts: { json?: boolean }) => {
    try {
      await writeFile(file, starterSpec(), { flag: "wx" });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST")
        throw new BumpscanError(`${file} already exists; not overwriting it`);
      throw new BumpscanError(`cannot write ${file}: ${errnoWords(e)}`);
    }
    console.log(
      opts.json
        ? JSON.stringify({ file })
        : `wrote ${file}: edit data.path, then run  bumpscan scan ${file} --out results.json`,
    );
  });

const plot = program.command("plot").description("plots as SVG");
withWindow(
  plot
    .command("fit")
    .description("the fit at one mass over a histogram of the data, with pulls")
    .argument("<spec>", "model spec (JSON)")
    .requiredOption("--mass <m>", "signal mass hypothesis", number),
)
  .option("--out <file>", "SVG file to write", "fit.svg")
  .option("--zoom <w>", "show the mass ± w resolutions (> 0)", positive, 15)
  .option("--bins <n>", "histogram bins (1 to 1e5)", bins, 60)
  .option("--json", "print the fit (values, errors, status) as JSON")
  .addHelpText("after", "\nExample:\n  bumpscan plot fit examples/bump.json --mass 4.2 --out fit.svg")
  .action(
    async (
      specPath: string,
      opts: {
        mass: number;
        window?: number | boolean;
        region?: string;
        out: string;
        zoom: number;
        bins: number;
        json?: boolean;
      },
    ) => {
      const { fitPlotAtMass, loadSpecSamples, formatNumber, checkOutputFile, writeAtomic } = await work();
      await checkOutputFile(opts.out, "--out");
      const spec = await regionOf(await readSpec(specPath), opts.region, specPath);
      const [events] = await loadSpecSamples(spec, dirname(resolve(specPath)));
      if (spec.samples && spec.samples.length > 1)
        throw new BumpscanError("plot fit draws one sample; give a spec with one dataset");
      const {
        fit: r,
        poi,
        svg,
        report,
      } = await fitPlotAtMass(spec, events, opts.mass, {
        zoom: opts.zoom,
        bins: opts.bins,
        window: windowOption(opts.window),
      });
      await writeAtomic(opts.out, svg);
      if (opts.json)
        console.log(
          JSON.stringify(
            {
              mass: opts.mass,
              status: r.status,
              values: r.values,
              errors: r.errors,
              range: report.range,
              events: report.events,
              plot: opts.out,
            },
            null,
            2,
          ),
        );
      else
        console.log(
          `fit at m = ${opts.mass}: ${poi} = ${formatNumber(r.values[poi], 5)} ± ${formatNumber(r.errors[poi], 3)} ` +
            `(${r.status}); plot written to ${opts.out}`,
        );
    },
  );

program
  .command("demo")
  .description("generate the built-in demo spectrum (BABAR-like recoil mass), scan it, write results and plots")
  .option("--out <dir>", "folder for the demo's files", "bumpscan-demo")
  .addOption(workersOption())
  .option("--json", "print the scan JSON instead of the summary")
  .addHelpText("after", "\nExample:\n  bumpscan demo --out demo/   # then open demo/brazil.svg in a browser")
  .action(async (opts: { out: string; workers?: number; json?: boolean }) => {
    const { formatScan, WorkerPool, runDemo, DEMO_SIGNAL, checkOutputFolder } = await work();
    await checkOutputFolder(opts.out, "--out");
    const t0 = performance.now();
    const pool = opts.workers === 1 ? undefined : await WorkerPool.start(opts.workers || undefined);
    const { result, files, events } = await runDemo(opts.out, { pool }).finally(() => pool?.close());
    if (opts.json) {
      console.log(JSON.stringify(result, null, 2));
      return;
    }
    console.log(
      `demo: ${events} single-photon recoil-mass events on a falling background, ${DEMO_SIGNAL.events} signal ` +
        `events injected at ${DEMO_SIGNAL.mass} GeV\n`,
    );
    console.log(formatScan(result, result.spec.observable.unit, performance.now() - t0, pool?.size ?? 1));
    console.log(`\nwrote ${files.join(", ")}`);
  });

async function main(): Promise<void> {
  exitOnInterrupt();
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
      console.error(
        `bumpscan: internal error: ` +
          `${(e as Error).message ?? e}` +
          `${process.env.BUMPSCAN_DEBUG ? "\n" + (e as Error).stack : " (set BUMPSCAN_DEBUG=1 for details)"}`,
      );
      process.exitCode = 3;
    }
  }
}

await main();
