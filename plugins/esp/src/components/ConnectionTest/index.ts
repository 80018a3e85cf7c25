export { ConnectionTest } from './ConnectionTest';
