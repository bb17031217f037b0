// How this node's past sessions ended, kept in a small JSON file so a
// restarted node remembers: the current session is written as open at
// start and closed at a graceful stop; one still open at the next start
// was a crash. Feeds the score's reliability term (core/reliability.ts).
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { RELIABILITY_HISTORY, reliabilityOf, type SessionEnd } from '../core/reliability.js';

/** A history file larger than this is not ours (or damaged): start afresh. */
export const HISTORY_MAX_BYTES = 64 * 1024;

interface Stored {
  sessions: SessionEnd[];
  /** The session running now (or that crashed, if found at start). */
  open?: { startedAtMs: number };
}

function valid(x: unknown): x is SessionEnd {
  const s = x as SessionEnd;
  return typeof s === 'object' && s !== null && Number.isFinite(s.startedAtMs) && Number.isFinite(s.endedAtMs) && typeof s.graceful === 'boolean';
}

export class SessionHistory {
  private sessions: SessionEnd[] = [];
  private readonly startedAtMs: number;

  /** Reads the file (a missing or bad one is an empty history) and records this session as open. */
  constructor(
    private readonly file: string,
    now: number,
    private readonly onError: (err: Error) => void = () => {},
  ) {
    this.startedAtMs = now;
    try {
      const text = readFileSync(file, 'utf8');
      if (text.length <= HISTORY_MAX_BYTES) {
        const stored = JSON.parse(text) as Stored;
        this.sessions = Array.isArray(stored.sessions) ? stored.sessions.filter(valid) : [];
        // Left open: that session never reached a graceful stop.
        if (stored.open && Number.isFinite(stored.open.startedAtMs)) this.sessions.push({ startedAtMs: stored.open.startedAtMs, endedAtMs: now, graceful: false });
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') onError(err as Error);
    }
    this.sessions = this.sessions.slice(-RELIABILITY_HISTORY);
    this.write({ sessions: this.sessions, open: { startedAtMs: now } });
  }

  /** 0..1 from the sessions before this one. */
  reliability(): number {
    return reliabilityOf(this.sessions);
  }

  past(): readonly SessionEnd[] {
    return this.sessions;
  }

  /** A graceful stop: this session is recorded as ended well. */
  close(now: number): void {
    this.sessions = [...this.sessions, { startedAtMs: this.startedAtMs, endedAtMs: now, graceful: true }].slice(-RELIABILITY_HISTORY);
    this.write({ sessions: this.sessions });
  }

  private write(stored: Stored): void {
    try {
      // Write then rename: a crash mid-write never leaves half a file.
      writeFileSync(`${this.file}.tmp`, JSON.stringify(stored));
      renameSync(`${this.file}.tmp`, this.file);
    } catch (err) {
      this.onError(err as Error);
    }
  }
}
