// Native C reference for bench/native.js (issue 14, item 5): the extended NLL of bumpscan's per-shape models,
//   NLL = Σ_c ν_c − Σ_i ln(Σ_c ν_c f_c(m_i)),
// cached components (the signal at a fixed mass) as normalised per-event buffers, the background computed
// per event and normalised per call (closed form; expPoly: the same 128-node Gauss–Legendre as bumpscan).
// NLL+gradient: analytic, in the same loop. Usage: nll <case.bin>; prints one JSON line.
// case.bin (f64): header[16] = kind, n, nParams, k (the parameter moved each call), runs, lo, hi, consts[4],
// then the parameter values, the events m[n], and the cached buffers f1[n] (f2[n]).
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { EXPPOLY2, EXPONENTIAL, CHEBYSHEV2, POLYNOMIAL2, ARGUS, GAUSS_EXP, CACHED2, CHEBYSHEV2_3 };
typedef struct {
  long n;
  double lo, hi, c[4]; // c: xlo, xhi (polynomial families); m0, p (ARGUS)
  const double *m, *f1, *f2;
} Data;

// ---- normalisations (per call, O(1) in the events) ----

#define GL_N 128
static double glx[GL_N], glw[GL_N]; // nodes and weights on [-1, 1], as assembly/quadrature.ts

static void glInit(void) {
  for (int i = 0; i < (GL_N + 1) / 2; i++) {
    double z = cos(M_PI * (i + 0.75) / (GL_N + 0.5)), dp = 0;
    for (int it = 0; it < 100; it++) {
      double p0 = 1, p1 = z;
      for (int k = 2; k <= GL_N; k++) {
        double p2 = ((2.0 * k - 1) * z * p1 - (k - 1.0) * p0) / k;
        p0 = p1, p1 = p2;
      }
      dp = GL_N * (z * p1 - p0) / (z * z - 1);
      double dz = p1 / dp;
      z -= dz;
      if (fabs(dz) < 1e-16) break;
    }
    glx[i] = -z, glx[GL_N - 1 - i] = z;
    glw[i] = glw[GL_N - 1 - i] = 2 / ((1 - z * z) * dp * dp);
  }
}

static inline double mapX(const Data *d, double m) { return 2.0 * (m - d->c[0]) / (d->c[1] - d->c[0]) - 1.0; }

// ∫ x^k exp(c1 x + c2 x²) dm over [lo, hi], k = 0, 1, 2 (the norm and its c1, c2 derivatives)
static void expPolyMoments(const Data *d, double c1, double c2, double mom[3]) {
  mom[0] = mom[1] = mom[2] = 0;
  double mid = 0.5 * (d->hi + d->lo), half = 0.5 * (d->hi - d->lo);
  for (int i = 0; i < GL_N; i++) {
    double x = mapX(d, mid + half * glx[i]), g = half * glw[i] * exp((c2 * x + c1) * x);
    mom[0] += g, mom[1] += x * g, mom[2] += x * x * g;
  }
}

// ∫ T_k over [lo, hi] (k = 0, 1, 2) in m, and ∫ x^k likewise
static void chebIntegrals(const Data *d, double out[3]) {
  double half = 0.5 * (d->c[1] - d->c[0]), a = mapX(d, d->lo), b = mapX(d, d->hi);
  out[0] = half * (b - a);
  out[1] = half * 0.5 * (b * b - a * a);
  double Ta = 0.5 * ((4 * a * a * a - 3 * a) / 3 - a), Tb = 0.5 * ((4 * b * b * b - 3 * b) / 3 - b);
  out[2] = half * (Tb - Ta);
}
static void polyIntegrals(const Data *d, double out[3]) {
  double half = 0.5 * (d->c[1] - d->c[0]), a = mapX(d, d->lo), b = mapX(d, d->hi);
  for (int k = 0; k < 3; k++) out[k] = half * (pow(b, k + 1) - pow(a, k + 1)) / (k + 1);
}

