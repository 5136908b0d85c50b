// Special functions the PDFs' closed-form integrals need: erf and erfc (fdlibm's rational
// approximations, the algorithm of FreeBSD/musl s_erf.c, < 1 ulp), and a stable erf difference.

const erx: f64 = 8.45062911510467529297e-01;
const efx: f64 = 1.28379167095512586316e-01;
const pp0: f64 = 1.28379167095512558561e-01;
const pp1: f64 = -3.25042107247001499370e-01;
const pp2: f64 = -2.84817495755985104766e-02;
const pp3: f64 = -5.77027029648944159157e-03;
const pp4: f64 = -2.37630166566501626084e-05;
const qq1: f64 = 3.97917223959155352819e-01;
const qq2: f64 = 6.50222499887672944485e-02;
const qq3: f64 = 5.08130628187576562776e-03;
const qq4: f64 = 1.32494738004321644526e-04;
const qq5: f64 = -3.96022827877536812320e-06;
const pa0: f64 = -2.36211856075265944077e-03;
const pa1: f64 = 4.14856118683748331666e-01;
const pa2: f64 = -3.72207876035701323847e-01;
const pa3: f64 = 3.18346619901161753674e-01;
const pa4: f64 = -1.10894694282396677476e-01;
const pa5: f64 = 3.54783043256182359371e-02;
const pa6: f64 = -2.16637559486879084300e-03;
const qa1: f64 = 1.06420880400844228286e-01;
const qa2: f64 = 5.40397917702171048937e-01;
const qa3: f64 = 7.18286544141962662868e-02;
const qa4: f64 = 1.26171219808761642112e-01;
const qa5: f64 = 1.36370839120290507362e-02;
const qa6: f64 = 1.19844998467991074170e-02;
const ra0: f64 = -9.86494403484714822705e-03;
const ra1: f64 = -6.93858572707181764372e-01;
const ra2: f64 = -1.05586262253232909814e+01;
const ra3: f64 = -6.23753324503260060396e+01;
const ra4: f64 = -1.62396669462573470355e+02;
const ra5: f64 = -1.84605092906711035994e+02;
const ra6: f64 = -8.12874355063065934246e+01;
const ra7: f64 = -9.81432934416914548592e+00;
const sa1: f64 = 1.96512716674392571292e+01;
const sa2: f64 = 1.37657754143519042600e+02;
const sa3: f64 = 4.34565877475229228821e+02;
const sa4: f64 = 6.45387271733267880336e+02;
const sa5: f64 = 4.29008140027567833386e+02;
const sa6: f64 = 1.08635005541779435134e+02;
const sa7: f64 = 6.57024977031928170135e+00;
const sa8: f64 = -6.04244152148580987438e-02;
const rb0: f64 = -9.86494292470009928597e-03;
const rb1: f64 = -7.99283237680523006574e-01;
const rb2: f64 = -1.77579549177547519889e+01;
const rb3: f64 = -1.60636384855821916062e+02;
const rb4: f64 = -6.37566443368389627722e+02;
const rb5: f64 = -1.02509513161107724954e+03;
const rb6: f64 = -4.83519191608651397019e+02;
const sb1: f64 = 3.03380607434824582924e+01;
const sb2: f64 = 3.25792512996573918826e+02;
const sb3: f64 = 1.53672958608443695994e+03;
const sb4: f64 = 3.19985821950859553908e+03;
const sb5: f64 = 2.55305040643316442583e+03;
const sb6: f64 = 4.74528541206955367215e+02;
const sb7: f64 = -2.24409524465858183362e+01;

/** erf(a)/a − 1 for 0 ≤ a < 0.84375, as the rational function of a² */
@inline function smallRatio(a: f64): f64 {
  const z = a * a;
  const p = pp0 + z * (pp1 + z * (pp2 + z * (pp3 + z * pp4)));
  const q = 1.0 + z * (qq1 + z * (qq2 + z * (qq3 + z * (qq4 + z * qq5))));
  return p / q;
}

/** erf(a) − erx for 0.84375 ≤ a < 1.25, rational in a − 1 */
@inline function midRatio(a: f64): f64 {
  const s = a - 1.0;
  const p = pa0 + s * (pa1 + s * (pa2 + s * (pa3 + s * (pa4 + s * (pa5 + s * pa6)))));
  const q = 1.0 + s * (qa1 + s * (qa2 + s * (qa3 + s * (qa4 + s * (qa5 + s * qa6)))));
  return p / q;
}

/** erfc(x) for x ≥ 1.25: exp(−x² − 0.5625 + R/S)/x, with x² split for accuracy. */
function erfcTail(x: f64): f64 {
  const s = 1.0 / (x * x);
  let R: f64, S: f64;
  if (x < 1.0 / 0.35) {
    R = ra0 + s * (ra1 + s * (ra2 + s * (ra3 + s * (ra4 + s * (ra5 + s * (ra6 + s * ra7))))));
    S = 1.0 + s * (sa1 + s * (sa2 + s * (sa3 + s * (sa4 + s * (sa5 + s * (sa6 + s * (sa7 + s * sa8)))))));
  } else {
    R = rb0 + s * (rb1 + s * (rb2 + s * (rb3 + s * (rb4 + s * (rb5 + s * rb6)))));
    S = 1.0 + s * (sb1 + s * (sb2 + s * (sb3 + s * (sb4 + s * (sb5 + s * (sb6 + s * sb7))))));
  }
  const z = reinterpret<f64>(reinterpret<u64>(x) & 0xffffffff00000000);
  return Math.exp(-z * z - 0.5625) * Math.exp((z - x) * (z + x) + R / S) / x;
}

/** The error function. */
export function erf(x: f64): f64 {
  if (isNaN(x)) return x;
  const a = Math.abs(x);
  let r: f64;
  if (a < 0.84375) r = a < 3.725290298461914e-9 ? a + efx * a : a + a * smallRatio(a);
  else if (a < 1.25) r = erx + midRatio(a);
  else if (a < 6.0) r = 1.0 - erfcTail(a);
  else r = 1.0;
  return x < 0 ? -r : r;
}

/** The complementary error function 1 − erf(x), accurate far into the upper tail. */
export function erfc(x: f64): f64 {
  if (isNaN(x)) return x;
  const a = Math.abs(x);
  let r: f64;
  if (a < 0.84375) {
    const y = smallRatio(a);
    return x < 0 ? 1.0 + (a + a * y) : (a < 0.25 ? 1.0 - (a + a * y) : 0.5 - (a * y + (a - 0.5)));
  }
  if (a < 1.25) r = 1.0 - erx - midRatio(a);
  else if (a < 28.0) r = erfcTail(a);
  else r = 0.0;
  return x < 0 ? 2.0 - r : r;
}

/** erf(b) − erf(a) without cancellation when both lie in the same far tail. */
export function erfDiff(a: f64, b: f64): f64 {
  if (a >= 0) return erfc(a) - erfc(b);
  if (b <= 0) return erfc(-b) - erfc(-a);
  return erf(b) - erf(a);
}
