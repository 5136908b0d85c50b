/**
 * The expression language of `data.expr` and `data.cut` (docs/spec.md): arithmetic, comparisons,
 * logic and math functions over named columns, in the syntax of ROOT's TTree::Draw for what the
 * two share. A tokenizer and a Pratt parser build a tree, compiled into closures that evaluate it
 * a column at a time over Float64Arrays — no eval or new Function, so it runs under a strict
 * Content-Security-Policy. It lives in the model layer: the spec parser checks the syntax, the
 * readers (io) evaluate it.
 */
import { BumpscanError } from "../errors.js";

type Node =
  | { kind: "num"; value: number }
  | { kind: "col"; name: string; at: number }
  | { kind: "unary"; op: string; arg: Node }
  | { kind: "binary"; op: string; left: Node; right: Node }
  | { kind: "if"; test: Node; yes: Node; no: Node }
  | { kind: "call"; fn: MathFunction; args: Node[] };

interface Token {
  kind: "num" | "name" | "op" | "end";
  text: string;
  /** 1-based position of the token's first character. */
  at: number;
  value?: number;
}

interface MathFunction {
  name: string;
  f: (...x: number[]) => number;
  /** The number of arguments; min/max/hypot take two or more. */
  arity: number;
  variadic?: boolean;
}

const fn = (name: string, f: (...x: number[]) => number, arity = f.length, variadic = false): MathFunction => ({
  name,
  f,
  arity,
  variadic,
});

/** The functions, by every name they go by (C and TMath:: spellings for ROOT users). */
const FUNCTIONS = new Map<string, MathFunction>();
for (const [names, f] of [
  ["abs fabs TMath::Abs", fn("abs", Math.abs)],
  ["sqrt TMath::Sqrt", fn("sqrt", Math.sqrt)],
  ["cbrt TMath::Cbrt", fn("cbrt", Math.cbrt)],
  ["exp TMath::Exp", fn("exp", Math.exp)],
  ["log TMath::Log", fn("log", Math.log)],
  ["log10 TMath::Log10", fn("log10", Math.log10)],
  ["log2 TMath::Log2", fn("log2", Math.log2)],
  ["sin TMath::Sin", fn("sin", Math.sin)],
  ["cos TMath::Cos", fn("cos", Math.cos)],
  ["tan TMath::Tan", fn("tan", Math.tan)],
  ["asin TMath::ASin", fn("asin", Math.asin)],
  ["acos TMath::ACos", fn("acos", Math.acos)],
  ["atan TMath::ATan", fn("atan", Math.atan)],
  ["atan2 TMath::ATan2", fn("atan2", Math.atan2)],
  ["sinh TMath::SinH", fn("sinh", Math.sinh)],
  ["cosh TMath::CosH", fn("cosh", Math.cosh)],
  ["tanh TMath::TanH", fn("tanh", Math.tanh)],
  ["pow TMath::Power", fn("pow", Math.pow)],
  ["floor TMath::Floor", fn("floor", Math.floor)],
  ["ceil TMath::Ceil", fn("ceil", Math.ceil)],
  ["min TMath::Min", fn("min", Math.min, 2, true)],
  ["max TMath::Max", fn("max", Math.max, 2, true)],
  ["hypot TMath::Hypot", fn("hypot", Math.hypot, 2, true)],
  ["TMath::Pi", fn("pi", () => Math.PI, 0)],
] as const)
  for (const name of names.split(" ")) FUNCTIONS.set(name, f);

