/**
 * Progress of a long computation (toys, pseudo-experiments, toy scans), reported as it goes so a
 * terminal can show a bar and a batch log a line now and then.
 */

/** `done` units of work so far, out of `total` where it is known in advance (toy limits: not). */
export type OnProgress = (done: number, total: number | undefined, unit: string) => void;

/**
 * A turn of the event loop (setImmediate where there is one: a browser's setTimeout waits ≥ 4 ms).
 * Long computations on the calling thread await it between pieces, so that a Ctrl-C, a cancel or a
 * progress line is heard within a fraction of a second.
 */
export const nextTurn = (): Promise<void> =>
  new Promise<void>((r) => (typeof setImmediate === "function" ? setImmediate(r) : setTimeout(r, 0)));
