import type { IpcHandlers } from '../ipc/ipc-dispatcher';
import { isAllowedApiBaseUrl } from '../api-entreprise/api-environment';
import { appSettingsSchema, type SettingsRepository } from '../settings/app-settings';
import { UserFacingError } from '../user-facing-error';
import type { DesktopActions } from './token-handlers';

const FIELD_MESSAGES: Record<string, string> = {
  communeSiret: 'Le SIRET de la commune est invalide (14 chiffres, clé de contrôle).',
  defaultContext: 'Le cadre des demandes doit être renseigné (250 caractères au plus).',
  defaultObject: 'L’objet des demandes doit être renseigné et faire moins de 50 caractères.',
  localApiUrl: 'L’adresse de l’API locale doit être une adresse http://127.0.0.1:port.',
};

export function settingsHandlers(
  settings: SettingsRepository,
  onChange: () => void,
  desktop?: Pick<DesktopActions, 'setOpenAtLogin'>,
): Pick<IpcHandlers, 'settings.get' | 'settings.update'> {
  return {
    'settings.get': () => settings.get(),
    'settings.update': (patch) => {
      const next = { ...settings.get(), ...patch, communeSiret: (patch.communeSiret ?? settings.get().communeSiret).replace(/\s/g, '') };
      const parsed = appSettingsSchema.safeParse(next);
      if (!parsed.success) {
        const field = String(parsed.error.issues[0]?.path[0] ?? '');
        throw new UserFacingError('bad-input', FIELD_MESSAGES[field] ?? 'Paramètre invalide.', `settings.update: ${field}`);
      }
      if (!isAllowedApiBaseUrl(parsed.data.localApiUrl) || !parsed.data.localApiUrl.startsWith('http://')) {
        throw new UserFacingError('bad-input', FIELD_MESSAGES.localApiUrl as string);
      }
      const before = settings.get();
      const loginChanged =
        patch.openAtLogin !== undefined || (parsed.data.openAtLogin && parsed.data.keepRunningInTray !== before.keepRunningInTray);
      if (loginChanged && desktop?.setOpenAtLogin) {
        // the system first: a setting saved as on while the system refused would be a lie
        try {
          desktop.setOpenAtLogin(parsed.data.openAtLogin, { startInTray: parsed.data.keepRunningInTray });
        } catch (error) {
          throw new UserFacingError(
            'bad-input',
            'Le système n’a pas accepté de lancer Vigie à l’ouverture de la session : le réglage n’a pas été enregistré.',
            `settings.update: login item not applied: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
      const saved = settings.update(parsed.data);
      onChange();
      return saved;
    },
  };
}
