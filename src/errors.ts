/**
 * The one error type bumpscan throws for bad input: the message names the problem (file, line,
 * field) and is meant for the user as it stands. The CLI prints it without a stack trace.
 * @example
 * throw new BumpscanError("spec.json: observable.range must be [lo, hi] with lo < hi");
 */
export class BumpscanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BumpscanError";
  }
}
