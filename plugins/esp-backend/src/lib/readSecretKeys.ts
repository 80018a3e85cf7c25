import { Config } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SecretKey } from './SecretCipher';

function decodeKey(id: string, value: string): SecretKey {
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32) {
    throw new Error(
      `esp.secrets.keys: key "${id}" must be base64 of exactly 32 bytes (e.g. \`openssl rand -base64 32\`)`,
    );
  }
  return { id, key };
}

/**
 * Reads the encryption keys from `esp.secrets.keys`. Without one, development
 * creates a key file on first start (so secrets survive restarts) while production
 * refuses to start: silently inventing a key there would lose every secret on the
 * next deploy.
 */
export function readSecretKeys(options: {
  config: Config;
  logger: LoggerService;
  isProduction?: boolean;
}): SecretKey[] {
  const { config, logger } = options;
  const isProduction =
    options.isProduction ?? process.env.NODE_ENV === 'production';
  const configured = config.getOptionalConfigArray('esp.secrets.keys') ?? [];
  if (configured.length > 0) {
    return configured.map(k =>
      decodeKey(k.getString('id'), k.getString('key')),
    );
  }
  if (isProduction) {
    throw new Error(
      'ESP Hub needs an encryption key for provider secrets: set esp.secrets.keys (id and base64 of 32 random bytes)',
    );
  }
  const file = path.resolve(
    config.getOptionalString('esp.secrets.developmentKeyFile') ??
      '.esp-dev-secret-key',
  );
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString('base64'), {
      mode: 0o600,
      flag: 'wx',
    });
    logger.warn(
      `No esp.secrets.keys configured: generated a development key in ${file}. Configure a real key before production.`,
    );
  }
  return [decodeKey('dev', fs.readFileSync(file, 'utf8').trim())];
}
