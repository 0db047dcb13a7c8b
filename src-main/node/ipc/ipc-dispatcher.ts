import { ZodError } from 'zod';
import {
  ipcContract,
  isIpcChannel,
  type IpcChannel,
  type IpcEnvelope,
  type IpcParsedRequest,
  type IpcResponse,
} from '../../common/ipc-contract';
import type { Logger } from '../logger';
import { UserFacingError } from '../user-facing-error';

export type IpcHandlers = {
  [C in IpcChannel]: (request: IpcParsedRequest<C>) => IpcResponse<C> | Promise<IpcResponse<C>>;
};

export type IpcDispatch = (channel: unknown, payload: unknown) => Promise<IpcEnvelope<unknown>>;

/**
 * The single entry point for requests from a renderer, shared by the Electron shell and the
 * test harness: unknown channels and malformed payloads are refused before any handler runs,
 * answers are checked against the contract, and errors become a French message in an envelope.
 */
export function createIpcDispatcher(handlers: IpcHandlers, logger: Logger): IpcDispatch {
  return async (channel, payload) => {
    if (!isIpcChannel(channel)) {
      logger.warn('ipc: unknown channel refused', {
        channel: typeof channel === 'string' ? channel.slice(0, 100) : typeof channel,
      });
      return { ok: false, error: { code: 'invalid-request', message: 'Demande inconnue.' } };
    }
    const spec = ipcContract[channel];
    const parsed = spec.request.safeParse(payload ?? {});
    if (!parsed.success) {
      logger.warn('ipc: malformed request refused', { channel, issues: parsed.error.issues.slice(0, 5) });
      return { ok: false, error: { code: 'invalid-request', message: 'Demande mal formée : elle a été refusée.' } };
    }
    try {
      const handler = handlers[channel] as (request: unknown) => unknown;
      const value: unknown = spec.response.parse(await handler(parsed.data));
      return { ok: true, value };
    } catch (error) {
      if (error instanceof UserFacingError) {
        logger.warn('ipc: request failed', { channel, message: error.message, detail: error.detail });
        return { ok: false, error: { code: error.code, message: error.message } };
      }
      const detail = error instanceof ZodError ? 'response does not match the contract' : String(error);
      logger.error('ipc: handler crashed', { channel, detail, stack: error instanceof Error ? error.stack : undefined });
      return {
        ok: false,
        error: { code: 'internal', message: 'Une erreur interne est survenue. Le détail est dans le journal de Vigie.' },
      };
    }
  };
}
