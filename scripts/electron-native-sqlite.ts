// Builds better-sqlite3 for the Electron runtime, beside (not over) the Node build that the tests
// use: the source is copied to .native/, compiled against Electron's headers there, and the
// addon kept at .native/electron-<version>/better_sqlite3.node, which the main process loads
// with better-sqlite3's `nativeBinding` option. Needs the network the first time (Electron headers).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ElectronSqlitePlan {
  electronVersion: string;
  output: string;
  workDir: string;
  gypArgs: string[];
}

export function planElectronSqliteBuild(projectRoot: string, electronVersion: string): ElectronSqlitePlan {
  const nativeDir = join(projectRoot, '.native');
  return {
    electronVersion,
    output: join(nativeDir, `electron-${electronVersion}`, 'better_sqlite3.node'),
    workDir: join(nativeDir, `build-${electronVersion}`, 'better-sqlite3'),
    gypArgs: [
      'rebuild',
      '--release',
      '--runtime=electron',
      `--target=${electronVersion}`,
      '--dist-url=https://electronjs.org/headers',
    ],
  };
}

/** npm passes its own node-gyp to scripts; outside npm, the one bundled with npm beside node. */
export function findNodeGyp(env: NodeJS.ProcessEnv, execPath: string): string {
  if (env.npm_config_node_gyp && existsSync(env.npm_config_node_gyp)) return env.npm_config_node_gyp;
  const candidates = [
    join(dirname(execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error('node-gyp not found: run this script through npm (npm start)');
  return found;
}

/** The build must target Electron's headers, so settings that pin Node's own headers are removed. */
export function electronBuildEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = { ...env };
  for (const key of Object.keys(clean)) {
    if (/^npm_config_(nodedir|target|runtime|disturl|dist_url)$/i.test(key)) delete clean[key];
  }
  return clean;
}

function main(): void {
  const projectRoot = process.cwd();
  const require = createRequire(join(projectRoot, 'package.json'));
  const electronVersion = (require('electron/package.json') as { version: string }).version;
  const plan = planElectronSqliteBuild(projectRoot, electronVersion);
  if (existsSync(plan.output)) return;
  const source = dirname(require.resolve('better-sqlite3/package.json'));
  console.log(`Préparation de SQLite pour Electron ${electronVersion} (une seule fois, environ une minute)…`);
  rmSync(plan.workDir, { recursive: true, force: true });
  mkdirSync(plan.workDir, { recursive: true });
  cpSync(source, plan.workDir, { recursive: true, filter: (path) => !path.startsWith(join(source, 'build')) });
  const result = spawnSync(process.execPath, [findNodeGyp(process.env, process.execPath), ...plan.gypArgs], {
    cwd: plan.workDir,
    env: electronBuildEnv(process.env),
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error('La compilation de SQLite pour Electron a échoué (voir les messages ci-dessus).');
    process.exit(result.status ?? 1);
  }
  mkdirSync(dirname(plan.output), { recursive: true });
  renameSync(join(plan.workDir, 'build', 'Release', 'better_sqlite3.node'), plan.output);
  rmSync(dirname(plan.workDir), { recursive: true, force: true });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) main();
