// How the token is encrypted at rest. In the app: Electron's safeStorage (DPAPI on Windows, the
// Keychain on macOS, the Secret Service or KWallet on Linux). Where none of these exists, a key
// kept in a file beside the data protects less; the user is told and asked to agree first.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface SecretCipher {
  /** 'os': a system keychain guards the key; 'weak': the key sits on this computer's disk. */
  protection(): 'os' | 'weak';
  encrypt(plain: string): Buffer;
  decrypt(ciphertext: Buffer): string;
}

const VERSION = 1;

/** AES-256-GCM with a random key in its own file (mode 0600): the fallback when no keychain exists. */
export class LocalKeyCipher implements SecretCipher {
  constructor(private readonly keyFile: string) {}

  protection(): 'weak' {
    return 'weak';
  }

  private key(): Buffer {
    if (!existsSync(this.keyFile)) {
      mkdirSync(dirname(this.keyFile), { recursive: true });
      writeFileSync(this.keyFile, randomBytes(32), { mode: 0o600, flag: 'wx' });
    }
    const key = readFileSync(this.keyFile);
    if (key.length !== 32) throw new Error('token key file is damaged');
    return key;
  }

  encrypt(plain: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key(), iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  decrypt(ciphertext: Buffer): string {
    if (ciphertext[0] !== VERSION || ciphertext.length < 1 + 12 + 16) throw new Error('token ciphertext is damaged');
    const iv = ciphertext.subarray(1, 13);
    const tag = ciphertext.subarray(13, 29);
    const decipher = createDecipheriv('aes-256-gcm', this.key(), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext.subarray(29)), decipher.final()]).toString('utf8');
  }
}
