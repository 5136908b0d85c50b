/**
 * The one error type bumpscan throws for bad input: the message names the problem (file, line,
 * field) and is meant for the user as it stands. The CLI prints it without a stack trace.
 * @example
 * import { BumpscanError, parseSpec } from "bumpscan";
 * try {
 *   parseSpec({ observable: { range: [1, 0] } }, "spec.json");
 * } catch (e) {
 *   // a message for the user: the CLI prints it and exits 2
 *   e instanceof BumpscanError; // => true
 * }
 */
export class BumpscanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BumpscanError";
  }
}

const ERRNO_WORDS: Record<string, string> = {
  ENOENT: "folder does not exist",
  ENOTDIR: "a part of the path is a file, not a folder",
  EISDIR: "is a directory",
  ENOSPC: "disk full",
  EDQUOT: "disk quota exceeded",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  EEXIST: "already exists",
  ENAMETOOLONG: "name too long",
  EMFILE: "too many open files",
  EIO: "input/output error",
  EFBIG: "file too large",
  ELOOP: "too many symbolic links",
  EBUSY: "busy",
};

/**
 * The problem an I/O error stands for, in words (its errno code when no words are known).
 */
export function errnoWords(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code) return ERRNO_WORDS[code] ?? code;
  return e instanceof Error ? e.message : String(e);
}
