// The k6 scenarios cannot run here (no k6 binary), so this holds them to what
// can be checked statically: they type-check against @types/k6, parse as
// ES2017 (what k6 v0.49-v0.52's Babel and every later k6 accept), export
// options and a default function, load the protos in the init context, and
// import only k6 modules that exist in k6 v0.49.0 or files of loadtest/.
// What they do when run is held by emulated-runs.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import * as acorn from 'acorn';

const LOADTEST_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO_DIR = resolve(LOADTEST_DIR, '..');
const SCENARIOS = ['search-steady.js', 'search-ramp.js', 'mixed.js', 'stream-search.js'];
/** k6 modules present in v0.49 and still there today; nothing experimental. */
const K6_MODULES = new Set(['k6', 'k6/net/grpc', 'k6/http', 'k6/metrics', 'k6/execution']);
/** k6/net/grpc members added after v0.49, so scripts using them would not run there. */
const NEWER_THAN_V049 = ['asyncInvoke', 'healthCheck'];
const TSC_TIMEOUT_MS = 60_000;
/**
 * The syntax level of the scripts and everything they import. k6 v0.49-v0.52
 * compile imported modules with an old Babel (no object spread, ??, ?.), v0.53
 * rejects numeric separators; ES2017 runs on all of them.
 */
const ECMA_VERSION = 2017;

/** The parser's complaint about `file` at ECMA_VERSION, or '' when it parses. */
function syntaxError(file: string): string {
  try {
    acorn.parse(readFileSync(file, 'utf8'), { ecmaVersion: ECMA_VERSION, sourceType: 'module' });
    return '';
  } catch (err) {
    return `${file}: ${(err as Error).message}`;
  }
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2020, true, ts.ScriptKind.JS);
}

function importsOf(source: ts.SourceFile): string[] {
  return source.statements
    .filter(ts.isImportDeclaration)
    .map((d) => (d.moduleSpecifier as ts.StringLiteral).text);
}

/** The scenario file plus every loadtest/ file it imports, transitively. */
function moduleClosure(entry: string): string[] {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0 && seen.size < 100) {
    const file = queue.shift() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of importsOf(parse(file))) {
      if (spec.startsWith('.')) queue.push(resolve(dirname(file), spec));
    }
  }
  return [...seen];
}

function exportedOptions(source: ts.SourceFile): ts.ObjectLiteralExpression | undefined {
  for (const stmt of source.statements) {
    if (!ts.isVariableStatement(stmt)) continue;
    if (!stmt.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    for (const decl of stmt.declarationList.declarations) {
      if (ts.isIdentifier(decl.name) && decl.name.text === 'options' && decl.initializer && ts.isObjectLiteralExpression(decl.initializer)) {
        return decl.initializer;
      }
    }
  }
  return undefined;
}

function propertyNames(obj: ts.ObjectLiteralExpression): string[] {
  return obj.properties.flatMap((p) => {
    if (ts.isShorthandPropertyAssignment(p)) return [p.name.text];
    if (!ts.isPropertyAssignment(p)) return [];
    if (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) return [p.name.text];
    return [];
  });
}

/** The object literal `name` refers to: inline, or a top-level const of the same file. */
function objectOf(source: ts.SourceFile, options: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralExpression | undefined {
  for (const p of options.properties) {
    if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === name && ts.isObjectLiteralExpression(p.initializer)) return p.initializer;
    if ((ts.isShorthandPropertyAssignment(p) && p.name.text === name) || (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === name && ts.isIdentifier(p.initializer))) {
      const ref = ts.isShorthandPropertyAssignment(p) ? p.name.text : (p.initializer as ts.Identifier).text;
      for (const stmt of source.statements) {
        if (!ts.isVariableStatement(stmt)) continue;
        for (const decl of stmt.declarationList.declarations) {
          if (ts.isIdentifier(decl.name) && decl.name.text === ref && decl.initializer && ts.isObjectLiteralExpression(decl.initializer)) return decl.initializer;
        }
      }
    }
  }
  return undefined;
}

/** Calls of `<something>.<method>(...)` and whether each sits inside a function. */
function methodCalls(source: ts.SourceFile, method: string): Array<{ inFunction: boolean }> {
  const found: Array<{ inFunction: boolean }> = [];
  const visit = (node: ts.Node, inFunction: boolean): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === method) {
      found.push({ inFunction });
    }
    const entersFunction = ts.isFunctionLike(node);
    ts.forEachChild(node, (child) => visit(child, inFunction || entersFunction));
  };
  visit(source, false);
  return found;
}

