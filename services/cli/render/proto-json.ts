// What `--json` prints: proto3 JSON field names (lowerCamelCase, as
// protobuf's JSON mapping and grpcurl write them) and servent IDs as hex,
// the same in every command.

/** protobuf's JSON name of a field: underscores dropped, the next letter upper case. */
export function protoJsonName(field: string): string {
  return field.replace(/_+([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** A decoded message (keepCase field names, bytes as Buffers) as proto3 JSON names; bytes as hex. */
export function toProtoJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
  if (Array.isArray(value)) return value.map(toProtoJson);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[protoJsonName(k)] = toProtoJson(v);
    return out;
  }
  return value;
}
