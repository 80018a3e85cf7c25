export { MailgunConfigPage } from './MailgunConfigPage';
