import { verifyPostmarkWebhook } from './postmarkWebhooks';

const basic = (value: string) => ({
  rawBody: Buffer.from('{}'),
  headers: { authorization: `Basic ${Buffer.from(value).toString('base64')}` },
});

describe('Postmark webhooks', () => {
  it('accepts only the configured Basic credentials', () => {
    expect(verifyPostmarkWebhook(basic('esp:s3cret'), 'esp:s3cret')).toBe(true);
    expect(verifyPostmarkWebhook(basic('esp:wrong'), 'esp:s3cret')).toBe(false);
    expect(
      verifyPostmarkWebhook(
        { rawBody: Buffer.from(''), headers: {} },
        'esp:s3cret',
      ),
    ).toBe(false);
  });
});
