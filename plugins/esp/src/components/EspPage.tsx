import { ComingSoonPage } from './ComingSoonPage';
import { EspSettingsLayout } from './EspSettingsLayout';
import { MailgunConfigPage } from './MailgunConfigPage';
import { OverviewPage } from './OverviewPage';
import { PostmarkConfigPage } from './PostmarkConfigPage';
import { SmtpConfigPage } from './SmtpConfigPage';

/** The six ESP settings routes. Sections of later releases say so instead of showing sample data. */
export const EspPage = () => (
  <EspSettingsLayout
    sections={{
      '': <OverviewPage />,
      postmark: <PostmarkConfigPage />,
      mailgun: <MailgunConfigPage />,
      smtp: <SmtpConfigPage />,
      routing: (
        <ComingSoonPage
          title="Routing rules"
          description="Routing of email types to providers, failover and cost rules arrive in a later release. Until then every email goes through the configured provider."
        />
      ),
      webhooks: (
        <ComingSoonPage
          title="Webhooks"
          description="Webhook endpoints, event subscriptions and delivery logs arrive in a later release."
        />
      ),
      analytics: (
        <ComingSoonPage
          title="ESP analytics"
          description="Provider comparison and deliverability metrics arrive once delivery events are recorded."
        />
      ),
    }}
  />
);
