/**
 * Writing result files (Node): every file goes to a temporary file in the same folder and is then
 * renamed over the target, so a failed or interrupted write never leaves half a file; output paths
 * are checked before a long computation starts. Errors are BumpscanErrors naming the path and the
 * problem in words.
 */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, mkdir, open, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { BumpscanError, errnoWords } from "../errors.js";

export { errnoWords };

/** errno codes in words: what a user can act on. */
/**
 * A BumpscanError for an I/O error: `cannot write out.json: disk full`.
 */
export function ioError(verb: string, path: string, e: unknown): BumpscanError {
  if (e instanceof BumpscanError) return e;
  return new BumpscanError(`cannot ${verb} ${path}: ${errnoWords(e)}`);
}

/**
 * Write `text` to `path` atomically: into a temporary file beside it (same folder, so the rename
 * cannot cross file systems), flushed to disk, then renamed over `path`. On any failure the
 * temporary file is removed and `path` is left as it was.
 */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const st = await stat(path).catch(() => undefined);
  if (st?.isDirectory()) throw new BumpscanError(`cannot write ${path}: is a directory`);
  // a device such as /dev/full or /dev/null cannot be renamed over: write it directly
  if (st && !st.isFile()) return writeDirect(path, text);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    const handle = await open(tmp, "wx");
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw ioError("write", path, e);
  }
}

async function writeDirect(path: string, text: string): Promise<void> {
  try {
    const handle = await open(path, "w");
    try {
      await handle.writeFile(text);
    } finally {
      await handle.close();
    }
  } catch (e) {
    throw ioError("write", path, e);
  }
}

/**
 * Write several files into a folder (created if need be), each atomically; `name` may hold a
 * subfolder ("hepdata/limits.yaml").
 */
export async function writeFilesInto(folder: string, files: { name: string; text: string }[]): Promise<string[]> {
  const written: string[] = [];
  for (const f of files) {
    const path = join(folder, f.name);
    await makeFolder(dirname(path));
    await writeAtomic(path, f.text);
    written.push(path);
  }
  return written;
}

async function makeFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST" || (e as NodeJS.ErrnoException).code === "ENOTDIR") {
      throw new BumpscanError(`cannot write into ${folder}: it is a file, not a folder`);
    }
    throw ioError("create folder", folder, e);
  }
}

/**
 * Check, before any work, that a result file can be written at `path`: its folder exists and is
 * writable, and `path` is not a directory (an existing file is overwritten). `what` names the
 * option in the message.
 */
export async function checkOutputFile(path: string, what: string): Promise<void> {
  const folder = dirname(resolve(path));
  const st = await stat(path).catch((e: NodeJS.ErrnoException) =>
    e.code === "ENOENT" ? undefined : fail(what, path, e),
  );
  if (st?.isDirectory()) throw new BumpscanError(`${what} ${path}: is a directory`);
  // a device: written in place
  if (st && !st.isFile()) return void (await access(path, constants.W_OK).catch((e) => fail(what, path, e)));
  const parent = await stat(folder).catch((e: NodeJS.ErrnoException) => fail(what, path, e));
  if (!parent.isDirectory()) throw new BumpscanError(`${what} ${path}: ${dirname(path)} is a file, not a folder`);
  await access(folder, constants.W_OK | constants.X_OK).catch((e) => fail(what, path, e));
  if (st) await access(path, constants.W_OK).catch((e) => fail(what, path, e));
}

/**
 * Check, before any work, that files can be written into the folder `path`: it is a writable
 * folder, or does not exist yet and the nearest existing folder above it is writable.
 */
export async function checkOutputFolder(path: string, what: string): Promise<void> {
  let p = resolve(path);
  for (;;) {
    const st = await stat(p).catch((e: NodeJS.ErrnoException) =>
      e.code === "ENOENT" ? undefined : fail(what, path, e),
    );
    if (st) {
      if (!st.isDirectory())
        throw new BumpscanError(
          `${what} ${path}: ${p === resolve(path) ? "is a file, not a folder" : `${p} is a file, not a folder`}`,
        );
      await access(p, constants.W_OK | constants.X_OK).catch((e) => fail(what, path, e));
      return;
    }
    const up = dirname(p);
    if (up === p) return;
    p = up;
  }
}

function fail(what: string, path: string, e: unknown): never {
  throw new BumpscanError(`${what} ${path}: ${errnoWords(e)}`);
}
