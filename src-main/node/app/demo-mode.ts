// The demonstration mode: the app-level switcher between the real core and a demonstration core.
// Every renderer request goes through `dispatch`, which hands it to the core shown now.
//
// Entering starts the local fake API in this process (127.0.0.1, a port the system picks) and
// opens a second core on `<userData>/demonstration/`: its own database, documents, token key file
// and an in-memory settings store. The real core is never closed nor written to by the
// demonstration: its database, settings store and token stay as they were, and its nightly
// refresh keeps its schedule meanwhile. Leaving closes the demonstration core, stops the fake API
// and shows the real core again.
//
// The demonstration register is kept on disk between visits and reused the same day (entering
// again is then immediate); it is rebuilt from scratch, a few seconds, when it was built on an
// earlier day, so that « expire sous 30 jours » and « expirée » keep their meaning.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { DemoStatus } from '../../common/ipc-contract';
import { ReplayClock } from '../demo/demo-clock';
import { DEMO_COMMUNE_SIRET, startDemoApi, type DemoApi } from '../demo/demo-api';
import type { DemoModeHandlers } from '../demo/demo-channels';
import { buildDemoRegister, DEMO_SUPPLIER_COUNT } from '../demo/demo-register';
import type { IpcDispatch } from '../ipc/ipc-dispatcher';
import type { Logger } from '../logger';
import { MemoryKeyValueStore } from '../settings/key-value-store';
import { LocalKeyCipher } from '../token/secret-cipher';
import { UserFacingError } from '../user-facing-error';
import type { DesktopActions } from './token-handlers';
import { createVigieCore, type VigieCore, type VigieCoreOptions } from './vigie-core';

/** Under the user-data folder: everything the demonstration writes, and nothing else. */
export const DEMO_FOLDER_NAME = 'demonstration';
export const DEMO_DATABASE_NAME = 'vigie-demonstration.sqlite3';
const MARKER_NAME = 'demonstration.json';
/** Bumped when the way the register is built changes: an older one is rebuilt. */
const REGISTER_VERSION = 1;
/** A run of the demonstration still going when it is left: how long its calls under way may take to finish. */
const PAUSE_TIMEOUT_MS = 5_000;

const markerSchema = z.object({ version: z.number(), builtOn: z.string(), suppliers: z.number() });

export interface DemoModeOptions {
  /** The real user-data folder; the demonstration lives in its `demonstration` subfolder. */
  userDataDir: string;
  logger: Logger;
  /**
   * The real core, opened by the shell with `demoMode: switcher.handlers` (every core answers the
   * demonstration's channels); null while the shell restarts.
   */
  realCore(): VigieCore | null;
  /**
   * What the demonstration core shares with the app: the file dialogs, SQLite's native binding,
   * and two harmless desktop actions. Nothing else: no restore-and-restart, no start at login.
   */
  demoCore: Pick<VigieCoreOptions, 'dialogs' | 'nativeBinding'> & { desktop?: Pick<DesktopActions, 'openExternal' | 'notify'> };
  /** Size of the demonstration register. Default DEMO_SUPPLIER_COUNT. */
  supplierCount?: number;
}

interface DemoSession {
  core: VigieCore;
  api: DemoApi;
}

const RESTARTING = { ok: false, error: { code: 'internal', message: 'Vigie redémarre : réessayez dans un instant.' } } as const;

