import { ProviderError } from '../errors';
import {
  checkSmtpRelay,
  readSmtpSettings,
  relayOf,
  SmtpRelay,
} from './smtpSettings';

function refusal(fn: () => unknown): ProviderError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }
  throw new Error('expected a ProviderError');
}

describe('readSmtpSettings', () => {
  it('fills what a stored row lacks or got wrong with the defaults', () => {
    expect(readSmtpSettings(undefined)).toEqual({
      host: null,
      port: 587,
      tls: 'starttls',
      username: null,
      defaultSender: null,
      timeoutSeconds: 30,
    });
    expect(
      readSmtpSettings({ host: 'relay', port: 'x', tls: 'ssl3', username: 7 }),
    ).toMatchObject({ host: 'relay', port: 587, tls: 'starttls' });
  });
});

describe('relayOf', () => {
  it('leaves the username out when there is none, so the relay is used without login', () => {
    const settings = readSmtpSettings({ host: 'relay', port: 25, tls: 'none' });
    expect(relayOf(settings)).toEqual({ host: 'relay', port: 25, tls: 'none' });
    expect(relayOf({ ...settings, username: 'a@b.com' })).toEqual({
      host: 'relay',
      port: 25,
      tls: 'none',
      username: 'a@b.com',
    });
  });
});

describe('checkSmtpRelay', () => {
  it.each<SmtpRelay>([
    { host: 'mail.example.com', port: 465, tls: 'tls', username: 'a@b.c' },
    { host: 'relay', port: 25, tls: 'none' },
    { host: '10.0.0.7', port: 2525, tls: 'starttls', username: 'x +&=?/%y' },
    { host: '::1', port: 25, tls: 'none', username: 'ünïcödé' },
    { host: 'mäil.example.de', port: 587, tls: 'starttls' },
  ])('accepts %o as it is', relay => {
    expect(checkSmtpRelay(relay)).toEqual(relay);
  });

  it('takes IPv6 addresses with or without brackets, and trims the host', () => {
    expect(checkSmtpRelay({ host: '[::1]', port: 25, tls: 'none' }).host).toBe(
      '::1',
    );
    expect(
      checkSmtpRelay({ host: ' relay.local ', port: 25, tls: 'none' }).host,
    ).toBe('relay.local');
  });

  it.each<[SmtpRelay, string]>([
    [{ host: '', port: 25, tls: 'none' }, 'needs a host name'],
    [{ host: 'evil/path', port: 25, tls: 'none' }, 'host name is not valid'],
    [{ host: 'u@relay', port: 25, tls: 'none' }, 'host name is not valid'],
    [{ host: 'relay:25', port: 25, tls: 'none' }, 'host name is not valid'],
    [{ host: 'relay', port: 0, tls: 'none' }, 'port must be between'],
    [{ host: 'relay', port: 70000, tls: 'none' }, 'port must be between'],
    [
      { host: 'relay', port: 25, tls: 'ssl3' as SmtpRelay['tls'] },
      "Unknown TLS mode 'ssl3'",
    ],
  ])('refuses %o', (relay, reason) => {
    const error = refusal(() => checkSmtpRelay(relay));
    expect(error.kind).toBe('rejected');
    expect(error.message).toContain(reason);
  });

  it('never repeats the username in a refusal', () => {
    const error = refusal(() =>
      checkSmtpRelay({
        host: '',
        port: 25,
        tls: 'none',
        username: 'secret-user',
      }),
    );
    expect(error.message).not.toContain('secret-user');
  });
});
