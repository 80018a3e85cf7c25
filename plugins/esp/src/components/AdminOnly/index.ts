export { AdminOnly, ADMIN_ONLY_MESSAGE } from './AdminOnly';
