import { describe, expect, it, vi } from 'vitest';
import type { ImportReport, IpcEnvelope, RegisterStats, Supplier, SupplierPage } from '../../src-main/common/ipc-contract';
import { IPC_CHANNELS } from '../../src-main/common/ipc-channels';
import { createIpcDispatcher, type IpcHandlers } from '../../src-main/node/ipc/ipc-dispatcher';
import type { Logger } from '../../src-main/node/logger';
import { UserFacingError } from '../../src-main/node/user-facing-error';
import { makeSiren, makeSiret } from '../support/identifiers-fixture';

const UNKNOWN_MESSAGE = 'Demande inconnue.';
const MALFORMED_MESSAGE = 'Demande mal formée : elle a été refusée.';
const INTERNAL_MESSAGE = 'Une erreur interne est survenue. Le détail est dans le journal de Vigie.';
const FILE_ID = 'a'.repeat(32);

interface LogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown> | undefined;
}

function recordingLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  return {
    entries,
    info: (message, fields) => entries.push({ level: 'info', message, fields }),
    warn: (message, fields) => entries.push({ level: 'warn', message, fields }),
    error: (message, fields) => entries.push({ level: 'error', message, fields }),
  };
}

const supplier: Supplier = {
  id: 1,
  siren: makeSiren(1),
  siret: makeSiret(1),
  name: 'Boulangerie Dupont',
  accountingCode: 'F001',
  address: '1 rue de la Mairie',
  postalCode: '75001',
  city: 'Paris',
  tags: ['alimentation'],
  notes: null,
  active: true,
  createdAt: '2025-01-02T03:04:05.000Z',
  updatedAt: '2025-01-02T03:04:05.000Z',
};
const page: SupplierPage = { total: 1, offset: 0, rows: [supplier] };
const stats: RegisterStats = { suppliers: 1, active: 1, tags: ['alimentation'] };
const importReport: ImportReport = {
  fileName: 'tiers.csv',
  dryRun: true,
  encoding: 'utf-8',
  delimiter: ';',
  hasHeader: true,
  headers: ['SIRET'],
  mapping: { '0': 'siret' },
  preview: [[makeSiret(1)]],
  totalRows: 1,
  inserted: 1,
  updated: 0,
  unchanged: 0,
  rejected: [],
  warnings: [],
};

function fakeHandlers() {
  const specific = {
    'register.search': vi.fn<IpcHandlers['register.search']>(() => page),
    'register.stats': vi.fn<IpcHandlers['register.stats']>(() => stats),
    'register.get': vi.fn<IpcHandlers['register.get']>(() => supplier),
    'csv.chooseImportFile': vi.fn<IpcHandlers['csv.chooseImportFile']>(() => ({ fileId: FILE_ID, fileName: 'tiers.csv' })),
    'csv.previewImport': vi.fn<IpcHandlers['csv.previewImport']>(() => ({ ...importReport, mapping: { ...importReport.mapping } })),
    'csv.commitImport': vi.fn<IpcHandlers['csv.commitImport']>(() => ({ ...importReport, dryRun: false })),
    'csv.exportRegister': vi.fn<IpcHandlers['csv.exportRegister']>(() => ({ fileName: 'registre.csv', rows: 1 })),
  };
  // channels these tests do not exercise: any call to them is a failure
  const others = Object.fromEntries(
    IPC_CHANNELS.filter((c) => !(c in specific)).map((c) => [
      c,
      vi.fn(() => {
        throw new Error(`unexpected call to ${c}`);
      }),
    ]),
  );
  return { handlers: { ...others, ...specific } as typeof specific & IpcHandlers, mocks: [...Object.values(others), ...Object.values(specific)] };
}

function setup() {
  const { handlers, mocks } = fakeHandlers();
  const logger = recordingLogger();
  const dispatch = createIpcDispatcher(handlers, logger);
  const calls = () => mocks.reduce((n, h) => n + h.mock.calls.length, 0);
  return { handlers, logger, dispatch, calls };
}

function expectFailure(result: IpcEnvelope<unknown>, code: string, message: string): void {
  expect(result).toEqual({ ok: false, error: { code, message } });
}

