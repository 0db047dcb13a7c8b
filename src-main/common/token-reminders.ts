/** Days before the token's expiry at which the user is reminded, each once (main and renderer). */
export const REMINDER_THRESHOLDS_DAYS = [90, 60, 30, 15, 7, 1, 0] as const;
