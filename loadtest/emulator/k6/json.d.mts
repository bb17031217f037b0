// Types of json.mjs for run.ts.
export function loadRoot(includeDirs: string[], files: string[]): unknown;
export function methodOf(root: unknown, method: string): { path: string; requestType: unknown; responseType: unknown };
export function encode(type: unknown, json: unknown): Buffer;
export function toJson(type: unknown, buffer: Buffer, emitZeroValues: boolean): unknown;
