import type {
  AuditorService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { ProviderConfigStore } from '../database/ProviderConfigStore';
import { SecretCipher } from '../lib/SecretCipher';
import { secretContext } from './ProviderConnections';

/**
 * Re-encrypts with the current key every stored secret still sealed with an
 * older one, so that a key rotation needs no admin to save each provider again:
 * put the new key first in `esp.secrets.keys`, restart, then drop the old key.
 * Runs at startup. A secret no configured key opens is left as it is (its page
 * asks for it again); a provider saved meanwhile keeps what the save wrote.
 * Each provider whose secrets moved is an audit event (names, never values).
 * Returns how many secrets were re-encrypted.
 */
export async function reencryptSecrets(options: {
  store: ProviderConfigStore;
  cipher: SecretCipher;
  logger: LoggerService;
  auditor: AuditorService;
}): Promise<number> {
  const { store, cipher, logger, auditor } = options;
  let total = 0;
  for (const stored of await store.list()) {
    const next = { ...stored.secrets };
    const renewed: string[] = [];
    for (const [name, ciphertext] of Object.entries(stored.secrets)) {
      if (SecretCipher.keyIdOf(ciphertext) === cipher.currentKeyId) continue;
      const context = secretContext(stored.providerId, name);
      let plaintext: string;
      try {
        plaintext = cipher.decrypt(ciphertext, context);
      } catch (error) {
        // The cipher's message names the key id, never the secret.
        logger.warn(
          `Cannot re-encrypt ${context}: ${(error as Error).message}`,
        );
        continue;
      }
      next[name] = cipher.encrypt(plaintext, context);
      renewed.push(name);
    }
    if (renewed.length === 0) continue;
    const event = await auditor.createEvent({
      eventId: 'secrets-reencrypt',
      severityLevel: 'medium',
      meta: {
        providerId: stored.providerId,
        secrets: renewed,
        keyId: cipher.currentKeyId,
      },
    });
    let replaced: boolean;
    try {
      replaced = await store.replaceSecrets(
        stored.providerId,
        stored.secrets,
        next,
      );
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
    await event.success({ meta: { replaced } });
    if (replaced) {
      total += renewed.length;
      logger.info(
        `Re-encrypted ${stored.providerId} ${renewed.join(', ')} with key ${
          cipher.currentKeyId
        }`,
      );
    }
  }
  return total;
}
