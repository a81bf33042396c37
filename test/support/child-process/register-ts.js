// Lets a child process run the apps' TypeScript sources directly (`node -r` this file), as the
// e2e tier does through ts-jest: no build step and no stale dist/. Each file is transpiled on
// its own (TypeScript's transpileModule, like ts-jest without type checks), with the
// tsconfig's decorator options, and the tsconfig's path aliases (@madoguchi/*) resolve here.
'use strict';

const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const ts = require('typescript');
const Module = require('node:module');

const root = join(__dirname, '..', '..', '..');
const { compilerOptions } = ts.parseConfigFileTextToJson(
  'tsconfig.json',
  readFileSync(join(root, 'tsconfig.json'), 'utf8'),
).config;

const aliases = new Map(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [alias, join(root, target)]),
);
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, aliases.get(request) ?? request, ...rest);
};

const options = {
  ...ts.convertCompilerOptionsFromJson(compilerOptions, root).options,
  module: ts.ModuleKind.CommonJS,
  sourceMap: false,
  inlineSourceMap: true,
  declaration: false,
};

// Transpiled files are kept by content, so the next child process starts faster.
const cacheDir = join(tmpdir(), 'madoguchi-ts-child-cache');
mkdirSync(cacheDir, { recursive: true });
const optionsKey = `${ts.version}:${JSON.stringify(options)}`;

function transpile(filename, source) {
  const key = createHash('sha256').update(optionsKey).update(filename).update(source).digest('hex');
  const cached = join(cacheDir, `${key}.js`);
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: options,
      fileName: filename,
    });
    const temporary = `${cached}.${process.pid}`;
    writeFileSync(temporary, outputText);
    renameSync(temporary, cached);
    return outputText;
  }
}

require.extensions['.ts'] = (module, filename) => {
  module._compile(transpile(filename, readFileSync(filename, 'utf8')), filename);
};
