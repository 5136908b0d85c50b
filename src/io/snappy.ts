/**
 * Snappy decompression (the raw block format Parquet pages use) into a caller's buffer, so that a
 * reader decompresses every page into the same memory. Long literal runs and back references are
 * native copies (set / copyWithin): a page of random doubles is almost all literals; short ones
 * (doubles of fewer significant bits: many 4-byte literals and copies) move four bytes at a time.
 */

/** A malformed snappy block. */
export class SnappyCorrupt extends Error {}

/**
 * Decompresses a snappy block into `output`, which must be exactly its uncompressed length; a
 * malformed block throws SnappyCorrupt.
 */
export function snappyInto(input: Uint8Array, output: Uint8Array): void {
  let pos = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= input.length || shift > 28) throw new SnappyCorrupt("a bad length header");
    const c = input[pos++];
    length += (c & 0x7f) * 2 ** shift;
    if (c < 0x80) break;
  }
  if (length !== output.length) throw new SnappyCorrupt(`${length} bytes, not the page's ${output.length}`);
  // short literals and copies move four bytes at a time, and may write up to 15 bytes past their
  // end: the elements after them overwrite those bytes (near either buffer's end, byte by byte)
  const iv = new DataView(input.buffer, input.byteOffset, input.length);
  const ov = new DataView(output.buffer, output.byteOffset, output.length);
  const inWords = input.length - 16;
  const outWords = output.length - 16;
  let out = 0;
  while (pos < input.length) {
    const tag = input[pos++];
    if ((tag & 3) === 0) {
      let len = (tag >>> 2) + 1;
      if (len > 60) {
        const bytes = len - 60;
        if (pos + bytes > input.length) throw new SnappyCorrupt("a literal's length past the end");
        len = 1;
        for (let k = 0; k < bytes; k++) len += input[pos + k] * 2 ** (8 * k);
        pos += bytes;
      }
      if (pos + len > input.length || out + len > output.length) throw new SnappyCorrupt("a literal past the end");
      if (len <= 16 && pos <= inWords && out <= outWords) {
        for (let k = 0; k < len; k += 4) ov.setUint32(out + k, iv.getUint32(pos + k, true), true);
      } else if (len < 16) for (let k = 0; k < len; k++) output[out + k] = input[pos + k];
      else output.set(input.subarray(pos, pos + len), out);
      pos += len;
      out += len;
      continue;
    }
    let len: number;
    let offset: number;
    if ((tag & 3) === 1) {
      len = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | input[pos];
      pos += 1;
    } else if ((tag & 3) === 2) {
      len = (tag >>> 2) + 1;
      offset = input[pos] | (input[pos + 1] << 8);
      pos += 2;
    } else {
      len = (tag >>> 2) + 1;
      offset = (input[pos] | (input[pos + 1] << 8) | (input[pos + 2] << 16) | (input[pos + 3] << 24)) >>> 0;
      pos += 4;
    }
    if (pos > input.length || offset === 0 || offset > out || out + len > output.length)
      throw new SnappyCorrupt("a copy outside the data");
    const from = out - offset;
    if (offset >= 4 && len <= 16 && out <= outWords) {
      // each four bytes read lie before the four written (offset ≥ 4): an overlapping copy repeats as it should
      for (let k = 0; k < len; k += 4) ov.setUint32(out + k, ov.getUint32(from + k, true), true);
    } else if (offset >= len && len >= 16) output.copyWithin(out, from, from + len);
    else for (let k = 0; k < len; k++) output[out + k] = output[from + k]; // may overlap: byte by byte
    out += len;
  }
  if (out !== output.length) throw new SnappyCorrupt(`it ends after ${out} of ${output.length} bytes`);
}
