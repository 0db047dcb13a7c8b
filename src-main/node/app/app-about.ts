// « À propos de Vigie »: the version, where the data and the logs are, and the runtimes: what a
// support call asks first. Shown in Paramètres (IPC `app.about`) and in the menu's message box.
import { join } from 'node:path';
import { version as packageVersion } from '../../../package.json';
import type { AppAbout } from '../../common/ipc-contract';

/** What only the shell knows for sure; the CLI and the tests fall back on the defaults below. */
export interface AppInfo {
  version: string;
  dataFolder: string;
  logsFolder: string;
}

/** The package's version and the user-data folder's layout (`logs/` beside the database). */
export function defaultAppInfo(userDataDir: string): AppInfo {
  return { version: packageVersion, dataFolder: userDataDir, logsFolder: join(userDataDir, 'logs') };
}

/** The runtimes' versions (`process.versions`: Electron and Chromium only inside the app). */
export type RuntimeVersions = Readonly<Record<string, string | undefined>> & { readonly node: string; readonly v8: string };

export function describeApp(info: AppInfo, versions: RuntimeVersions = process.versions): AppAbout {
  return {
    name: 'Vigie',
    version: info.version,
    dataFolder: info.dataFolder,
    logsFolder: info.logsFolder,
    runtime: {
      electron: versions['electron'] ?? null,
      chrome: versions['chrome'] ?? null,
      node: versions.node,
      v8: versions.v8,
    },
  };
}

export interface AboutDialog {
  title: string;
  message: string;
  detail: string;
  buttons: string[];
}

/** The native message box of Aide › À propos de Vigie, in French. */
export function aboutDialog(about: AppAbout): AboutDialog {
  const runtimes = [
    about.runtime.electron ? `Electron ${about.runtime.electron}` : null,
    about.runtime.chrome ? `Chromium ${about.runtime.chrome}` : null,
    `Node.js ${about.runtime.node}`,
  ].filter((part): part is string => part !== null);
  return {
    title: 'À propos de Vigie',
    message: `${about.name} ${about.version}`,
    detail: [
      'Registre des tiers de la commune, tenu à jour avec API Entreprise.',
      '',
      `Dossier des données\u00a0: ${about.dataFolder}`,
      `Journaux techniques\u00a0: ${about.logsFolder}`,
      '',
      runtimes.join(', '),
    ].join('\n'),
    buttons: ['OK'],
  };
}