describe('createIpcDispatcher: channels', () => {
  it.each([
    ['an unknown channel', 'register.delete'],
    ['a channel name with different case', 'Register.Search'],
    ['an Object.prototype key', 'constructor'],
    ['__proto__', '__proto__'],
    ['toString', 'toString'],
    ['the empty string', ''],
  ])('refuses %s with invalid-request and runs no handler', async (_label, channel) => {
    const { dispatch, calls, logger } = setup();
    expectFailure(await dispatch(channel, {}), 'invalid-request', UNKNOWN_MESSAGE);
    expect(calls()).toBe(0);
    expect(logger.entries.map((e) => e.level)).toEqual(['warn']);
  });

  it.each([
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['an object', { channel: 'register.search' }],
    ['an array', ['register.search']],
    ['a boolean', true],
  ])('refuses a non-string channel (%s) with invalid-request and runs no handler', async (_label, channel) => {
    const { dispatch, calls } = setup();
    expectFailure(await dispatch(channel, {}), 'invalid-request', UNKNOWN_MESSAGE);
    expect(calls()).toBe(0);
  });

  // A channel that cannot be turned into a string (JSON or structured clone can carry
  // `{"toString": 1}`) must be refused like any other, not make the dispatcher reject.
  it.each([
    ['an object whose toString is not a function', { toString: 1 }],
    ['an object without a prototype', Object.create(null) as object],
  ])('answers invalid-request, and does not throw, for a non-string channel that has no string form (%s)', async (_label, channel) => {
    const { dispatch, calls } = setup();
    const result = await dispatch(channel, {}).catch((error: unknown) => ({ rejected: String(error) }));
    expect(result).toEqual({ ok: false, error: { code: 'invalid-request', message: UNKNOWN_MESSAGE } });
    expect(calls()).toBe(0);
  });

  it('truncates a huge unknown channel name in the log', async () => {
    const { dispatch, logger } = setup();
    await dispatch('x'.repeat(100_000), {});
    const logged = logger.entries[0]?.fields?.channel;
    expect(typeof logged === 'string' && logged.length <= 100).toBe(true);
  });
});

