// A minimal ROOT file writer, for tests only: one TTree of numeric branches (one leaf each, one
// number per entry), uncompressed baskets of `basketEntries` entries. The file is a real TFile —
// header, top directory, keys list, StreamerInfo record, TKey-framed TTree and TBasket records,
// big-endian, byte counts and class tags as ROOT writes them — but its streamer infos describe only
// the members of TTree, TBranch and TLeaf that readers of plain trees use (jsroot, like ROOT, reads
// whatever members the file's streamer infos describe).

const kByteCountMask = 0x40000000,
  kNewClassTag = 0xffffffff;
const BEGIN = 100;

type Leaf = "D" | "F" | "I";
const LEAF: Record<Leaf, { cls: string; type: number; size: number; typeName: string }> = {
  D: { cls: "TLeafD", type: 8, size: 8, typeName: "Double_t" },
  F: { cls: "TLeafF", type: 5, size: 4, typeName: "Float_t" },
  I: { cls: "TLeafI", type: 3, size: 4, typeName: "Int_t" },
};

/** Big-endian bytes, appended. */
class Bytes {
  private parts: number[] = [];
  u1(v: number) {
    this.parts.push(v & 0xff);
    return this;
  }
  u2(v: number) {
    return this.u1(v >>> 8).u1(v);
  }
  u4(v: number) {
    return this.u2(v >>> 16).u2(v & 0xffff);
  }
  i8(v: number) {
    return this.u4(Math.floor(v / 2 ** 32)).u4(v >>> 0);
  }
  f8(v: number) {
    const b = new DataView(new ArrayBuffer(8));
    b.setFloat64(0, v);
    return this.raw(new Uint8Array(b.buffer));
  }
  f4(v: number) {
    const b = new DataView(new ArrayBuffer(4));
    b.setFloat32(0, v);
    return this.raw(new Uint8Array(b.buffer));
  }
  /** A TString: one length byte, then the characters. */
  str(s: string) {
    this.u1(s.length);
    for (const c of s) this.u1(c.charCodeAt(0));
    return this;
  }
  cstr(s: string) {
    for (const c of s) this.u1(c.charCodeAt(0));
    return this.u1(0);
  }
  raw(b: Uint8Array) {
    for (const x of b) this.parts.push(x);
    return this;
  }
  get length() {
    return this.parts.length;
  }
  done() {
    return Uint8Array.from(this.parts);
  }
}

/** An object (or base-class part) with its byte count and class version, as ROOT streams it. */
function versioned(version: number, body: Uint8Array): Uint8Array {
  return new Bytes()
    .u4((body.length + 2) | kByteCountMask)
    .u2(version)
    .raw(body)
    .done();
}
/** A pointer to an object of class `cls` (WriteObjectAny): byte count, new-class tag, class name, object. */
function any(cls: string, obj: Uint8Array): Uint8Array {
  const rest = new Bytes().u4(kNewClassTag).cstr(cls).raw(obj).done();
  return new Bytes()
    .u4(rest.length | kByteCountMask)
    .raw(rest)
    .done();
}
const tobject = () => new Bytes().u2(1).u4(0).u4(0x02000000).done();
const tnamed = (name: string, title: string) => versioned(1, new Bytes().raw(tobject()).str(name).str(title).done());
const objArray = (items: [string, Uint8Array][]) => {
  const b = new Bytes().raw(tobject()).str("").u4(items.length).u4(0);
  for (const [cls, obj] of items) b.raw(any(cls, obj));
  return versioned(3, b.done());
};

// ---- streamer infos: the members described, by kind
type Member =
  | ["base", string, number]
  | ["basic", string, number, string]
  | ["object", string, string]
  | ["pointer", string, number, string, string];
const element = (name: string, type: number, size: number, typeName: string, title = "") =>
  versioned(
    4,
    new Bytes()
      .raw(tnamed(name, title))
      .u4(type)
      .u4(size)
      .u4(0)
      .u4(0)
      .u4(0)
      .u4(0)
      .u4(0)
      .u4(0)
      .u4(0)
      .str(typeName)
      .done(),
  );
