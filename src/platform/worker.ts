/**
 * A pool worker as the platform starts it, and how its failure reaches the pool: Web Workers
 * report a script that could not be loaded (a 404, offline, blocked) or threw while loading as an
 * `error` event on the Worker, and a message that cannot be read as `messageerror`. Comlink
 * listens only to `message`, so without these a failed worker leaves every call to it waiting.
 */
import type { Endpoint } from "comlink";

/** What the pool needs to hear: the worker can do no more work, and why. */
export type FailureListener = (error: Error) => void;

/** A started worker: where comlink talks to it, how to stop it, and how to hear that it failed. */
export interface SpawnedWorker {
  endpoint: Endpoint;
  terminate(): unknown;
  /**
   * Register the pool's listener for the worker's failure (its script not loaded or throwing, a
   * message it cannot read, an exit). Without it the pool listens to the endpoint's
   * `error`/`messageerror` events when it is a Web Worker, and otherwise relies on the start-up
   * timeout alone.
   */
  onFailure?(listener: FailureListener): void;
}

/**
 * Call `listener` when a Web Worker (or anything dispatching its `error`/`messageerror` events)
 * fails; `script` names its script in the message when the event does not.
 */
export function onWebWorkerFailure(worker: EventTarget, script: string | undefined, listener: FailureListener): void {
  worker.addEventListener("error", (event) => listener(new Error(describeErrorEvent(event, script))));
  worker.addEventListener("messageerror", () =>
    listener(new Error("a message from the worker could not be deserialised")),
  );
}

/**
 * The message of a worker's `error` event: an ErrorEvent carries the script's own error and
 * where it happened; a plain Event (the script never ran) carries nothing, so say what it means.
 */
export function describeErrorEvent(event: Event, script?: string): string {
  const e = event as Partial<ErrorEvent>;
  if (e.message) {
    const where = e.filename ? `${e.filename}${e.lineno ? `:${e.lineno}` : ""}` : script;
    return where ? `${e.message} (${where})` : e.message;
  }
  return (
    `its script ${script ?? "(the pool's web-worker.js)"} could not be loaded or run ` +
    "(not found, offline, blocked, or a syntax error: the browser's console says which)"
  );
}
