export { SmtpConfigPage } from './SmtpConfigPage';
