export { UnknownSectionNotFound } from './UnknownSectionNotFound';
