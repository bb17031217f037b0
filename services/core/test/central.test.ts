import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CentralIndex } from '../central.js';
import type { Query } from '../descriptor.js';
import { peer, sha } from './harness.js';

const q = (criteria: string, sha256 = ''): Query => ({ kind: 'query', criteria, sha256, maxResults: 0, originZone: 'z1' });

test('central index: one answer with every owner, own files excluded, unregister forgets', () => {
  const c = new CentralIndex();
  const a = peer('a');
  const b = peer('b', { firewalled: true });
  c.register(a, [{ sha256: sha(1), name: 'blue whale.mp3', size: 1 }]);
  c.register(b, [{ sha256: sha(1), name: 'blue whale.mp3', size: 1 }, { sha256: sha(2), name: 'red fox.mp3', size: 2 }]);
  assert.equal(c.search(q('whale blue')).length, 2);
  assert.equal(c.search(q('whale'), a.serventId).length, 1);
  const [hit] = c.search(q('', sha(2)));
  assert.equal(hit.nodeId, 'b');
  assert.equal(hit.httpAddress, '');
  assert.deepEqual(hit.path, ['central']);
  c.unregister(b.serventId);
  assert.equal(c.search(q('whale')).length, 1);
  assert.equal(c.queries, 4);
  assert.equal(c.peerCount, 1);
});
