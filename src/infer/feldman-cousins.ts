/**
 * Feldman–Cousins intervals (G. J. Feldman, R. D. Cousins, *Unified approach to the classical
 * statistical analysis of small signals*, Phys. Rev. D 57 (1998) 3873): the Neyman construction
 * with likelihood-ratio ordering. At each POI value μ the acceptance region holds the outcomes
 * with the smallest t_μ = 2(NLL(μ) − NLL(μ_best)), μ_best = max(0, μ̂) (the ratio L(μ)/L(μ_best) of
 * FC's ordering, nuisances profiled), until it holds CL of the probability; the interval is every
 * μ whose acceptance region holds the data. It is two-sided, or an upper limit when it reaches 0,
 * decided by the construction rather than by the data.
 *
 * Two constructions:
 * - a counting model (one sample, every component uniform, no free parameter but the POI, no
 *   constraint: n ~ Poisson(a·μ + b)) is constructed exactly over n (`poissonInterval`);
 * - any other model by toys (`FeldmanCousinsToys`): μ is accepted while fewer than CL of the toys
 *   generated at (μ, θ̂̂(μ)) and fitted inside WASM rank before the data, on a lattice of POI values.
 */
import { normalCdf, normalQuantile } from "../core/normal.js";
import type { CompiledModel } from "../core/compile.js";
import { BumpscanError } from "../errors.js";
import type { Model } from "../model/model.js";
import { countingModel } from "../model/counting.js";
import { TOY_HYPOTHESIS_B, TOY_HYPOTHESIS_SB } from "../core/abi.js";
import { BANDS, type LimitResult } from "./limits.js";
import { ProfileCache } from "./profile.js";
import { ToyCalculator, type ToyOptions } from "./toys.js";

// ---------------------------------------------------------------------------------------------
// The exact construction over n for a Poisson count with known background b.

const LOG_FACTORIALS: number[] = [0];
for (let n = 1; n < 1024; n++) LOG_FACTORIALS.push(LOG_FACTORIALS[n - 1] + Math.log(n));

/** ln n! (a table below 1024, Stirling's series above: relative error < 1e-16). */
function logFactorial(n: number): number {
  if (n < 1024) return LOG_FACTORIALS[n];
  const x = n + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3);
}

/** Poisson probability of n at mean lambda. */
function poisson(n: number, lambda: number): number {
  if (lambda === 0) return n === 0 ? 1 : 0;
  return Math.exp(n * Math.log(lambda) - lambda - logFactorial(n));
}

/** x ln y with 0 ln 0 = 0. */
const xLogY = (x: number, y: number) => (x === 0 ? 0 : x * Math.log(y));

/**
 * ln R(n) = ln P(n | s + b) − ln P(n | μ_best + b), μ_best = max(0, n − b): FC's ordering
 * (the factorials cancel).
 */
function logRatio(n: number, lambda: number, b: number): number {
  const best = Math.max(n, b);
  if (lambda === 0) return n === 0 ? 0 : -Infinity;
  return n * Math.log(lambda) - lambda - xLogY(n, best) + best;
}

/**
 * Where outcome k starts (k > n0) or stops (k < n0) ranking above n0 as λ = s + b grows: R(k)/R(n0)
 * is λ^(k−n0) times a constant, so the two tie at one λ, in closed form.
 */
function tieAt(k: number, n0: number, b: number): number {
  const mk = Math.max(k, b),
    m0 = Math.max(n0, b);
  return Math.exp((xLogY(k, mk) - mk - xLogY(n0, m0) + m0) / (k - n0));
}

/** Bisection of a function continuous on [a, c] with f(a) < 0 ≤ f(c) (or the reverse) to machine precision. */
function bisect(f: (x: number) => number, a: number, c: number): number {
  const below = f(a) < 0;
  for (let i = 0; i < 200 && c - a > 4 * Number.EPSILON * Math.abs(c); i++) {
    const m = 0.5 * (a + c);
    if (f(m) < 0 === below) a = m;
    else c = m;
  }
  return below ? a : c;
}

