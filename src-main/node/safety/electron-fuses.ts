// The Electron fuses of the packaged app, as plain data for the packaging configuration. Fuses
// are bits in the Electron binary, flipped before code signing, so the signature protects them:
// an attacker on the machine cannot turn Vigie's signed executable into a Node interpreter or a
// debuggable process to read the API token it holds. The packaging config imports this object
// (electron-builder: `electronFuses: ELECTRON_BUILDER_FUSES`; @electron/fuses or Forge's
// FusesPlugin: `fusesV1Config(FuseV1Options, FuseVersion.V1)`), so that the values live in one
// place and a test checks them.

/** The names of `FuseV1Options` in @electron/fuses. */
export type FuseName =
  | 'RunAsNode'
  | 'EnableCookieEncryption'
  | 'EnableNodeOptionsEnvironmentVariable'
  | 'EnableNodeCliInspectArguments'
  | 'EnableEmbeddedAsarIntegrityValidation'
  | 'OnlyLoadAppFromAsar'
  | 'LoadBrowserProcessSpecificV8Snapshot'
  | 'GrantFileProtocolExtraPrivileges';

export const ELECTRON_FUSES: Readonly<Record<FuseName, boolean>> = Object.freeze({
  // ELECTRON_RUN_AS_NODE=1 would make the signed binary a plain Node.js: off. Vigie forks no process
  // with process.fork (which needs it); background work belongs in a utilityProcess.
  RunAsNode: false,
  // Vigie keeps no cookies of its own, but any Chromium cookie store on disk is encrypted with the OS keys
  EnableCookieEncryption: true,
  // NODE_OPTIONS could inject `--require evil.js` into the main process: off
  EnableNodeOptionsEnvironmentVariable: false,
  // --inspect / --inspect-brk would let any local program attach a debugger and read memory (the token): off
  EnableNodeCliInspectArguments: false,
  // the app.asar is checked against the hash embedded at packaging (macOS, and Windows since Electron 30)
  EnableEmbeddedAsarIntegrityValidation: true,
  // only the signed app.asar is loaded, never an `app` folder dropped beside it
  OnlyLoadAppFromAsar: true,
  // the browser process uses the standard V8 snapshot; a separate one is a file that could be swapped
  LoadBrowserProcessSpecificV8Snapshot: false,
  // the renderer is served from vigie://app, never file://: file:// needs no extra privileges
  GrantFileProtocolExtraPrivileges: false,
});

/**
 * The object `flipFuses(electronPath, …)` and Forge's `new FusesPlugin(…)` take, built from the
 * package's own enum so that this module does not depend on it:
 * `fusesV1Config(FuseV1Options, FuseVersion.V1)`.
 */
export function fusesV1Config<V>(
  options: Readonly<Record<FuseName, number | string>>,
  version: V,
): { version: V } & Record<string, unknown> {
  const config: { version: V } & Record<string, unknown> = { version };
  for (const [name, value] of Object.entries(ELECTRON_FUSES) as [FuseName, boolean][]) {
    const key = options[name];
    if (key === undefined) throw new Error(`@electron/fuses has no FuseV1Options.${name}: check its version`);
    config[String(key)] = value;
  }
  return config;
}

const lowerFirst = (name: string) => `${name[0]?.toLowerCase() ?? ''}${name.slice(1)}`;

/** electron-builder's `electronFuses` option (camelCase names of the same fuses). */
export const ELECTRON_BUILDER_FUSES: Readonly<Record<string, boolean>> = Object.freeze(
  Object.fromEntries(Object.entries(ELECTRON_FUSES).map(([name, value]) => [lowerFirst(name), value])),
);