/** Infix operators: binding power (higher binds tighter) and right associativity. */
const INFIX: Record<string, { power: number; right?: boolean; op: string }> = {
  "?": { power: 1, right: true, op: "?" },
  "||": { power: 2, op: "||" },
  or: { power: 2, op: "||" },
  "&&": { power: 3, op: "&&" },
  and: { power: 3, op: "&&" },
  "==": { power: 4, op: "==" },
  "!=": { power: 4, op: "!=" },
  "<": { power: 5, op: "<" },
  "<=": { power: 5, op: "<=" },
  ">": { power: 5, op: ">" },
  ">=": { power: 5, op: ">=" },
  "+": { power: 6, op: "+" },
  "-": { power: 6, op: "-" },
  "*": { power: 7, op: "*" },
  "/": { power: 7, op: "/" },
  "%": { power: 7, op: "%" },
  "^": { power: 9, right: true, op: "^" },
  "**": { power: 9, right: true, op: "^" },
};
const infixOf = (text: string) => (Object.hasOwn(INFIX, text) ? INFIX[text] : undefined);
/** Unary minus, plus and not bind below a power: -x^2 is -(x^2), as in mathematics. */
const UNARY_POWER = 8;

const OPERATORS = [
  "**",
  "<=",
  ">=",
  "==",
  "!=",
  "&&",
  "||",
  "+",
  "-",
  "*",
  "/",
  "%",
  "^",
  "<",
  ">",
  "!",
  "(",
  ")",
  ",",
];
const NUMBER = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*/;

/** The error of an expression: the spec field, what is wrong and where (1-based). */
function fail(field: string, what: string, at: number, after = ""): never {
  throw new BumpscanError(`${field}: ${what} at ${at}${after}`);
}

function tokenize(text: string, field: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = text.slice(i);
    const at = i + 1;
    const num = NUMBER.exec(rest);
    const name = num ? null : NAME.exec(rest);
    if (num) {
      tokens.push({ kind: "num", text: num[0], at, value: Number(num[0]) });
      i += num[0].length;
      if (/^[A-Za-z_.]/.test(text.slice(i))) fail(field, `a malformed number "${num[0]}${text[i]}"`, at);
    } else if (name) {
      tokens.push({ kind: "name", text: name[0], at });
      i += name[0].length;
    } else if (c === "`") {
      const close = text.indexOf("`", i + 1);
      if (close < 0) fail(field, "a back-quoted column name is not closed", at);
      if (close === i + 1) fail(field, "an empty back-quoted column name", at);
      tokens.push({ kind: "name", text: text.slice(i + 1, close), at, value: 1 }); // value 1: quoted
      i = close + 1;
    } else {
      const op = OPERATORS.find((o) => rest.startsWith(o)) ?? (c === "?" || c === ":" ? c : undefined);
      if (!op) fail(field, `unexpected character "${c}"`, at);
      tokens.push({ kind: "op", text: op, at });
      i += op.length;
    }
  }
  tokens.push({ kind: "end", text: "the end", at: text.length + 1 });
  return tokens;
}

