// Server reflection that describes every service the node serves — its own,
// grpc.health.v1 and reflection itself — so grpcurl can list, describe and
// call all of them (a Kubernetes operator's first `grpcurl … Health/Check`).
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { LOADER_OPTIONS, PROTO_DIR, PROTO_FILES } from './proto.js';

const require = createRequire(import.meta.url);

/** The .proto files of the health and reflection services, as their packages ship them. */
function bundledProtoDirs(): { health: string; reflection: string } {
  const health = path.resolve(healthProtoPath, '../../..');
  // CommonJS without an exports map: its package.json resolves.
  const reflection = path.join(path.dirname(require.resolve('@grpc/reflection/package.json')), 'build', 'proto');
  return { health, reflection };
}

export const HEALTH_PROTO = 'health/v1/health.proto';
export const REFLECTION_PROTOS = ['grpc/reflection/v1/reflection.proto', 'grpc/reflection/v1alpha/reflection.proto'];

/** One package definition holding ours and the standard services', for reflection only. */
export function reflectedDefinition(): protoLoader.PackageDefinition {
  const dirs = bundledProtoDirs();
  return protoLoader.loadSync([...PROTO_FILES, HEALTH_PROTO, ...REFLECTION_PROTOS], {
    ...LOADER_OPTIONS,
    includeDirs: [PROTO_DIR, dirs.health, dirs.reflection],
  });
}

/** Adds reflection (v1 and v1alpha) describing every service on `server`. */
export function addReflection(server: grpc.Server): void {
  new ReflectionService(reflectedDefinition()).addToServer(server);
}
