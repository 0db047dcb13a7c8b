// The demonstration's IPC channels. They are answered by the app's switcher, which owns both the
// real core and the demonstration core and gives each these same handlers; a core opened without
// it (command line, tests of one core) answers that there is no demonstration here.
import type { IpcHandlers } from '../ipc/ipc-dispatcher';
import { UserFacingError } from '../user-facing-error';

export type DemoModeHandlers = Pick<IpcHandlers, 'demo.status' | 'demo.enter' | 'demo.leave'>;

export function demoModeUnavailable(): DemoModeHandlers {
  const refuse = (): never => {
    throw new UserFacingError('bad-input', 'La démonstration n’est disponible que dans l’application Vigie.', 'no demonstration switcher here');
  };
  return {
    'demo.status': () => ({ active: false, offered: false }),
    'demo.enter': refuse,
    'demo.leave': refuse,
  };
}