describe('createIpcDispatcher: request validation', () => {
  it.each<[string, string, unknown]>([
    ['a limit above the maximum', 'register.search', { limit: 100_000 }],
    ['a zero limit', 'register.search', { limit: 0 }],
    ['a fractional limit', 'register.search', { limit: 1.5 }],
    ['a limit given as a string', 'register.search', { limit: '100' }],
    ['a negative offset', 'register.search', { offset: -1 }],
    ['a huge offset', 'register.search', { offset: 1e300 }],
    ['an infinite offset', 'register.search', { offset: Number.POSITIVE_INFINITY }],
    ['a NaN offset', 'register.search', { offset: Number.NaN }],
    ['a number as the text', 'register.search', { text: 42 }],
    ['a text over 200 characters', 'register.search', { text: 'x'.repeat(201) }],
    ['an unknown sort column (SQL)', 'register.search', { sort: 'name; DROP TABLE suppliers' }],
    ['an unknown activity', 'register.search', { activity: 'deleted' }],
    ['a string as descending', 'register.search', { descending: 'true' }],
    ['a string as the whole payload', 'register.search', 'text=dupont'],
    ['an array as the whole payload', 'register.search', [1, 2]],
    ['a missing id', 'register.get', {}],
    ['an id given as a string', 'register.get', { id: '1' }],
    ['a zero id', 'register.get', { id: 0 }],
    ['an id beyond safe integers', 'register.get', { id: 2 ** 64 }],
    ['a file id that is a path', 'csv.previewImport', { fileId: '../../etc/passwd' }],
    ['a file id in upper case', 'csv.previewImport', { fileId: 'A'.repeat(32) }],
    ['a mapping to an unknown field', 'csv.commitImport', { fileId: FILE_ID, mapping: { '0': 'password' } }],
    ['a mapping keyed by a non-index', 'csv.commitImport', { fileId: FILE_ID, mapping: { name: 'name' } }],
    ['a commit without a mapping', 'csv.commitImport', { fileId: FILE_ID }],
  ])('refuses %s before any handler runs', async (_label, channel, payload) => {
    const { dispatch, calls, logger } = setup();
    expectFailure(await dispatch(channel, payload), 'invalid-request', MALFORMED_MESSAGE);
    expect(calls()).toBe(0);
    expect(logger.entries).toHaveLength(1);
    expect(logger.entries[0]?.level).toBe('warn');
    expect(logger.entries[0]?.fields?.channel).toBe(channel);
  });

  it('applies the contract defaults: register.search with {} reaches the handler fully specified', async () => {
    const { dispatch, handlers } = setup();
    const result = await dispatch('register.search', {});
    expect(result).toEqual({ ok: true, value: page });
    expect(handlers['register.search']).toHaveBeenCalledTimes(1);
    expect(handlers['register.search']).toHaveBeenCalledWith({
      text: '',
      activity: 'all',
      sort: 'name',
      descending: false,
      offset: 0,
      limit: 100,
    });
  });

  it('treats a missing payload as an empty request', async () => {
    const { dispatch, handlers } = setup();
    expect(await dispatch('register.stats', undefined)).toEqual({ ok: true, value: stats });
    expect(await dispatch('register.search', null)).toEqual({ ok: true, value: page });
    expect(handlers['register.search'].mock.calls[0]?.[0]).toMatchObject({ text: '', limit: 100, offset: 0 });
  });

  it('passes the parsed request, without unknown keys, to the handler', async () => {
    const { dispatch, handlers } = setup();
    await dispatch('register.get', { id: 7, sql: 'DELETE FROM suppliers', __proto__: { admin: true } });
    expect(handlers['register.get']).toHaveBeenCalledWith({ id: 7 });
    const received = handlers['register.get'].mock.calls[0]?.[0];
    expect(Object.keys(received ?? {})).toEqual(['id']);
  });

  it('keeps the values the caller gave', async () => {
    const { dispatch, handlers } = setup();
    await dispatch('register.search', { text: 'Dupont', activity: 'inactive', tag: 'btp', sort: 'city', descending: true, offset: 200, limit: 500 });
    expect(handlers['register.search']).toHaveBeenCalledWith({
      text: 'Dupont',
      activity: 'inactive',
      tag: 'btp',
      sort: 'city',
      descending: true,
      offset: 200,
      limit: 500,
    });
  });
});

