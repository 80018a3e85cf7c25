import { maskSecret } from './maskSecret';

describe('maskSecret', () => {
  it('shows only the last four characters of a long secret', () => {
    const token = 'b6f3a1c2-0d4e-4f5a-9b8c-7d6e5f4a3b2c';
    expect(maskSecret(token)).toBe('••••3b2c');
  });

  it('shows nothing of a short secret', () => {
    expect(maskSecret('12345678')).toBe('••••');
    expect(maskSecret('abc')).toBe('••••');
  });
});
