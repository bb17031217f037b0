// A gRPC server interceptor that counts every call of every registered service
// (superpeer, health, reflection) as rate, errors and duration: started when
// the call arrives, handled once with the status code it ends with (CANCELLED
// when the client goes away first).
import * as grpc from '@grpc/grpc-js';
import { GRPC_CODES, type GrpcCode, type GrpcMethodLabels, type GrpcType, type Metrics } from './metrics.js';

/** "/superpeer.v1.Client/Search" -> service "superpeer.v1.Client", method "Search". */
export function methodLabels(path: string, requestStream: boolean, responseStream: boolean): GrpcMethodLabels {
  const slash = path.lastIndexOf('/');
  const type: GrpcType = requestStream
    ? (responseStream ? 'bidi_stream' : 'client_stream')
    : (responseStream ? 'server_stream' : 'unary');
  return { service: path.slice(1, slash), method: path.slice(slash + 1), type };
}

export function codeName(code: number): GrpcCode {
  return GRPC_CODES[code] ?? 'UNKNOWN';
}

export function grpcMetricsInterceptor(
  metrics: Pick<Metrics, 'grpcServer'>,
  now: () => number = () => performance.now(),
): grpc.ServerInterceptor {
  return (descriptor, call) => {
    const labels = methodLabels(descriptor.path, descriptor.requestStream, descriptor.responseStream);
    const startedMs = now();
    let finished = false;
    const finish = (code: number): void => {
      if (finished) return;
      finished = true;
      metrics.grpcServer.handled(labels, codeName(code), (now() - startedMs) / 1000);
    };
    metrics.grpcServer.started(labels);
    return new grpc.ServerInterceptingCall(call, {
      start: (next) => next({ onCancel: () => finish(grpc.status.CANCELLED) }),
      sendStatus: (status, next) => {
        finish(status.code ?? grpc.status.UNKNOWN);
        next(status);
      },
    });
  };
}
