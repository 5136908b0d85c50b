// Φ and Φ⁻¹ of our own (src/core/normal.ts: Cody's rational approximations, Wichura's AS 241),
// which replaced two CommonJS @stdlib packages: known values, symmetry, round trips over the
// whole range of doubles, and agreement with @stdlib (a dev dependency) where that is accurate.
import { describe, expect, test } from "vitest";
import stdlibCdf from "@stdlib/stats-base-dists-normal-cdf";
import stdlibQuantile from "@stdlib/stats-base-dists-normal-quantile";
import { logUpperTail, normalCdf, normalQuantile, zFromLogP } from "../src/core/normal.js";

const EPS = 2 ** -52;
/** |a − b| ≤ tol·|b|, with the relative error in the message. */
function close(a: number, b: number, tol: number, what = "") {
  const rel = Math.abs(a - b) / Math.abs(b);
  expect(rel, `${what} ${a} vs ${b}`).toBeLessThanOrEqual(tol);
}

describe("Φ", () => {
  test("known values", () => {
    expect(normalCdf(0)).toBe(0.5);
    close(normalCdf(1), 0.8413447460685429, 2 * EPS);
    close(normalCdf(-1), 0.15865525393145705, 2 * EPS);
    close(normalCdf(-8), 6.22096057427178e-16, 1e-14);
    close(normalCdf(-20), 2.7536241186062337e-89, 1e-14);
    close(normalCdf(-37), 5.725571222524e-300, 1e-12); // erfc(37/√2)/2
    close(normalCdf(1.6448536269514722), 0.95, 2 * EPS);
    expect(normalCdf(-40)).toBe(0);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(9)).toBe(1);
    expect(normalCdf(NaN)).toBeNaN();
  });

  test("symmetry: Φ(x) + Φ(−x) = 1, and the lower tail is never 1 minus a rounded value", () => {
    for (let x = 0; x <= 8; x += 0.01) close(normalCdf(x) + normalCdf(-x), 1, 2 * EPS, `x=${x}`);
    // Φ(−x) from the tail itself: the same as 1 − Φ(x) to the latter's rounding (ε/2 of 1)
    for (let x = 0.7; x <= 7; x += 0.1) close(normalCdf(-x), 1 - normalCdf(x), EPS / normalCdf(-x), `x=${x}`);
  });

  test("monotone; equal to @stdlib's to 1e-13 over [−10, 8.3] and to 1e-11 down to −37 (where it degrades)", () => {
    let last = 0;
    for (let x = -38; x <= 8.3; x += 0.00731) {
      const p = normalCdf(x);
      expect(p).toBeGreaterThanOrEqual(last);
      last = p;
      if (x >= -10) close(p, stdlibCdf(x, 0, 1), 1e-13, `x=${x}`);
      else if (x >= -37) close(p, stdlibCdf(x, 0, 1), 1e-11, `x=${x}`);
    }
  });

  test("ln Q(z) stays finite and continuous across its switch at z = 5", () => {
    close(logUpperTail(4.999999), Math.log(normalCdf(-4.999999)), 1e-15);
    close(logUpperTail(5), Math.log(normalCdf(-5)), 1e-13);
    close(logUpperTail(30), Math.log(normalCdf(-30)), 1e-13);
    close(zFromLogP(Math.log(normalCdf(-7))), 7, 1e-13);
  });
});

describe("Φ⁻¹", () => {
  test("known values", () => {
    expect(normalQuantile(0.5)).toBe(0);
    close(normalQuantile(0.95), 1.6448536269514722, 4 * EPS);
    close(normalQuantile(0.975), 1.959963984540054, 4 * EPS);
    close(normalQuantile(0.8413447460685429), 1, 4 * EPS);
    close(normalQuantile(1e-10), -6.361340902404056, 4 * EPS);
    // the far tail against ln Q's continued fraction, an independent computation
    close(normalQuantile(1e-300), -zFromLogP(Math.log(1e-300)), 1e-14);
    close(normalQuantile(1e-100), -zFromLogP(Math.log(1e-100)), 1e-14);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    for (const p of [-0.1, 1.1, NaN]) expect(normalQuantile(p)).toBeNaN();
  });

  test("symmetry: Φ⁻¹(1 − p) = −Φ⁻¹(p) where 1 − p is exact", () => {
    for (let j = 2; j <= 52; j++) {
      const p = 3 * 2 ** -(j + 1);
      const q = 1 - p; // exact for these p
      close(normalQuantile(q), -normalQuantile(p), 1e-15, `p=${p}`);
    }
  });

  test("round trips over p ∈ [1e-300, 1 − 1e-16] to the conditioning of Φ", () => {
    // Φ(z) changes by a relative |z|·δz when z does, so even the z nearest the exact quantile
    // (|δz| ≤ ε|z|/2) gives back p only to about z²·ε/2: 1e-14 for |z| ≤ 2.6, 1.5e-13 at p = 1e-300.
    let worst = 0;
    for (let k = -300; k <= -15.96; k += 0.0131) {
      for (const p of [10 ** k, 1 - 10 ** k]) {
        if (p === 1) continue;
        const z = normalQuantile(p);
        const tail = p < 0.5 ? p : 1 - p;
        const back = p < 0.5 ? normalCdf(z) : normalCdf(-z);
        const rel = Math.abs(back - tail) / tail;
        worst = Math.max(worst, rel / (1 + z * z));
        if (Math.abs(z) <= 2.6) expect(rel, `p=${p}`).toBeLessThanOrEqual(1e-14);
        expect(rel, `p=${p}`).toBeLessThanOrEqual(EPS * (1 + z * z));
      }
    }
    for (let p = 1e-16; p < 1; p += 0.000731) {
      const back = normalCdf(normalQuantile(p));
      expect(Math.abs(back - p) / Math.min(p, 1 - p), `p=${p}`).toBeLessThanOrEqual(1e-14);
    }
    console.log(`round trip: worst |Φ(Φ⁻¹(p)) − p|/p over (1 + z²)ε: ${(worst / EPS).toFixed(3)}`);
    expect(worst).toBeLessThan(0.75 * EPS); // 0.49 ε: z is within its own rounding of the exact quantile
  });

  test("Φ⁻¹(Φ(z)) = z to 1e-14 relative over z ∈ [−37.5, −0.1] (and so over [0.1, 37.5] by symmetry)", () => {
    for (let z = -37.5; z <= -0.1; z += 0.0173) close(normalQuantile(normalCdf(z)), z, 1e-14, `z=${z}`);
  });

  test("equal to @stdlib's to 1e-14 for p ∈ [1e-3, 1 − 1e-3], where that one is accurate", () => {
    // @stdlib's quantile takes erfinv(2p − 1), which loses the digits of small p (1e-8 relative at 1e-10)
    for (let p = 1e-3; p < 1 - 1e-3; p += 0.000137) close(normalQuantile(p), stdlibQuantile(p, 0, 1), 1e-14, `p=${p}`);
  });
});
