// The screens of the app, in the order of the navigation bar. Adding a screen is one line here:
// its id (internal), its navigation label, its title (<h1> and window title) and its component.
import type { ComponentType } from 'react';
import { DashboardScreen } from '../dashboard/DashboardScreen';
import { JournalScreen } from '../journal/JournalScreen';
import { RefreshScreen } from '../refresh/RefreshScreen';
import { RegisterScreen } from '../register/RegisterScreen';
import { SettingsScreen } from '../settings/SettingsScreen';
import { TokenScreen } from '../token/TokenScreen';
import type { ScreenId, ScreenProps } from './screen-props';

export type { ScreenId, ScreenProps };

export interface ScreenDefinition {
  id: ScreenId;
  label: string;
  title: string;
  Component: ComponentType<ScreenProps>;
}

export const SCREENS = [
  { id: 'tableau-de-bord', label: 'Tableau de bord', title: 'Tableau de bord', Component: DashboardScreen },
  { id: 'registre', label: 'Registre', title: 'Registre des tiers', Component: RegisterScreen },
  { id: 'journal', label: 'Journal des appels', title: 'Journal des appels', Component: JournalScreen },
  { id: 'mises-a-jour', label: 'Mises à jour', title: 'Mises à jour', Component: RefreshScreen },
  { id: 'jeton', label: 'Jeton', title: 'Jeton API Entreprise', Component: TokenScreen },
  { id: 'parametres', label: 'Paramètres', title: 'Paramètres', Component: SettingsScreen },
] as const satisfies readonly ScreenDefinition[];

// every id has its screen (the compiler says which one is missing)
type UnlistedScreen = Exclude<ScreenId, (typeof SCREENS)[number]['id']>;
const _everyScreenListed: [UnlistedScreen] extends [never] ? true : UnlistedScreen = true;

export const HOME_SCREEN: ScreenId = SCREENS[0].id;

export function screenById(id: ScreenId): ScreenDefinition {
  return SCREENS.find((screen) => screen.id === id) ?? SCREENS[0];
}
