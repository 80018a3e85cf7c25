import { startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { espPlugin } from './plugin';

describe('espPlugin', () => {
  it('answers the unauthenticated health check', async () => {
    const { server } = await startTestBackend({ features: [espPlugin] });
    const res = await request(server).get('/api/esp/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });
});
