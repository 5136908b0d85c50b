/**
 * ROOT files (jsroot): one numeric branch of a TTree (and optionally a weights branch), read
 * basket by basket. jsroot is an optional peer dependency of the package, loaded only when such
 * a file is read: without it, reading one fails with a one-line message saying how to add it.
 */
import { BumpscanError } from "../errors.js";
import { type Column, type ColumnChoice, Growing } from "./column.js";

interface Branch {
  fName: string;
  fLeaves?: { arr: { _typename: string; fLen: number }[] };
}
interface Tree {
  fEntries: number;
  fBranches: { arr: Branch[] };
}

/** What a missing jsroot says: the one line a user sees (the CLI exits with 2). */
const NEEDS_JSROOT = "reading ROOT files needs jsroot: npm install jsroot";

/** `import("jsroot/…")` failed because jsroot itself is not installed (Node, a bundler's stub, a browser). */
function jsrootMissing(e: unknown): boolean {
  const { code, message = "" } = (e ?? {}) as { code?: string; message?: string };
  if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") return /['"]jsroot['"/]/.test(message);
  // Vite's stub: 'Could not resolve "jsroot/io" imported by "bumpscan". Is it installed?'
  if (/jsroot/.test(message) && /could not resolve|cannot find|is it installed/i.test(message)) return true;
  // a browser's failed dynamic import: a TypeError without a code
  return e instanceof TypeError && /dynamically imported module|module specifier/i.test(message);
}

/** jsroot's I/O modules, loaded on first use; a BumpscanError saying how to install it when absent. */
async function loadJsroot() {
  try {
    const [io, tree] = await Promise.all([import("jsroot/io"), import("jsroot/tree")]);
    return { openFile: io.openFile, TSelector: tree.TSelector, treeProcess: tree.treeProcess };
  } catch (e) {
    if (jsrootMissing(e)) throw new BumpscanError(NEEDS_JSROOT);
    throw new BumpscanError(
      `reading ROOT files: jsroot is installed but could not be loaded (${(e as Error).message})`,
    );
  }
}

/**
 * Read one numeric branch (and optional weights) of a TTree: from a path under Node or a File in
 * a browser (both read in pieces), or from the file's bytes. The tree is `choice.tree`, or the file's only TTree.
 * @example
 * import { readFileSync } from "node:fs";
 * import { rootColumn } from "bumpscan/io";
 * const bytes = Uint8Array.from(readFileSync("events.root")).buffer;
 * const { values } = await rootColumn(bytes, "events.root", { tree: "events", column: "mass" });
 * values.length; // => 1000
 */
export async function rootColumn(
  source: string | ArrayBuffer | File,
  label: string,
  choice: ColumnChoice,
): Promise<Column> {
  const { openFile, TSelector, treeProcess } = await loadJsroot();
  let file: Awaited<ReturnType<typeof openFile>>;
  try {
    file = await openFile(source);
  } catch (e) {
    throw new BumpscanError(`${label}: not a readable ROOT file (${(e as Error).message})`);
  }
  const trees = [...new Set(file.fKeys.filter((k) => k.fClassName === "TTree").map((k) => k.fName))];
  const name = choice.tree ?? (trees.length === 1 ? trees[0] : undefined);
  if (name === undefined) {
    throw new BumpscanError(
      trees.length
        ? `${label} has trees ${trees.join(", ")}: name one in the spec's data.tree`
        : `${label} holds no TTree`,
    );
  }
  if (!trees.includes(name))
    throw new BumpscanError(`${label} has no TTree "${name}" (trees: ${trees.join(", ") || "none"})`);
  const tree = (await file.readObject(name)) as Tree;
  const branch = (key: string | undefined, what: string): string => {
    const names = tree.fBranches.arr.map((b) => b.fName);
    const chosen = key ?? (names.length === 1 ? names[0] : undefined);
    if (chosen === undefined)
      throw new BumpscanError(
        `${label} tree ${name} has branches ${names.join(", ")}: name one in the spec's data.${what}`,
      );
    const b = tree.fBranches.arr.find((x) => x.fName === chosen);
    if (!b) throw new BumpscanError(`${label} tree ${name} has no branch "${chosen}" (branches: ${names.join(", ")})`);
    const leaves = b.fLeaves?.arr ?? [];
    if (leaves.length !== 1 || !/^TLeaf[DFILSBO]$/.test(leaves[0]._typename) || leaves[0].fLen !== 1) {
      throw new BumpscanError(`${label} tree ${name} branch "${chosen}" does not hold one number per entry`);
    }
    return chosen;
  };
  const v = branch(choice.column, "column");
  const w = choice.weights ? branch(choice.weights, "weights") : undefined;
  const values = new Growing(),
    weights = new Growing();
  let bad: BumpscanError | undefined;
  const selector = new TSelector();
  selector.addBranch(v, "v");
  if (w) selector.addBranch(w, "w");
  selector.Process = function (entry: number) {
    const x = Number(this.tgtobj.v),
      wx = w ? Number(this.tgtobj.w) : 1;
    if (!Number.isFinite(x) || !Number.isFinite(wx)) {
      bad ??= new BumpscanError(
        `${label} tree ${name} entry ${entry}: branch ${Number.isFinite(x) ? w : v} is ` +
          `${Number.isFinite(x) ? wx : x}, not a finite number`,
      );
      this.Abort();
      return;
    }
    values.push(x);
    if (w) weights.push(wx);
  };
  await treeProcess(tree, selector);
  if (bad) throw bad;
  return { values: values.done(), weights: w ? weights.done() : undefined };
}
