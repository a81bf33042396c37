import { existsSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AFFECTED_LIST_MAX_ROWS, AffectedListFileError } from './affected-list-csv.util';
import type { AffectedListWorkerRefusal, IndexedAffectedList } from './affected-list-index.util';

export interface AffectedListWorkerInput {
  bytes: Uint8Array;
  blindIndexKey: Uint8Array;
  maxRows: number;
  /** Only when running from TypeScript sources (tests): the worker file and the path aliases. */
  source?: { file: string; root: string; aliases: Record<string, string> };
}

type WorkerAnswer = { indexed: IndexedAffectedList } | { refusal: AffectedListWorkerRefusal };

/**
 * Runs from the TypeScript sources (jest): registers a transpile-only loader for `.ts` and the
 * `@madoguchi/*` path aliases in the worker, then loads the worker file. The built app
 * (dist/, plain JavaScript) starts the compiled worker file directly.
 */
const TS_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const local = Module.createRequire(workerData.source.root + '/');
const ts = local('typescript');
const { aliases } = workerData.source;
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, Object.hasOwn(aliases, request) ? aliases[request] : request, ...rest);
};
Module._extensions['.ts'] = function (module, filename) {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
    },
  });
  module._compile(outputText, filename);
};
local(workerData.source.file);
`;

function sourceSetup(): AffectedListWorkerInput['source'] {
  const root = resolve(__dirname, '../../../..');
  const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  const aliases = Object.fromEntries(
    Object.entries(tsconfig.compilerOptions.paths).map(([alias, [target]]) => [
      alias,
      resolve(root, target),
    ]),
  );
  return { file: join(__dirname, 'affected-list.worker.ts'), root, aliases };
}

/**
 * Decodes, parses, checks and hashes an affected-customer list in a worker thread, so a 5 MB
 * file never holds the event loop that serves every tenant's pages (docs/security.md, "No
 * tenant can stall the others"). Resolves with counts, rejections and blind indexes (no value
 * of the file crosses back); rejects with the file's {@link AffectedListFileError}.
 */
export function indexAffectedListInWorker(
  bytes: Uint8Array,
  blindIndexKey: Uint8Array,
  maxRows = AFFECTED_LIST_MAX_ROWS,
): Promise<IndexedAffectedList> {
  const fromSource = extname(__filename) === '.ts';
  const compiled = join(__dirname, 'affected-list.worker.js');
  const input: AffectedListWorkerInput = {
    bytes,
    blindIndexKey,
    maxRows,
    ...(fromSource ? { source: sourceSetup() } : {}),
  };
  if (!fromSource && !existsSync(compiled)) {
    return Promise.reject(new Error(`affected-list worker missing: ${compiled}`));
  }
  const worker = fromSource
    ? new Worker(TS_BOOTSTRAP, { eval: true, workerData: input })
    : new Worker(compiled, { workerData: input });
  return new Promise<IndexedAffectedList>((resolveAnswer, reject) => {
    let answered = false;
    worker.once('message', (answer: WorkerAnswer) => {
      answered = true;
      if ('indexed' in answer) resolveAnswer(answer.indexed);
      else reject(new AffectedListFileError(answer.refusal.refused, answer.refusal.detail));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`affected-list worker ended with code ${code}`));
    });
  });
}
