/**
 * Standard input as one input of a command (a spec or a data file given as `-`): read once, whole,
 * and claimed by one input only — a spec and its data cannot both be standard input.
 */
import { BumpscanError } from "../errors.js";

let bytes: Promise<Uint8Array> | undefined;
let owner: string | undefined;

/** All of standard input, for `who` (the spec, the data): read once however often it is asked for (CLI only). */
export function standardInput(who: string): Promise<Uint8Array> {
  if (owner !== undefined && owner !== who)
    throw new BumpscanError(`standard input (-) is already ${owner}: ${who} cannot be "-" too`);
  owner = who;
  bytes ??= (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    const all = Buffer.concat(chunks);
    return new Uint8Array(all.buffer, all.byteOffset, all.length);
  })();
  return bytes;
}
