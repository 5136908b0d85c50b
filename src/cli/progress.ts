/**
 * Progress of a long job on stderr: on a terminal one line redrawn in place (at most 5 times a
 * second); otherwise (a batch log, Slurm's output file) a first line after 2 s, then one every 30 s,
 * so a log shows the job is alive and how far it got, and a short job leaves stderr clean.
 * `BUMPSCAN_PROGRESS_SECONDS` changes that interval.
 */

/** Seconds between progress lines in a log (not a terminal) unless BUMPSCAN_PROGRESS_SECONDS says otherwise. */
export const LOG_INTERVAL_SECONDS = 30;

/** A job shorter than this writes no progress line to a log. */
const FIRST_LINE_MS = 2000;

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

const clock = (ms: number) => {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${(s / 3600).toFixed(1)} h`;
};

/** Where progress goes: a terminal line, log lines, or nowhere (`--quiet`, `--json`). */
export class Reporter {
  private readonly started = performance.now();
  private last: number;
  private drawn = false;
  private readonly every: number;

  constructor(
    private readonly label: string,
    private readonly stream: ProgressStream | null,
    env: Record<string, string | undefined> = process.env,
  ) {
    const seconds = Number(env.BUMPSCAN_PROGRESS_SECONDS);
    this.every = 1000 * (env.BUMPSCAN_PROGRESS_SECONDS !== undefined && seconds >= 0 ? seconds : LOG_INTERVAL_SECONDS);
    // a log's first line after FIRST_LINE_MS (or the interval, if shorter): a short job leaves stderr clean
    this.last = stream?.isTTY ? -Infinity : this.started - this.every + Math.min(this.every, FIRST_LINE_MS);
  }

  /** `done` of `total` (unknown: undefined) `unit`, in `stage` where the job has several. */
  update(done: number, total: number | undefined, unit: string, stage?: string): void {
    if (!this.stream) return;
    const now = performance.now();
    const tty = this.stream.isTTY === true;
    if (now - this.last < (tty ? 200 : this.every) && done !== total) return;
    if (!tty && done === total && now - this.last < this.every) return; // the summary follows at once
    this.last = now;
    const elapsed = now - this.started;
    const of = total === undefined ? "" : `/${total}`;
    const eta = total && done > 0 && done < total ? `, ETA ${clock((elapsed / done) * (total - done))}` : "";
    const text = `${this.label}${stage ? ` (${stage})` : ""}: ${done}${of} ${unit}, ${clock(elapsed)}${eta}`;
    if (tty) {
      this.stream.write(`\r${text}\u001b[K`);
      this.drawn = true;
    } else this.stream.write(`bumpscan: ${text}\n`);
  }

  /** End the terminal line (before the job's own output). */
  stop(): void {
    if (this.drawn) this.stream?.write("\n");
    this.drawn = false;
  }
}

/**
 * The reporter of a command: none with `--quiet` or `--json` on a terminal (the JSON goes to stdout;
 * log lines still go to stderr when it is not a terminal, so a batch log shows the job).
 */
export function reporter(label: string, opts: { quiet?: boolean; json?: boolean } = {}): Reporter {
  const silent = opts.quiet || (opts.json && process.stderr.isTTY);
  return new Reporter(label, silent ? null : process.stderr);
}
