// State-based navigation: the current screen lives in React state, never in the URL.
import { createContext, useContext } from 'react';
import type { ScreenId } from './screen-props';

export type Navigate = (to: ScreenId) => void;

export const NavigationContext = createContext<Navigate>(() => undefined);

/** Moves to another screen, as its navigation button does (focus goes to the screen's title). */
export function useNavigate(): Navigate {
  return useContext(NavigationContext);
}
