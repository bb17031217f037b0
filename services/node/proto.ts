// The one place that loads the protos and holds the proto-loader options.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType } from './generated/overlay.js';

// Compiled into dist/services/node/, the protos are still at the repository root.
const SOURCE_PROTO_DIR = fileURLToPath(new URL('../../proto', import.meta.url));
export const PROTO_DIR = existsSync(SOURCE_PROTO_DIR) ? SOURCE_PROTO_DIR : fileURLToPath(new URL('../../../proto', import.meta.url));
export const PROTO_FILES = ['superpeer/v1/descriptor.proto', 'superpeer/v1/overlay.proto'];

/** Must match the flags of `make proto` so the generated types describe what we load. */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_DIR],
};

let cached: { pkg: ProtoGrpcType; definition: protoLoader.PackageDefinition } | undefined;

export function loadProto(): { pkg: ProtoGrpcType; definition: protoLoader.PackageDefinition } {
  if (!cached) {
    const definition = protoLoader.loadSync(PROTO_FILES, LOADER_OPTIONS);
    const pkg = grpc.loadPackageDefinition(definition) as unknown as ProtoGrpcType;
    cached = { pkg, definition };
  }
  return cached;
}

export function protoPath(file: string): string {
  return path.join(PROTO_DIR, file);
}