function member(m: Member): [string, Uint8Array] {
  switch (m[0]) {
    case "base":
      return [
        "TStreamerBase",
        versioned(
          3,
          new Bytes()
            .raw(element(m[1], 0, 0, "BASE"))
            .u4(m[2])
            .done(),
        ),
      ];
    case "basic":
      return ["TStreamerBasicType", versioned(2, element(m[1], m[2], 8, m[3]))];
    case "object":
      return ["TStreamerObject", versioned(2, element(m[1], 61, 64, m[2]))];
    case "pointer":
      return [
        "TStreamerBasicPointer",
        versioned(
          2,
          new Bytes()
            .raw(element(m[1], 40 + m[2], 8, m[3], `[${m[4]}]`))
            .u4(13)
            .str(m[4])
            .str("TBranch")
            .done(),
        ),
      ];
  }
}
function streamerInfo(cls: string, version: number, members: Member[]): [string, Uint8Array] {
  return [
    "TStreamerInfo",
    versioned(
      9,
      new Bytes()
        .raw(tnamed(cls, ""))
        .u4(0)
        .u4(version)
        .raw(any("TObjArray", objArray(members.map(member))))
        .done(),
    ),
  ];
}
const STREAMER_INFOS = [
  streamerInfo("TTree", 20, [
    ["base", "TNamed", 1],
    ["basic", "fEntries", 16, "Long64_t"],
    ["object", "fBranches", "TObjArray"],
    ["object", "fLeaves", "TObjArray"],
  ]),
  streamerInfo("TBranch", 13, [
    ["base", "TNamed", 1],
    ["basic", "fEntryOffsetLen", 3, "Int_t"],
    ["basic", "fWriteBasket", 3, "Int_t"],
    ["basic", "fEntryNumber", 16, "Long64_t"],
    ["basic", "fMaxBaskets", 3, "Int_t"],
    ["basic", "fEntries", 16, "Long64_t"],
    ["basic", "fFirstEntry", 16, "Long64_t"],
    ["basic", "fTotBytes", 16, "Long64_t"],
    ["object", "fBranches", "TObjArray"],
    ["object", "fLeaves", "TObjArray"],
    ["object", "fBaskets", "TObjArray"],
    ["pointer", "fBasketBytes", 3, "Int_t*", "fMaxBaskets"],
    ["pointer", "fBasketEntry", 16, "Long64_t*", "fMaxBaskets"],
    ["pointer", "fBasketSeek", 16, "Long64_t*", "fMaxBaskets"],
  ]),
  streamerInfo("TLeaf", 2, [
    ["base", "TNamed", 1],
    ["basic", "fLen", 3, "Int_t"],
    ["basic", "fLenType", 3, "Int_t"],
    ["basic", "fOffset", 3, "Int_t"],
    ["basic", "fIsRange", 18, "Bool_t"],
    ["basic", "fIsUnsigned", 18, "Bool_t"],
  ]),
  ...Object.values(LEAF).map(({ cls, type, typeName }) =>
    streamerInfo(cls, 1, [
      ["base", "TLeaf", 2],
      ["basic", "fMinimum", type, typeName],
      ["basic", "fMaximum", type, typeName],
    ]),
  ),
];

/** A TKey header for an object of `objlen` bytes at `seek`; `extra` is the key's own extra header (a TBasket's). */
function keyHeader(
  cls: string,
  name: string,
  title: string,
  objlen: number,
  seek: number,
  extraLength = 0,
): Uint8Array {
  const tail = new Bytes().str(cls).str(name).str(title).done();
  const keylen = 26 + tail.length + extraLength;
  return new Bytes()
    .u4(keylen + objlen)
    .u2(4)
    .u4(objlen)
    .u4(0x6f5a8000)
    .u2(keylen)
    .u2(1)
    .u4(seek)
    .u4(BEGIN)
    .raw(tail)
    .done();
}

export interface RootBranch {
  name: string;
  values: ArrayLike<number>;
  /** D (double, default), F (float) or I (int). */
  type?: Leaf;
}

/**
 * The bytes of a ROOT file holding one TTree.
 * @example
 * writeFileSync("ev.root", writeRootFile("events", [{ name: "mass", values }]));
 */
