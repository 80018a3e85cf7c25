import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import request from 'supertest';
import { createRouter } from '../routes/createRouter';
import {
  createServiceFixture,
  TestDatabaseId,
  validPostmarkInput,
} from './serviceFixture';

export type Route = {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  body?: object;
};

/** The router over the real services, with a fake Postmark, mock auth and a recording auditor. */
export async function createRouterFixture(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
  options?: { deny?: boolean },
) {
  const fixture = await createServiceFixture(databases, databaseId);
  const auditEvent = { success: jest.fn(), fail: jest.fn() };
  const auditor = mockServices.auditor.mock({
    createEvent: jest.fn(async () => auditEvent),
  });
  const router = await createRouter({
    httpAuth: mockServices.httpAuth(),
    userInfo: mockServices.userInfo(),
    permissions: mockServices.permissions({
      result: options?.deny ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
    }),
    auditor,
    configs: fixture.configs,
    operations: fixture.operations,
    validations: fixture.validations,
    status: fixture.status,
    routing: fixture.routing,
    usage: fixture.usage,
    messages: fixture.messages,
    settlement: fixture.settlement,
    analytics: fixture.analytics,
  });
  const app = express().use(router).use(mockErrorHandler());
  const call = (route: Route, header = mockCredentials.user.header()) => {
    const req = request(app)
      [route.method](route.path)
      .set('Authorization', header);
    return route.body ? req.send(route.body) : req;
  };
  const configure = (extra: object = {}) =>
    call({
      method: 'post',
      path: '/providers/postmark',
      body: { ...validPostmarkInput, ...extra },
    });
  return { ...fixture, app, router, call, configure, auditor, auditEvent };
}
