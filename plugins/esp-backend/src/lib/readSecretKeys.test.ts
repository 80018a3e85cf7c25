import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { readSecretKeys } from './readSecretKeys';

describe('readSecretKeys', () => {
  const mockDir = createMockDirectory();
  beforeEach(() => mockDir.clear());

  const logger = mockServices.logger.mock();

  it('reads configured keys in order, the first being the current one', () => {
    const k1 = randomBytes(32);
    const k2 = randomBytes(32);
    const keys = readSecretKeys({
      config: new ConfigReader({
        esp: {
          secrets: {
            keys: [
              { id: 'new', key: k1.toString('base64') },
              { id: 'old', key: k2.toString('base64') },
            ],
          },
        },
      }),
      logger,
      isProduction: true,
    });
    expect(keys).toEqual([
      { id: 'new', key: k1 },
      { id: 'old', key: k2 },
    ]);
  });

  it('rejects a key that is not 32 bytes', () => {
    const config = new ConfigReader({
      esp: {
        secrets: {
          keys: [{ id: 'k', key: randomBytes(16).toString('base64') }],
        },
      },
    });
    expect(() => readSecretKeys({ config, logger })).toThrow(
      /exactly 32 bytes/,
    );
  });

  it('refuses to start in production without keys, and writes no key file', () => {
    const file = mockDir.resolve('key');
    const config = new ConfigReader({
      esp: { secrets: { developmentKeyFile: file } },
    });
    expect(() =>
      readSecretKeys({ config, logger, isProduction: true }),
    ).toThrow(/set esp\.secrets\.keys/);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('creates a development key file once and reuses it afterwards', () => {
    const file = mockDir.resolve('nested/dev-key');
    const config = new ConfigReader({
      esp: { secrets: { developmentKeyFile: file } },
    });

    const first = readSecretKeys({ config, logger, isProduction: false });
    expect(first).toHaveLength(1);
    expect(first[0].key).toHaveLength(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    // The warning names the file, never the key.
    expect(JSON.stringify(logger.warn.mock.calls)).not.toContain(
      first[0].key.toString('base64'),
    );

    const second = readSecretKeys({ config, logger, isProduction: false });
    expect(second[0].key.equals(first[0].key)).toBe(true);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });
});
