/**
 * A file's bytes by position, for readers that read only parts of a file (Parquet's column chunks,
 * Arrow's column buffers): from bytes in memory or from an open file (Node's fs.promises FileHandle,
 * declared here so that this module stays browser-safe).
 */

/** A file's size and reads of its bytes into a caller's buffer (rejected past the file's end). */
export interface FileRanges {
  size: number;
  readInto(target: Uint8Array, position: number): Promise<void>;
  /** Bytes worth reading at once, where each read costs much (a browser File's are asynchronous IPC). */
  readSize?: number;
}

/** What these readers need of Node's fs.promises FileHandle (apache-arrow recognises it by fd and stat). */
export interface FileHandleLike {
  fd: number;
  stat(): Promise<{ size: number }>;
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
}

/** The byte ranges of bytes in memory. */
export function bytesRanges(bytes: Uint8Array): FileRanges {
  return {
    size: bytes.length,
    async readInto(target, position) {
      if (position < 0 || position + target.length > bytes.length) throw new RangeError("past the end of the file");
      target.set(bytes.subarray(position, position + target.length));
    },
  };
}

/** The byte ranges of a Blob (a browser File): each read is a slice of it. */
export function blobRanges(blob: Blob): FileRanges {
  return {
    size: blob.size,
    readSize: 16 << 20,
    async readInto(target, position) {
      if (position < 0 || position + target.length > blob.size) throw new RangeError("past the end of the file");
      target.set(new Uint8Array(await blob.slice(position, position + target.length).arrayBuffer()));
    },
  };
}

/** The byte ranges of an open file of `size` bytes, each read straight into its buffer. */
export function handleRanges(handle: FileHandleLike, size: number): FileRanges {
  return {
    size,
    async readInto(target, position) {
      for (let at = 0; at < target.length; ) {
        const { bytesRead } = await handle.read(target, at, target.length - at, position + at);
        if (bytesRead === 0) throw new RangeError(`the file ends at byte ${position + at}`);
        at += bytesRead;
      }
    },
  };
}

/** A range as a fresh ArrayBuffer (hyparquet's AsyncBuffer.slice). */
export async function sliceOf(file: FileRanges, start: number, end = file.size): Promise<ArrayBuffer> {
  const bytes = new Uint8Array(Math.max(0, Math.min(end, file.size) - start));
  await file.readInto(bytes, start);
  return bytes.buffer;
}
