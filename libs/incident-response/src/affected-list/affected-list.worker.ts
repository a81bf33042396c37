import { parentPort, workerData } from 'node:worker_threads';
import { BlindIndex } from '@madoguchi/crypto';
import { AffectedListFileError } from './affected-list-csv.util';
import { type AffectedListWorkerRefusal, indexAffectedList } from './affected-list-index.util';
import type { AffectedListWorkerInput } from './affected-list-worker.runner';

/** The worker thread's body: one list in, its indexes (or the file's refusal) out, then exit. */
const input = workerData as AffectedListWorkerInput;
try {
  const indexed = indexAffectedList(
    input.bytes,
    BlindIndex.forWorker(input.blindIndexKey),
    input.maxRows,
  );
  // The packed indexes are transferred (moved, not copied) to the requesting thread.
  parentPort?.postMessage({ indexed }, [indexed.values]);
} catch (error) {
  if (!(error instanceof AffectedListFileError)) throw error;
  const refusal: AffectedListWorkerRefusal = { refused: error.code, detail: error.detail };
  parentPort?.postMessage({ refusal });
}
