// The notification-area icon: Electron's Tray showing the menu model of desktop-lifecycle.ts,
// rebuilt when the status changes (every few seconds while a run goes, now and then otherwise).
import { Menu, nativeImage, Notification, Tray, type MenuItemConstructorOptions } from 'electron';
import {
  trayModel,
  trayRefreshDelayMs,
  type DesktopNotice,
  type TrayAction,
  type TrayInput,
  type TrayModel,
} from '../node/app/desktop-lifecycle';
import type { Logger } from '../node/logger';

export interface VigieTrayOptions {
  iconPath: string;
  /** The refresh status and token summary now; null once the core is closed. */
  readInput: () => TrayInput | null;
  actions: Record<TrayAction, () => void>;
  logger: Logger;
}

export interface VigieTray {
  /** Rebuilds the menu now (after an action, or when the window shows or hides). */
  update(): void;
  /** The first-hide notice: a balloon on Windows, a system notification elsewhere. */
  showNotice(notice: DesktopNotice): void;
  destroy(): void;
}

/** The icon, or null when this desktop has no notification area (Vigie then quits on close). */
export function createVigieTray(options: VigieTrayOptions): VigieTray | null {
  let tray: Tray;
  try {
    const image = nativeImage.createFromPath(options.iconPath);
    tray = new Tray(process.platform === 'linux' ? image : image.resize({ width: 16, height: 16 }));
  } catch (error) {
    options.logger.warn('tray: no notification area icon', { error: error instanceof Error ? error.message : String(error) });
    return null;
  }
  let shown = '';
  let timer: NodeJS.Timeout | null = null;

  const toMenuItem = (item: TrayModel['items'][number]): MenuItemConstructorOptions => {
    if (item.type === 'separator') return { type: 'separator' };
    if (item.type === 'status') return { label: item.label, enabled: false };
    const action = item.action;
    return { label: item.label, enabled: item.enabled, click: () => options.actions[action]() };
  };

  const update = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const input = options.readInput();
    if (!input || tray.isDestroyed()) return;
    const model = trayModel(input);
    const key = JSON.stringify(model);
    if (key !== shown) {
      shown = key;
      tray.setToolTip(model.tooltip);
      tray.setContextMenu(Menu.buildFromTemplate(model.items.map(toMenuItem)));
    }
    timer = setTimeout(update, trayRefreshDelayMs(input.refresh));
    timer.unref();
  };

  tray.on('click', () => options.actions.open());
  update();

  return {
    update,
    showNotice: (notice) => {
      if (process.platform === 'win32') tray.displayBalloon({ title: notice.title, content: notice.body, iconType: 'info' });
      else if (Notification.isSupported()) new Notification({ title: notice.title, body: notice.body }).show();
    },
    destroy: () => {
      if (timer) clearTimeout(timer);
      timer = null;
      if (!tray.isDestroyed()) tray.destroy();
    },
  };
}
