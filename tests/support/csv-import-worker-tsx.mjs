// Starts the TypeScript CSV import worker under tsx. Node 20 does not apply `--import tsx` hooks to a
// worker's entry file, so the worker registers tsx itself and then loads the real entry.
import { register } from 'tsx/esm/api';

register();
await import('../../src-main/node/csv/csv-import-worker.ts');
