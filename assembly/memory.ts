// Linear-memory arena. The core allocates nothing managed: every buffer (events, weights, model
// tables, per-component caches) is a byte range handed out here, and JS keeps plain offsets.
// A scan marks the arena before a mass point and releases it after, so memory stays flat.
// Growing memory detaches every JS view of it: JS rebuilds its views after any call that allocates.

let top: usize = 0;

function start(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

/** Reserve `bytes` bytes, 16-byte aligned (for v128 loads), growing memory when needed. */
export function alloc(bytes: usize): usize {
  if (top == 0) top = start();
  const ptr = (top + 15) & ~(<usize>15);
  const end = ptr + bytes;
  const have = (<usize>memory.size()) << 16;
  if (end > have) {
    const pages = <i32>((end - have + 0xffff) >>> 16);
    if (memory.grow(pages) < 0) return 0;
  }
  top = end;
  return ptr;
}

/** The current top of the arena, to hand back to `release`. */
export function mark(): usize {
  if (top == 0) top = start();
  return top;
}

/** Free everything allocated since `mark()` returned `m`. */
export function release(m: usize): void {
  top = m;
}

// Typed reads and writes of word i of a table at p (the core's tables are plain byte ranges).
@inline export function i32At(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }
@inline export function setI32(p: usize, i: i32, v: i32): void { store<i32>(p + (<usize>i << 2), v); }
@inline export function f64At(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline export function setF64(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }
