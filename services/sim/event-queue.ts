// The simulator's clock and agenda: a binary min-heap of events ordered by
// (virtual time, insertion sequence), so equal times fire in the order they
// were scheduled and every run with the same seed replays identically.
// The keys live in typed arrays (struct of arrays): sifting compares numbers
// in contiguous memory instead of chasing one heap object per event, which
// matters with millions of descriptors in flight.
import type { Timer } from '../core/environment.js';

const INITIAL_CAPACITY = 1024;

class TimerHandle implements Timer {
  live = true;
  cancel(): void {
    this.live = false;
  }
}

export class EventQueue {
  private at = new Float64Array(INITIAL_CAPACITY);
  private seqs = new Float64Array(INITIAL_CAPACITY);
  private fires: Array<(() => void) | undefined> = [];
  /** Handle of a cancellable event; undefined for post()ed ones. Cancelled events are skipped when they surface. */
  private handles: Array<TimerHandle | undefined> = [];
  private n = 0;
  private seq = 0;
  /** Virtual milliseconds. */
  now = 0;
  fired = 0;
  /** Set by an event to end run() early (e.g. the last search finished). */
  stopped = false;

  get size(): number {
    return this.n;
  }

  schedule(afterMs: number, fire: () => void): Timer {
    const handle = new TimerHandle();
    this.insert(afterMs, fire, handle);
    return handle;
  }

  /** Like schedule, for events never cancelled (descriptors in flight): no handle. */
  post(afterMs: number, fire: () => void): void {
    this.insert(afterMs, fire, undefined);
  }

  /** Fires events in order until none is left, the clock passes `untilMs`, or `maxEvents` fired. */
  run(untilMs = Infinity, maxEvents = Infinity): void {
    let count = 0;
    while (this.n > 0 && count < maxEvents && !this.stopped) {
      const at = this.at[0];
      if (at > untilMs) break;
      const fire = this.fires[0]!;
      const handle = this.handles[0];
      this.pop();
      if (handle !== undefined && !handle.live) continue;
      this.now = at;
      count++;
      this.fired++;
      fire();
    }
    if (untilMs !== Infinity && this.now < untilMs && (this.n === 0 || this.at[0] > untilMs)) this.now = untilMs;
  }

  private insert(afterMs: number, fire: () => void, handle: TimerHandle | undefined): void {
    if (this.n === this.at.length) this.grow();
    const at = this.now + Math.max(0, afterMs);
    const seq = this.seq++;
    const keys = this.at;
    const seqs = this.seqs;
    // Sift up: move parents down into the hole, then drop the new event in.
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (keys[p] < at || (keys[p] === at && seqs[p] < seq)) break;
      this.move(p, i);
      i = p;
    }
    keys[i] = at;
    seqs[i] = seq;
    this.fires[i] = fire;
    this.handles[i] = handle;
  }

  private pop(): void {
    const last = --this.n;
    const keys = this.at;
    const seqs = this.seqs;
    if (last === 0) {
      this.fires[0] = undefined;
      this.handles[0] = undefined;
      return;
    }
    const at = keys[last];
    const seq = seqs[last];
    const fire = this.fires[last];
    const handle = this.handles[last];
    this.fires[last] = undefined;
    this.handles[last] = undefined;
    // Sift the last event down from the root, moving the smaller child up into the hole.
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      const r = c + 1;
      if (r < last && (keys[r] < keys[c] || (keys[r] === keys[c] && seqs[r] < seqs[c]))) c = r;
      if (at < keys[c] || (at === keys[c] && seq < seqs[c])) break;
      this.move(c, i);
      i = c;
    }
    keys[i] = at;
    seqs[i] = seq;
    this.fires[i] = fire;
    this.handles[i] = handle;
  }

  private move(from: number, to: number): void {
    this.at[to] = this.at[from];
    this.seqs[to] = this.seqs[from];
    this.fires[to] = this.fires[from];
    this.handles[to] = this.handles[from];
  }

  private grow(): void {
    const at = new Float64Array(this.at.length * 2);
    at.set(this.at);
    const seqs = new Float64Array(this.seqs.length * 2);
    seqs.set(this.seqs);
    this.at = at;
    this.seqs = seqs;
  }
}