/** Σ P(n | λ) over n = from … to (by the recurrence P(n + 1) = P(n)·λ/(n + 1) where P(from) is not tiny). */
function mass(from: number, to: number, lambda: number): number {
  let p = poisson(from, lambda),
    s = 0;
  if (p < 1e-250) {
    for (let n = from; n <= to; n++) s += poisson(n, lambda);
    return s;
  }
  for (let n = from; n <= to; n++) (s += p), (p *= lambda / (n + 1));
  return s;
}

/**
 * The upper end of the belt's interval for n0 at background b: the largest s whose acceptance
 * region reaches down to n0 or below (the belt pushed outward where it is not monotonic, as FC do).
 * Above the peak of R, n0 is accepted while the outcomes ranked above it, (n0, m(λ)], hold less
 * than cl; m(λ) steps up where an outcome's R overtakes R(n0) (`tieAt`), and between the steps
 * their probability rises then falls with λ, so the last λ with room for n0 is found exactly,
 * segment by segment from the top.
 */
function beltUpper(n0: number, b: number, cl: number): number {
  const z = normalQuantile(1 - (1 - cl) / 10);
  let top = Math.max(n0 + 1 + z * Math.sqrt(n0 + 1) + z * z, b + 1);
  const r0 = (lambda: number) => logRatio(n0, lambda, b);
  const above = (m: number, lambda: number) => m === n0 || logRatio(m, lambda, b) > r0(lambda);
  const competitors = (lambda: number, from = n0) => {
    let m = from;
    while (logRatio(m + 1, lambda, b) > r0(lambda)) m++;
    return m;
  };
  const excess = (lambda: number, m: number) => mass(n0 + 1, m, lambda) - cl;
  while (excess(top, competitors(top)) < 0) top *= 1.5;
  const edges = [b];
  for (let k = n0 + 1; ; k++) {
    const t = tieAt(k, n0, b);
    if (t >= top) break;
    if (t > b) edges.push(t);
  }
  edges.push(top);
  edges.sort((x, y) => x - y);
  let m = Infinity;
  for (let j = edges.length - 2; j >= 0; j--) {
    const [a, c] = [edges[j], edges[j + 1]];
    if (!(c > a)) continue;
    // each edge below lets one outcome fewer rank above n0: m − 1, checked, else counted afresh
    const mid = 0.5 * (a + c);
    m = m - 1 >= n0 && above(m - 1, mid) && !above(m, mid) ? m - 1 : competitors(mid);
    const f = (lambda: number) => excess(lambda, m);
    if (f(c) < 0) return c - b;
    // the mass of (n0, m] rises up to λ* = (m!/n0!)^(1/(m−n0)) and falls after it
    const peak = Math.exp((logFactorial(m) - logFactorial(n0)) / (m - n0));
    const rise = Math.min(peak, c);
    if (rise > a && f(a) < 0) return bisect(f, a, rise) - b;
  }
  return 0;
}

/**
 * The lower end of the belt's interval for n0 at background b: the smallest s whose acceptance
 * region reaches up to n0 (mirror of `beltUpper`: the outcomes ranked above n0 are [m(λ), n0),
 * m steps up as outcomes below n0 fall behind it).
 */
function beltLower(n0: number, b: number, cl: number): number {
  if (n0 === 0) return 0;
  const competitors = (lambda: number) => {
    let m = n0;
    const r0 = logRatio(n0, lambda, b);
    while (m > 0 && logRatio(m - 1, lambda, b) > r0) m--;
    return m;
  };
  const excess = (lambda: number, m: number) => mass(m, n0 - 1, lambda) - cl;
  const end = Math.max(b, n0 + 1); // n0 is at or below the peak of R from λ = n0 on: accepted
  const edges = [b, end];
  for (let k = n0 - 1; k >= 0; k--) {
    const t = tieAt(k, n0, b);
    if (t > b && t < end) edges.push(t);
  }
  edges.sort((x, y) => x - y);
  for (let j = 0; j + 1 < edges.length; j++) {
    const [a, c] = [edges[j], edges[j + 1]];
    if (!(c > a)) continue;
    const m = competitors(0.5 * (a + c));
    const f = (lambda: number) => excess(lambda, m);
    if (f(a) < 0) return a - b;
    // the mass of [m, n0) rises up to λ* = ((n0−1)!/(m−1)!)^(1/(n0−m)) and falls after it
    const peak = m === 0 ? a : Math.exp((logFactorial(n0 - 1) - logFactorial(m - 1)) / (n0 - m));
    const fall = Math.max(peak, a);
    if (fall < c && f(c) < 0) return bisect(f, fall, c) - b;
  }
  return end - b;
}

