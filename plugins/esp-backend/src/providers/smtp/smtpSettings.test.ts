import { ProviderError } from '../errors';
import { formatSmtpUrl, parseSmtpUrl, SmtpRelaySettings } from './smtpSettings';

function refusal(fn: () => unknown): ProviderError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }
  throw new Error('expected a ProviderError');
}

describe('parseSmtpUrl', () => {
  it('reads host, port, TLS mode and the url-encoded username', () => {
    expect(
      parseSmtpUrl('smtp://mail.example.com:465?tls=tls&user=a%40b.com'),
    ).toEqual({
      host: 'mail.example.com',
      port: 465,
      tls: 'tls',
      username: 'a@b.com',
    });
    expect(
      parseSmtpUrl('smtp://relay.local:25?tls=none&user=we%2Bird%20name'),
    ).toEqual({
      host: 'relay.local',
      port: 25,
      tls: 'none',
      username: 'we+ird name',
    });
  });

  it('leaves the username out when there is none, so the relay is used without login', () => {
    expect(parseSmtpUrl('smtp://relay:2525?tls=starttls')).toEqual({
      host: 'relay',
      port: 2525,
      tls: 'starttls',
    });
    expect(parseSmtpUrl('smtp://relay:2525?tls=none&user=')).toEqual({
      host: 'relay',
      port: 2525,
      tls: 'none',
    });
  });

  it('defaults to STARTTLS, and to port 587 (465 with implicit TLS)', () => {
    expect(parseSmtpUrl('smtp://relay')).toEqual({
      host: 'relay',
      port: 587,
      tls: 'starttls',
    });
    expect(parseSmtpUrl('smtp://relay?tls=tls').port).toBe(465);
    expect(parseSmtpUrl('smtp://relay/?tls=none').port).toBe(587);
  });

  it('reads IPv6 addresses without their brackets, and non-ASCII names decoded', () => {
    expect(parseSmtpUrl('smtp://[::1]:25?tls=none').host).toBe('::1');
    expect(parseSmtpUrl('smtp://mäil.example.de:25?tls=none').host).toBe(
      'mäil.example.de',
    );
  });

  it.each([
    ['not a url', 'not valid'],
    ['https://mail.example.com:587', 'must start with smtp://'],
    ['smtp://:25?tls=none', 'needs a host name'],
    ['smtp://relay:25/inbox', 'takes no path'],
    ['smtp://relay:25?tls=ssl3', "Unknown TLS mode 'ssl3'"],
    ['smtp://relay:0', 'port must be between 1 and 65535'],
    ['smtp://relay:99999', 'not valid'],
  ])('refuses %s', (address, reason) => {
    const error = refusal(() => parseSmtpUrl(address));
    expect(error.kind).toBe('rejected');
    expect(error.message).toContain(reason);
  });

  it('refuses credentials in the address without repeating them', () => {
    const error = refusal(() =>
      parseSmtpUrl('smtp://mailer:s3cret-pass@relay:587'),
    );
    expect(error.kind).toBe('rejected');
    expect(error.message).toContain('must not contain credentials');
    expect(error.message).not.toContain('s3cret-pass');
  });
});

describe('formatSmtpUrl', () => {
  it('writes the address the service passes as baseUrl', () => {
    expect(
      formatSmtpUrl({
        host: 'mail.example.com',
        port: 587,
        tls: 'starttls',
        username: 'ops@example.com',
      }),
    ).toBe('smtp://mail.example.com:587?tls=starttls&user=ops%40example.com');
    expect(formatSmtpUrl({ host: 'relay', port: 25, tls: 'none' })).toBe(
      'smtp://relay:25?tls=none',
    );
  });

  it.each<SmtpRelaySettings>([
    { host: 'mail.example.com', port: 465, tls: 'tls', username: 'a@b.c' },
    { host: 'relay', port: 25, tls: 'none' },
    { host: '10.0.0.7', port: 2525, tls: 'starttls', username: 'x +&=?/%y' },
    { host: '::1', port: 25, tls: 'none', username: 'ünïcödé' },
    { host: 'mäil.example.de', port: 587, tls: 'starttls' },
  ])('is read back by parseSmtpUrl: %o', settings => {
    expect(parseSmtpUrl(formatSmtpUrl(settings))).toEqual(settings);
  });

  it.each<[SmtpRelaySettings, string]>([
    [{ host: '', port: 25, tls: 'none' }, 'needs a host name'],
    [{ host: 'evil/path', port: 25, tls: 'none' }, 'host name is not valid'],
    [{ host: 'u@relay', port: 25, tls: 'none' }, 'host name is not valid'],
    [{ host: 'relay', port: 0, tls: 'none' }, 'port must be between'],
    [{ host: 'relay', port: 70000, tls: 'none' }, 'not valid'],
  ])('refuses settings it cannot write: %o', (settings, reason) => {
    const error = refusal(() => formatSmtpUrl(settings));
    expect(error.kind).toBe('rejected');
    expect(error.message).toContain(reason);
  });
});
