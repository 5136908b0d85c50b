// The expression language of data.expr and data.cut: precedence against hand-parenthesised
// forms, every operator and function against JavaScript's Math on random values, the errors with
// their positions, and column-wise evaluation on 1e5 rows against a row-by-row loop.
import { describe, expect, test } from "vitest";
import { parseExpression } from "../src/model/expression.js";

/** A small seeded generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const N = 1000;
const random = rng(7);
const cols = {
  a: Float64Array.from({ length: N }, () => 4 * random() - 2),
  b: Float64Array.from({ length: N }, () => 4 * random() - 2),
  c: Float64Array.from({ length: N }, () => 0.1 + 3 * random()),
  k: Float64Array.from({ length: N }, () => Math.floor(4 * random())),
};

/** Every row's value against a reference function of the row, to 1e-15 relative (NaN where it is NaN). */
function agrees(text: string, ref: (r: { a: number; b: number; c: number; k: number }) => number | boolean) {
  const got = parseExpression(text, "data.expr").evaluate(cols);
  expect(got.length).toBe(N);
  for (let i = 0; i < N; i++) {
    const want = Number(ref({ a: cols.a[i], b: cols.b[i], c: cols.c[i], k: cols.k[i] }));
    if (Number.isNaN(want)) expect(got[i], `${text} row ${i}`).toBeNaN();
    else expect(Math.abs(got[i] - want), `${text} row ${i}`).toBeLessThanOrEqual(1e-15 * Math.max(1, Math.abs(want)));
  }
}

describe("operators and precedence", () => {
  const cases: [string, (r: { a: number; b: number; c: number; k: number }) => number | boolean][] = [
    ["a + b * c", (r) => r.a + r.b * r.c],
    ["(a + b) * c", (r) => (r.a + r.b) * r.c],
    ["a - b - c", (r) => r.a - r.b - r.c],
    ["a / b / c", (r) => r.a / r.b / r.c],
    ["a % c", (r) => r.a % r.c],
    ["c ^ b ^ 0.5", (r) => r.c ** (r.b ** 0.5)],
    ["c ** 2", (r) => r.c ** 2],
    ["-c ^ 2", (r) => -(r.c ** 2)],
    ["-a * -b", (r) => -r.a * -r.b],
    ["+a", (r) => r.a],
    ["2 * -a", (r) => 2 * -r.a],
    ["c ^ -1", (r) => 1 / r.c],
    ["1e-3 * a + .5 + 2.5E2", (r) => 1e-3 * r.a + 0.5 + 250],
    ["a < b", (r) => r.a < r.b],
    ["a <= b", (r) => r.a <= r.b],
    ["a > b", (r) => r.a > r.b],
    ["a >= b", (r) => r.a >= r.b],
    ["k == 2", (r) => r.k === 2],
    ["k != 2", (r) => r.k !== 2],
    ["a + 1 < b * 2", (r) => r.a + 1 < r.b * 2],
    ["a < b == k > 1", (r) => r.a < r.b === r.k > 1],
    ["!k", (r) => r.k === 0],
    ["!k == 0", (r) => Number(r.k === 0) === 0],
    ["a > 0 && b > 0 || k == 3", (r) => (r.a > 0 && r.b > 0) || r.k === 3],
    ["a > 0 || b > 0 && k == 3", (r) => r.a > 0 || (r.b > 0 && r.k === 3)],
    ["a > 0 and not_a_keyword > 0", (r) => r.a > 0 && r.b > 0],
    ["a > 0 or b > 0", (r) => r.a > 0 || r.b > 0],
    ["k && a", (r) => r.k !== 0 && r.a !== 0],
    ["a > 0 ? b : c", (r) => (r.a > 0 ? r.b : r.c)],
    ["a > 0 ? b : k == 1 ? c : 7", (r) => (r.a > 0 ? r.b : r.k === 1 ? r.c : 7)],
    ["a || b > 1 ? 1 : 2", (r) => (r.a !== 0 || r.b > 1 ? 1 : 2)],
  ];
  for (const [text, ref] of cases) test(text, () => agrees(text.replace("not_a_keyword", "b"), ref));
});

describe("functions, against Math", () => {
  const one: [string, (x: number) => number][] = [
    ["abs", Math.abs],
    ["fabs", Math.abs],
    ["TMath::Abs", Math.abs],
    ["sqrt", Math.sqrt],
    ["TMath::Sqrt", Math.sqrt],
    ["cbrt", Math.cbrt],
    ["exp", Math.exp],
    ["log", Math.log],
    ["log10", Math.log10],
    ["log2", Math.log2],
    ["sin", Math.sin],
    ["cos", Math.cos],
    ["tan", Math.tan],
    ["asin", Math.asin],
    ["acos", Math.acos],
    ["atan", Math.atan],
    ["sinh", Math.sinh],
    ["cosh", Math.cosh],
    ["tanh", Math.tanh],
    ["floor", Math.floor],
    ["ceil", Math.ceil],
    ["TMath::Exp", Math.exp],
    ["TMath::ATan", Math.atan],
  ];
  for (const [name, f] of one) test(name, () => agrees(`${name}(a)`, (r) => f(r.a)));
  const two: [string, (x: number, y: number) => number][] = [
    ["atan2", Math.atan2],
    ["TMath::ATan2", Math.atan2],
    ["pow", Math.pow],
    ["TMath::Power", Math.pow],
    ["min", Math.min],
    ["max", Math.max],
    ["hypot", Math.hypot],
    ["TMath::Hypot", Math.hypot],
  ];
  for (const [name, f] of two) test(name, () => agrees(`${name}(a, c)`, (r) => f(r.a, r.c)));
  test("min, max and hypot of three; TMath::Pi(); nested calls", () => {
    agrees("min(a, b, c)", (r) => Math.min(r.a, r.b, r.c));
    agrees("max(a, b, c)", (r) => Math.max(r.a, r.b, r.c));
    agrees("hypot(a, b, c)", (r) => Math.hypot(r.a, r.b, r.c));
    agrees("a * TMath::Pi()", (r) => r.a * Math.PI);
    agrees("sqrt(abs(a) + exp(-c^2 / 2))", (r) => Math.sqrt(Math.abs(r.a) + Math.exp(-(r.c ** 2) / 2)));
  });
});