export function writeRootFile(treeName: string, branches: RootBranch[], basketEntries = 1000): Uint8Array {
  const file = new Bytes();
  const entries = branches[0]?.values.length ?? 0;
  const keys: Uint8Array[] = [];
  const at = () => BEGIN + headerAndDirectoryLength + file.length;
  // the directory record's size is fixed: compute it first, write it last
  const fileName = "test.root";
  const dirKey = keyHeader("TFile", fileName, "", 0, BEGIN);
  const nbytesName = dirKey.length + fileName.length + 2;
  const headerAndDirectoryLength = nbytesName + 42 + 18;
  // baskets
  const layout = branches.map((b) => {
    const t = LEAF[b.type ?? "D"];
    const seeks: number[] = [],
      bytes: number[] = [],
      firsts: number[] = [];
    for (let first = 0; first < entries; first += basketEntries) {
      const n = Math.min(basketEntries, entries - first);
      const data = new Bytes();
      for (let i = first; i < first + n; i++)
        b.type === "F" ? data.f4(b.values[i]) : b.type === "I" ? data.u4(b.values[i]) : data.f8(b.values[i]);
      const seek = at();
      const key = keyHeader("TBasket", b.name, treeName, data.length, seek, 19);
      const keylen = key.length + 19;
      file
        .raw(key)
        .u2(3)
        .u4(32000)
        .u4(t.size)
        .u4(n)
        .u4(keylen + data.length)
        .u1(0)
        .raw(data.done());
      seeks.push(seek), bytes.push(keylen + data.length), firsts.push(first);
    }
    return { b, t, seeks, bytes, firsts };
  });
  // the tree
  const branchObjects: [string, Uint8Array][] = layout.map(({ b, t, seeks, bytes, firsts }) => {
    const nb = seeks.length;
    const leaf = versioned(
      1,
      new Bytes()
        .raw(versioned(2, new Bytes().raw(tnamed(b.name, b.name)).u4(1).u4(t.size).u4(0).u1(0).u1(0).done()))
        .raw(
          b.type === "F"
            ? new Bytes().f4(0).f4(0).done()
            : b.type === "I"
              ? new Bytes().u4(0).u4(0).done()
              : new Bytes().f8(0).f8(0).done(),
        )
        .done(),
    );
    const body = new Bytes()
      .raw(tnamed(b.name, `${b.name}/${b.type ?? "D"}`))
      .u4(0)
      .u4(nb)
      .i8(entries)
      .u4(nb + 1)
      .i8(entries)
      .i8(0)
      .i8(bytes.reduce((s, x) => s + x, 0))
      .raw(objArray([]))
      .raw(objArray([[t.cls, leaf]]))
      .raw(objArray([]));
    body.u1(1);
    [...bytes, 0].forEach((x) => body.u4(x));
    body.u1(1);
    [...firsts, entries].forEach((x) => body.i8(x));
    body.u1(1);
    [...seeks, 0].forEach((x) => body.i8(x));
    return ["TBranch", versioned(13, body.done())];
  });
  const tree = versioned(
    20,
    new Bytes().raw(tnamed(treeName, treeName)).i8(entries).raw(objArray(branchObjects)).raw(objArray([])).done(),
  );
  const treeSeek = at();
  const treeKey = keyHeader("TTree", treeName, treeName, tree.length, treeSeek);
  file.raw(treeKey).raw(tree);
  keys.push(treeKey);
  // streamer infos
  const list = new Bytes().raw(tobject()).str("").u4(STREAMER_INFOS.length);
  for (const [cls, obj] of STREAMER_INFOS) list.raw(any(cls, obj)).str("");
  const infos = versioned(5, list.done());
  const seekInfo = at();
  const infoKey = keyHeader("TList", "StreamerInfo", "Doubly linked list", infos.length, seekInfo);
  file.raw(infoKey).raw(infos);
  // the keys list
  const seekKeys = at();
  const keyList = new Bytes().u4(keys.length);
  keys.forEach((k) => keyList.raw(k));
  const keysKey = keyHeader("TFile", fileName, "", keyList.length, seekKeys);
  file.raw(keysKey).raw(keyList.done());
  const end = at();
  // header and top directory
  const header = new Bytes()
    .raw(new TextEncoder().encode("root"))
    .u4(62206)
    .u4(BEGIN)
    .u4(end)
    .u4(0)
    .u4(0)
    .u4(0)
    .u4(nbytesName)
    .u1(4)
    .u4(0)
    .u4(seekInfo)
    .u4(infoKey.length + infos.length)
    .u2(4)
    .raw(new Uint8Array(16));
  const directory = new Bytes()
    .u2(5)
    .u4(0x6f5a8000)
    .u4(0x6f5a8000)
    .u4(keysKey.length + keyList.length)
    .u4(nbytesName)
    .u4(BEGIN)
    .u4(0)
    .u4(seekKeys)
    .u2(4)
    .raw(new Uint8Array(16))
    .raw(new Uint8Array(12));
  const out = new Bytes().raw(header.done());
  while (out.length < BEGIN) out.u1(0);
  out.raw(dirKey).str(fileName).str("").raw(directory.done());
  if (out.length !== BEGIN + headerAndDirectoryLength)
    throw new Error(`directory record is ${out.length - BEGIN} bytes, expected ${headerAndDirectoryLength}`);
  return out.raw(file.done()).done();
}
