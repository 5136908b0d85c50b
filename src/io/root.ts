/**
 * ROOT files (jsroot): numeric branches of a TTree (the event branch, or those a cut or an
 * expression names, and optionally weights), read basket by basket; cuts and expressions are
 * evaluated on them by select.ts, as for every format, rather than by jsroot's TTree::Draw, so
 * they mean the same on any file. jsroot is an optional peer dependency of the package, loaded
 * only when such a file is read: without it, reading one fails with a one-line message saying how to add it.
 */
import { BumpscanError } from "../errors.js";
import { type Column, type ColumnChoice, Growing, resolveColumns, type Wanted } from "./column.js";
import { readPlanned } from "./select.js";

interface Leaf {
  _typename: string;
  fName?: string;
  fLen: number;
  /** The leaf holding each entry's number of values, for a variable-length array. */
  fLeafCount?: { fName?: string } | null;
}
interface Branch {
  fName: string;
  fLeaves?: { arr: Leaf[] };
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
 * Why a branch cannot be read as one number per entry, or undefined when it can: a jagged
 * (variable-length) array, a fixed-size one, several leaves or a type that is not a number.
 * @example
 * import { rootBranchProblem } from "bumpscan/io";
 * const leaf = { _typename: "TLeafF", fLen: 1, fLeafCount: { fName: "nHits" } };
 * const jagged = rootBranchProblem({ fName: "hitE", fLeaves: { arr: [leaf] } });
 * jagged; // => "branch hitE[nHits] is jagged (variable-length per event): bumpscan reads one number per event"
 * rootBranchProblem({ fName: "m", fLeaves: { arr: [{ _typename: "TLeafD", fLen: 1 }] } }); // => undefined
 */
export function rootBranchProblem(b: Branch): string | undefined {
  const leaves = b.fLeaves?.arr ?? [];
  const leaf = leaves[0];
  if (leaf?.fLeafCount)
    return (
      `branch ${b.fName}[${leaf.fLeafCount.fName ?? "..."}] is jagged (variable-length per event): ` +
      "bumpscan reads one number per event"
    );
  if (leaves.length === 1 && leaf.fLen > 1)
    return `branch ${b.fName}[${leaf.fLen}] holds ${leaf.fLen} numbers per event: bumpscan reads one number per event`;
  if (leaves.length !== 1 || !/^TLeaf[DFILSBO]$/.test(leaf._typename) || leaf.fLen !== 1)
    return `branch "${b.fName}" does not hold one number per entry`;
  return undefined;
}

/**
 * Read one numeric branch (and optional weights) of a TTree — or, with `choice.expr` or
 * `choice.cut`, the branches they name (docs/spec.md): from a path under Node or a File in a
 * browser (both read in pieces), or from the file's bytes. The tree is `choice.tree`, or the
 * file's only TTree.
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
  return readPlanned(label, choice, (wanted) => rootBranches(source, label, wanted, choice.tree));
}

/** The named TTree of a ROOT file, or its only one. */
async function openTree(source: string | ArrayBuffer | File, label: string, tree?: string) {
  const { openFile } = await loadJsroot();
  let file: Awaited<ReturnType<typeof openFile>>;
  try {
    file = await openFile(source);
  } catch (e) {
    throw new BumpscanError(`${label}: not a readable ROOT file (${(e as Error).message})`);
  }
  const trees = [...new Set(file.fKeys.filter((k) => k.fClassName === "TTree").map((k) => k.fName))];
  const name = tree ?? (trees.length === 1 ? trees[0] : undefined);
  if (name === undefined) {
    throw new BumpscanError(
      trees.length
        ? `${label} has trees ${trees.join(", ")}: name one in the spec's data.tree`
        : `${label} holds no TTree`,
    );
  }
  if (!trees.includes(name))
    throw new BumpscanError(`${label} has no TTree "${name}" (trees: ${trees.join(", ") || "none"})`);
  return { name, tree: (await file.readObject(name)) as Tree };
}

/** The wanted branches of a TTree, one number per entry each, read basket by basket. */
async function rootBranches(
  source: string | ArrayBuffer | File,
  label: string,
  wanted: Wanted,
  treeName?: string,
): Promise<Float64Array[]> {
  const { TSelector, treeProcess } = await loadJsroot();
  const { name, tree } = await openTree(source, label, treeName);
  const names = tree.fBranches.arr.map((b) => b.fName);
  const where = `${label} tree ${name}`;
  const { read, slot } = resolveColumns(where, names, wanted, true, ["branch", "branches"]);
  for (const i of read) {
    const problem = rootBranchProblem(tree.fBranches.arr[i]);
    if (problem) throw new BumpscanError(`${where}: ${problem}`);
  }
  const columns = read.map(() => new Growing());
  let bad: BumpscanError | undefined;
  const selector = new TSelector();
  read.forEach((i, k) => selector.addBranch(names[i], `b${k}`));
  selector.Process = function (entry: number) {
    for (let k = 0; k < read.length; k++) {
      const x = Number(this.tgtobj[`b${k}`]);
      if (!Number.isFinite(x)) {
        bad ??= new BumpscanError(`${where} entry ${entry}: branch ${names[read[k]]} is ${x}, not a finite number`);
        this.Abort();
        return;
      }
      columns[k].push(x);
    }
  };
  await treeProcess(tree, selector);
  if (bad) throw bad;
  const arrays = columns.map((c) => c.done());
  return slot.map((k) => arrays[k]);
}
