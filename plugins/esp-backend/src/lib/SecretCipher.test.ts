import { randomBytes } from 'node:crypto';
import { SecretCipher } from './SecretCipher';

const key = (id: string) => ({ id, key: randomBytes(32) });

describe('SecretCipher', () => {
  const token = 'b6f3a1c2-0d4e-4f5a-9b8c-7d6e5f4a3b2c';

  it('round-trips a secret and never stores it in the clear', () => {
    const cipher = new SecretCipher([key('k1')]);
    const sealed = cipher.encrypt(token, 'postmark.serverToken');
    expect(sealed).not.toContain(token);
    expect(sealed.startsWith('v1:k1:')).toBe(true);
    expect(cipher.decrypt(sealed, 'postmark.serverToken')).toBe(token);
  });

  it('uses a fresh IV each time, so equal secrets do not look equal', () => {
    const cipher = new SecretCipher([key('k1')]);
    expect(cipher.encrypt(token, 'c')).not.toBe(cipher.encrypt(token, 'c'));
  });

  it('detects tampering with the data, the IV and the tag', () => {
    const cipher = new SecretCipher([key('k1')]);
    const [format, id, iv, tag, data] = cipher.encrypt(token, 'c').split(':');
    const flip = (b64: string) => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[0] ^= 0x01;
      return bytes.toString('base64');
    };
    for (const forged of [
      [format, id, iv, tag, flip(data)],
      [format, id, flip(iv), tag, data],
      [format, id, iv, flip(tag), data],
    ]) {
      expect(() => cipher.decrypt(forged.join(':'), 'c')).toThrow(
        'Stored secret failed authentication (wrong key or tampered)',
      );
    }
  });

  it('refuses a truncated authentication tag', () => {
    const cipher = new SecretCipher([key('k1')]);
    const parts = cipher.encrypt(token, 'c').split(':');
    parts[3] = Buffer.from(parts[3], 'base64')
      .subarray(0, 4)
      .toString('base64');
    expect(() => cipher.decrypt(parts.join(':'), 'c')).toThrow(
      'Stored secret has an unknown format',
    );
  });

  it('fails when the ciphertext is used under another context', () => {
    const cipher = new SecretCipher([key('k1')]);
    const sealed = cipher.encrypt(token, 'postmark.serverToken');
    expect(() => cipher.decrypt(sealed, 'postmark.accountToken')).toThrow(
      /failed authentication/,
    );
  });

  it('keeps decrypting with an old key after rotation and encrypts with the new one', () => {
    const oldKey = key('2025-01');
    const newKey = key('2026-11');
    const sealedBefore = new SecretCipher([oldKey]).encrypt(token, 'c');

    const rotated = new SecretCipher([newKey, oldKey]);
    expect(rotated.decrypt(sealedBefore, 'c')).toBe(token);
    const sealedAfter = rotated.encrypt(token, 'c');
    expect(SecretCipher.keyIdOf(sealedAfter)).toBe('2026-11');
    expect(SecretCipher.keyIdOf(sealedBefore)).toBe('2025-01');
  });

  it('names the missing key when a secret was sealed with an unknown key id', () => {
    const sealed = new SecretCipher([key('gone')]).encrypt(token, 'c');
    const cipher = new SecretCipher([key('k1')]);
    expect(() => cipher.decrypt(sealed, 'c')).toThrow(
      'Stored secret was encrypted with key "gone", which is not configured',
    );
  });

  it('does not decrypt with a different key of the same id', () => {
    const sealed = new SecretCipher([key('k1')]).encrypt(token, 'c');
    expect(() => new SecretCipher([key('k1')]).decrypt(sealed, 'c')).toThrow(
      /failed authentication/,
    );
  });

  it('rejects malformed input and bad key sets', () => {
    const cipher = new SecretCipher([key('k1')]);
    expect(() => cipher.decrypt('plaintext-token', 'c')).toThrow(
      /unknown format/,
    );
    expect(() => new SecretCipher([])).toThrow(/at least one key/);
    expect(
      () => new SecretCipher([{ id: 'short', key: randomBytes(16) }]),
    ).toThrow(/must be 32 bytes/);
    expect(() => new SecretCipher([key('a:b')])).toThrow(/may only use/);
    expect(() => new SecretCipher([key('same'), key('same')])).toThrow(
      /unique/,
    );
  });
});