// ARGUS: F(Z) = ∫₀^Z z^p e^{cz} dz (positive series) and the upper tail (continued fraction), as argus.ts
static double argusF(double Z, double c, double p) {
  if (Z <= 0) return 0;
  double q = p + 1, y = c * Z, term, sum;
  if (c <= 0) {
    term = sum = 1 / q;
    for (int j = 1; j < 2000; j++) {
      term *= -y / (q + j);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    return pow(Z, q) * exp(y) * sum;
  }
  double fact = 1;
  sum = 1 / q;
  for (int j = 1; j < 2000; j++) {
    fact *= y / j;
    term = fact / (q + j);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return pow(Z, q) * sum;
}
static double argusTail(double Z, double c, double p) {
  double q = p + 1, y = -c * Z, tiny = 1e-300, b = y + 1 - q, C = 1 / tiny, D = 1 / b, h = D;
  for (int i = 1; i < 1000; i++) {
    double an = -i * (i - q);
    b += 2;
    D = an * D + b;
    if (fabs(D) < tiny) D = tiny;
    C = b + an / C;
    if (fabs(C) < tiny) C = tiny;
    D = 1 / D;
    double del = D * C;
    h *= del;
    if (fabs(del - 1) < 1e-16) break;
  }
  return exp(-y + q * log(y) - q * log(-c)) * h;
}
// ∫ m u^p e^{cu} dm over [lo, hi]; with p + 1 it is the c-derivative (∂/∂c brings down u)
static double argusIntegral(const Data *d, double c, double p) {
  double m0 = d->c[2], l = fmax(d->lo, 0), h = fmin(d->hi, m0);
  if (h <= l) return 0;
  double ul = 1 - (l / m0) * (l / m0), uh = 1 - (h / m0) * (h / m0);
  int tail = c < 0 && -c * uh > p + 1;
  return 0.5 * m0 * m0 * (tail ? argusTail(uh, c, p) - argusTail(ul, c, p) : argusF(ul, c, p) - argusF(uh, c, p));
}

static double expIntegral(const Data *d, double l) { return exp(l * d->lo) * expm1(l * (d->hi - d->lo)) / l; }

// ---- per-event loops: one function per model, NLL alone (g == NULL) or with the gradient ----

// gradient of a background ν_b·g/I w.r.t. ν_s, ν_b and its K shape parameters (v[2..]), from the loop's sums
// Sf = Σ f1/D, Sg = Σ g/D, S[k] = Σ ∂_k g/D
static void bkgGradient(double *g, const double *v, double I, double Sf, double Sg, int K, const double *S,
                        const double *dI) {
  g[0] = 1 - Sf;
  g[1] = 1 - Sg / I;
  for (int k = 0; k < K; k++) g[2 + k] = -v[1] / I * S[k] + v[1] * dI[k] / (I * I) * Sg;
}

static double nllExpPoly2(const Data *d, const double *v, double *g) {
  const double *m = d->m, *f = d->f1, ns = v[0], nb = v[1], c1 = v[2], c2 = v[3];
  const double a = 2.0 / (d->c[1] - d->c[0]), b = -1.0 - a * d->c[0];
  double mom[3], L = 0;
  expPolyMoments(d, c1, c2, mom);
  const double nbI = nb / mom[0];
  long n = d->n;
  if (!g) {
    for (long i = 0; i < n; i++) {
      double x = a * m[i] + b;
      L += log(ns * f[i] + nbI * exp((c2 * x + c1) * x));
    }
    return ns + nb - L;
  }
  double Sf = 0, Sg = 0, S1 = 0, S2 = 0;
  for (long i = 0; i < n; i++) {
    double x = a * m[i] + b, e = exp((c2 * x + c1) * x), D = ns * f[i] + nbI * e, r = 1 / D;
    L += log(D), Sf += f[i] * r, Sg += e * r, S1 += x * e * r, S2 += x * x * e * r;
  }
  double S[2] = {S1, S2};
  bkgGradient(g, v, mom[0], Sf, Sg, 2, S, mom + 1);
  return ns + nb - L;
}

static double nllExponential(const Data *d, const double *v, double *g) {
  const double *m = d->m, *f = d->f1, ns = v[0], nb = v[1], l = v[2];
  const double I = expIntegral(d, l), nbI = nb / I;
  double L = 0;
  long n = d->n;
  if (!g) {
    for (long i = 0; i < n; i++) L += log(ns * f[i] + nbI * exp(l * m[i]));
    return ns + nb - L;
  }
  double Sf = 0, Sg = 0, S1 = 0;
  for (long i = 0; i < n; i++) {
    double e = exp(l * m[i]), D = ns * f[i] + nbI * e, r = 1 / D;
    L += log(D), Sf += f[i] * r, Sg += e * r, S1 += m[i] * e * r;
  }
  // ∂I/∂λ = (hi e^{λ hi} − lo e^{λ lo})/λ − I/λ
  double dI = (d->hi * exp(l * d->hi) - d->lo * exp(l * d->lo)) / l - I / l;
  bkgGradient(g, v, I, Sf, Sg, 1, &S1, &dI);
  return ns + nb - L;
}

// chebyshev 1 + a1 T1 + a2 T2 (poly = 0) or polynomial 1 + a1 x + a2 x² (poly = 1), linear in a1, a2
static inline double nllLinear2(const Data *d, const double *v, double *g, int poly) {
  const double *m = d->m, *f = d->f1, ns = v[0], nb = v[1], a1 = v[2], a2 = v[3];
  const double a = 2.0 / (d->c[1] - d->c[0]), b = -1.0 - a * d->c[0];
  double J[3], L = 0;
  if (poly) polyIntegrals(d, J);
  else chebIntegrals(d, J);
  const double I = J[0] + a1 * J[1] + a2 * J[2], nbI = nb / I, s = poly ? 1 : 2, t = poly ? 0 : 1;
  long n = d->n;
  if (!g) {
    for (long i = 0; i < n; i++) {
      double x = a * m[i] + b;
      L += log(ns * f[i] + nbI * (1 + a1 * x + a2 * (s * x * x - t)));
    }
    return ns + nb - L;
  }
  double Sf = 0, Sg = 0, S1 = 0, S2 = 0;
  for (long i = 0; i < n; i++) {
    double x = a * m[i] + b, B2 = s * x * x - t, e = 1 + a1 * x + a2 * B2, D = ns * f[i] + nbI * e, r = 1 / D;
    L += log(D), Sf += f[i] * r, Sg += e * r, S1 += x * r, S2 += B2 * r;
  }
  double S[2] = {S1, S2};
  bkgGradient(g, v, I, Sf, Sg, 2, S, J + 1);
  return ns + nb - L;
}
static double nllChebyshev2(const Data *d, const double *v, double *g) { return nllLinear2(d, v, g, 0); }
static double nllPolynomial2(const Data *d, const double *v, double *g) { return nllLinear2(d, v, g, 1); }

// ARGUS m u^p e^{cu}, u = 1 − (m/m0)², 0 for m ≥ m0; c free (m0, p fixed): u^p e^{cu} = e^{p ln u + cu}
static double nllArgus(const Data *d, const double *v, double *g) {
  const double *m = d->m, *f = d->f1, ns = v[0], nb = v[1], c = v[2], m0 = d->c[2], p = d->c[3];
  const double I = argusIntegral(d, c, p), nbI = nb / I, k = 1 / (m0 * m0);
  double L = 0;
  long n = d->n;
  if (!g) {
    for (long i = 0; i < n; i++) {
      double u = 1 - m[i] * m[i] * k, e = m[i] < m0 ? m[i] * exp(p * log(u) + c * u) : 0;
      L += log(ns * f[i] + nbI * e);
    }
    return ns + nb - L;
  }
  double Sf = 0, Sg = 0, S1 = 0;
  for (long i = 0; i < n; i++) {
    double u = 1 - m[i] * m[i] * k, e = m[i] < m0 ? m[i] * exp(p * log(u) + c * u) : 0;
    double D = ns * f[i] + nbI * e, r = 1 / D;
    L += log(D), Sf += f[i] * r, Sg += e * r, S1 += u * e * r;
  }
  double dI = argusIntegral(d, c, p + 1);
  bkgGradient(g, v, I, Sf, Sg, 1, &S1, &dI);
  return ns + nb - L;
}

// Gaussian (mean, σ free, computed per event) + exponential (λ): v = nsig, nbkg, mean, sigma, lambda
static double nllGaussExp(const Data *d, const double *v, double *g) {
  const double *m = d->m, ns = v[0], nb = v[1], mu = v[2], sg = v[3], l = v[4];
  const double tl = (d->lo - mu) / sg, th = (d->hi - mu) / sg;
  const double Is = sg * sqrt(M_PI / 2) * (erf(th * M_SQRT1_2) - erf(tl * M_SQRT1_2)), Ib = expIntegral(d, l);
  const double nsI = ns / Is, nbI = nb / Ib, is = 1 / sg;
  double L = 0;
  long n = d->n;
  if (!g) {
    for (long i = 0; i < n; i++) {
      double t = (m[i] - mu) * is;
      L += log(nsI * exp(-0.5 * t * t) + nbI * exp(l * m[i]));
    }
    return ns + nb - L;
  }
  double Ss = 0, St = 0, Stt = 0, Sb = 0, Sm = 0;
  for (long i = 0; i < n; i++) {
    double t = (m[i] - mu) * is, s = exp(-0.5 * t * t), e = exp(l * m[i]), D = nsI * s + nbI * e, r = 1 / D;
    L += log(D), Ss += s * r, St += s * t * r, Stt += s * t * t * r, Sb += e * r, Sm += m[i] * e * r;
  }
  double gl = exp(-0.5 * tl * tl), gh = exp(-0.5 * th * th);
  double dImu = gl - gh, dIsg = Is / sg - (th * gh - tl * gl);
  double dIb = (d->hi * exp(l * d->hi) - d->lo * exp(l * d->lo)) / l - Ib / l;
  g[0] = 1 - Ss / Is;
  g[1] = 1 - Sb / Ib;
  g[2] = -nsI * St * is + ns * dImu / (Is * Is) * Ss;
  g[3] = -nsI * Stt * is + ns * dIsg / (Is * Is) * Ss;
  g[4] = -nbI * Sm + nb * dIb / (Ib * Ib) * Sb;
  return ns + nb - L;
}

// two cached components (signal + template background): v = nsig, nbkg
static double nllCached2(const Data *d, const double *v, double *g) {
  const double *f = d->f1, *h = d->f2, ns = v[0], nb = v[1];
  double L = 0;
  long n = d->n;
  if (!g) {
    for (long i = 0; i < n; i++) L += log(ns * f[i] + nb * h[i]);
    return ns + nb - L;
  }
  double Sf = 0, Sh = 0;
  for (long i = 0; i < n; i++) {
    double D = ns * f[i] + nb * h[i], r = 1 / D;
    L += log(D), Sf += f[i] * r, Sh += h[i] * r;
  }
  g[0] = 1 - Sf, g[1] = 1 - Sh;
  return ns + nb - L;
}

// CB (cached) + Gaussian (cached) + chebyshev2: v = nsig, nbkg, b1, b2, ngaus
static double nllChebyshev2x3(const Data *d, const double *v, double *g) {
  const double *m = d->m, *f = d->f1, *h = d->f2, ns = v[0], nb = v[1], a1 = v[2], a2 = v[3], ng = v[4];
  const double a = 2.0 / (d->c[1] - d->c[0]), b = -1.0 - a * d->c[0];
  double J[3], L = 0;
  chebIntegrals(d, J);
  const double I = J[0] + a1 * J[1] + a2 * J[2], nbI = nb / I;
  long n = d->n;
  if (!g) {
    for (long i = 0; i < n; i++) {
      double x = a * m[i] + b;
      L += log(ns * f[i] + ng * h[i] + nbI * (1 + a1 * x + a2 * (2 * x * x - 1)));
    }
    return ns + nb + ng - L;
  }
  double Sf = 0, Sh = 0, Sg = 0, S1 = 0, S2 = 0;
  for (long i = 0; i < n; i++) {
    double x = a * m[i] + b, B2 = 2 * x * x - 1, e = 1 + a1 * x + a2 * B2;
    double D = ns * f[i] + ng * h[i] + nbI * e, r = 1 / D;
    L += log(D), Sf += f[i] * r, Sh += h[i] * r, Sg += e * r, S1 += x * r, S2 += B2 * r;
  }
  double S[2] = {S1, S2};
  bkgGradient(g, v, I, Sf, Sg, 2, S, J + 1);
  g[4] = 1 - Sh;
  return ns + nb + ng - L;
}

typedef double (*Nll)(const Data *, const double *, double *);
static const Nll NLL[] = {nllExpPoly2,  nllExponential, nllChebyshev2, nllPolynomial2,
                          nllArgus,     nllGaussExp,    nllCached2,    nllChebyshev2x3};

// ---- timing, as bench/models.js perEvent: parameter k moved every call, 5 warm-up calls, median of runs ----

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}
static int cmp(const void *a, const void *b) { return (*(double *)a > *(double *)b) - (*(double *)a < *(double *)b); }

static double sink;
static double timeNs(Nll fn, const Data *d, const double *v, int np, int k, int runs, int grad) {
  double w[16], gr[16], ts[256];
  int tick = 0;
  for (int j = 0; j < np; j++) w[j] = v[j];
#define CALL() (w[k] = v[k] * (1 + 1e-9 * (tick++ % 1000)), sink += fn(d, w, grad ? gr : NULL))
  for (int i = 0; i < 5; i++) CALL();
  for (int r = 0; r < runs; r++) {
    double t0 = now();
    for (int i = 0; i < 5; i++) CALL();
    ts[r] = (now() - t0) / 5;
  }
  qsort(ts, runs, sizeof *ts, cmp);
  return ts[runs / 2] * 1e9 / d->n;
}

int main(int argc, char **argv) {
  if (argc < 2) return fprintf(stderr, "usage: nll case.bin\n"), 2;
  FILE *fp = fopen(argv[1], "rb");
  if (!fp) return perror(argv[1]), 1;
  double h[16];
  if (fread(h, sizeof(double), 16, fp) != 16) return fprintf(stderr, "short header\n"), 1;
  int kind = (int)h[0], np = (int)h[2], k = (int)h[3], runs = (int)h[4];
  long n = (long)h[1];
  int nbuf = kind == CACHED2 || kind == CHEBYSHEV2_3 ? 2 : kind == GAUSS_EXP ? 0 : 1;
  if (np > 16 || runs > 256 || runs < 1) return fprintf(stderr, "bad header\n"), 1;
  double v[16], *buf = malloc((size_t)n * (1 + nbuf) * sizeof(double));
  size_t words = (size_t)n * (1 + nbuf);
  if (fread(v, sizeof(double), np, fp) != (size_t)np || fread(buf, sizeof(double), words, fp) != words)
    return fprintf(stderr, "short file\n"), 1;
  fclose(fp);
  Data d = {n, h[5], h[6], {h[7], h[8], h[9], h[10]}, buf, buf + n, buf + 2 * n};
  glInit();
  double g[16];
  Nll fn = NLL[kind];
  double nll = fn(&d, v, NULL), nllG = fn(&d, v, g);
  double tNll = timeNs(fn, &d, v, np, k, runs, 0), tGrad = timeNs(fn, &d, v, np, k, runs, 1);
  printf("{\"nll\":%.17g,\"nllOfGrad\":%.17g,\"grad\":[", nll, nllG);
  for (int j = 0; j < np; j++) printf("%s%.17g", j ? "," : "", g[j]);
  printf("],\"nllNs\":%.4f,\"gradNs\":%.4f}\n", tNll, tGrad);
  return sink == 12345.678; // keeps the timed calls
}
