// Installers, built on a machine with network access: `npm run dist` (see the README).
// better-sqlite3 has no prebuilt binary for Electron 43, so it is compiled from source against
// Electron's headers, and unpacked from the asar archive because a native module cannot load
// from inside it. The fuses disable what an attacker with a shell could use to turn the app
// into a Node.js runtime (checked against src-main/node/safety/electron-fuses.ts by a test).

/** @type {import('electron-builder').Configuration} */
const config = {
  appId: 'fr.vigie.registre-des-tiers',
  productName: 'Vigie',
  copyright: 'Vigie',
  directories: { output: 'dist', buildResources: 'build' },
  files: ['out/**', 'resources/**', 'package.json'],
  asar: true,
  asarUnpack: ['node_modules/better-sqlite3/**/*.node'],
  npmRebuild: true,
  buildDependenciesFromSource: true,
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  },
  win: { target: ['nsis', 'portable'], icon: 'build/icon.png' },
  // per-user install: no administrator rights on a town hall's locked-down PC
  nsis: { oneClick: false, perMachine: false, allowElevation: false, allowToChangeInstallationDirectory: true, language: '1036' },
  linux: { target: ['AppImage', 'deb'], category: 'Office', icon: 'build/icon.png' },
  mac: { target: ['dmg'], category: 'public.app-category.business' },
};

export default config;
