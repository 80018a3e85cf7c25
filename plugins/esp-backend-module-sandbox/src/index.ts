/**
 * Local stand-ins for email service providers: a server that speaks the Postmark
 * API and a real SMTP sink, for development and tests.
 *
 * @packageDocumentation
 */
export { espModuleSandbox as default } from './module';
export { startPostmarkSandbox } from './postmark/startPostmarkSandbox';
export type { PostmarkSandbox } from './postmark/startPostmarkSandbox';
export { PostmarkSandboxState } from './postmark/PostmarkSandboxState';
export type {
  SandboxDomain,
  SandboxMessage,
  SandboxSignature,
  SandboxStream,
} from './postmark/PostmarkSandboxState';
export { startSmtpSandbox } from './smtp/startSmtpSandbox';
export type { ReceivedMail, SmtpSandbox } from './smtp/startSmtpSandbox';
export { startMailgunSandbox } from './mailgun/startMailgunSandbox';
export type { MailgunSandbox } from './mailgun/startMailgunSandbox';
export { MailgunSandboxState } from './mailgun/MailgunSandboxState';
export type {
  MailgunDnsRecord,
  MailgunSandboxDomain,
  MailgunSandboxMessage,
} from './mailgun/MailgunSandboxState';
