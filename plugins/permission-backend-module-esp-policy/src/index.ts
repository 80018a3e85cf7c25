/**
 * Permission policy module that makes ESP Hub admin-only.
 *
 * @packageDocumentation
 */
export { permissionModuleEspPolicy as default } from './module';
export { EspAdminPolicy } from './EspAdminPolicy';
