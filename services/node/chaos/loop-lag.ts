// How late this process's own event loop ran: a timer every TICK_MS notes
// how much later than asked it fired. A search that ends past its deadline
// while the client itself was stalled that long did not hang in the overlay:
// its answer sat unread in a starved client (a loaded machine).
export const TICK_MS = 20;
/** Stalls remembered (newest last); at one per tick, minutes of history. */
const MAX_STALLS = 20_000;

export class LoopLag {
  private readonly stalls: Array<{ at: number; ms: number }> = [];
  private readonly timer: NodeJS.Timeout;
  private last = performance.now();
  maxMs = 0;

  constructor() {
    this.timer = setInterval(() => {
      const now = performance.now();
      const late = now - this.last - TICK_MS;
      this.last = now;
      if (late > 5) {
        this.stalls.push({ at: now, ms: late });
        if (this.stalls.length > MAX_STALLS) this.stalls.shift();
        this.maxMs = Math.max(this.maxMs, late);
      }
    }, TICK_MS);
    this.timer.unref();
  }

  /** Milliseconds the loop lost to stalls that ended within [from, to] (performance.now() times). */
  stalledMs(from: number, to: number): number {
    let sum = 0;
    for (let i = this.stalls.length - 1; i >= 0 && this.stalls[i].at >= from; i--) if (this.stalls[i].at <= to) sum += this.stalls[i].ms;
    return sum;
  }

  /** p99 of the stalls recorded (0 when none). */
  p99Ms(): number {
    const xs = this.stalls.map((s) => s.ms).sort((a, b) => a - b);
    return xs.length ? xs[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))] : 0;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