/** Options of the exact Poisson construction. */
export interface PoissonIntervalOptions {
  /**
   * Make the upper end non-increasing in b, as FC's tables do: the largest belt upper end over
   * backgrounds b' ≥ b (default true). The belt at one b alone can give a larger background a
   * larger upper end (n = 0: 0.95 at b = 3, 1.06 at b = 3.5); the table gives 1.08 at b = 3.
   */
  backgroundEnvelope?: boolean;
}

/**
 * The upper end made non-increasing in b: the belt's upper end falls continuously with b and jumps
 * up where the ordering changes (a saw whose teeth fall with b), so the largest value over b' ≥ b is
 * at b or just after one of the next jumps: b' is stepped by 0.01 over several teeth and each jump
 * located by bisection to 1e-9.
 */
function envelopeUpper(n0: number, b: number, cl: number): number {
  const step = 0.01,
    width = 3 + Math.sqrt(n0 + b + 1) / 2;
  let best = beltUpper(n0, b, cl);
  let [x, ux] = [b, best];
  for (let i = 1; i * step <= width; i++) {
    const y = b + i * step,
      uy = beltUpper(n0, y, cl);
    if (uy > ux) {
      // a jump in (x, y]: the value just after it
      let [lo, hi, uhi] = [x, y, uy];
      while (hi - lo > 1e-9) {
        const mid = 0.5 * (lo + hi),
          um = beltUpper(n0, mid, cl);
        if (um > ux) [hi, uhi] = [mid, um];
        else lo = mid;
      }
      best = Math.max(best, uhi);
    }
    best = Math.max(best, uy);
    [x, ux] = [y, uy];
  }
  return best;
}

/**
 * The Feldman–Cousins interval on a Poisson signal mean s from n observed events over a known
 * background b: the exact construction over n, with FC's likelihood-ratio ordering (outcomes of
 * equal ratio enter the acceptance region together, which stops once it holds at least `cl`), the
 * belt pushed outward where it is not monotonic, and (by default, as FC's tables) the upper end
 * made non-increasing in b. Reproduces FC's Table IV (tested for b = 0, 1, 3, n = 0…10 within 0.01).
 * @example
 * import { poissonInterval } from "bumpscan/infer";
 * poissonInterval(0, 0); // => [0, 2.44]
 * poissonInterval(6, 3); // => [0.15, 8.47]
 * poissonInterval(0, 3); // => [0, 1.08]
 * poissonInterval(0, 3, 0.9, { backgroundEnvelope: false }); // => [0, 0.95]
 */
export function poissonInterval(
  n: number,
  b: number,
  cl = 0.9,
  options: PoissonIntervalOptions = {},
): [number, number] {
  if (!(Number.isInteger(n) && n >= 0)) throw new BumpscanError(`the observed count must be an integer ≥ 0 (got ${n})`);
  if (!(b >= 0 && Number.isFinite(b))) throw new BumpscanError(`the background must be finite and ≥ 0 (got ${b})`);
  if (!(cl > 0 && cl < 1)) throw new BumpscanError(`the confidence level must lie between 0 and 1 (got ${cl})`);
  const upper = options.backgroundEnvelope === false ? beltUpper(n, b, cl) : envelopeUpper(n, b, cl);
  return [beltLower(n, b, cl), upper];
}

/** A counting model: n ~ Poisson(signalPerPoi · POI + background). */
export interface CountingExperiment {
  signalPerPoi: number;
  background: number;
}

/**
 * Whether a model is a counting experiment, and its expected counts: one sample, every component
 * uniform (its events carry no information but their number), no constraint, no free parameter
 * but the POI, and yields linear in the POI (constant × POI for the signal, constants else).
 */
