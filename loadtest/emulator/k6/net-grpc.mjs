// Stand-in for `k6/net/grpc` on @grpc/grpc-js. Messages are converted the way
// k6 converts them (protobuf JSON: lowerCamelCase names, 64-bit integers and
// enums as strings, bytes as base64); with emitZeroValues off, fields holding
// their zero value are left out, as k6 before v1.2.3 does in streamed messages.
// connect() and invoke() block like k6's, through the main thread (runtime.sync).
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { encode, loadRoot, methodOf, toJson } from './json.mjs';
import { addSample, runtime } from './runtime.mjs';

export const StatusOK = 0;
export const StatusCanceled = 1;
export const StatusUnknown = 2;
export const StatusInvalidArgument = 3;
export const StatusDeadlineExceeded = 4;
export const StatusNotFound = 5;
export const StatusResourceExhausted = 8;
export const StatusUnavailable = 14;

function durationMs(value, fallback) {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number') return value;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(String(value));
  if (!m) throw new Error(`not a duration: ${value}`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60000 }[m[2]];
}

export class Client {
  constructor() {
    this.proto = null;
    this.address = null;
    this.plaintext = true;
    this.channel = null;
    this.root = null;
  }

  load(importPaths, ...files) {
    const includeDirs = importPaths.map((p) => path.resolve(runtime.scriptDir, p));
    this.proto = { includeDirs, files };
    this.root = loadRoot(includeDirs, files);
  }

  connect(address, params) {
    const p = params || {};
    const plaintext = p.plaintext === true;
    const answer = runtime.sync('connect', { address, plaintext, timeoutMs: durationMs(p.timeout, 60000) });
    if (answer.error) throw new Error(`failed to connect to ${address}: ${answer.error}`);
    this.address = address;
    this.plaintext = plaintext;
    this.channel = new grpc.Client(address, plaintext ? grpc.credentials.createInsecure() : grpc.credentials.createSsl());
    return true;
  }

  invoke(method, request, params) {
    if (this.address === null) throw new Error('invoke: no connection (call connect first)');
    const p = params || {};
    const started = Date.now();
    const answer = runtime.sync('invoke', {
      address: this.address, plaintext: this.plaintext, proto: this.proto, emitZeroValues: runtime.emitZeroValues,
      method, request, timeoutMs: durationMs(p.timeout, 60000),
    });
    addSample('grpc_req_duration', Date.now() - started, { ...(p.tags || {}), method: `/${method}` });
    return {
      status: answer.code,
      message: answer.code === StatusOK ? answer.message : null,
      error: answer.code === StatusOK ? null : { code: answer.code, message: answer.details },
    };
  }

  close() {
    if (this.channel) this.channel.close();
    this.channel = null;
    this.address = null;
  }

  definition(method) {
    return methodOf(this.root, method);
  }
}

/** A server-streaming call: write() the request, end() starts it, events as in k6. */
export class Stream {
  constructor(client, method, params) {
    if (client.channel === null) throw new Error('Stream: the client is not connected');
    this.client = client;
    this.method = method;
    this.params = params || {};
    this.def = client.definition(method);
    this.request = null;
    this.handlers = { data: [], error: [], end: [] };
  }

  on(event, handler) {
    if (!this.handlers[event]) throw new Error(`Stream: unknown event ${event}`);
    this.handlers[event].push(handler);
  }

  write(message) {
    this.request = message;
    addSample('grpc_streams_msgs_sent', 1, this.params.tags);
  }

  end() {
    const started = Date.now();
    const tags = { ...(this.params.tags || {}), method: `/${this.method}` };
    addSample('grpc_streams', 1, tags);
    const deadline = Date.now() + durationMs(this.params.timeout, 60000);
    const { requestType, responseType } = this.def;
    const call = this.client.channel.makeServerStreamRequest(
      this.def.path, (m) => encode(requestType, m), (b) => toJson(responseType, b, runtime.emitZeroValues), this.request || {}, new grpc.Metadata(), { deadline },
    );
    let done = false;
    const finish = (event, arg) => {
      if (done) return;
      done = true;
      addSample('grpc_req_duration', Date.now() - started, tags);
      for (const h of this.handlers[event]) h(arg);
    };
    call.on('data', (message) => {
      addSample('grpc_streams_msgs_received', 1, tags);
      for (const h of this.handlers.data) h(message);
    });
    call.on('error', (err) => finish('error', { code: err.code, message: err.details || err.message }));
    call.on('end', () => finish('end'));
  }
}

export default { Client, Stream, StatusOK, StatusCanceled, StatusUnknown, StatusInvalidArgument, StatusDeadlineExceeded, StatusNotFound, StatusResourceExhausted, StatusUnavailable };
