// A gRPC client that knows no superpeer proto: like grpcurl, it knows only
// the reflection protocol, asks the server for the descriptors of a symbol
// and builds its message types from them at run time.
import { createRequire } from 'node:module';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor/index.js';

const require = createRequire(import.meta.url);
const REFLECTION_PROTO = path.join(path.dirname(require.resolve('@grpc/reflection/package.json')), 'build/proto/grpc/reflection/v1/reflection.proto');
const METHOD = '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo';
const MAX_FILES = 100;

interface FileProto {
  name: string;
  dependency?: string[];
}

export class ReflectionClient {
  private readonly client: grpc.Client;
  private readonly Request: protobuf.Type;
  private readonly Response: protobuf.Type;
  private readonly files = new Map<string, Uint8Array>();

  constructor(readonly target: string) {
    this.client = new grpc.Client(target, grpc.credentials.createInsecure());
    const root = protobuf.loadSync(REFLECTION_PROTO);
    this.Request = root.lookupType('grpc.reflection.v1.ServerReflectionRequest');
    this.Response = root.lookupType('grpc.reflection.v1.ServerReflectionResponse');
  }

  /** One request on a reflection stream, one response back. */
  private ask(request: Record<string, string>): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const call = this.client.makeBidiStreamRequest(
        METHOD,
        (o: object) => Buffer.from(this.Request.encode(this.Request.fromObject(o)).finish()),
        (b: Buffer) => this.Response.toObject(this.Response.decode(b), { oneofs: true }) as Record<string, unknown>,
        new grpc.Metadata(),
        { deadline: Date.now() + 10_000 },
      );
      call.once('data', (r: Record<string, unknown>) => {
        call.end();
        if (r.errorResponse) reject(new Error(`reflection: ${(r.errorResponse as { errorMessage: string }).errorMessage}`));
        else resolve(r);
      });
      call.once('error', reject);
      call.write(request);
    });
  }

  /** `grpcurl list` */
  async list(): Promise<string[]> {
    const r = await this.ask({ listServices: '' });
    return (r.listServicesResponse as { service: Array<{ name: string }> }).service.map((s) => s.name).sort();
  }

  private async addFiles(request: Record<string, string>): Promise<void> {
    const r = await this.ask(request);
    for (const bytes of (r.fileDescriptorResponse as { fileDescriptorProto: Uint8Array[] }).fileDescriptorProto) {
      const file = descriptor.FileDescriptorProto.decode(bytes) as unknown as FileProto;
      this.files.set(file.name, bytes);
    }
  }

  /** The descriptors that define `symbol` and everything they import, as a protobufjs root. */
  async describe(symbol: string): Promise<protobuf.Root> {
    await this.addFiles({ fileContainingSymbol: symbol });
    for (let round = 0; round < MAX_FILES; round++) {
      const missing = [...this.files.values()]
        .flatMap((b) => (descriptor.FileDescriptorProto.decode(b) as unknown as FileProto).dependency ?? [])
        .find((d) => !this.files.has(d));
      if (!missing) break;
      await this.addFiles({ fileByFilename: missing });
    }
    const set = descriptor.FileDescriptorSet.create({ file: [...this.files.values()].map((b) => descriptor.FileDescriptorProto.decode(b)) });
    return (protobuf.Root as unknown as { fromDescriptor(s: protobuf.Message): protobuf.Root }).fromDescriptor(set);
  }

  /** The method's request and response types, found through reflection. */
  private async method(service: string, name: string): Promise<{ path: string; req: protobuf.Type; res: protobuf.Type; serverStreaming: boolean }> {
    const root = await this.describe(service);
    const m = root.lookupService(service).methods[name];
    if (!m) throw new Error(`${service} has no method ${name}`);
    return { path: `/${service}/${name}`, req: root.lookupType(m.requestType), res: root.lookupType(m.responseType), serverStreaming: Boolean(m.responseStream) };
  }

  private codec(req: protobuf.Type, res: protobuf.Type) {
    return {
      serialize: (o: object) => {
        const err = req.verify(o);
        if (err) throw new Error(err);
        return Buffer.from(req.encode(req.fromObject(o)).finish());
      },
      deserialize: (b: Buffer) => res.toObject(res.decode(b), { enums: String, longs: Number, bytes: String, defaults: true }),
    };
  }

  /** `grpcurl -d '{…}' target service/method` for a unary method. */
  async unary(service: string, name: string, body: object): Promise<Record<string, unknown>> {
    const m = await this.method(service, name);
    const c = this.codec(m.req, m.res);
    return new Promise((resolve, reject) =>
      this.client.makeUnaryRequest(m.path, c.serialize, c.deserialize, body, { deadline: Date.now() + 10_000 }, (err, r) => (err ? reject(err) : resolve(r as Record<string, unknown>))),
    );
  }

  /** The same for a server-streaming method: every message until the stream ends. */
  async serverStream(service: string, name: string, body: object): Promise<Array<Record<string, unknown>>> {
    const m = await this.method(service, name);
    if (!m.serverStreaming) throw new Error(`${service}/${name} is not server-streaming`);
    const c = this.codec(m.req, m.res);
    return new Promise((resolve, reject) => {
      const out: Array<Record<string, unknown>> = [];
      const call = this.client.makeServerStreamRequest(m.path, c.serialize, c.deserialize, body, { deadline: Date.now() + 20_000 });
      call.on('data', (r: Record<string, unknown>) => out.push(r));
      call.on('end', () => resolve(out));
      call.on('error', reject);
    });
  }

  close(): void {
    this.client.close();
  }
}