export function countingExperiment(model: Model): CountingExperiment | undefined {
  if (model.samples.length !== 1 || model.constraints.length > 0) return undefined;
  const [channel] = countingModel(model).channels ?? [];
  return channel && { signalPerPoi: channel.signalPerPoi, background: channel.background };
}

// ---------------------------------------------------------------------------------------------
// The construction by toys.

/** Ties (discrete outcomes) rank with the data, within fit precision (as in the toy CLs calculator). */
const TIE = 1e-3;
/** Lattice points per coarse grid step (σ_A/4, the toy CLs grid): the ends are refined to σ_A/32. */
const REFINE = 8;

/** The toys at one lattice point. */
interface BeltPoint {
  mu: number;
  /** Observed t_μ. */
  t: number;
  /** The fraction of toys ranked strictly before the data (t_μ smaller, beyond ties): μ is accepted while < CL. */
  before: number;
  /** The CL quantile of the toys' t_μ (the acceptance region's edge, for the expected band). */
  critical: number;
  good: number;
  failed: number;
}

/** Whether an outcome of statistic t lies in the acceptance region whose CL quantile is `critical`. */
const accepts = (t: number, critical: number) => t <= critical + TIE * (1 + critical);

/**
 * The toy construction for one compiled model. At each POI value μ the toys are s+b toys at
 * (μ, θ̂̂(μ)) (θ̂̂ the conditional fit to the data: the profile construction) from the toy CLs engine:
 * generated and fitted inside WASM, global observables drawn per toy, the same seeding, on the pool
 * when given. The data's t_μ is accepted while fewer than CL of the toys rank strictly before it
 * (FC's rule: outcomes enter the acceptance region by increasing t_μ, ties together, until it holds
 * CL). POI values lie on a lattice of step σ_A/32 (σ_A the asymptotic scale), lattice point i being
 * stream (seed, mass index, s+b, i); each end is bracketed on every eighth point (σ_A/4) from the
 * Wilks interval, bisected down to adjacent lattice points, and placed where the fraction ranked
 * before the data, interpolated linearly between them, reaches CL.
 */
export class FeldmanCousinsToys {
  readonly engine: ToyCalculator;
  /** Lattice step of the POI values toys run at. */
  readonly step: number;
  readonly cl: number;
  private readonly profile: ProfileCache;
  private readonly points = new Map<number, Promise<BeltPoint>>();
  private readonly done = new Map<number, BeltPoint>();
  private readonly backgroundCounts = { good: 0, failed: 0 };

  /**
   * Fit the data; the toys run on first use (here, or on `options.pool`).
   */
  constructor(
    readonly cm: CompiledModel,
    options: ToyOptions & { cl?: number } = {},
  ) {
    this.cl = options.cl ?? 0.9;
    this.engine = new ToyCalculator(cm, options);
    this.step = this.engine.step / REFINE;
    this.profile = new ProfileCache(cm, this.engine.free);
  }

  /** max(0, μ̂) of the data. */
  get best(): number {
    return Math.max(0, this.engine.free.values[this.cm.model.poi]);
  }

  /** Observed t_μ = 2(NLL(μ) − NLL(μ_best)), μ_best = max(0, μ̂). */
  tObserved(mu: number): number {
    const free = this.engine.free;
    const best = free.values[this.cm.model.poi] >= 0 ? free.nll : this.engine.background.nll;
    return Math.max(0, 2 * (this.profile.at(mu).nll - best));
  }

  /** The toys at lattice point i (POI = i·step). */
  point(i: number): Promise<BeltPoint> {
    let p = this.points.get(i);
    if (!p) {
      p = (async () => {
        const mu = i * this.step;
        const [batch] = await this.engine.runMany(this.profile.at(mu).values, {
          hypothesis: TOY_HYPOTHESIS_SB,
          grid: i,
          muTests: [mu],
          first: 0,
          count: this.engine.toys,
          statistic: "fc",
        });
        const n = batch.q.length;
        if (n === 0) throw new BumpscanError("every toy fit failed: no Feldman–Cousins acceptance region");
        const t = this.tObserved(mu);
        const cut = Number.isFinite(t) ? t - TIE * (1 + t) : t; // t = ∞: no model there (n > 0 at ν = 0)
        let before = 0;
        for (const q of batch.q) if (q < cut) before++;
        const sorted = Float64Array.from(batch.q).sort();
        const point = {
          mu,
          t,
          before: before / n,
          critical: sorted[Math.ceil(this.cl * n) - 1],
          good: n,
          failed: batch.failed,
        };
        this.done.set(i, point);
        return point;
      })();
      this.points.set(i, p);
    }
    return p;
  }

