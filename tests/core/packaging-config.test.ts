import { describe, expect, it } from 'vitest';
import config from '../../electron-builder.config.mjs';
import { ELECTRON_BUILDER_FUSES } from '../../src-main/node/safety/electron-fuses';

describe('installer configuration', () => {
  it('sets every fuse as the security settings require', () => {
    expect(config.electronFuses).toEqual(ELECTRON_BUILDER_FUSES);
  });

  it('installs per user without administrator rights, for Windows, Linux and macOS', () => {
    expect(config.nsis).toMatchObject({ perMachine: false, allowElevation: false, oneClick: false });
    expect(config.win.target).toEqual(['nsis', 'portable']);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config).toMatchObject({ appId: 'fr.vigie.registre-des-tiers', productName: 'Vigie' });
  });

  it('packs the built app in an asar archive with the native SQLite module unpacked and built from source', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**/*.node');
    expect(config.buildDependenciesFromSource).toBe(true);
    expect(config.files).toEqual(expect.arrayContaining(['out/**', 'resources/**']));
  });
});
