// How the token's state reads in French, and how it looks. Colour always comes with words.
import type { TokenState, TokenSummary } from '../../../src-main/common/ipc-contract';
import { plural } from '../ui/format';

export type Tone = 'good' | 'warning' | 'bad' | 'neutral';

export const TOKEN_STATE_WORDS: Readonly<Record<TokenState, string>> = {
  valide: 'Valide',
  expire_bientot: 'Expire bientôt',
  expire: 'Expiré',
  revoque: 'Révoqué',
  refuse: 'Refusé par l’API',
  absent: 'Absent',
};

export const TOKEN_STATE_TONES: Readonly<Record<TokenState, Tone>> = {
  valide: 'good',
  expire_bientot: 'warning',
  expire: 'bad',
  revoque: 'bad',
  refuse: 'bad',
  absent: 'neutral',
};

/** States in which Vigie cannot call API Entreprise at all: an alert stays on every screen. */
export type BlockingTokenState = Extract<TokenState, 'absent' | 'expire' | 'revoque' | 'refuse'>;

export const BLOCKING_TITLES: Readonly<Record<BlockingTokenState, string>> = {
  absent: 'Jeton API Entreprise à enregistrer',
  expire: 'Le jeton API Entreprise a expiré',
  revoque: 'Le jeton API Entreprise a été révoqué',
  refuse: 'API Entreprise refuse le jeton',
};

export function isBlocking(state: TokenState): state is BlockingTokenState {
  return state in BLOCKING_TITLES;
}

export const PROTECTION_WORDS: Readonly<Record<NonNullable<TokenSummary['protection']>, string>> = {
  os: 'chiffré par le coffre-fort du système',
  weak: 'chiffré avec une clé conservée sur ce poste (protection réduite)',
};

export { REMINDER_THRESHOLDS_DAYS } from '../../../src-main/common/token-reminders';

/** "20 jours restants", "1 jour restant", "expire aujourd’hui". */
export function daysLeftWords(daysLeft: number): string {
  return daysLeft === 0 ? 'expire aujourd’hui' : plural(daysLeft, 'jour restant', 'jours restants');
}

/** "30 jours avant", "1 jour avant", "le jour de l’expiration". */
export function thresholdWords(days: number): string {
  return days === 0 ? 'Le jour de l’expiration' : `${plural(days, 'jour', 'jours')} avant`;
}
