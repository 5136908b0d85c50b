/**
 * Ctrl-C (SIGINT) and SIGTERM: by default the CLI exits at once with 130; a long job (a scan) can
 * instead take the first signal as "stop and keep what is done", a second one still exiting at once.
 */

const SIGNALS = ["SIGINT", "SIGTERM"] as const;

/** Exit code of a run stopped by a signal (128 + SIGINT's 2, as shells report it). */
export const INTERRUPTED = 130;

const exitNow = () => process.exit(INTERRUPTED);

/**
 * Exit with 130 on SIGINT/SIGTERM (instead of Node's death by the signal, which has no exit code).
 */
export function exitOnInterrupt(): void {
  for (const s of SIGNALS) process.on(s, exitNow);
}

/**
 * While `work` runs, the first SIGINT/SIGTERM calls `stop` (the work is to finish early and keep its
 * results); a second exits at once with 130. Returns whether a signal came.
 */
export async function stoppable<T>(
  stop: (signal: string) => void,
  work: () => Promise<T>,
): Promise<{ value: T; interrupted: boolean }> {
  let interrupted = false;
  const handler = (signal: string) => {
    if (interrupted) exitNow();
    interrupted = true;
    stop(signal);
  };
  for (const s of SIGNALS) process.off(s, exitNow), process.on(s, handler);
  try {
    return { value: await work(), interrupted };
  } finally {
    // after the work, writing what is done: a second signal still exits at once
    for (const s of SIGNALS) process.off(s, handler), process.on(s, exitNow);
  }
}
