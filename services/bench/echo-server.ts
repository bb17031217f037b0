// A grpc-js echo server in its own process, so the floor crosses a process
// boundary as an overlay hop does. Prints nothing; reports its port over IPC.
import * as grpc from '@grpc/grpc-js';
import { loadEcho, type EchoMessage } from './echo.js';

const server = new grpc.Server();
const { service } = loadEcho();
server.addService(service, {
  Unary(call: grpc.ServerUnaryCall<EchoMessage, EchoMessage>, callback: grpc.sendUnaryData<EchoMessage>) {
    callback(null, call.request);
  },
  Stream(call: grpc.ServerDuplexStream<EchoMessage, EchoMessage>) {
    call.on('data', (m: EchoMessage) => call.write(m));
    call.on('end', () => call.end());
  },
});
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) {
    process.send?.({ type: 'failed', message: err.message });
    process.exit(1);
  }
  process.send?.({ type: 'ready', port });
});
process.on('disconnect', () => server.forceShutdown());
