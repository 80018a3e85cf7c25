import espPlugin from './index';

describe('esp plugin', () => {
  it('is a frontend plugin with the esp id', () => {
    expect(espPlugin.id).toBe('esp');
  });
});
