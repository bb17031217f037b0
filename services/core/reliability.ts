// Reliability, the participation score's record of behaving well: how this
// node's past sessions ended. A graceful exit hands its leaves over (they
// are redirected before it goes); a crash makes them all re-home at once.
// Pure: the node keeps the history (node/session-history.ts), this reads it.

/** Sessions remembered: recent behaviour counts, a crash a month ago is forgotten. */
export const RELIABILITY_HISTORY = 10;

export interface SessionEnd {
  startedAtMs: number;
  endedAtMs: number;
  /** true: it stopped on purpose (SIGTERM, a role change); false: it crashed or was killed. */
  graceful: boolean;
}

/**
 * Share of graceful endings among the last RELIABILITY_HISTORY sessions,
 * Laplace-smoothed toward 1: (graceful + 1) / (sessions + 1). A node with no
 * history scores 1 (nothing held against it); one crash in one session, 0.5;
 * one crash in ten, 0.91.
 */
export function reliabilityOf(history: readonly SessionEnd[]): number {
  const recent = history.slice(-RELIABILITY_HISTORY);
  const graceful = recent.filter((s) => s.graceful).length;
  return (graceful + 1) / (recent.length + 1);
}
