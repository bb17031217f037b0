import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decisionLog } from '../registry-agent.js';

test('an election decision is logged at info once, its repeats at debug, idle rounds not at all', () => {
  const rounds = [
    { promote: ['p1'], demote: [] },
    { promote: ['p1'], demote: [] }, // p1 has not taken the role yet: assigned again
    { promote: ['p1'], demote: [] },
    { promote: [], demote: [] },
    { promote: ['p1'], demote: [] }, // after an idle round it is news again
    { promote: ['p2'], demote: ['s1'] },
  ];
  let key = '';
  const levels = rounds.map((d) => {
    const r = decisionLog(key, d);
    key = r.key;
    return r.level;
  });
  assert.deepEqual(levels, ['info', 'debug', 'debug', null, 'info', 'info']);
});
