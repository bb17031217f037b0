// Stand-in for `k6/http`: GET through the main thread (k6's http.get blocks).
import { addSample, runtime } from './runtime.mjs';

let expected = { statuses: null };

export function expectedStatuses(...codes) {
  return { statuses: codes };
}

export function setResponseCallback(callback) {
  expected = callback;
}

export function get(url, params) {
  const p = params || {};
  const started = Date.now();
  const answer = runtime.sync('http', { url });
  const tags = { ...(p.tags || {}), method: 'GET', status: String(answer.status) };
  const failed = expected.statuses === null ? answer.status === 0 || answer.status >= 400 : !expected.statuses.includes(answer.status);
  addSample('http_reqs', 1, tags);
  addSample('http_req_duration', Date.now() - started, tags);
  addSample('http_req_failed', failed ? 1 : 0, tags);
  const bytes = Buffer.from(answer.body || '', 'base64');
  return {
    status: answer.status,
    body: p.responseType === 'binary' ? bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) : bytes.toString('utf8'),
  };
}

export default { get, expectedStatuses, setResponseCallback };
