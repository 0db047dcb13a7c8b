import { safeStorage } from 'electron';
import { join } from 'node:path';
import { LocalKeyCipher, type SecretCipher } from '../node/token/secret-cipher';

/**
 * safeStorage where the system has a keychain (DPAPI, Keychain, Secret Service, KWallet). On
 * Linux without one, safeStorage falls back on a hard-coded key ('basic_text'), and where it is
 * unavailable altogether a key file is used: both count as weak, and the user is asked first.
 * Call after the app is ready (safeStorage needs it on Linux).
 */
export function createSafeStorageCipher(userDataDir: string): SecretCipher {
  if (!safeStorage.isEncryptionAvailable()) return new LocalKeyCipher(join(userDataDir, 'token.key'));
  const weak = process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
  return {
    protection: () => (weak ? 'weak' : 'os'),
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (ciphertext) => safeStorage.decryptString(ciphertext),
  };
}