describe('createIpcDispatcher: answers and errors', () => {
  it('returns {ok: true, value} for a valid call, awaiting asynchronous handlers', async () => {
    const { dispatch, handlers } = setup();
    handlers['register.get'].mockImplementation(async ({ id }) => ({ ...supplier, id }));
    expect(await dispatch('register.get', { id: 3 })).toEqual({ ok: true, value: { ...supplier, id: 3 } });
    expect(await dispatch('csv.exportRegister', {})).toEqual({ ok: true, value: { fileName: 'registre.csv', rows: 1 } });
  });

  it('passes a null answer through when the contract allows it', async () => {
    const { dispatch, handlers } = setup();
    handlers['register.get'].mockReturnValue(null);
    expect(await dispatch('register.get', { id: 3 })).toEqual({ ok: true, value: null });
  });

  it('turns a UserFacingError into its code and French message, without the English detail', async () => {
    const { dispatch, handlers, logger } = setup();
    const message = 'Le fichier choisi n’est plus disponible : choisissez-le à nouveau.';
    handlers['csv.previewImport'].mockRejectedValue(new UserFacingError('not-found', message, 'ENOENT on /home/agent/tiers.csv'));
    const result = await dispatch('csv.previewImport', { fileId: FILE_ID });
    expectFailure(result, 'not-found', message);
    expect(JSON.stringify(result)).not.toContain('/home/agent');
    expect(logger.entries).toEqual([
      expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ detail: 'ENOENT on /home/agent/tiers.csv' }) }),
    ]);
  });

  it('keeps the bad-input code of a UserFacingError thrown synchronously', async () => {
    const { dispatch, handlers } = setup();
    handlers['csv.commitImport'].mockImplementation(() => {
      throw new UserFacingError('bad-input', 'Indiquez quelle colonne contient le SIRET ou le SIREN avant d’importer.');
    });
    expectFailure(
      await dispatch('csv.commitImport', { fileId: FILE_ID, mapping: { '0': 'name' } }),
      'bad-input',
      'Indiquez quelle colonne contient le SIRET ou le SIREN avant d’importer.',
    );
  });

  it.each<[string, () => unknown]>([
    [
      'a thrown Error',
      () => {
        throw new Error('SQLITE_CORRUPT: database disk image is malformed (/home/agent/secret.sqlite3)');
      },
    ],
    ['a rejected promise', () => Promise.reject(new TypeError('SQLITE_CORRUPT: cannot read /home/agent/secret.sqlite3'))],
    [
      'a thrown string',
      () => {
        // what a careless dependency can do
        throw 'SQLITE_CORRUPT /home/agent/secret.sqlite3';
      },
    ],
  ])('turns %s into code internal with a generic French message that leaks nothing', async (_label, crash) => {
    const { dispatch, handlers, logger } = setup();
    handlers['register.stats'].mockImplementation(crash as IpcHandlers['register.stats']);
    const result = await dispatch('register.stats', {});
    expectFailure(result, 'internal', INTERNAL_MESSAGE);
    const text = JSON.stringify(result);
    expect(text).not.toContain('SQLITE');
    expect(text).not.toContain('secret');
    expect(text).not.toContain('/home/agent');
    expect(text).not.toMatch(/\n\s+at /);
    // the detail goes to the log instead, for whoever diagnoses the problem
    expect(logger.entries).toHaveLength(1);
    expect(logger.entries[0]?.level).toBe('error');
    expect(String(logger.entries[0]?.fields?.detail)).toContain('SQLITE_CORRUPT');
  });

  it.each<[string, string, unknown, () => unknown]>([
    ['a supplier with a malformed SIREN', 'register.get', { id: 1 }, () => ({ ...supplier, siren: 'DROP TABLE' })],
    ['a page with a negative total', 'register.search', {}, () => ({ ...page, total: -1 })],
    ['a page whose row misses fields', 'register.search', {}, () => ({ total: 1, offset: 0, rows: [{ id: 1 }] })],
    ['nothing at all', 'register.stats', {}, () => undefined],
    ['a file id that is a path', 'csv.chooseImportFile', {}, () => ({ fileId: '/home/agent/tiers.csv', fileName: 'tiers.csv' })],
    ['a report with an unknown encoding', 'csv.previewImport', { fileId: FILE_ID }, () => ({ ...importReport, encoding: 'latin-9' })],
    ['a fractional row count', 'csv.exportRegister', {}, () => ({ fileName: 'registre.csv', rows: 0.5 })],
  ])('answers internal, never invalid data, when a handler returns %s', async (_label, channel, payload, answer) => {
    const { dispatch, handlers, logger } = setup();
    const handler = handlers[channel as keyof typeof handlers] as unknown as { mockImplementation(fn: () => unknown): void };
    handler.mockImplementation(answer);
    const result = await dispatch(channel, payload);
    expectFailure(result, 'internal', INTERNAL_MESSAGE);
    expect(JSON.stringify(result)).not.toContain('DROP TABLE');
    expect(JSON.stringify(result)).not.toContain('/home/agent');
    expect(logger.entries.map((e) => e.level)).toEqual(['error']);
    expect(logger.entries[0]?.fields?.detail).toBe('response does not match the contract');
  });

  it('strips fields the contract does not know from an answer', async () => {
    const { dispatch, handlers } = setup();
    handlers['csv.chooseImportFile'].mockReturnValue({
      fileId: FILE_ID,
      fileName: 'tiers.csv',
      path: '/home/agent/tiers.csv',
    } as { fileId: string; fileName: string });
    const result = await dispatch('csv.chooseImportFile', {});
    expect(result).toEqual({ ok: true, value: { fileId: FILE_ID, fileName: 'tiers.csv' } });
    expect(JSON.stringify(result)).not.toContain('/home/agent');
  });

  it('runs exactly the handler of the requested channel, once', async () => {
    const { dispatch, handlers, calls } = setup();
    await dispatch('register.get', { id: 2 });
    expect(handlers['register.get']).toHaveBeenCalledTimes(1);
    expect(calls()).toBe(1);
  });
});
