// Electron's security checklist, item by item, checked on the shell's source: Electron itself
// cannot run here, so the TypeScript of src-main/electron-main is parsed and each rule asserted on
// its syntax tree (values, handlers, call sites), not on loose text. A change that drops a rule
// fails here with the item's name. The fuses of the packaged app are checked as data.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { IPC_INVOKE_CHANNEL } from '../../src-main/common/ipc-channels';
import { RENDERER_CSP } from '../../src-main/node/app/renderer-assets';
import { ELECTRON_BUILDER_FUSES, ELECTRON_FUSES, fusesV1Config } from '../../src-main/node/safety/electron-fuses';
import { isAllowedExternalUrl } from '../../src-main/node/safety/external-links';
import { API_ENTREPRISE_ACCOUNT_URL } from '../../src-main/node/token/token-vault';

const ROOT = resolve(import.meta.dirname, '..', '..');

interface Source {
  path: string;
  file: ts.SourceFile;
}

function load(folder: string): Source[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.(ts|tsx|mts|cts)$/.test(name) && !name.endsWith('.d.ts'))
    .sort()
    .map((name) => {
      const path = `${folder}/${name.split('\\').join('/')}`;
      const text = readFileSync(join(ROOT, path), 'utf8');
      return { path, file: ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true, name.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS) };
    });
}

const shell = load('src-main/electron-main');
const preload = load('src-main/preload');
const mainProcess = [...shell, ...load('src-main/node'), ...load('src-main/cli')];
const byName = (name: string): Source => {
  const found = shell.find((s) => s.path.endsWith(`/${name}`));
  if (!found) throw new Error(`${name} not found in src-main/electron-main`);
  return found;
};

function descendants(node: ts.Node): ts.Node[] {
  const out: ts.Node[] = [];
  const visit = (n: ts.Node) => {
    out.push(n);
    n.forEachChild(visit);
  };
  node.forEachChild(visit);
  return out;
}

/** Calls whose callee is written `a.b.c` ending with `name` (`ipcMain.handle`, `contents.on`). */
function callsTo(sources: readonly Source[], name: string): { source: Source; call: ts.CallExpression }[] {
  const out: { source: Source; call: ts.CallExpression }[] = [];
  for (const source of sources) {
    for (const node of descendants(source.file)) {
      if (!ts.isCallExpression(node)) continue;
      const callee = node.expression.getText(source.file).replace(/\?\./g, '.');
      if (callee === name || callee.endsWith(`.${name}`)) out.push({ source, call: node });
    }
  }
  return out;
}

/** `contents.on('will-navigate', handler)`: the handler given for an event name. */
function handlersFor(source: Source, method: string, event: string): ts.Node[] {
  return callsTo([source], method)
    .filter(({ call }) => ts.isStringLiteral(call.arguments[0] ?? call) && (call.arguments[0] as ts.StringLiteral).text === event)
    .map(({ call }) => call.arguments[1] as ts.Node);
}

function functionNamed(source: Source, name: string): ts.FunctionDeclaration | ts.ArrowFunction {
  for (const node of descendants(source.file)) {
    if (ts.isFunctionDeclaration(node) && node.name?.text === name) return node;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name && node.initializer && ts.isArrowFunction(node.initializer)) {
      return node.initializer;
    }
  }
  throw new Error(`${name} not found in ${source.path}`);
}

const textOf = (source: Source, node: ts.Node) => node.getText(source.file);
/** Code without comments, for the few checks that look at literals. */
const codeOf = (source: Source) => source.file.getFullText().replace(/\/\*[\s\S]*?\*\/|(?<!:)\/\/.*$/gm, '');

/** The object literal an arrow function returns (`(...) => ({ ... })`). */
function returnedObject(fn: ts.FunctionDeclaration | ts.ArrowFunction): ts.ObjectLiteralExpression {
  let body: ts.Node | undefined = fn.body;
  while (body && ts.isParenthesizedExpression(body)) body = body.expression;
  if (body && ts.isObjectLiteralExpression(body)) return body;
  throw new Error('expected an arrow function returning an object literal');
}

function propertyValues(object: ts.ObjectLiteralExpression, source: Source): Map<string, string> {
  const values = new Map<string, string>();
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property)) values.set(property.name.getText(source.file), textOf(source, property.initializer));
    else if (ts.isShorthandPropertyAssignment(property)) values.set(property.name.text, property.name.text);
  }
  return values;
}

