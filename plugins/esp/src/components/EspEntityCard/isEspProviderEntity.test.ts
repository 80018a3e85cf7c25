import { isEspProviderEntity } from './isEspProviderEntity';

const entity = (kind: string, type: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'x' },
  spec: { type },
});

describe('isEspProviderEntity', () => {
  it('holds for email-service-provider resources only', () => {
    expect(
      isEspProviderEntity(entity('Resource', 'email-service-provider')),
    ).toBe(true);
    expect(
      isEspProviderEntity(entity('resource', 'email-service-provider')),
    ).toBe(true);
    expect(isEspProviderEntity(entity('Resource', 'database'))).toBe(false);
    expect(
      isEspProviderEntity(entity('Component', 'email-service-provider')),
    ).toBe(false);
    expect(
      isEspProviderEntity({ ...entity('Resource', 'x'), spec: undefined }),
    ).toBe(false);
  });
});
