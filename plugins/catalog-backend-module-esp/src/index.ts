/**
 * Puts the email service providers ESP Hub knows into the software catalog:
 * one `Resource` entity of type `email-service-provider` each.
 *
 * @packageDocumentation
 */
export { catalogModuleEspEntityProvider as default } from './module';
export { EspEntityProvider } from './provider/EspEntityProvider';
