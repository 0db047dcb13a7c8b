/**
 * An error the user can act on: `message` is French and shown as is in the UI or the CLI;
 * `detail` is precise, English, and goes to logs only.
 */
export class UserFacingError extends Error {
  constructor(
    readonly code: 'bad-input' | 'not-found',
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'UserFacingError';
  }
}