  private async accepted(i: number): Promise<boolean> {
    return (await this.point(i)).before < this.cl;
  }

  /** Where t_μ(data) reaches the χ²₁ quantile (the Wilks interval's end) on one side of μ_best. */
  private wilks(side: 1 | -1): number {
    const q = normalQuantile(0.5 + this.cl / 2) ** 2;
    const best = this.best,
      scale = this.engine.scale;
    if (side < 0) return best === 0 || this.tObserved(0) <= q ? 0 : bisect((mu) => this.tObserved(mu) - q, 0, best);
    let hi = best + scale;
    for (let k = 0; k < 60 && this.tObserved(hi) < q; k++) hi += scale;
    return bisect((mu) => this.tObserved(mu) - q, best, hi);
  }

  /**
   * One end of the interval (side +1: the upper, −1: the lower). From the Wilks guess, coarse points
   * (every REFINE-th lattice point) are run inward until one is accepted (or μ_best is reached, where
   * no toy ranks before the data), then outward while one of the next two is accepted; between the
   * outermost accepted point and the rejected one beyond it the lattice is bisected down to adjacent
   * points, and the end is where the fraction ranked before the data, linear between them, is CL.
   */
  private async end(side: 1 | -1): Promise<{ value: number; error?: number }> {
    const best = this.best;
    if (side < 0 && (best === 0 || (await this.accepted(0)))) return { value: 0 };
    const H = REFINE * this.step;
    // coarse points strictly on this side of μ_best (and ≥ 0)
    const inside = (k: number) => (side > 0 ? k * H > best : k >= 0 && k * H < best);
    const acceptedAt = async (k: number) => inside(k) && (await this.accepted(k * REFINE));
    const first = side > 0 ? Math.floor(best / H) + 1 : Math.ceil(best / H) - 1;
    const guess = Math.round(this.wilks(side) / H);
    let k = side > 0 ? Math.max(guess, first) : Math.min(guess, first);
    while (inside(k) && !(await this.accepted(k * REFINE))) k -= side;
    for (let steps = 0; ; steps++) {
      if (steps > 400)
        throw new BumpscanError(`no ${side > 0 ? "upper" : "lower"} end of the FC interval within 100 σ_A`);
      if (await acceptedAt(k + side)) k += side;
      else if (await acceptedAt(k + 2 * side)) k += 2 * side;
      else break;
    }
    // accepted at a (μ_best, before = 0, or a lattice point), rejected at lattice point r
    let a = inside(k) ? await this.point(k * REFINE) : { mu: best, before: 0 };
    let r = (k + side) * REFINE;
    for (;;) {
      const between: number[] = [];
      for (let i = r - side; side > 0 ? i * this.step > a.mu : i * this.step < a.mu; i -= side) between.push(i);
      if (between.length === 0) break;
      const m = between[Math.floor(between.length / 2)];
      const p = await this.point(m);
      if (p.before < this.cl) a = p;
      else r = m;
    }
    const rejected = await this.point(r);
    const w = (this.cl - a.before) / (rejected.before - a.before);
    const value = a.mu + w * (rejected.mu - a.mu);
    return { value, error: this.endError(value, side) };
  }

