// The session history on a real file: a session left open is a crash, a
// graceful stop is recorded, a damaged file is an empty history.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SessionHistory } from '../session-history.js';

test('crash, then graceful stop, then a damaged file', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sessions-'));
  try {
    const file = path.join(dir, 'n.sessions.json');
    const first = new SessionHistory(file, 1_000);
    assert.equal(first.reliability(), 1, 'no history yet');
    // Killed: never closed. The next start finds it open.
    const second = new SessionHistory(file, 2_000);
    assert.deepEqual(second.past(), [{ startedAtMs: 1_000, endedAtMs: 2_000, graceful: false }]);
    assert.equal(second.reliability(), 0.5);
    second.close(3_000);
    const third = new SessionHistory(file, 4_000);
    assert.deepEqual(third.past().map((x) => x.graceful), [false, true]);
    assert.ok(Math.abs(third.reliability() - 2 / 3) < 1e-9);
    await writeFile(file, '{"sessions": [{"startedAtMs": "x"}], "open": 5');
    const errors: Error[] = [];
    const fresh = new SessionHistory(file, 5_000, (e) => errors.push(e));
    assert.equal(fresh.reliability(), 1);
    assert.equal(errors.length, 1, 'the damaged file is reported, not fatal');
    assert.ok(JSON.parse(await readFile(file, 'utf8')).open, 'a new history is written');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
