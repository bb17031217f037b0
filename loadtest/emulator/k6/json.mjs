// Messages the way k6 hands them to a script: protobuf JSON with lowerCamelCase
// names, 64-bit integers and enums as strings, bytes as base64. k6 before
// v1.2.3 leaves out every field that holds its proto3 zero value (Go's
// protojson without EmitUnpopulated), whether or not the sender wrote it on
// the wire; emitZeroValues keeps them, as k6 v1.2.3 and later do.
import { existsSync } from 'node:fs';
import path from 'node:path';
import protobuf from 'protobufjs';

const roots = new Map();
const LONGS = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

export function loadRoot(includeDirs, files) {
  const key = JSON.stringify([includeDirs, files]);
  let root = roots.get(key);
  if (root === undefined) {
    root = new protobuf.Root();
    root.resolvePath = (_origin, target) => {
      for (const dir of includeDirs) {
        const candidate = path.resolve(dir, target);
        if (existsSync(candidate)) return candidate;
      }
      return target;
    };
    root.loadSync(files, { keepCase: false });
    root.resolveAll();
    roots.set(key, root);
  }
  return root;
}

/** `package.Service/Method` → its path and message types. */
export function methodOf(root, method) {
  const slash = method.lastIndexOf('/');
  const service = root.lookupService(method.slice(0, slash));
  const m = service.methods[method.slice(slash + 1)];
  if (m === undefined) throw new Error(`method ${method} not found in the loaded protos`);
  return { path: `/${method}`, requestType: m.resolvedRequestType, responseType: m.resolvedResponseType };
}

export function encode(type, json) {
  return Buffer.from(type.encode(type.fromObject(json || {})).finish());
}

export function toJson(type, buffer, emitZeroValues) {
  const object = type.toObject(type.decode(buffer), { longs: String, enums: String, bytes: String, defaults: true, arrays: true });
  return emitZeroValues ? object : withoutZeroValues(type, object);
}

function isZero(field, value) {
  if (field.resolvedType instanceof protobuf.Enum) return field.resolvedType.values[value] === 0;
  if (field.type === 'string' || field.type === 'bytes') return value === '';
  if (field.type === 'bool') return value === false;
  if (LONGS.has(field.type)) return value === '0' || value === 0;
  return value === 0;
}

function withoutZeroValues(type, object) {
  for (const field of type.fieldsArray) {
    const value = object[field.name];
    if (value === undefined) continue;
    const nested = field.resolvedType instanceof protobuf.Type ? field.resolvedType : null;
    if (field.repeated) {
      if (value.length === 0) delete object[field.name];
      else if (nested) value.forEach((v) => withoutZeroValues(nested, v));
    } else if (field.map) {
      if (Object.keys(value).length === 0) delete object[field.name];
    } else if (nested) {
      if (value === null) delete object[field.name];
      else withoutZeroValues(nested, value);
    } else if (!field.partOf && isZero(field, value)) {
      delete object[field.name];
    }
  }
  return object;
}
