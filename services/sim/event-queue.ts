// The simulator's clock and agenda: a binary min-heap of events ordered by
// (virtual time, insertion sequence), so equal times fire in the order they
// were scheduled and every run with the same seed replays identically.
import type { Timer } from '../core/environment.js';

interface SimEvent {
  at: number;
  seq: number;
  fire: () => void;
  live: boolean;
}

export class EventQueue {
  private heap: SimEvent[] = [];
  private seq = 0;
  /** Virtual milliseconds. */
  now = 0;
  fired = 0;
  /** Set by an event to end run() early (e.g. the last search finished). */
  stopped = false;

  get size(): number {
    return this.heap.length;
  }

  schedule(afterMs: number, fire: () => void): Timer {
    const e: SimEvent = { at: this.now + Math.max(0, afterMs), seq: this.seq++, fire, live: true };
    this.push(e);
    return { cancel: () => (e.live = false) };
  }

  /** Fires events in order until none is left, the clock passes `untilMs`, or `maxEvents` fired. */
  run(untilMs = Infinity, maxEvents = Infinity): void {
    let n = 0;
    while (this.heap.length > 0 && n < maxEvents && !this.stopped) {
      const top = this.heap[0];
      if (top.at > untilMs) break;
      this.pop();
      if (!top.live) continue;
      this.now = top.at;
      n++;
      this.fired++;
      top.fire();
    }
    if (untilMs !== Infinity && this.now < untilMs && (this.heap.length === 0 || this.heap[0].at > untilMs)) this.now = untilMs;
  }

  private less(a: SimEvent, b: SimEvent): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(e: SimEvent): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l], h[m])) m = l;
      if (r < h.length && this.less(h[r], h[m])) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }
}
