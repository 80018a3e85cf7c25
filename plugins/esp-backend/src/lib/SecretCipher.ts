import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = 'v1';

export type SecretKey = {
  /** Stored next to each ciphertext so old secrets stay readable after a key rotation. */
  id: string;
  /** 32 bytes. */
  key: Buffer;
};

/**
 * AES-256-GCM encryption of provider secrets at rest.
 *
 * Ciphertexts read `v1:<keyId>:<iv>:<tag>:<data>` (base64). The first key encrypts;
 * every key decrypts, so rotating means putting the new key first and keeping the
 * old one until the secrets were re-encrypted (`reencryptSecrets`, at startup). The context (e.g. `postmark.serverToken`)
 * is bound as additional data, so a ciphertext moved to another field fails to decrypt.
 */
export class SecretCipher {
  private readonly keys: Map<string, Buffer>;
  private readonly current: SecretKey;

  constructor(keys: SecretKey[]) {
    if (keys.length === 0) {
      throw new Error('SecretCipher needs at least one key');
    }
    for (const k of keys) {
      if (k.key.length !== 32) {
        throw new Error(
          `Secret key "${k.id}" must be 32 bytes (base64 of 32 random bytes), got ${k.key.length}`,
        );
      }
      if (!/^[A-Za-z0-9_.-]+$/.test(k.id)) {
        throw new Error(
          `Secret key id "${k.id}" may only use letters, digits, _ . -`,
        );
      }
    }
    this.keys = new Map(keys.map(k => [k.id, k.key]));
    if (this.keys.size !== keys.length) {
      throw new Error('Secret key ids must be unique');
    }
    this.current = keys[0];
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.current.key, iv, {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([
      cipher.update(plaintext, 'utf8'),
      cipher.final(),
    ]);
    const tag = cipher.getAuthTag();
    return [
      FORMAT,
      this.current.id,
      iv.toString('base64'),
      tag.toString('base64'),
      data.toString('base64'),
    ].join(':');
  }

  decrypt(ciphertext: string, context: string): string {
    const parts = ciphertext.split(':');
    if (parts.length !== 5 || parts[0] !== FORMAT) {
      throw new Error('Stored secret has an unknown format');
    }
    const [, keyId, iv, tag, data] = parts;
    const key = this.keys.get(keyId);
    if (!key) {
      throw new Error(
        `Stored secret was encrypted with key "${keyId}", which is not configured`,
      );
    }
    const ivBytes = Buffer.from(iv, 'base64');
    const tagBytes = Buffer.from(tag, 'base64');
    // GCM accepts tags as short as 4 bytes unless told otherwise; a truncated tag
    // would make forging a ciphertext far cheaper, so only full tags are accepted.
    if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
      throw new Error('Stored secret has an unknown format');
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, key, ivBytes, {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tagBytes);
      return Buffer.concat([
        decipher.update(Buffer.from(data, 'base64')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new Error(
        'Stored secret failed authentication (wrong key or tampered)',
      );
    }
  }

  /** The key id a ciphertext was made with, to find secrets that still need re-encryption. */
  static keyIdOf(ciphertext: string): string | undefined {
    const parts = ciphertext.split(':');
    return parts.length === 5 ? parts[1] : undefined;
  }
}
