// Checks a descriptor as received, before any routing decision. Wire-level
// checks (ID length, payload type, payload length) are the codec's; these are
// the Gnutella rules and the bounds of services/core/limits.ts.
import { MAX_TTL, type Descriptor, type FileEntry, type Payload } from './descriptor.js';
import { SuperpeerError } from './errors.js';
import { isDescriptorId, isSha256 } from './ids.js';
import {
  MAX_ADDRESS_CHARS,
  MAX_FILE_NAME_CHARS,
  MAX_NODE_ID_CHARS,
  MAX_PATH_ENTRIES,
  MAX_QUERY_CHARS,
  MAX_QUERY_TERMS,
  MAX_RESULTS_PER_HIT,
  MAX_TOKEN_CHARS,
  MAX_ZONE_CHARS,
} from './limits.js';
import { tokenize } from './keywords.js';

/** Throws SuperpeerError with a stable code when the descriptor breaks a rule. */
export function validateDescriptor(d: Descriptor): void {
  if (!isDescriptorId(d.id)) throw new SuperpeerError('BAD_DESCRIPTOR_ID', 'descriptor ID must be 16 bytes');
  if (!Number.isInteger(d.ttl) || !Number.isInteger(d.hops) || d.ttl < 0 || d.hops < 0) {
    throw new SuperpeerError('BAD_HOPS', 'ttl and hops must be non-negative integers');
  }
  if (d.ttl > MAX_TTL || d.ttl + d.hops > MAX_TTL) {
    throw new SuperpeerError('TTL_ABOVE_CAP', `ttl ${d.ttl} + hops ${d.hops} exceeds the cap of ${MAX_TTL}`);
  }
  if (d.ttl === 0) throw new SuperpeerError('TTL_ZERO', 'a descriptor with ttl 0 must not be sent');
  validatePayload(d.payload);
}

export function validatePayload(p: Payload): void {
  switch (p.kind) {
    case 'ping':
      return;
    case 'pong':
      checkServent(p.serventId);
      checkText('node_id', p.nodeId, MAX_NODE_ID_CHARS, true);
      // Leaves dial it: host:port, never a URL.
      checkAddress(p.grpcAddress);
      checkText('zone', p.zone, MAX_ZONE_CHARS);
      return;
    case 'query':
      validateQueryTerms(p.criteria, p.sha256);
      checkText('origin_zone', p.originZone, MAX_ZONE_CHARS);
      return;
    case 'query_hit':
      checkServent(p.serventId);
      checkText('node_id', p.nodeId, MAX_NODE_ID_CHARS, true);
      checkText('http_address', p.httpAddress, MAX_ADDRESS_CHARS);
      checkText('zone', p.zone, MAX_ZONE_CHARS);
      if (p.results.length === 0) throw new SuperpeerError('BAD_FIELD', 'a query hit carries at least one result');
      if (p.results.length > MAX_RESULTS_PER_HIT) {
        throw new SuperpeerError('TOO_MANY_RESULTS', `at most ${MAX_RESULTS_PER_HIT} results per hit`);
      }
      for (const r of p.results) checkFile(r);
      if (p.path.length > MAX_PATH_ENTRIES) throw new SuperpeerError('BAD_FIELD', 'hit path too long');
      for (const hop of p.path) checkText('path', hop, MAX_NODE_ID_CHARS, true);
      return;
    case 'push':
      checkServent(p.serventId);
      if (!isSha256(p.sha256)) throw new SuperpeerError('BAD_HASH', 'push names a file by its sha256 (64 hex digits)');
      checkAddress(p.requesterAddress);
      checkText('token', p.token, MAX_TOKEN_CHARS);
      return;
    default:
      throw new SuperpeerError('UNKNOWN_PAYLOAD', 'unknown payload');
  }
}

/** Query bounds, shared by the Query descriptor and the client Search call. */
export function validateQueryTerms(criteria: string, sha256: string): void {
  if (sha256 !== '' && !isSha256(sha256)) throw new SuperpeerError('BAD_HASH', 'sha256 must be 64 lowercase hex digits');
  if (criteria.length > MAX_QUERY_CHARS) {
    throw new SuperpeerError('QUERY_TOO_LONG', `query longer than ${MAX_QUERY_CHARS} characters`);
  }
  const terms = tokenize(criteria);
  if (terms.length > MAX_QUERY_TERMS) throw new SuperpeerError('TOO_MANY_TERMS', `at most ${MAX_QUERY_TERMS} terms`);
  if (terms.length === 0 && sha256 === '') {
    throw new SuperpeerError('EMPTY_QUERY', 'query has no searchable term (terms are 2+ letters or digits) and no sha256');
  }
}

function checkServent(id: string): void {
  if (!isDescriptorId(id)) throw new SuperpeerError('BAD_FIELD', 'servent ID must be 16 bytes');
}

export function checkFile(f: FileEntry): void {
  if (!isSha256(f.sha256)) throw new SuperpeerError('BAD_HASH', 'result sha256 must be 64 hex digits');
  checkText('name', f.name, MAX_FILE_NAME_CHARS, true);
  if (!Number.isSafeInteger(f.size) || f.size < 0) throw new SuperpeerError('BAD_FIELD', 'result size out of range');
}

function checkText(field: string, value: string, max: number, required = false): void {
  if (value.length > max) throw new SuperpeerError('BAD_FIELD', `${field} longer than ${max} characters`);
  if (required && value.length === 0) throw new SuperpeerError('BAD_FIELD', `${field} is required`);
}

const ADDRESS = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

export function checkAddress(address: string): void {
  const m = ADDRESS.exec(address);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535 || address.length > MAX_ADDRESS_CHARS) {
    throw new SuperpeerError('BAD_ADDRESS', `not a host:port address: ${JSON.stringify(address.slice(0, 64))}`);
  }
}
