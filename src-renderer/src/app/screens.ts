// The screens of the app, in the order of the navigation bar. Adding a screen is one line here:
// its id (internal), its navigation label, its title (<h1> and window title) and its component.
import type { ComponentType } from 'react';
import { DashboardScreen } from '../dashboard/DashboardScreen';
import { JournalScreen } from '../journal/JournalScreen';
import { RefreshScreen } from '../refresh/RefreshScreen';
import { RegisterScreen } from '../register/RegisterScreen';
import { SettingsScreen } from '../settings/SettingsScreen';
import { TokenScreen } from '../token/TokenScreen';

/** What the shell gives every screen. */
export interface ScreenProps {
  /** To be shown in the screen's <h1> (see ScreenHeader). */
  title: string;
}

export interface ScreenDefinition {
  id: string;
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

export type ScreenId = (typeof SCREENS)[number]['id'];

export const HOME_SCREEN: ScreenId = SCREENS[0].id;

export function screenById(id: ScreenId): ScreenDefinition {
  return SCREENS.find((screen) => screen.id === id) ?? SCREENS[0];
}
