import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { electronBuildEnv, findNodeGyp, planElectronSqliteBuild } from '../../scripts/electron-native-sqlite';

const ROOT = resolve(import.meta.dirname, '..', '..');

describe('planElectronSqliteBuild', () => {
  const project = join(tmpdir(), 'vigie-project');
  const plan = planElectronSqliteBuild(project, '43.8.12');

  it('puts the addon under .native/electron-<version>/better_sqlite3.node', () => {
    expect(plan.electronVersion).toBe('43.8.12');
    expect(plan.output).toBe(join(project, '.native', 'electron-43.8.12', 'better_sqlite3.node'));
  });

  it('compiles against Electron’s headers for that exact version', () => {
    expect(plan.gypArgs[0]).toBe('rebuild');
    expect(plan.gypArgs).toContain('--runtime=electron');
    expect(plan.gypArgs).toContain('--target=43.8.12');
    expect(plan.gypArgs).toContain('--release');
    const distUrl = plan.gypArgs.find((a) => a.startsWith('--dist-url='));
    expect(distUrl).toBe('--dist-url=https://electronjs.org/headers');
    expect(plan.gypArgs.filter((a) => a.startsWith('--target='))).toHaveLength(1);
  });

  it('builds in a work folder under .native that is not the output folder (the work folder is deleted afterwards)', () => {
    expect(plan.workDir.startsWith(join(project, '.native') + sep)).toBe(true);
    // main() removes dirname(workDir) once done: the output must not be in there
    expect(plan.output.startsWith(dirname(plan.workDir) + sep)).toBe(false);
    expect(dirname(plan.workDir)).not.toBe(dirname(plan.output));
    // and it never builds inside node_modules, where the Node build the tests use lives
    expect(plan.workDir).not.toContain('node_modules');
  });

  it('keeps one addon per Electron version (each has its own ABI)', () => {
    const other = planElectronSqliteBuild(project, '44.0.0');
    expect(other.output).not.toBe(plan.output);
    expect(other.workDir).not.toBe(plan.workDir);
    expect(other.gypArgs).toContain('--target=44.0.0');
  });

  it('matches where the Electron main process looks for the addon', () => {
    const electronVersion = (createRequire(join(ROOT, 'package.json'))('electron/package.json') as { version: string }).version;
    const real = planElectronSqliteBuild(ROOT, electronVersion);
    expect(real.output).toBe(join(ROOT, '.native', `electron-${electronVersion}`, 'better_sqlite3.node'));
    const main = readFileSync(join(ROOT, 'src-main', 'electron-main', 'main.ts'), 'utf8');
    expect(main).toMatch(/'\.native',\s*`electron-\$\{process\.versions\.electron\}`,\s*'better_sqlite3\.node'/);
  });
});

describe('electronBuildEnv', () => {
  const env: NodeJS.ProcessEnv = {
    PATH: '/usr/local/bin:/usr/bin',
    HOME: '/home/agent',
    npm_config_nodedir: '/usr/include/node',
    NPM_CONFIG_NODEDIR: '/opt/node',
    npm_config_NodeDir: '/srv/node',
    npm_config_target: '20.19.0',
    npm_config_runtime: 'node',
    npm_config_disturl: 'https://nodejs.org/dist',
    npm_config_dist_url: 'https://nodejs.org/dist',
    npm_config_cache: '/home/agent/.npm',
    npm_config_nodedir_note: 'kept: not the nodedir setting',
  };

  it('removes npm_config_nodedir in any case, and the other settings that pin Node’s headers', () => {
    const clean = electronBuildEnv(env);
    for (const key of ['npm_config_nodedir', 'NPM_CONFIG_NODEDIR', 'npm_config_NodeDir', 'npm_config_target', 'npm_config_runtime', 'npm_config_disturl', 'npm_config_dist_url']) {
      expect(clean, key).not.toHaveProperty(key);
    }
  });

  it('keeps every other variable, PATH included', () => {
    expect(electronBuildEnv(env)).toEqual({
      PATH: '/usr/local/bin:/usr/bin',
      HOME: '/home/agent',
      npm_config_cache: '/home/agent/.npm',
      npm_config_nodedir_note: 'kept: not the nodedir setting',
    });
  });

  it('does not modify the environment it is given', () => {
    const copy = { ...env };
    electronBuildEnv(env);
    expect(env).toEqual(copy);
  });
});

describe('findNodeGyp', () => {
  let dir: string;
  let execPath: string;

  const touch = (path: string): string => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, '// node-gyp');
    return path;
  };
  /** Where npm keeps node-gyp beside a Unix node binary: <prefix>/lib/node_modules/npm/... */
  const unixBundled = () => join(dir, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  /** ... and beside node.exe on Windows: <folder>/node_modules/npm/... */
  const windowsBundled = () => join(dir, 'bin', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigie-gyp-'));
    execPath = join(dir, 'bin', 'node');
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('prefers npm_config_node_gyp when that file exists', () => {
    const fromNpm = touch(join(dir, 'npm-gyp', 'node-gyp.js'));
    touch(unixBundled());
    expect(findNodeGyp({ npm_config_node_gyp: fromNpm }, execPath)).toBe(fromNpm);
  });

  it('falls back to the node-gyp bundled with npm when npm_config_node_gyp points nowhere', () => {
    const bundled = touch(unixBundled());
    expect(findNodeGyp({ npm_config_node_gyp: join(dir, 'gone', 'node-gyp.js') }, execPath)).toBe(bundled);
  });

  it('finds the node-gyp bundled with npm beside a Unix node', () => {
    const bundled = touch(unixBundled());
    expect(findNodeGyp({}, execPath)).toBe(bundled);
  });

  it('finds the node-gyp bundled with npm beside a Windows node', () => {
    const bundled = touch(windowsBundled());
    expect(findNodeGyp({}, execPath)).toBe(bundled);
  });

  it('throws an error that says what to do when there is no node-gyp at all', () => {
    expect(() => findNodeGyp({}, execPath)).toThrow(/node-gyp not found.*npm/);
    expect(() => findNodeGyp({ npm_config_node_gyp: join(dir, 'gone.js') }, execPath)).toThrow(/node-gyp not found/);
  });
});