/** A Pratt parser over the tokens. */
class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly field: string,
  ) {}

  parse(): Node {
    if (this.peek().kind === "end") fail(this.field, "an empty expression", 1);
    const node = this.expression(0);
    const t = this.peek();
    if (t.kind !== "end") fail(this.field, `expected an operator, found "${t.text}"`, t.at);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.i];
  }

  private next(): Token {
    return this.tokens[this.i++];
  }

  private expect(text: string): void {
    const t = this.next();
    if (t.kind !== "op" || t.text !== text) fail(this.field, `expected "${text}", found ${quote(t)}`, t.at);
  }

  private expression(minPower: number): Node {
    let left = this.prefix();
    for (;;) {
      const t = this.peek();
      const infix = t.kind === "op" || (t.kind === "name" && t.value === undefined) ? infixOf(t.text) : undefined;
      if (!infix || infix.power <= minPower) return left;
      this.next();
      if (infix.op === "?") {
        const yes = this.expression(0);
        this.expect(":");
        left = { kind: "if", test: left, yes, no: this.expression(infix.power - 1) };
      } else {
        const right = this.expression(infix.right ? infix.power - 1 : infix.power);
        left = { kind: "binary", op: infix.op, left, right };
      }
    }
  }

  private prefix(): Node {
    const t = this.next();
    if (t.kind === "num") return { kind: "num", value: t.value! };
    if (t.kind === "op" && (t.text === "-" || t.text === "+" || t.text === "!"))
      return { kind: "unary", op: t.text, arg: this.expression(UNARY_POWER) };
    if (t.kind === "op" && t.text === "(") {
      const inner = this.expression(0);
      this.expect(")");
      return inner;
    }
    if (t.kind === "name") {
      const next = this.peek();
      if (t.value === undefined && next.kind === "op" && next.text === "(") return this.call(t);
      if (t.value === undefined && infixOf(t.text)) fail(this.field, `expected a value, found "${t.text}"`, t.at);
      return { kind: "col", name: t.text, at: t.at };
    }
    return fail(this.field, `expected a number, a column or "(", found ${quote(t)}`, t.at);
  }

  private call(name: Token): Node {
    const f = FUNCTIONS.get(name.text);
    if (!f) fail(this.field, `unknown function "${name.text}"`, name.at);
    this.expect("(");
    const args: Node[] = [];
    if (!(this.peek().kind === "op" && this.peek().text === ")")) {
      args.push(this.expression(0));
      while (this.peek().kind === "op" && this.peek().text === ",") {
        this.next();
        args.push(this.expression(0));
      }
    }
    this.expect(")");
    if (f.variadic ? args.length < f.arity : args.length !== f.arity)
      fail(
        this.field,
        `${name.text} takes ${f.variadic ? "at least " : ""}${f.arity} argument${f.arity === 1 ? "" : "s"}, ` +
          `not ${args.length}`,
        name.at,
      );
    return { kind: "call", fn: f, args };
  }
}

const quote = (t: Token) => (t.kind === "end" ? "the end" : `"${t.text}"`);

/** Rows are evaluated a block at a time: every intermediate array stays in the processor's cache. */
const BLOCK = 2048;

/** The current block's rows of each column, by name. */
type Frame = Record<string, Float64Array>;
/**
 * A compiled node: its values for the block's first n rows, in a buffer the node owns (reused for
 * the next block) or, for a column, the frame's view of it (never written to).
 */
type Eval = (frame: Frame, n: number) => Float64Array;

type Loop = (a: Float64Array, b: Float64Array, o: Float64Array, n: number) => void;

/** Element-wise loops, one per operator, so that each stays monomorphic and fast. */
const BINARY: Record<string, Loop> = {
  "+": (a, b, o, n) => {
    for (let i = 0; i < n; i++) o[i] = a[i] + b[i];
  },
  "-": (a, b, o, n) => {
    for (let i = 0; i < n; i++) o[i] = a[i] - b[i];
  },
  "*": (a, b, o, n) => {
    for (let i = 0; i < n; i++) o[i] = a[i] * b[i];
  },
  "/": (a, b, o, n) => {
    for (let i = 0; i < n; i++) o[i] = a[i] / b[i];
  },
  "%": (a, b, o, n) => {
    for (let i = 0; i < n; i++) o[i] = a[i] % b[i];
  },
  "^": (a, b, o, n) => {
    for (let i = 0; i < n; i++) o[i] = a[i] ** b[i];
  },
  "<": (a, b, o, n) => {
    for (let i = 0; i < n; i++) o[i] = a[i] < b[i] ? 1 : 0;
  },
  "<=": (a, b, o, n) => {
    for (let i = 0; i < n; i++) o[i] = a[i] <= b[i] ? 1 : 0;
  },
  ">": (a, b, o, n) => {
    for (let i = 0; i < n; i++) o[i] = a[i] > b[i] ? 1 : 0;
  },
  ">=": (a, b, o, n) => {
    for (let i = 0; i < n; i++) o[i] = a[i] >= b[i] ? 1 : 0;
  },
  "==": (a, b, o, n) => {
    for (let i = 0; i < n; i++) o[i] = a[i] === b[i] ? 1 : 0;
  },
  "!=": (a, b, o, n) => {
    for (let i = 0; i < n; i++) o[i] = a[i] !== b[i] ? 1 : 0;
  },
  // a value is true when it is not 0 (NaN is true, as in C++)
  "&&": (a, b, o, n) => {
    for (let i = 0; i < n; i++) o[i] = a[i] !== 0 && b[i] !== 0 ? 1 : 0;
  },
  "||": (a, b, o, n) => {
    for (let i = 0; i < n; i++) o[i] = a[i] !== 0 || b[i] !== 0 ? 1 : 0;
  },
};

