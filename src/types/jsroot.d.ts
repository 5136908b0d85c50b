// The parts of jsroot's I/O modules bumpscan uses (the package types only its main entry).
declare module "jsroot/io" {
  export interface TKey {
    fName: string;
    fClassName: string;
    fCycle: number;
  }
  export interface TFile {
    fKeys: TKey[];
    readObject(name: string, cycle?: number): Promise<unknown>;
  }
  export function openFile(source: string | ArrayBuffer | Blob): Promise<TFile>;
}
declare module "jsroot/tree" {
  export class TSelector {
    tgtobj: Record<string, unknown>;
    addBranch(branch: string, name?: string): number;
    Process(entry: number): void;
    Abort(): void;
  }
  export function treeProcess(tree: unknown, selector: TSelector, args?: object): Promise<unknown>;
}
