// The checks an example's result comments turn into (test/examples.test.ts rewrites them):
// `expr; // => value` compares expr with value to the digits value shows, `expr; // throws: text`
// expects an error whose message contains text.

/** The significant digits a numeric literal shows, in the order the literal lists them. */
function shownPrecision(text) {
  return [...text.matchAll(/(?<![\w.])-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?(?![\w.])/gi)].map((m) => {
    const mantissa = m[1];
    if (!mantissa.includes(".") && !m[2]) return "exact";
    return mantissa.replace(".", "").replace(/^0+/, "").length || 1;
  });
}

function numbersOf(value, out = []) {
  if (typeof value === "number") out.push(value);
  else if (Array.isArray(value)) for (const v of value) numbersOf(v, out);
  else if (value && typeof value === "object") for (const v of Object.values(value)) numbersOf(v, out);
  return out;
}

const plain = (v) => (ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v) : v);

function near(actual, expected, digits) {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (digits === "exact" || !Number.isFinite(expected) || expected === 0) return Object.is(actual, expected) ||
    (expected === 0 && digits !== "exact" && Math.abs(actual) < 10 ** -digits);
  const unit = 10 ** (Math.floor(Math.log10(Math.abs(expected))) - digits + 1);
  return Math.abs(actual - expected) <= 0.5 * unit * (1 + 1e-9);
}

/** Does actual match expected (objects: the keys expected lists; numbers: to their shown digits)? */
function matches(actual, expected, digits) {
  actual = plain(actual);
  if (typeof expected === "number") return typeof actual === "number" && near(actual, expected, digits.shift());
  if (Array.isArray(expected))
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((e, i) => matches(actual[i], e, digits))
    );
  if (expected && typeof expected === "object") {
    if (actual === null || typeof actual !== "object") return false;
    return Object.keys(expected).every((k) => matches(actual[k], expected[k], digits));
  }
  return Object.is(actual, expected);
}

const finite = (x) => (typeof x === "number" && !Number.isFinite(x) ? String(x) : x);
const show = (v) => JSON.stringify(plain(v), (_, x) => (ArrayBuffer.isView(x) ? Array.from(x) : finite(x)));

export async function check(thunk, expectedText, expected, where) {
  const actual = await thunk();
  const shown = shownPrecision(expectedText);
  const digits = shown.length === numbersOf(expected).length ? shown : numbersOf(expected).map(() => 12);
  if (!matches(actual, expected, digits))
    throw new Error(`${where}: the example says ${expectedText}, the code gives ${show(actual)}`);
}

export async function throws(thunk, text, where) {
  try {
    await thunk();
  } catch (e) {
    if (String(e?.message ?? e).includes(text)) return;
    throw new Error(`${where}: the example says it throws "${text}", it threw "${e?.message ?? e}"`);
  }
  throw new Error(`${where}: the example says it throws "${text}", it returned`);
}
