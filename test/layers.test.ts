/**
 * The layering of src/, pinned: every import (type imports included) goes to the same layer or a
 * lower one, and the import graph has no cycle. LAYERS is the one place the order is written
 * (docs/architecture.md explains it).
 */
import { expect, test } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** Low to high: a module may import only from its own layer or those before it. */
const LAYERS = [
  ["errors", "core/abi"],
  ["model"],
  ["platform"],
  ["core"],
  ["io", "demo-data"],
  ["infer"],
  ["job"],
  ["scan"],
  ["plot"],
  ["report"],
  ["demo"],
  ["cli", "api", "browser", "index"],
];

const SRC = resolve("src");

function sources(dir = SRC): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") && !p.endsWith(".d.ts") ? [p] : [];
  });
}

/** The src/ modules a file imports or re-exports from, type-only ones included. */
function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gm)]
    .map((m) => (m[1] === "#platform" ? resolve(SRC, "platform/node.ts") : m[1]))
    .filter((spec) => spec.startsWith(".") || spec.startsWith("/"))
    .map((spec) => (spec.startsWith("/") ? spec : resolve(dirname(file), spec)).replace(/\.js$/, ".ts"));
}

/** A file's layer: its own entry in LAYERS ("core/abi"), else its folder's (or top-level file's). */
const layerOf = (file: string) => {
  const path = relative(SRC, file).replace(/\.ts$/, "");
  const top = path.split("/")[0];
  const own = LAYERS.findIndex((l) => l.includes(path));
  const i = own >= 0 ? own : LAYERS.findIndex((l) => l.includes(top));
  if (i < 0) throw new Error(`${path}: its folder or file "${top}" is in no layer of LAYERS`);
  return i;
};

test("every import goes to the same or a lower layer", () => {
  const violations = sources().flatMap((f) =>
    imports(f)
      .filter((t) => layerOf(t) > layerOf(f))
      .map((t) => `${relative(SRC, f)} → ${relative(SRC, t)}`),
  );
  expect(violations).toEqual([]);
});

test("the import graph of src/ has no cycle", () => {
  const graph = new Map(sources().map((f) => [f, imports(f)]));
  const state = new Map<string, "open" | "done">();
  const cycles: string[] = [];
  const visit = (f: string, path: string[]) => {
    if (state.get(f) === "done") return;
    if (state.get(f) === "open") {
      cycles.push([...path.slice(path.indexOf(f)), f].map((p) => relative(SRC, p)).join(" → "));
      return;
    }
    state.set(f, "open");
    for (const t of graph.get(f) ?? []) visit(t, [...path, f]);
    state.set(f, "done");
  };
  for (const f of graph.keys()) visit(f, []);
  expect(cycles).toEqual([]);
});
