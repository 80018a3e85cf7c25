import {
  POSTMARK_DEFAULTS,
  PostmarkConfigView,
} from '@internal/plugin-esp-common';
import { formFromView, inputFromForm } from './postmarkForm';

const view = (
  overrides: Partial<PostmarkConfigView> = {},
): PostmarkConfigView => ({
  providerId: 'postmark',
  configured: true,
  enabled: true,
  serverToken: { set: true, mask: '••••1234' },
  accountToken: { set: false, mask: null },
  defaultSender: 'noreply@example.com',
  defaultSenderStatus: 'verified',
  defaultSenderDetail: null,
  tracking: POSTMARK_DEFAULTS.tracking,
  advanced: POSTMARK_DEFAULTS.advanced,
  connection: { state: 'connected', lastTestedAt: null, lastError: null },
  updatedAt: null,
  updatedBy: null,
  dashboardUrl: 'https://account.postmarkapp.com/servers',
  ...overrides,
});

describe('postmark form', () => {
  it('keeps the stored token when the field is left empty', () => {
    const result = inputFromForm(formFromView(view()), view());
    expect(result).toEqual({
      input: {
        defaultSender: 'noreply@example.com',
        tracking: POSTMARK_DEFAULTS.tracking,
        advanced: POSTMARK_DEFAULTS.advanced,
      },
    });
  });

  it('requires a token on the first save', () => {
    const first = view({
      configured: false,
      serverToken: { set: false, mask: null },
    });
    const result = inputFromForm(formFromView(first), first);
    expect(result).toEqual({
      errors: { serverToken: 'API token is required' },
    });
  });

  it('names each invalid field', () => {
    const form = formFromView(view());
    form.defaultSender = 'not-an-email';
    form.advanced.batchSize = '501';
    form.advanced.timeoutSeconds = '';
    const result = inputFromForm(form, view());
    expect(result).toEqual({
      errors: {
        defaultSender: expect.stringMatching(/valid email/),
        batchSize: 'Batch size must be between 1 and 500',
        timeoutSeconds: expect.stringMatching(/Timeout/),
      },
    });
  });

  it('sends new tokens and a removal of the account token', () => {
    const form = formFromView(
      view({ accountToken: { set: true, mask: '••••9999' } }),
    );
    form.serverToken = 'new-server-token';
    form.removeAccountToken = true;
    const result = inputFromForm(form, view());
    expect(result).toMatchObject({
      input: { serverToken: 'new-server-token', accountToken: null },
    });
  });
});
