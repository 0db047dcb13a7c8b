// Runs sandboxed in the renderer's world before its scripts: exposes one function, `invoke`,
// limited to the channels of the contract. The main process validates everything again.
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_INVOKE_CHANNEL, isIpcChannel } from '../common/ipc-channels';
import type { VigieBridge } from '../common/ipc-contract';

const bridge: VigieBridge = {
  invoke: (channel, request) => {
    if (!isIpcChannel(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'invalid-request', message: 'Demande inconnue.' } });
    }
    return ipcRenderer.invoke(IPC_INVOKE_CHANNEL, channel, request);
  },
};

contextBridge.exposeInMainWorld('vigie', bridge);