export class DemoModeSwitcher {
  readonly folder: string;
  readonly handlers: DemoModeHandlers;
  /** Hands a renderer request to the core shown now. */
  readonly dispatch: IpcDispatch = (channel, payload) => {
    const core = this.session?.core ?? this.options.realCore();
    return core ? core.dispatch(channel, payload) : Promise.resolve(RESTARTING);
  };
  private readonly supplierCount: number;
  private session: DemoSession | null = null;
  // one change of mode at a time: a second « Essayer » while the first builds waits for it
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: DemoModeOptions) {
    this.folder = join(options.userDataDir, DEMO_FOLDER_NAME);
    this.supplierCount = options.supplierCount ?? DEMO_SUPPLIER_COUNT;
    this.handlers = {
      'demo.status': () => this.status(),
      'demo.enter': () => this.enter(),
      'demo.leave': () => this.leave(),
    };
  }

  /** The user's own register: open from start to end, whatever is shown. */
  get real(): VigieCore {
    const core = this.options.realCore();
    if (!core) throw new Error('the real core is closed');
    return core;
  }

  get active(): boolean {
    return this.session !== null;
  }

  /** The core the renderer talks to now. */
  get current(): VigieCore {
    return this.session?.core ?? this.real;
  }

  /** The fake API's address while the demonstration is shown. */
  get demoApiUrl(): string | null {
    return this.session?.api.api.url ?? null;
  }

  status(): DemoStatus {
    if (this.session) return { active: true, offered: false };
    // a first launch: nothing of the user's yet, the demonstration is offered beside the token and the import
    const empty = this.real.db.prepare('SELECT 1 FROM suppliers LIMIT 1').get() === undefined;
    return { active: false, offered: empty && this.real.vault.summary().state === 'absent' };
  }

  enter(): Promise<DemoStatus> {
    return this.serially(async () => {
      if (this.closed) throw new Error('the app is closing');
      if (!this.session) {
        const started = Date.now();
        try {
          this.session = await this.open();
        } catch (error) {
          this.options.logger.error('demonstration not started', { error: error instanceof Error ? error.message : String(error) });
          throw new UserFacingError(
            'bad-input',
            'La démonstration n’a pas pu démarrer. Vos données ne sont pas touchées ; le détail est dans le journal de Vigie.',
            error instanceof Error ? error.message : String(error),
          );
        }
        this.options.logger.info('demonstration entered', { ms: Date.now() - started });
      }
      return this.status();
    });
  }

  leave(): Promise<DemoStatus> {
    return this.serially(async () => {
      await this.shut();
      return this.status();
    });
  }

  /** Quitting the app while the demonstration is shown: stops it; the real core is the shell's to close. */
  stopDemonstration(): Promise<void> {
    this.closed = true;
    return this.serially(() => this.shut());
  }

  /** Stops the demonstration and closes the real core (the test harness; the shell closes its own). */
  async close(): Promise<void> {
    await this.stopDemonstration();
    this.options.realCore()?.close();
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async open(): Promise<DemoSession> {
    const databasePath = join(this.folder, DEMO_DATABASE_NAME);
    const today = localDay(Date.now());
    const reuse = existsSync(databasePath) && this.marker()?.builtOn === today;
    if (!reuse) await rm(this.folder, { recursive: true, force: true });
    await mkdir(this.folder, { recursive: true });
    const clock = new ReplayClock();
    const api = await startDemoApi({ supplierCount: this.supplierCount, now: () => clock.now() });
    let building = !reuse;
    let core: VigieCore | null = null;
    try {
      const desktop = this.options.demoCore.desktop;
      core = createVigieCore({
        databasePath,
        nativeBinding: this.options.demoCore.nativeBinding,
        dialogs: this.options.demoCore.dialogs,
        logger: this.options.logger,
        clock,
        userDataDir: this.folder,
        // never the real store: the demonstration's settings and token live as long as it is shown
        store: new MemoryKeyValueStore(),
        // a demonstration token opens invented data only: its key file is consent enough
        cipher: new LocalKeyCipher(join(this.folder, 'token.key')),
        // straight to 127.0.0.1, whatever proxy the system has
        transport: (url, init) => fetch(url, init),
        desktop: desktop && {
          openExternal: (url) => desktop.openExternal(url),
          // the runs that build the register are not news
          notify: (title, body) => {
            if (!building) desktop.notify?.(`${title} (démonstration)`, body);
          },
        },
        demoMode: this.handlers,
      });
      core.settings.update({ communeSiret: DEMO_COMMUNE_SIRET, apiEnvironment: 'local', localApiUrl: api.api.url });
      core.api.settingsChanged();
      const vault = core.vault;
      const storeToken = async () => {
        const stored = await vault.submit(api.mintToken(), true);
        if (stored.status !== 'stored') throw new Error(`the demonstration token was not stored (${stored.status})`);
      };
      if (!building) await storeToken();
      else {
        const report = await buildDemoRegister(core, api.api, clock, storeToken, this.supplierCount);
        await writeFile(
          join(this.folder, MARKER_NAME),
          JSON.stringify({ version: REGISTER_VERSION, builtOn: today, suppliers: report.suppliers }),
        );
        this.options.logger.info('demonstration register built', { ...report });
        building = false;
      }
      core.refresh.start();
      return { core, api };
    } catch (error) {
      core?.close();
      await api.close();
      throw error;
    }
  }

  /** The marker of the register on disk, if it matches this version and size. */
  private marker(): z.infer<typeof markerSchema> | null {
    try {
      const parsed = markerSchema.safeParse(JSON.parse(readFileSync(join(this.folder, MARKER_NAME), 'utf8')));
      if (!parsed.success || parsed.data.version !== REGISTER_VERSION || parsed.data.suppliers !== this.supplierCount) return null;
      return parsed.data;
    } catch {
      return null;
    }
  }

  private async shut(): Promise<void> {
    const session = this.session;
    if (!session) return;
    // requests from now on reach the real core
    this.session = null;
    await pauseRun(session.core);
    session.core.close();
    await session.api.close();
    this.options.logger.info('demonstration left');
  }
}

/** A run under way is paused (it can be resumed next time); its calls under way finish first. */
async function pauseRun(core: VigieCore): Promise<void> {
  const engine = core.refresh.engine;
  if (!engine.running) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, PAUSE_TIMEOUT_MS);
    const unsubscribe = engine.onFinished(done);
    function done(): void {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    }
    engine.pause();
  });
}

/** The computer's calendar day, YYYY-MM-DD. */
function localDay(at: number): string {
  const date = new Date(at);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}
