/**
 * Progress of a long computation (toys, pseudo-experiments, toy scans), reported as it goes so a
 * terminal can show a bar and a batch log a line now and then.
 */

/** `done` units of work so far, out of `total` where it is known in advance (toy limits: not). */
export type OnProgress = (done: number, total: number | undefined, unit: string) => void;