test('the k6 scripts type-check against @types/k6 (tsc -p loadtest/tsconfig.json)', async () => {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = await new Promise<{ code: number; output: string }>((done) => {
    execFile(process.execPath, [tsc, '-p', join(LOADTEST_DIR, 'tsconfig.json')], { cwd: REPO_DIR, timeout: TSC_TIMEOUT_MS }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      done({ code, output: `${stdout}${stderr}` });
    });
  });
  assert.equal(result.code, 0, result.output);
});

for (const scenario of SCENARIOS) {
  test(`${scenario}: exports options with scenarios and thresholds, setup() and a default function`, () => {
    const source = parse(join(LOADTEST_DIR, scenario));
    const options = exportedOptions(source);
    assert.ok(options, 'exports `options` as an object literal');
    assert.ok(propertyNames(options).includes('scenarios'), 'options.scenarios');
    assert.ok(objectOf(source, options, 'scenarios'), 'options.scenarios is an object literal in the file');
    assert.ok(propertyNames(options).includes('thresholds'), 'options.thresholds');
    assert.ok(
      source.statements.some((s) => ts.isFunctionDeclaration(s) && s.name?.text === 'setup' && s.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)),
      'exports setup(): the target is reached and the terms learned before the load',
    );
    assert.ok(
      source.statements.some((s) => ts.isFunctionDeclaration(s) && s.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)),
      'exports a default function',
    );
  });

  test(`${scenario}: loads the protos in the init context and connects inside the VU code`, () => {
    const source = parse(join(LOADTEST_DIR, scenario));
    const loads = methodCalls(source, 'load');
    assert.ok(loads.length > 0 && loads.every((c) => !c.inFunction), 'client.load only at top level');
    const connects = moduleClosure(join(LOADTEST_DIR, scenario)).flatMap((f) => methodCalls(parse(f), 'connect'));
    assert.ok(connects.length > 0 && connects.every((c) => c.inFunction), 'client.connect only inside functions (setup and VU code)');
    assert.match(source.text, /'superpeer\/v1\/overlay\.proto'/);
  });

  test(`${scenario}: it and every module it imports parse as ES${ECMA_VERSION}`, () => {
    for (const file of moduleClosure(join(LOADTEST_DIR, scenario))) {
      assert.equal(syntaxError(file), '');
    }
  });

  test(`${scenario}: imports only k6 v0.49 modules and loadtest/ files`, () => {
    for (const file of moduleClosure(join(LOADTEST_DIR, scenario))) {
      assert.ok(file.startsWith(LOADTEST_DIR), `${file} is inside loadtest/`);
      assert.ok(existsSync(file), `${file} exists`);
      const source = parse(file);
      for (const spec of importsOf(source)) {
        if (spec.startsWith('./') || spec.startsWith('../')) {
          assert.match(spec, /\.js$/, `${file}: relative import ${spec} names a .js file`);
        } else {
          assert.ok(K6_MODULES.has(spec), `${file}: ${spec} is not one of ${[...K6_MODULES].join(', ')}`);
        }
      }
      for (const member of NEWER_THAN_V049) {
        assert.equal(methodCalls(source, member).length, 0, `${file}: ${member} is newer than k6 v0.49`);
      }
      assert.ok(!/require\(/.test(source.text), `${file}: no require()`);
    }
  });
}

test('proto import path: ../proto from loadtest/ is the repository proto directory', () => {
  assert.ok(existsSync(join(LOADTEST_DIR, '..', 'proto', 'superpeer', 'v1', 'overlay.proto')));
  const proto = readFileSync(join(REPO_DIR, 'proto/superpeer/v1/overlay.proto'), 'utf8');
  for (const rpc of ['Search', 'Locate', 'Status']) assert.match(proto, new RegExp(`rpc ${rpc}\\(`));
  assert.match(proto, /rpc Search\(SearchRequest\) returns \(stream SearchResult\)/);
});

test(`the ES${ECMA_VERSION} parser rejects what old k6 releases stop on`, () => {
  for (const code of ['const a = { ...b };', 'a ?? b;', 'a?.b;', 'const n = 60_000;', '/(?<name>x)/;', 'try {} catch {}']) {
    assert.throws(() => acorn.parse(code, { ecmaVersion: ECMA_VERSION, sourceType: 'module' }), SyntaxError, code);
  }
  assert.doesNotThrow(() => acorn.parse('export default async function () { const [a, ...rest] = await f(...xs); return `${a}` ** 2; }', { ecmaVersion: ECMA_VERSION, sourceType: 'module' }));
});

test(`every file in loadtest/lib parses as ES${ECMA_VERSION} (imported or not)`, () => {
  const lib = join(LOADTEST_DIR, 'lib');
  for (const f of readdirSync(lib).filter((n) => n.endsWith('.js'))) {
    assert.equal(syntaxError(join(lib, f)), '');
  }
});