function compile(node: Node): Eval {
  switch (node.kind) {
    case "num": {
      const o = new Float64Array(BLOCK).fill(node.value);
      return () => o;
    }
    case "col":
      return (frame) => frame[node.name];
    case "unary": {
      const arg = compile(node.arg);
      if (node.op === "+") return arg;
      const o = new Float64Array(BLOCK);
      const neg = node.op === "-";
      return (frame, n) => {
        const a = arg(frame, n);
        if (neg) for (let i = 0; i < n; i++) o[i] = -a[i];
        else for (let i = 0; i < n; i++) o[i] = a[i] === 0 ? 1 : 0;
        return o;
      };
    }
    case "binary": {
      const [left, right, loop] = [compile(node.left), compile(node.right), BINARY[node.op]];
      const o = new Float64Array(BLOCK);
      return (frame, n) => {
        loop(left(frame, n), right(frame, n), o, n);
        return o;
      };
    }
    case "if": {
      const [test, then, other] = [node.test, node.yes, node.no].map(compile);
      const o = new Float64Array(BLOCK);
      return (frame, n) => {
        const [t, a, b] = [test(frame, n), then(frame, n), other(frame, n)];
        for (let i = 0; i < n; i++) o[i] = t[i] !== 0 ? a[i] : b[i];
        return o;
      };
    }
    case "call":
      return compileCall(node.fn, node.args.map(compile));
  }
}

/** Loops of their own for the commonest functions (a shared loop calling many functions is slower). */
const UNARY: Record<string, (x: Float64Array, o: Float64Array, n: number) => void> = {
  abs: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.abs(x[i]);
  },
  sqrt: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.sqrt(x[i]);
  },
  exp: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.exp(x[i]);
  },
  log: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.log(x[i]);
  },
  cos: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.cos(x[i]);
  },
};

function compileCall(fn: MathFunction, args: Eval[]): Eval {
  const f = fn.f;
  const o = new Float64Array(BLOCK);
  const own = Object.hasOwn(UNARY, fn.name) ? UNARY[fn.name] : undefined;
  if (own) {
    const [arg] = args;
    return (frame, n) => {
      own(arg(frame, n), o, n);
      return o;
    };
  }
  return (frame, n) => {
    const a = args.map((x) => x(frame, n));
    if (a.length === 0) o.fill(f());
    else if (a.length === 1) {
      const x = a[0];
      for (let i = 0; i < n; i++) o[i] = f(x[i]);
    } else if (a.length === 2) {
      const [x, y] = a;
      for (let i = 0; i < n; i++) o[i] = f(x[i], y[i]);
    } else for (let i = 0; i < n; i++) o[i] = f(...a.map((x) => x[i]));
    return o;
  };
}

/** Folds the parts of the tree that name no column into numbers. */
function fold(node: Node): Node {
  switch (node.kind) {
    case "unary":
    case "binary":
    case "if":
    case "call": {
      const folded: Node =
        node.kind === "unary"
          ? { ...node, arg: fold(node.arg) }
          : node.kind === "binary"
            ? { ...node, left: fold(node.left), right: fold(node.right) }
            : node.kind === "if"
              ? { ...node, test: fold(node.test), yes: fold(node.yes), no: fold(node.no) }
              : { ...node, args: node.args.map(fold) };
      if (columnsOf(folded).length > 0) return folded;
      return { kind: "num", value: compile(folded)({}, 1)[0] };
    }
    default:
      return node;
  }
}