describe('1. webPreferences: isolation, sandbox, no Node in the page, web security', () => {
  const security = byName('window-security.ts');
  const preferences = propertyValues(returnedObject(functionNamed(security, 'secureWebPreferences')), security);

  it.each([
    ['contextIsolation', 'true'],
    ['sandbox', 'true'],
    ['nodeIntegration', 'false'],
    ['nodeIntegrationInWorker', 'false'],
    ['webSecurity', 'true'],
    ['allowRunningInsecureContent', 'false'],
    ['webviewTag', 'false'],
  ])('%s is %s', (name, value) => {
    expect(preferences.get(name)).toBe(value);
  });

  it('enables nothing experimental and no Node in subframes', () => {
    for (const name of ['experimentalFeatures', 'enableBlinkFeatures', 'nodeIntegrationInSubFrames', 'enableRemoteModule']) {
      expect(preferences.has(name), name).toBe(false);
    }
  });

  it('every window and view of the shell is created with these preferences', () => {
    const created = shell.flatMap((source) =>
      descendants(source.file)
        .filter((n): n is ts.NewExpression => ts.isNewExpression(n) && /^(BrowserWindow|BrowserView|WebContentsView)$/.test(n.expression.getText(source.file)))
        .map((n) => ({ source, n })),
    );
    expect(created.length).toBeGreaterThan(0);
    for (const { source, n } of created) {
      const options = n.arguments?.[0];
      expect(options && ts.isObjectLiteralExpression(options), `${source.path}: options must be an object literal`).toBe(true);
      const webPreferences = propertyValues(options as ts.ObjectLiteralExpression, source).get('webPreferences') ?? '';
      expect(webPreferences, source.path).toMatch(/^secureWebPreferences\(/);
    }
  });

  it('the preload exposes one invoke function, never ipcRenderer itself', () => {
    const exposed = callsTo(preload, 'contextBridge.exposeInMainWorld');
    expect(exposed).toHaveLength(1);
    const source = preload[0] as Source;
    const code = codeOf(source);
    expect(code).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
    expect(code).toMatch(/ipcRenderer\.invoke\(IPC_INVOKE_CHANNEL/);
    for (const method of ['ipcRenderer.on', 'ipcRenderer.send', 'ipcRenderer.sendSync']) expect(callsTo(preload, method), method).toEqual([]);
  });
});

describe('2. a strict Content-Security-Policy, as a header and in the page', () => {
  const directives = (csp: string) =>
    new Map(
      csp
        .split(';')
        .map((d) => d.trim())
        .filter(Boolean)
        .map((d) => {
          const [name, ...values] = d.split(/\s+/);
          return [name as string, values.join(' ')];
        }),
    );
  const header = directives(RENDERER_CSP);

  it('allows only the app itself: no inline or eval script, no remote origin, no plugin', () => {
    expect(header.get('default-src')).toBe("'none'");
    expect(header.get('script-src')).toBe("'self'");
    expect(header.get('connect-src')).toBe("'self'");
    expect(header.get('frame-ancestors')).toBe("'none'");
    expect(RENDERER_CSP).not.toMatch(/unsafe-|https?:|\*|blob:|ws:/);
  });

  it('the meta tag of index.html says the same as the header (frame-ancestors only works as a header)', () => {
    const html = readFileSync(join(ROOT, 'src-renderer/index.html'), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html)?.[1];
    expect(meta).toBeDefined();
    const inPage = directives(meta ?? '');
    for (const [name, value] of inPage) expect(header.get(name), name).toBe(value);
    for (const [name] of header) if (name !== 'frame-ancestors') expect(inPage.has(name), name).toBe(true);
  });

  it('the app protocol sends the CSP with every answer and is registered without bypassing it', () => {
    const protocolSource = byName('app-protocol.ts');
    const code = codeOf(protocolSource);
    expect(code).toMatch(/loadRendererAsset\(/);
    expect(code).toMatch(/headers:\s*asset\.headers/);
    const registration = callsTo([protocolSource], 'protocol.registerSchemesAsPrivileged');
    expect(registration).toHaveLength(1);
    const privileges = textOf(protocolSource, registration[0]?.call as ts.Node);
    expect(privileges).not.toMatch(/bypassCSP:\s*true/);
    expect(privileges).toMatch(/secure:\s*true/);
  });
});

describe('3. no remote content, no file://', () => {
  it('loads only the app protocol, or the development server when not packaged', () => {
    const loads = callsTo(shell, 'loadURL');
    expect(loads.length).toBeGreaterThan(0);
    for (const { source, call } of loads) expect(textOf(source, call.arguments[0] as ts.Node)).toBe('devServerUrl ?? `${APP_ORIGIN}/index.html`');
    expect(codeOf(byName('main.ts'))).toMatch(/const devServerUrl = app\.isPackaged \? undefined : process\.env\.ELECTRON_RENDERER_URL;/);
  });

  it('never uses loadFile nor a file://, http:// or https:// address in the shell', () => {
    expect(callsTo(shell, 'loadFile')).toEqual([]);
    for (const source of shell) {
      const literals = descendants(source.file).filter((n) => ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateHead(n));
      for (const literal of literals) expect((literal as ts.LiteralLikeNode).text, source.path).not.toMatch(/^(file|https?):\/\//i);
    }
  });

  it('the app protocol serves its own host only', () => {
    expect(codeOf(byName('app-protocol.ts'))).toMatch(/if \(url\.host !== APP_HOST\) return new Response\('forbidden', \{ status: 403 \}\);/);
  });
});

describe('4. navigation, new windows, webviews and permissions are denied', () => {
  const security = byName('window-security.ts');
  const main = byName('main.ts');

  it('will-navigate and will-redirect prevent anything that is not the app', () => {
    for (const event of ['will-navigate', 'will-redirect']) {
      const [handler] = handlersFor(security, 'contents.on', event);
      expect(handler, event).toBeDefined();
      expect(textOf(security, handler as ts.Node).replace(/\s+/g, ' ')).toBe('(event, url) => { if (!isAppUrl(url)) event.preventDefault(); }');
    }
  });

  it('setWindowOpenHandler denies every new window; will-attach-webview is prevented', () => {
    const opens = callsTo([security], 'setWindowOpenHandler');
    expect(opens).toHaveLength(1);
    const handler = opens[0]?.call.arguments[0] as ts.Node;
    const returned = descendants(handler).filter((n) => ts.isPropertyAssignment(n) && n.name.getText(security.file) === 'action');
    expect(returned.map((n) => textOf(security, (n as ts.PropertyAssignment).initializer))).toEqual(["'deny'"]);
    expect(textOf(security, handlersFor(security, 'contents.on', 'will-attach-webview')[0] as ts.Node)).toMatch(/event\.preventDefault\(\)/);
  });

  it('every webContents is locked down: the main window and any created later', () => {
    const lockDowns = callsTo([main], 'lockDownWebContents');
    expect(lockDowns.map(({ call }) => textOf(main, call.arguments[0] as ts.Node))).toEqual(['mainWindow.webContents', 'contents']);
    const created = handlersFor(main, 'app.on', 'web-contents-created')[0];
    expect(created && textOf(main, created)).toMatch(/lockDownWebContents\(contents,/);
  });

  it('permission requests and checks are denied, before the window exists', () => {
    const requestHandlers = callsTo([security], 'setPermissionRequestHandler');
    expect(requestHandlers).toHaveLength(1);
    const requestHandler = textOf(security, requestHandlers[0]?.call.arguments[0] as ts.Node);
    expect(requestHandler).toMatch(/callback\(false\)/);
    expect(requestHandler).not.toMatch(/callback\(true\)/);
    const checkHandlers = callsTo([security], 'setPermissionCheckHandler');
    expect(checkHandlers.map(({ call }) => textOf(security, call.arguments[0] as ts.Node))).toEqual(['() => false']);
    const ready = textOf(main, callsTo([main], 'app.whenReady().then')[0]?.call.arguments[0] as ts.Node);
    expect(ready.indexOf('denyAllPermissions()')).toBeGreaterThanOrEqual(0);
    expect(ready.indexOf('denyAllPermissions()')).toBeLessThan(ready.indexOf('createWindow()'));
  });
});

describe('5. IPC: one channel, every message checked for its sender, then validated by the dispatcher', () => {
  const main = byName('main.ts');

  it('registers only ipcMain.handle on the invoke channel (no on, once or handleOnce)', () => {
    for (const method of ['ipcMain.on', 'ipcMain.once', 'ipcMain.handleOnce', 'ipcMain.addListener']) expect(callsTo(shell, method), method).toEqual([]);
    const handles = callsTo(shell, 'ipcMain.handle');
    expect(handles).toHaveLength(1);
    expect(textOf(main, handles[0]?.call.arguments[0] as ts.Node)).toBe('IPC_INVOKE_CHANNEL');
    expect(IPC_INVOKE_CHANNEL).toBe('vigie:invoke');
  });

  it('the handler refuses an untrusted sender first, then hands the raw payload to the validating dispatcher', () => {
    const handler = callsTo([main], 'ipcMain.handle')[0]?.call.arguments[1];
    expect(handler && ts.isArrowFunction(handler) && ts.isBlock(handler.body)).toBe(true);
    const statements = ((handler as ts.ArrowFunction).body as ts.Block).statements;
    const guard = statements.find((s): s is ts.IfStatement => ts.isIfStatement(s));
    expect(guard).toBeDefined();
    const condition = textOf(main, (guard as ts.IfStatement).expression);
    expect(condition).toMatch(/event\.sender !== mainWindow\?\.webContents/);
    expect(condition).toMatch(/!isTrustedSenderUrl\(frameUrl, devServerUrl\)/);
    expect(textOf(main, (guard as ts.IfStatement).thenStatement)).toMatch(/return \{ ok: false, error: \{ code: 'invalid-request'/);
    const last = statements.at(-1);
    expect(last && textOf(main, last)).toBe('return dispatch(channel, payload);');
    // the sender's URL is the frame's, not the top page's
    expect(textOf(main, handler as ts.Node)).toMatch(/const frameUrl = event\.senderFrame\?\.url;/);
    expect(statements.indexOf(guard as ts.Statement)).toBeLessThan(statements.length - 1);
    // the dispatcher hands each call to the core shown (the real one or the demonstration's), whose
    // createIpcDispatcher validates every payload against the contract
    expect(codeOf(main)).toMatch(/const dispatch = demo\.dispatch;/);
    expect(readFileSync(join(ROOT, 'src-main/node/app/demo-mode.ts'), 'utf8')).toMatch(/return core \? core\.dispatch\(channel, payload\)/);
    expect(readFileSync(join(ROOT, 'src-main/node/app/vigie-core.ts'), 'utf8')).toMatch(/dispatch: createIpcDispatcher\(handlers, logger\)/);
  });
});

/**
 * Each use of `shell.openExternal` that is not allow-listed. Allowed: passed to or called inside
 * `openExternalSafely(...)`, or called in a function that first leaves (throw or return) unless
 * its argument passes `isAllowedExternalUrl(arg)` or equals an upper-case constant.
 */
function unguardedOpenExternal(source: Source): string[] {
  const offending: string[] = [];
  for (const node of descendants(source.file)) {
    if (!ts.isPropertyAccessExpression(node) || node.name.text !== 'openExternal') continue;
    if (!/(^|\.)shell$/.test(node.expression.getText(source.file))) continue;
    let guarded = false;
    let enclosing: ts.FunctionLikeDeclaration | undefined;
    for (let parent: ts.Node | undefined = node.parent; parent && !ts.isSourceFile(parent); parent = parent.parent) {
      if (ts.isCallExpression(parent) && parent.expression.getText(source.file) === 'openExternalSafely') guarded = true;
      if (!enclosing && (ts.isArrowFunction(parent) || ts.isFunctionExpression(parent) || ts.isFunctionDeclaration(parent) || ts.isMethodDeclaration(parent))) {
        enclosing = parent;
      }
    }
    const call = node.parent;
    if (!guarded && ts.isCallExpression(call) && call.expression === node && enclosing?.body && ts.isBlock(enclosing.body)) {
      const argument = call.arguments[0]?.getText(source.file) ?? '';
      const escaped = argument.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const allowed = new RegExp(`^(!isAllowedExternalUrl\\(${escaped}\\)|${escaped} !== [A-Z][A-Z0-9_]*|[A-Z][A-Z0-9_]* !== ${escaped})$`);
      for (const statement of enclosing.body.statements) {
        if (statement.getStart(source.file) >= call.getStart(source.file)) break;
        if (!ts.isIfStatement(statement) || !allowed.test(statement.expression.getText(source.file))) continue;
        const exit = ts.isBlock(statement.thenStatement) ? statement.thenStatement.statements[0] : statement.thenStatement;
        if (exit && (ts.isThrowStatement(exit) || ts.isReturnStatement(exit))) guarded = true;
      }
    }
    if (!guarded) offending.push(`${source.path}: ${textOf(source, node.parent)}`);
  }
  return offending;
}

describe('6. shell.openExternal only through an allow-list', () => {
  it('no code of the main process opens an external URL without an allow-list check first', () => {
    expect(mainProcess.flatMap(unguardedOpenExternal)).toEqual([]);
  });

  it('the checker itself: catches an unguarded call, a guard after the call, a guard that does not leave', () => {
    const check = (code: string) => unguardedOpenExternal({ path: 'x.ts', file: ts.createSourceFile('x.ts', code, ts.ScriptTarget.ES2022, true) });
    expect(check('const f = async (url) => { await shell.openExternal(url); };')).toHaveLength(1);
    expect(check('const f = async (url) => { await shell.openExternal(url); if (url !== ACCOUNT_URL) throw new Error(); };')).toHaveLength(1);
    expect(check('const f = async (url) => { if (url !== ACCOUNT_URL) log(url); await shell.openExternal(url); };')).toHaveLength(1);
    expect(check('const f = async (url, other) => { if (other !== ACCOUNT_URL) throw new Error(); await shell.openExternal(url); };')).toHaveLength(1);
    expect(check('const f = async (url) => { if (url !== ACCOUNT_URL) throw new Error(); await shell.openExternal(url); };')).toEqual([]);
    expect(check('async function f(url) { if (!isAllowedExternalUrl(url)) return; await electron.shell.openExternal(url); }')).toEqual([]);
    expect(check('const f = (url) => openExternalSafely(url, (u) => shell.openExternal(u));')).toEqual([]);
    expect(check('const f = (url) => openExternalSafely(url, shell.openExternal);')).toEqual([]);
    // another object's openExternal (the core's DesktopActions port) is not the shell's
    expect(check('const f = () => desktop.openExternal(URL);')).toEqual([]);
  });

  it('the allow-list admits the pages Vigie links to and nothing that starts a program', () => {
    expect(isAllowedExternalUrl(API_ENTREPRISE_ACCOUNT_URL)).toBe(true);
    expect(isAllowedExternalUrl('https://entreprise.api.gouv.fr/compte')).toBe(true);
    expect(isAllowedExternalUrl('file:///C:/Windows/System32/calc.exe')).toBe(false);
  });
});

describe('7. Electron fuses of the packaged app', () => {
  it.each([
    ['RunAsNode', false],
    ['EnableNodeOptionsEnvironmentVariable', false],
    ['EnableNodeCliInspectArguments', false],
    ['EnableCookieEncryption', true],
    ['EnableEmbeddedAsarIntegrityValidation', true],
    ['OnlyLoadAppFromAsar', true],
    ['LoadBrowserProcessSpecificV8Snapshot', false],
    ['GrantFileProtocolExtraPrivileges', false],
  ] as const)('%s is %s', (name, value) => {
    expect(ELECTRON_FUSES[name]).toBe(value);
  });

  it('has exactly these fuses, frozen', () => {
    expect(Object.keys(ELECTRON_FUSES)).toHaveLength(8);
    expect(Object.isFrozen(ELECTRON_FUSES)).toBe(true);
  });

  it('maps onto @electron/fuses (enum values as keys) and electron-builder (camelCase)', () => {
    // the shape of FuseV1Options: a numeric enum
    const FuseV1Options = {
      RunAsNode: 0,
      EnableCookieEncryption: 1,
      EnableNodeOptionsEnvironmentVariable: 2,
      EnableNodeCliInspectArguments: 3,
      EnableEmbeddedAsarIntegrityValidation: 4,
      OnlyLoadAppFromAsar: 5,
      LoadBrowserProcessSpecificV8Snapshot: 6,
      GrantFileProtocolExtraPrivileges: 7,
    };
    expect(fusesV1Config(FuseV1Options, '1')).toEqual({ version: '1', 0: false, 1: true, 2: false, 3: false, 4: true, 5: true, 6: false, 7: false });
    expect(() => fusesV1Config({ ...FuseV1Options, RunAsNode: undefined } as unknown as typeof FuseV1Options, '1')).toThrow(/FuseV1Options\.RunAsNode/);
    expect(ELECTRON_BUILDER_FUSES).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});