  /**
   * The error of an end: the toy statistics — the binomial σ of the fraction ranked before the data
   * at CL over that fraction's slope (least squares over the lattice points run within 1.5 σ_A/4 of
   * the end, on its side of μ_best) — and half the lattice step in quadrature (where the outcomes
   * are discrete the fraction jumps, somewhere between the two lattice points).
   */
  private endError(end: number, side: 1 | -1): number | undefined {
    const span = 1.5 * REFINE * this.step;
    const near = [...this.done.values()].filter(
      (p) => Math.abs(p.mu - end) <= span && (side > 0 ? p.mu > this.best : p.mu < this.best),
    );
    if (near.length < 2) return undefined;
    const mx = near.reduce((s, p) => s + p.mu, 0) / near.length,
      my = near.reduce((s, p) => s + p.before, 0) / near.length;
    const sxy = near.reduce((s, p) => s + (p.mu - mx) * (p.before - my), 0),
      sxx = near.reduce((s, p) => s + (p.mu - mx) ** 2, 0);
    const slope = (side * sxy) / sxx;
    const good = near.reduce((s, p) => s + p.good, 0) / near.length;
    return slope > 0 ? Math.hypot(Math.sqrt((this.cl * (1 - this.cl)) / good) / slope, this.step / 2) : undefined;
  }

  /** The interval [lo, hi] and the toy-statistics errors of its ends. */
  async interval(): Promise<{ lo: number; hi: number; loError?: number; hiError?: number }> {
    const lo = await this.end(-1);
    const hi = await this.end(1);
    return { lo: lo.value, hi: hi.value, loError: lo.error, hiError: hi.error };
  }

  /**
   * The expected upper end under the background-only hypothesis, bands N = −2…2: background-only
   * toys (stream (seed, mass index, b-only, 0), one generation and free fit each) tested at the
   * coarse points μ_k against the s+b toys' CL quantile there; a toy with μ̂ < μ_k that rejects μ_k
   * has its upper end below μ_k, so the fraction doing so is the distribution function of the upper
   * end at μ_k, and band N is where it reaches Φ(N) (linear between the points). The points run
   * from σ_A/4 to past the +2σ quantile (from the Gaussian guess 3.64 σ_A on, further if needed).
   */
  async expected(): Promise<LimitResult["expected"]> {
    const H = REFINE * this.step;
    const fractions: { mu: number; below: number }[] = [{ mu: 0, below: 0 }];
    let K = 0;
    const more = async (upTo: number) => {
      const ks = Array.from({ length: upTo - K }, (_, j) => K + 1 + j);
      const mus = ks.map((k) => k * H);
      const batches = await this.engine.runMany(this.engine.background.values, {
        hypothesis: TOY_HYPOTHESIS_B,
        grid: 0,
        muTests: mus,
        first: 0,
        count: this.engine.toys,
        statistic: "fc",
      });
      for (const [j, k] of ks.entries()) {
        const { critical } = await this.point(k * REFINE);
        const { q, muHat, failed } = batches[j];
        if (q.length === 0) throw new BumpscanError("every background-only toy fit failed: no expected band");
        let below = 0;
        for (let t = 0; t < q.length; t++) if (muHat[t] < mus[j] && !accepts(q[t], critical)) below++;
        this.backgroundCounts.good += q.length;
        this.backgroundCounts.failed += failed;
        fractions.push({ mu: mus[j], below: below / q.length });
      }
      K = upTo;
    };
    const first = Math.ceil((3.64 * this.engine.scale) / H) + 2;
    await more(first);
    while (fractions[fractions.length - 1].below < normalCdf(2) && K < 4 * first) await more(K + 4);
    const out = {} as LimitResult["expected"];
    for (const n of BANDS) {
      const p = normalCdf(n);
      const j = fractions.findIndex((f) => f.below >= p);
      const [f0, f1] = [fractions[j - 1], fractions[j]];
      out[String(n) as "0"] = j < 1 ? NaN : f0.mu + ((p - f0.below) / (f1.below - f0.below)) * (f1.mu - f0.mu);
    }
    return out;
  }

  /** The lattice points run, by POI value: observed t_μ, the fraction of toys ranked before it, the CL quantile. */
  belt(): { mu: number; t: number; before: number; critical: number }[] {
    return [...this.done.values()]
      .sort((a, b) => a.mu - b.mu)
      .map(({ mu, t, before, critical }) => ({ mu, t, before, critical }));
  }