function columnsOf(node: Node, out: { name: string; at: number }[] = []): { name: string; at: number }[] {
  if (node.kind === "col") {
    if (!out.some((c) => c.name === node.name)) out.push({ name: node.name, at: node.at });
  } else if (node.kind === "unary") columnsOf(node.arg, out);
  else if (node.kind === "binary") [node.left, node.right].forEach((x) => columnsOf(x, out));
  else if (node.kind === "if") [node.test, node.yes, node.no].forEach((x) => columnsOf(x, out));
  else if (node.kind === "call") node.args.forEach((x) => columnsOf(x, out));
  return out;
}

/** A parsed expression: its text, the columns it names, and its values over columns of numbers. */
export interface Expression {
  readonly text: string;
  /** The spec field errors name (`data.cut`). */
  readonly field: string;
  /** The columns named, in the order of their first use, each with its 1-based position in the text. */
  readonly columns: readonly { name: string; at: number }[];
  /**
   * The expression's value for each row: `columns` maps names to equally long arrays; `rows` is
   * their length (needed only when the expression names no column). Comparisons and logic give 1
   * or 0. A name not in `columns` throws, naming the field, the position and the columns there are.
   */
  evaluate(columns: Record<string, Float64Array>, rows?: number): Float64Array;
}

/**
 * Parse an expression of `data.expr` or `data.cut` (docs/spec.md: numbers, columns, `+ - * / % ^`
 * (or `**`), comparisons, `&& || !` (or `and`, `or`), `?:`, parentheses and math functions); a
 * syntax error throws a BumpscanError naming `field`, what was expected and the position.
 * @example
 * import { parseExpression } from "bumpscan/io";
 * const pt = parseExpression("sqrt(px*px + py*py)", "data.expr");
 * pt.columns.map((c) => c.name); // => ["px", "py"]
 * pt.evaluate({ px: new Float64Array([3, 5]), py: new Float64Array([4, 12]) }); // => [5, 13]
 * const cut = parseExpression("n == 2 && abs(cosTheta) < 0.8", "data.cut");
 * cut.evaluate({ n: new Float64Array([2, 2, 3]), cosTheta: new Float64Array([0.5, -0.9, 0]) }); // => [1, 0, 0]
 * parseExpression("2 * (m + ", "data.expr"); // throws: data.expr: expected a number, a column or "(", found the end
 */
export function parseExpression(text: string, field = "expression"): Expression {
  const tree = fold(new Parser(tokenize(text, field), field).parse());
  const run = compile(tree);
  const columns = columnsOf(tree);
  return {
    text,
    field,
    columns,
    evaluate(values, rows) {
      const missing = columns.find((c) => !Object.hasOwn(values, c.name));
      if (missing) {
        const have = Object.keys(values).join(", ");
        fail(field, `unknown column "${missing.name}"`, missing.at, have ? ` (have ${have})` : "");
      }
      const n = rows ?? (columns.length ? values[columns[0].name].length : undefined);
      if (n === undefined) throw new BumpscanError(`${field}: the expression names no column: give the number of rows`);
      for (const c of columns)
        if (values[c.name].length !== n)
          throw new BumpscanError(`${field}: column "${c.name}" has ${values[c.name].length} rows, not ${n}`);
      const out = new Float64Array(n);
      const frame: Frame = {};
      for (let s = 0; s < n; s += BLOCK) {
        const m = Math.min(BLOCK, n - s);
        for (const c of columns) frame[c.name] = values[c.name].subarray(s, s + m);
        out.set(run(frame, m).subarray(0, m), s);
      }
      return out;
    },
  };
}
