// The French menu bar: Electron's Menu built from applicationMenuModel, and the native
// « À propos de Vigie » message box.
import { dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { AboutDialog } from '../node/app/app-about';
import type { AppMenu, AppMenuAction, AppMenuItem } from '../node/app/desktop-lifecycle';

export interface AppMenuActions {
  actions: Record<AppMenuAction, () => void>;
  /** Goes through the external-link allow-list (openExternalSafely). */
  openLink: (url: string) => void;
}

function toMenuItem(item: AppMenuItem, handlers: AppMenuActions): MenuItemConstructorOptions {
  switch (item.type) {
    case 'separator':
      return { type: 'separator' };
    case 'role':
      // the role brings the behaviour and the usual shortcut; the label makes it French
      return { role: item.role, label: item.label };
    case 'action': {
      const action = item.action;
      return { label: item.label, click: () => handlers.actions[action]() };
    }
    case 'link': {
      const url = item.url;
      return { label: item.label, click: () => handlers.openLink(url) };
    }
  }
}

export function installApplicationMenu(menus: readonly AppMenu[], handlers: AppMenuActions): void {
  const template = menus.map((menu) => ({ label: menu.label, submenu: menu.items.map((item) => toMenuItem(item, handlers)) }));
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

export async function showAboutDialog(window: BrowserWindow | null, about: AboutDialog): Promise<void> {
  const options = { type: 'info' as const, title: about.title, message: about.message, detail: about.detail, buttons: about.buttons, noLink: true };
  await (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options));
}
