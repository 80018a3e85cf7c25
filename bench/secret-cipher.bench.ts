/*
 * Cost of encrypting provider secrets at rest: AES-256-GCM encrypt + decrypt of a
 * Postmark-sized token per call, against a baseline that only builds the same
 * string layout without encryption, in one process.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/secret-cipher.bench.ts
 */
import { randomBytes } from 'node:crypto';
import { SecretCipher } from '../plugins/esp-backend/src/lib/SecretCipher';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 50000);
const token = randomBytes(18).toString('hex');

function timeIt(label: string, fn: () => string) {
  let sink = 0;
  for (let i = 0; i < 1000; i++) sink += fn().length;
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) sink += fn().length;
  const ns = Number(process.hrtime.bigint() - start);
  const perCallUs = ns / ITERATIONS / 1000;
  console.log(
    `${label}: ${perCallUs.toFixed(2)} µs per call (checksum ${sink % 97})`,
  );
  return perCallUs;
}

const cipher = new SecretCipher([
  { id: 'current', key: randomBytes(32) },
  { id: 'previous', key: randomBytes(32) },
]);

console.log(`secret round trip, ${ITERATIONS} calls each`);
const baseline = timeIt('baseline (base64 layout, no crypto)', () => {
  const encoded = ['v1', 'current', Buffer.from(token).toString('base64')].join(
    ':',
  );
  return Buffer.from(encoded.split(':')[2], 'base64').toString('utf8');
});
const gcm = timeIt('AES-256-GCM encrypt + decrypt', () =>
  cipher.decrypt(
    cipher.encrypt(token, 'postmark.serverToken'),
    'postmark.serverToken',
  ),
);
console.log(`ratio crypto/baseline: ${(gcm / baseline).toFixed(1)}x`);
