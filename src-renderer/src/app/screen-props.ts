// What the screens and the navigation share, apart from the screens themselves (screens.ts), so
// that a screen never imports the list that imports it.

/** The screens' internal ids (screens.ts lists them in the order of the navigation bar). */
export type ScreenId = 'tableau-de-bord' | 'registre' | 'journal' | 'mises-a-jour' | 'jeton' | 'parametres';

/** What the shell gives every screen. */
export interface ScreenProps {
  /** To be shown in the screen's <h1> (see ScreenHeader). */
  title: string;
}