describe("columns", () => {
  test("back-quoted names, names in order of first use, a constant expression", () => {
    const e = parseExpression("`p T` * 2 + b + `p T`");
    expect(e.columns).toEqual([
      { name: "p T", at: 1 },
      { name: "b", at: 13 },
    ]);
    expect([...e.evaluate({ "p T": new Float64Array([1, 2]), b: new Float64Array([10, 20]) })]).toEqual([13, 26]);
    expect([...parseExpression("2 * (3 + 1)").evaluate({}, 3)]).toEqual([8, 8, 8]);
  });

  test("a bare column comes back as a copy, never the column itself", () => {
    const m = new Float64Array([1, 2]);
    const out = parseExpression("m").evaluate({ m });
    expect(out).not.toBe(m);
    expect([...out]).toEqual([1, 2]);
  });

  test("1e5 rows, column-wise, equal a row-by-row loop", () => {
    const r = rng(3);
    const n = 100_000;
    const px = Float64Array.from({ length: n }, () => 10 * r() - 5);
    const py = Float64Array.from({ length: n }, () => 10 * r() - 5);
    const nTracks = Float64Array.from({ length: n }, () => Math.floor(4 * r()));
    const cut = parseExpression("nTracks == 2 && sqrt(px*px + py*py) > 3 || TMath::Abs(px) < 0.1", "data.cut");
    const got = cut.evaluate({ px, py, nTracks });
    let passed = 0;
    for (let i = 0; i < n; i++) {
      const want = (nTracks[i] === 2 && Math.sqrt(px[i] * px[i] + py[i] * py[i]) > 3) || Math.abs(px[i]) < 0.1;
      expect(got[i]).toBe(want ? 1 : 0);
      passed += got[i];
    }
    expect(passed).toBeGreaterThan(10_000);
    expect(passed).toBeLessThan(50_000);
  });
});

describe("errors name the field, the problem and the position", () => {
  const cases: [string, string][] = [
    ["", "data.cut: an empty expression at 1"],
    ["2 * (m + ", 'data.cut: expected a number, a column or "(", found the end at 10'],
    ["(m > 1", 'data.cut: expected ")", found the end at 7'],
    ["m > 1)", 'data.cut: expected an operator, found ")" at 6'],
    ["m >> 1", 'data.cut: expected a number, a column or "(", found ">" at 4'],
    ["m = 1", 'data.cut: unexpected character "=" at 3'],
    ["m & n", 'data.cut: unexpected character "&" at 3'],
    ["1.2.3", 'data.cut: a malformed number "1.2." at 1'],
    ["2m", 'data.cut: a malformed number "2m" at 1'],
    ["sqr(m)", 'data.cut: unknown function "sqr" at 1'],
    ["atan2(m)", "data.cut: atan2 takes 2 arguments, not 1 at 1"],
    ["min(m)", "data.cut: min takes at least 2 arguments, not 1 at 1"],
    ["TMath::Pi(m)", "data.cut: TMath::Pi takes 0 arguments, not 1 at 1"],
    ["m > 0 ? 1", 'data.cut: expected ":", found the end at 10'],
    ["`m", "data.cut: a back-quoted column name is not closed at 1"],
    ["and > 1", 'data.cut: expected a value, found "and" at 1'],
    ["m $ 1", 'data.cut: unexpected character "$" at 3'],
    ["constructor > 1 toString", 'data.cut: expected an operator, found "toString" at 17'],
  ];
  for (const [text, message] of cases)
    test(JSON.stringify(text), () => expect(() => parseExpression(text, "data.cut")).toThrow(message));

  test("an unknown column names the columns there are", () => {
    const cut = parseExpression("nTracks == 2 && nTrk > 1", "data.cut");
    expect(() => cut.evaluate({ nTracks: new Float64Array(2), m: new Float64Array(2) })).toThrow(
      'data.cut: unknown column "nTrk" at 17 (have nTracks, m)',
    );
  });

  test("columns of different lengths", () => {
    const e = parseExpression("a + b", "data.expr");
    expect(() => e.evaluate({ a: new Float64Array(2), b: new Float64Array(3) })).toThrow(
      'data.expr: column "b" has 3 rows, not 2',
    );
  });
});

test("speed: a cut of five operations over 1e6 rows in well under a second", () => {
  const n = 1_000_000;
  const r = rng(5);
  const px = Float64Array.from({ length: n }, () => r());
  const py = Float64Array.from({ length: n }, () => r());
  const cut = parseExpression("sqrt(px*px + py*py) > 0.5 && abs(px - py) < 0.3");
  cut.evaluate({ px, py }); // warm up
  const t0 = performance.now();
  cut.evaluate({ px, py });
  const ms = performance.now() - t0;
  console.log(`expression: ${ms.toFixed(1)} ms per 1e6 rows (7 operations)`);
  expect(ms).toBeLessThan(1000);
});
