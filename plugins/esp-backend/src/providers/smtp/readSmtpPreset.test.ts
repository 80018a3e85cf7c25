import { ConfigReader } from '@backstage/config';
import { readSmtpPreset } from './readSmtpPreset';

const withPreset = (preset: unknown) =>
  new ConfigReader({ esp: { providers: { smtp: { preset } } } } as any);

describe('readSmtpPreset', () => {
  it('is absent when the deployment suggests no relay', () => {
    expect(readSmtpPreset(new ConfigReader({}))).toBeUndefined();
  });

  it('reads a relay the page can start with', () => {
    expect(
      readSmtpPreset(
        withPreset({
          host: '127.0.0.1',
          port: 7125,
          tls: 'none',
          defaultSender: 'portal@esp-hub.example',
        }),
      ),
    ).toEqual({
      host: '127.0.0.1',
      port: 7125,
      tls: 'none',
      defaultSender: 'portal@esp-hub.example',
    });
    expect(readSmtpPreset(withPreset({ host: 'relay.corp' }))).toEqual({
      host: 'relay.corp',
    });
  });

  it('is absent when a later config file sets it to null, as production does', () => {
    const layered = ConfigReader.fromConfigs([
      {
        context: 'app-config.yaml',
        data: {
          esp: { providers: { smtp: { preset: { host: '127.0.0.1' } } } },
        },
      },
      {
        context: 'app-config.production.yaml',
        data: { esp: { providers: { smtp: { preset: null } } } },
      },
    ]);
    expect(readSmtpPreset(layered)).toBeUndefined();
  });

  it('stops startup with the field named when the preset is invalid', () => {
    expect(() =>
      readSmtpPreset(withPreset({ host: 'relay', port: 0 })),
    ).toThrow(
      /esp\.providers\.smtp\.preset: Port must be between 1 and 65535\./,
    );
    expect(() => readSmtpPreset(withPreset({ port: 25 }))).toThrow(
      /Host is required/,
    );
  });

  it('refuses credentials, which do not belong in app-config', () => {
    expect(() =>
      readSmtpPreset(withPreset({ host: 'relay', password: 'hunter2' })),
    ).toThrow(/Unknown field: password/);
  });
});
