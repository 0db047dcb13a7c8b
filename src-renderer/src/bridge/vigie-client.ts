// The renderer's only way to data: a typed wrapper over the bridge the preload (or the test
// harness) puts on `window.vigie`. Failures become a VigieRequestError whose message is the
// French text to show as is.
import type {
  IpcChannel,
  IpcEnvelope,
  IpcError,
  IpcRequest,
  IpcResponse,
  VigieBridge,
} from '../../../src-main/common/ipc-contract';

declare global {
  interface Window {
    vigie: VigieBridge;
  }
}

export type VigieErrorCode = IpcError['code'];

export class VigieRequestError extends Error {
  constructor(
    readonly code: VigieErrorCode,
    message: string,
    readonly channel: IpcChannel,
  ) {
    super(message);
    this.name = 'VigieRequestError';
  }
}

const NO_BRIDGE = 'Vigie n’est pas reliée à son registre : relancez l’application.';
const TRANSPORT_FAILED = 'La communication avec le registre a échoué : réessayez, puis relancez Vigie si le problème persiste.';

/** Calls one channel and returns its value, or throws a VigieRequestError carrying the French message. */
export async function invoke<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResponse<C>> {
  // checked on every call: a page opened without the preload gets a French message, not a crash
  const bridge = (window as Partial<Window>).vigie;
  if (!bridge) throw new VigieRequestError('internal', NO_BRIDGE, channel);
  let envelope: IpcEnvelope<IpcResponse<C>>;
  try {
    envelope = await bridge.invoke(channel, request);
  } catch {
    throw new VigieRequestError('internal', TRANSPORT_FAILED, channel);
  }
  if (envelope.ok) return envelope.value;
  throw new VigieRequestError(envelope.error.code, envelope.error.message, channel);
}

/** The French message to show for anything a call may throw. */
export function errorMessage(error: unknown): string {
  if (error instanceof VigieRequestError) return error.message;
  return 'Une erreur inattendue est survenue dans l’interface.';
}
