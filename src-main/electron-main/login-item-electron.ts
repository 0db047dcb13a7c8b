// Starting with the user's session: Electron's login item on Windows and macOS, an XDG autostart
// desktop entry on Linux. What to register is decided by loginItemPlan (desktop-lifecycle.ts).
import { app } from 'electron';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { xdgAutostartFolder, type LoginItemPort, type LoginItemTarget } from '../node/app/desktop-lifecycle';

export function electronLoginItemPort(): LoginItemPort {
  const folder = xdgAutostartFolder(process.env, homedir());
  return {
    setLoginItemSettings: (settings) => app.setLoginItemSettings(settings),
    writeAutostartEntry: (fileName, content) => {
      mkdirSync(folder, { recursive: true });
      // written aside then renamed: a desktop never reads half an entry
      const temporary = join(folder, `.${fileName}.part`);
      writeFileSync(temporary, content, { encoding: 'utf8', mode: 0o644 });
      renameSync(temporary, join(folder, fileName));
    },
    removeAutostartEntry: (fileName) => rmSync(join(folder, fileName), { force: true }),
  };
}

/** This installation's executable; an AppImage is started through its file, not its mount point. */
export function electronLoginItemTarget(): LoginItemTarget {
  return {
    platform: process.platform,
    executable: process.env.APPIMAGE ?? process.execPath,
    leadingArgs: app.isPackaged ? [] : [app.getAppPath()],
  };
}

/** macOS starts a login item without arguments: it says so here instead. */
export function wasOpenedAtLogin(): boolean {
  return process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin;
}