  /** Toy counts: s+b toys over every lattice point, background-only toys over every coarse point tested. */
  counts(): { sb: number; b: number; failed: number } {
    let sb = 0,
      failed = this.backgroundCounts.failed;
    for (const p of this.done.values()) (sb += p.good), (failed += p.failed);
    return { sb, b: this.backgroundCounts.good, failed };
  }

  dispose(): void {
    this.engine.dispose();
  }
}

// ---------------------------------------------------------------------------------------------
// Either construction for a compiled model.

export interface FeldmanCousinsOptions extends ToyOptions {
  cl?: number;
  /** The expected band of the upper end (default true). */
  expected?: boolean;
  /** Force the toy construction on a counting model (default: exact there). */
  exact?: boolean;
}

export interface FeldmanCousinsResult {
  cl: number;
  /** The interval on the POI; an upper limit when lo = 0. */
  lo: number;
  hi: number;
  /** "exact" (a counting model, over n) or "toys". */
  construction: "exact" | "toys";
  /** The upper end's quantiles under the background-only hypothesis. */
  expected?: LimitResult["expected"];
  /** Toys: the toy-statistics errors of the ends. */
  loError?: number;
  hiError?: number;
  toys?: { sb: number; b: number; failed: number };
}

/**
 * The Feldman–Cousins interval on the POI of a compiled model: exact over n for a counting model
 * (`countingExperiment`; its expected band the upper end's quantiles over n ~ Poisson(b)), by toys
 * otherwise (`FeldmanCousinsToys`). The model's events must be unweighted.
 * @example
 * import { instantiateCore, loadData, CompiledModel } from "bumpscan/core";
 * import { ModelBuilder } from "bumpscan/model";
 * import { feldmanCousins } from "bumpscan/infer";
 * const core = await instantiateCore();
 * const model = new ModelBuilder("m", [0, 1]) // uniform signal over 3 background events: counting
 *   .parameter("nsig", 1, { lo: 0 })
 *   .component("sig", "uniform", [], "nsig")
 *   .component("bkg", "uniform", [], { constant: 3, factors: [] })
 *   .build("nsig");
 * const data = loadData(core, [{ values: Float64Array.from([0.1, 0.2, 0.3, 0.5, 0.7, 0.9]) }]);
 * const r = await feldmanCousins(new CompiledModel(core, model, data));
 * [r.lo, r.hi]; // => [0.15, 8.47]
 * r.construction; // => "exact"
 * r.expected["0"]; // => 4.42
 */
export async function feldmanCousins(
  cm: CompiledModel,
  options: FeldmanCousinsOptions = {},
): Promise<FeldmanCousinsResult> {
  const cl = options.cl ?? 0.9;
  if (!(cl > 0 && cl < 1)) throw new BumpscanError(`the confidence level must lie between 0 and 1 (got ${cl})`);
  if (cm.scales.some((s) => s !== 1))
    throw new BumpscanError("Feldman–Cousins intervals on weighted events are not supported (the toys are unweighted)");
  const counting = options.exact === false ? undefined : countingExperiment(cm.model);
  if (counting) {
    const { signalPerPoi: a, background: b } = counting;
    const [lo, hi] = poissonInterval(cm.eventCounts[0], b, cl);
    const result: FeldmanCousinsResult = { cl, lo: lo / a, hi: hi / a, construction: "exact" };
    if (options.expected !== false) {
      const expected = {} as LimitResult["expected"];
      for (const band of BANDS) {
        const p = normalCdf(band);
        let n = 0;
        for (let sum = poisson(0, b); sum < p; ) sum += poisson(++n, b);
        expected[String(band) as "0"] = poissonInterval(n, b, cl)[1] / a;
      }
      result.expected = expected;
    }
    return result;
  }
  const fc = new FeldmanCousinsToys(cm, { ...options, cl });
  try {
    const { lo, hi, loError, hiError } = await fc.interval();
    const expected = options.expected === false ? undefined : await fc.expected();
    return {
      cl,
      lo,
      hi,
      construction: "toys",
      ...(expected ? { expected } : {}),
      loError,
      hiError,
      toys: fc.counts(),
    };
  } finally {
    fc.dispose();
  }
}
