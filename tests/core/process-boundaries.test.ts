// Architecture test: which code may run in which Electron process. The plain Node core and the
// CLI must run without Electron (that is how they are tested), `common/` must run in every
// process including the sandboxed renderer, and the sandboxed preload must stay tiny.
import { readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { IPC_CHANNELS } from '../../src-main/common/ipc-channels';
import { ipcContract } from '../../src-main/common/ipc-contract';

const ROOT = resolve(import.meta.dirname, '..', '..');

interface ImportRef {
  specifier: string;
  /** `import type ... from` / `export type ... from`: erased at build time. */
  typeOnly: boolean;
  kind: 'static' | 'side-effect' | 'dynamic' | 'require';
}

// `import x from 'a'`, `import { a,\n b } from 'a'`, `import type { T } from 'a'`, `export * from 'a'`,
// `export { a } from 'a'`. The clause may not contain `;`, quotes, `=`, parentheses nor another
// import/export keyword, so that it never runs across statements.
const FROM_CLAUSE = /^\s*(import|export)\s+(type\s+)?(?:(?!\b(?:import|export)\b)[^;'"=()])*?\bfrom\s*(['"])([^'"\n]+)\3/gm;
const SIDE_EFFECT = /^\s*import\s*(['"])([^'"\n]+)\1/gm;
const DYNAMIC = /\bimport\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;
const REQUIRE = /\brequire\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;
// whole-line comments only: a comment mentioning an import must not count, and nothing on a code line is dropped
const COMMENT_LINE = /^\s*(?:\/\/|\/\*|\*).*$/gm;

function parseImports(source: string): ImportRef[] {
  const code = source.replace(COMMENT_LINE, '');
  const refs: ImportRef[] = [];
  for (const m of code.matchAll(FROM_CLAUSE)) {
    refs.push({ specifier: m[4] as string, typeOnly: m[2] !== undefined, kind: 'static' });
  }
  for (const m of code.matchAll(SIDE_EFFECT)) refs.push({ specifier: m[2] as string, typeOnly: false, kind: 'side-effect' });
  for (const m of code.matchAll(DYNAMIC)) refs.push({ specifier: m[2] as string, typeOnly: false, kind: 'dynamic' });
  for (const m of code.matchAll(REQUIRE)) refs.push({ specifier: m[2] as string, typeOnly: false, kind: 'require' });
  return refs;
}

interface SourceFile {
  /** Path from the repository root, with forward slashes. */
  path: string;
  source: string;
  imports: ImportRef[];
}

function listSourceFiles(folder: string): string[] {
  const absolute = join(ROOT, folder);
  let entries: string[];
  try {
    entries = readdirSync(absolute, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/.test(entry) && !entry.endsWith('.d.ts'))
    .map((entry) => `${folder}/${entry.split(sep).join('/')}`)
    .sort();
}

function loadSources(folder: string): SourceFile[] {
  return listSourceFiles(folder).map((path) => {
    const source = readFileSync(join(ROOT, path), 'utf8');
    return { path, source, imports: parseImports(source) };
  });
}

/** Where a relative specifier points, from the repository root (no extension added); null for packages. */
function target(file: SourceFile, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  return relative(ROOT, resolve(ROOT, dirname(file.path), specifier)).split(sep).join('/');
}

const isUnder = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);
const isElectron = (specifier: string) =>
  specifier === 'electron' ||
  specifier.startsWith('electron/') ||
  specifier.startsWith('@electron/') ||
  specifier === 'electron-store' ||
  specifier.startsWith('electron-store/');
const isNodeBuiltin = (specifier: string) => specifier.startsWith('node:') || isBuiltin(specifier);

/** Every offending import as "file -> specifier", so a failure names what to fix. */
function violations(files: readonly SourceFile[], forbidden: (file: SourceFile, ref: ImportRef) => boolean): string[] {
  return files.flatMap((file) =>
    file.imports.filter((ref) => forbidden(file, ref)).map((ref) => `${file.path} -> ${ref.specifier}`),
  );
}

const common = loadSources('src-main/common');
const nodeCore = loadSources('src-main/node');
const cli = loadSources('src-main/cli');
const preload = loadSources('src-main/preload');
const electronMain = loadSources('src-main/electron-main');
const renderer = loadSources('src-renderer');
const allFiles = [...common, ...nodeCore, ...cli, ...preload, ...electronMain, ...renderer];

describe('the import scanner', () => {
  it('finds every form of import a source file can use', () => {
    const refs = parseImports(
      [
        "import a from 'default-import';",
        "import * as b from 'namespace-import';",
        'import {',
        '  c,',
        '  type D,',
        "} from 'multi-line-import';",
        "import type { E } from 'type-import';",
        "import 'side-effect';",
        "export * from 'export-star';",
        "export { f } from 'export-named';",
        "export type { G } from 'export-type';",
        "const h = await import('dynamic-import');",
        "const i = require('required');",
        "// import nope from 'commented-out';",
        "export const message = 'import x from nowhere';",
      ].join('\n'),
    );
    expect(refs.map((r) => [r.specifier, r.typeOnly]).sort()).toEqual(
      [
        ['default-import', false],
        ['namespace-import', false],
        ['multi-line-import', false],
        ['type-import', true],
        ['side-effect', false],
        ['export-star', false],
        ['export-named', false],
        ['export-type', true],
        ['dynamic-import', false],
        ['required', false],
      ].sort(),
    );
  });

  it('scans the real source tree (the rules below are not vacuous)', () => {
    expect(common.map((f) => f.path)).toContain('src-main/common/ipc-contract.ts');
    expect(nodeCore.map((f) => f.path)).toContain('src-main/node/ipc/ipc-dispatcher.ts');
    expect(cli.map((f) => f.path)).toContain('src-main/cli/vigie-cli.ts');
    expect(preload.map((f) => f.path)).toEqual(['src-main/preload/preload.ts']);
    expect(electronMain.flatMap((f) => f.imports.map((r) => r.specifier))).toContain('electron');
    expect(nodeCore.flatMap((f) => f.imports.map((r) => r.specifier))).toContain('better-sqlite3');
  });

  it('sees at least every module specifier that TypeScript’s own pre-processor sees', () => {
    const missed = allFiles.flatMap((file) => {
      const seen = new Set(file.imports.map((r) => r.specifier));
      return ts
        .preProcessFile(file.source, true, true)
        .importedFiles.map((ref) => ref.fileName)
        .filter((specifier) => !seen.has(specifier))
        .map((specifier) => `${file.path} -> ${specifier}`);
    });
    expect(missed).toEqual([]);
  });
});

describe('process boundaries', () => {
  it('keeps Electron out of the Node core, the shared code and the CLI', () => {
    expect(violations([...nodeCore, ...common, ...cli], (_file, ref) => isElectron(ref.specifier))).toEqual([]);
  });

  it('keeps the Node core, the shared code and the CLI independent of the Electron adapters and the preload', () => {
    const offending = violations([...nodeCore, ...common, ...cli], (file, ref) => {
      const to = target(file, ref.specifier);
      return to !== null && (isUnder(to, 'src-main/electron-main') || isUnder(to, 'src-main/preload'));
    });
    expect(offending).toEqual([]);
  });

  it('keeps src-main/common free of Node built-ins', () => {
    expect(violations(common, (_file, ref) => isNodeBuiltin(ref.specifier))).toEqual([]);
  });

  it('keeps src-main/common from reaching outside itself (node core, Electron shell, preload, CLI)', () => {
    const offending = violations(common, (file, ref) => {
      const to = target(file, ref.specifier);
      return to !== null && !isUnder(to, 'src-main/common');
    });
    expect(offending).toEqual([]);
  });

  it('lets the renderer import only src-main/common from the main side', () => {
    const offending = violations(renderer, (file, ref) => {
      const to = target(file, ref.specifier);
      if (to !== null) return isUnder(to, 'src-main') && !isUnder(to, 'src-main/common');
      // a path alias or package-style path to the main side
      return /(^|\/)src-main\//.test(ref.specifier) && !/(^|\/)src-main\/common(\/|$)/.test(ref.specifier);
    });
    expect(offending).toEqual([]);
  });

  it('keeps Electron and Node built-ins out of the sandboxed renderer', () => {
    const offending = violations(renderer, (_file, ref) => isElectron(ref.specifier) || isNodeBuiltin(ref.specifier));
    expect(offending).toEqual([]);
  });

  it('keeps the Electron shell a thin layer over the core: it imports only Electron, Node, the core and the shared code', () => {
    const offending = violations(electronMain, (file, ref) => {
      if (isElectron(ref.specifier) || isNodeBuiltin(ref.specifier)) return false;
      const to = target(file, ref.specifier);
      // a package other than Electron's would be logic the core's tests never run
      if (to === null) return true;
      return !['src-main/node', 'src-main/common', 'src-main/electron-main'].some((folder) => isUnder(to, folder));
    });
    expect(offending).toEqual([]);
    // the rule is about real files
    expect(electronMain.map((f) => f.path)).toContain('src-main/electron-main/main.ts');
  });

  it('keeps the sandboxed preload tiny: electron and the channel list, plus type-only contract imports', () => {
    const offending = violations(preload, (file, ref) => {
      if (ref.specifier === 'electron') return false;
      const to = target(file, ref.specifier)?.replace(/\.(ts|js)$/, '');
      if (to === 'src-main/common/ipc-channels') return false;
      if (ref.typeOnly && (to === 'src-main/common/ipc-contract' || to === 'src-main/common/ipc-channels')) return false;
      return true;
    });
    expect(offending).toEqual([]);
    // the check above is about real imports, not an empty file
    expect(preload[0]?.imports.map((r) => r.specifier)).toContain('electron');
  });
});

describe('IPC channel list', () => {
  it('names exactly the channels of the contract, once each', () => {
    expect(new Set(IPC_CHANNELS).size).toBe(IPC_CHANNELS.length);
    expect([...IPC_CHANNELS].sort()).toEqual(Object.keys(ipcContract).sort());
  });
});
