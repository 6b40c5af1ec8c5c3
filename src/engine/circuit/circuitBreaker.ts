// The circuit breaker of one target (an AI API's base URL and model, or an HTTP host): the state machine alone,
// with the clock injected so a test can drive it without waiting (spec section 7, `circuitBreaker`).
//
//   closed --(`failures` failures within `windowMs`)--> open --(`cooldownMs` passed, one call admitted)--> half-open
//   half-open --(that probe succeeds)--> closed          half-open --(that probe fails)--> open (cooldown again)
//
// Ordering rules:
// - While open, every call is refused without touching the target. After the cooldown exactly one call, the
//   probe, is admitted; the others are refused until the probe's outcome is known.
// - Only a probe closes the circuit: a call admitted while closed that succeeds after the circuit opened proves
//   nothing about the target now.
// - A call whose outcome says nothing of the target (cancelled, a bad config) is released: a released probe lets
//   the next call probe instead.

export interface CircuitSettings {
  /** How many failures within `windowMs` open the circuit. */
  failures: number;
  /** The sliding window failures are counted in, in ms. */
  windowMs: number;
  /** How long an open circuit refuses calls before it admits one probe, in ms. */
  cooldownMs: number;
}

/** Used for any field a node's `circuitBreaker` leaves out (docs/decisions.md). */
export const CIRCUIT_DEFAULTS: CircuitSettings = { failures: 5, windowMs: 60_000, cooldownMs: 30_000 };

export type CircuitState = 'closed' | 'open' | 'half-open';

export type CircuitAdmission =
  | { admitted: true; /** This call decides whether the circuit closes. */ probe: boolean }
  | { admitted: false; /** When a probe may be admitted (ms since the epoch); now, when a probe is in flight. */ retryAt: number };

/** What a call's outcome did to the circuit, for the `circuit.opened` and `circuit.closed` events. */
export type CircuitTransition = 'opened' | 'closed' | undefined;

export interface CircuitSnapshot {
  target: string;
  state: CircuitState;
  /** Failures counted in the current window (closed), or that opened it (open, half-open). */
  failures: number;
  settings: CircuitSettings;
  /** ISO time the circuit last opened. */
  openedAt?: string;
  /** ISO time an open circuit admits its probe. */
  retryAt?: string;
}

export class CircuitBreaker {
  private currentState: CircuitState = 'closed';
  /** Times of the failures in the window, oldest first. */
  private failureTimes: number[] = [];
  private openedAt = 0;
  private failuresWhenOpened = 0;
  private probeInFlight = false;

  constructor(
    readonly target: string,
    private settingsInUse: CircuitSettings,
    private readonly now: () => number,
  ) {}

  get state(): CircuitState {
    return this.currentState;
  }

  get settings(): CircuitSettings {
    return this.settingsInUse;
  }

  /** Nodes calling one target may configure it differently: the settings of the latest call apply. */
  configure(settings: CircuitSettings): void {
    this.settingsInUse = settings;
  }

  admit(): CircuitAdmission {
    if (this.currentState === 'closed') return { admitted: true, probe: false };
    const now = this.now();
    if (this.currentState === 'open') {
      const retryAt = this.openedAt + this.settingsInUse.cooldownMs;
      if (now < retryAt) return { admitted: false, retryAt };
      this.currentState = 'half-open';
    }
    if (this.probeInFlight) return { admitted: false, retryAt: now };
    this.probeInFlight = true;
    return { admitted: true, probe: true };
  }

  succeeded(admission: CircuitAdmission): CircuitTransition {
    if (!isProbe(admission)) return undefined;
    this.probeInFlight = false;
    this.currentState = 'closed';
    this.failureTimes = [];
    return 'closed';
  }

  failed(admission: CircuitAdmission): CircuitTransition {
    const now = this.now();
    if (isProbe(admission)) {
      this.probeInFlight = false;
      return this.open(now, this.failuresWhenOpened);
    }
    // A call admitted before the circuit opened that fails later adds nothing: the circuit is open already.
    if (this.currentState !== 'closed') return undefined;
    const times = this.failureTimes;
    times.push(now);
    const windowStart = now - this.settingsInUse.windowMs;
    let expired = 0;
    while (expired < times.length && times[expired] <= windowStart) expired++;
    if (expired > 0) times.splice(0, expired);
    if (times.length < this.settingsInUse.failures) return undefined;
    this.failureTimes = [];
    return this.open(now, times.length);
  }

  /** The call's outcome says nothing of the target's health (it was cancelled, or its config was wrong). */
  released(admission: CircuitAdmission): void {
    if (isProbe(admission)) this.probeInFlight = false;
  }

  /** Closed with no failure in its window: forgetting it loses nothing. */
  get idle(): boolean {
    if (this.currentState !== 'closed') return false;
    const times = this.failureTimes;
    return times.length === 0 || times[times.length - 1] <= this.now() - this.settingsInUse.windowMs;
  }

  snapshot(): CircuitSnapshot {
    const settings = { ...this.settingsInUse };
    if (this.currentState === 'closed') {
      const windowStart = this.now() - settings.windowMs;
      return { target: this.target, state: 'closed', failures: this.failureTimes.filter((time) => time > windowStart).length, settings };
    }
    return {
      target: this.target,
      state: this.currentState,
      failures: this.failuresWhenOpened,
      settings,
      openedAt: new Date(this.openedAt).toISOString(),
      retryAt: new Date(this.openedAt + settings.cooldownMs).toISOString(),
    };
  }

  private open(now: number, failures: number): CircuitTransition {
    this.currentState = 'open';
    this.openedAt = now;
    this.failuresWhenOpened = failures;
    return 'opened';
  }
}

function isProbe(admission: CircuitAdmission): boolean {
  return admission.admitted && admission.probe;
}
