import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { startMailgunSandbox } from './mailgun/startMailgunSandbox';
import { startPostmarkSandbox } from './postmark/startPostmarkSandbox';
import { startSmtpSandbox } from './smtp/startSmtpSandbox';
import { readEventOptions } from './events/readEventOptions';

/**
 * Starts the local Postmark, Mailgun and SMTP stand-ins with the backend when
 * `esp.sandbox.enabled` is true, so a newcomer can click through ESP Hub offline.
 * @public
 */
export const espModuleSandbox = createBackendModule({
  pluginId: 'esp',
  moduleId: 'sandbox',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
      },
      async init({ config, logger, lifecycle }) {
        const sandbox = config.getOptionalConfig('esp.sandbox');
        if (!sandbox?.getOptionalBoolean('enabled')) {
          return;
        }
        const postmark = await startPostmarkSandbox({
          port: sandbox.getOptionalNumber('postmark.port') ?? 7101,
          serverTokens: [
            sandbox.getOptionalString('postmark.serverToken') ??
              'sandbox-server-token',
          ],
          accountTokens: [
            sandbox.getOptionalString('postmark.accountToken') ??
              'sandbox-account-token',
          ],
          events: readEventOptions(
            sandbox.getOptionalConfig('postmark.events'),
          ),
        });
        const mailgun = await startMailgunSandbox({
          port: sandbox.getOptionalNumber('mailgun.port') ?? 7102,
          apiKeys: [
            sandbox.getOptionalString('mailgun.apiKey') ??
              'sandbox-mailgun-key',
          ],
          events: readEventOptions(sandbox.getOptionalConfig('mailgun.events')),
        });
        // A Mailgun account always has a sending domain to start from.
        for (const name of sandbox.getOptionalStringArray(
          'mailgun.domains',
        ) ?? ['mg.sandbox.example']) {
          mailgun.state.addVerifiedDomain(name);
        }
        const smtp = await startSmtpSandbox({
          port: sandbox.getOptionalNumber('smtp.port') ?? 7125,
          // The sink has no page of its own: the log is where a developer sees mail arrive.
          onReceived: mail =>
            logger.info(
              `ESP sandbox: the SMTP sink received "${mail.subject}" from ${
                mail.from
              } to ${mail.to.join(', ')}`,
            ),
        });
        logger.info(
          `ESP sandbox: Postmark stand-in at ${postmark.baseUrl}, Mailgun stand-in at ${mailgun.baseUrl} (sent messages at <url>/__sandbox/messages), SMTP sink at ${smtp.host}:${smtp.port}`,
        );
        lifecycle.addShutdownHook(async () => {
          await Promise.all([postmark.close(), mailgun.close(), smtp.close()]);
        });
      },
    });
  },
});
