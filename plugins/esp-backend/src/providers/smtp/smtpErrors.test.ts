import { ESP_MESSAGES } from '@internal/plugin-esp-common';
import { ProviderError } from '../errors';
import { toSmtpProviderError } from './smtpErrors';

const PASSWORD = 'relay-pa55word';

/** Shaped like nodemailer's errors (smtp-connection `_formatError`). */
function smtpError(
  code: string,
  response?: string,
  command = 'CONN',
): Error & { code: string; response?: string; responseCode?: number } {
  const error = Object.assign(
    new Error(response ? `Failed: ${response}` : 'Failed'),
    { code, command },
  );
  if (response) {
    const status = Number(/^\d+/.exec(response)?.[0]);
    Object.assign(error, {
      response,
      ...(status ? { responseCode: status } : {}),
    });
  }
  return error;
}

describe('toSmtpProviderError', () => {
  it.each([
    ['a refused login', smtpError('EAUTH', '535 5.7.8 Authentication failed')],
    ['a login without password', smtpError('EAUTH')],
    [
      'a relay that needs a login',
      smtpError('EENVELOPE', '530 5.7.0 Authentication required', 'MAIL FROM'),
    ],
  ])('turns %s into the spec sentence', (_, error) => {
    const mapped = toSmtpProviderError(error, PASSWORD);
    expect(mapped.kind).toBe('invalid_credentials');
    expect(mapped.message).toBe(
      'Invalid API key. Please check your credentials and try again.',
    );
  });

  it.each([
    'ECONNREFUSED',
    'ETIMEDOUT',
    'ENOTFOUND',
    'ESOCKET',
    'ECONNECTION',
    'EDNS',
  ])('reports %s as unreachable', code => {
    const mapped = toSmtpProviderError(smtpError(code), PASSWORD);
    expect(mapped.kind).toBe('unreachable');
    expect(mapped.message).toBe(ESP_MESSAGES.unreachable('Built-in SMTP'));
  });

  it.each([
    ['421', smtpError('ECONNECTION', '421 4.7.0 Too many connections', 'EHLO')],
    [
      '452',
      smtpError(
        'EENVELOPE',
        '452 4.5.3 Too many recipients this hour',
        'RCPT TO',
      ),
    ],
    [
      '451 greylisting',
      smtpError('EENVELOPE', '451 4.7.1 Greylisted, try again later', 'RCPT'),
    ],
    [
      '4.7.x throttles on other codes',
      smtpError('EMESSAGE', '450 4.7.28 Sending rate exceeded', 'DATA'),
    ],
  ])('treats a %s reply as a throttle', (_, error) => {
    const mapped = toSmtpProviderError(error, PASSWORD);
    expect(mapped.kind).toBe('rate_limited');
    expect(mapped.message).toBe(ESP_MESSAGES.rateLimited);
  });

  it('keeps other temporary replies as provider errors with the relay text', () => {
    const mapped = toSmtpProviderError(
      smtpError('EPROTOCOL', '455 Server unable to accommodate parameters'),
    );
    expect(mapped.kind).toBe('provider_error');
    expect(mapped.message).toContain('455 Server unable to accommodate');
  });

  it.each([
    '550 5.1.1 <ghost@example.org>: Recipient address rejected: User unknown',
    '553 5.7.1 <noreply@other.org>: Sender address rejected: not owned by user',
    '554 5.7.1 Message rejected as spam',
  ])('passes the relay words of a permanent refusal: %s', response => {
    const mapped = toSmtpProviderError(
      smtpError('EENVELOPE', response, 'RCPT TO'),
      PASSWORD,
    );
    expect(mapped.kind).toBe('rejected');
    expect(mapped.message).toBe(response);
    expect(mapped.providerCode).toBe(Number(response.slice(0, 3)));
  });

  it('never lets the password through, even when a relay echoes it', () => {
    const mapped = toSmtpProviderError(
      smtpError('EENVELOPE', `550 5.7.1 bad token ${PASSWORD} refused`),
      PASSWORD,
    );
    expect(mapped.kind).toBe('rejected');
    expect(mapped.message).not.toContain(PASSWORD);
    expect(mapped.message).toContain('***');
  });

  it('tells a relay without AUTH from a wrong password', () => {
    const mapped = toSmtpProviderError(
      smtpError('EAUTH', '502 5.5.1 Error: command not implemented'),
    );
    expect(mapped.kind).toBe('rejected');
    expect(mapped.message).toContain('does not accept a login');
  });

  it('does not call a temporary login failure a wrong password', () => {
    const mapped = toSmtpProviderError(
      smtpError('EAUTH', '454 4.7.0 Temporary authentication failure'),
    );
    expect(mapped.kind).toBe('provider_error');
  });

  it('names the TLS mode when the TLS negotiation fails', () => {
    const mapped = toSmtpProviderError(smtpError('ETLS'));
    expect(mapped.kind).toBe('provider_error');
    expect(mapped.message).toContain('check the TLS mode');
    const certificate = smtpError('ESOCKET');
    certificate.message = 'self-signed certificate in certificate chain';
    expect(toSmtpProviderError(certificate)).toMatchObject({
      kind: 'provider_error',
      message: expect.stringContaining('self-signed certificate'),
    });
  });

  it('refuses a message nodemailer would not send, with its reason', () => {
    const error = smtpError('EENVELOPE');
    error.message = 'No recipients defined';
    const mapped = toSmtpProviderError(error);
    expect(mapped).toMatchObject({
      kind: 'rejected',
      message: 'No recipients defined',
    });
  });

  it('does not trust the text of unknown errors', () => {
    const mapped = toSmtpProviderError(new Error(`boom ${PASSWORD}`));
    expect(mapped.kind).toBe('provider_error');
    expect(mapped.message).toBe('The SMTP relay call failed');
    expect(toSmtpProviderError(undefined).kind).toBe('provider_error');
  });

  it('keeps a ProviderError as it is', () => {
    const original = new ProviderError(
      'rejected',
      'The SMTP relay needs a host name',
    );
    expect(toSmtpProviderError(original)).toBe(original);
  });
});
