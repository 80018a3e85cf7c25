import {
  addressValidationInputSchema,
  espProviderReadPermission,
  espProviderUpdatePermission,
} from '@internal/plugin-esp-common';
import Router from 'express-promise-router';
import type { AddressValidationJobs } from '../services/validation/AddressValidationJobs';
import type { RequestContext } from './requestContext';

/** List validation: upload a CSV, poll its progress, download the results. */
export function createAddressValidationRoutes(options: {
  context: RequestContext;
  validations: AddressValidationJobs;
}) {
  const { context, validations } = options;
  const { authorize, parse, audited, providerIdOf } = context;
  const router = Router();

  router.post(
    '/providers/:providerId/address-validations',
    async (req, res) => {
      await authorize(req, espProviderUpdatePermission);
      const providerId = providerIdOf(req);
      const { csv } = parse(addressValidationInputSchema, req.body);
      // Validation is billed per address, so who started one is worth recording.
      const job = await audited(req, 'address-validation', { providerId }, () =>
        validations.start(providerId, csv),
      );
      res.status(202).json(job);
    },
  );

  router.get(
    '/providers/:providerId/address-validations/:jobId',
    async (req, res) => {
      await authorize(req, espProviderReadPermission);
      res.json(await validations.get(providerIdOf(req), req.params.jobId));
    },
  );

  router.get(
    '/providers/:providerId/address-validations/:jobId/results.csv',
    async (req, res) => {
      await authorize(req, espProviderReadPermission);
      const csv = await validations.csv(providerIdOf(req), req.params.jobId);
      res.type('text/csv').attachment('address-validation.csv').send(csv);
    },
  );

  return router;
}
