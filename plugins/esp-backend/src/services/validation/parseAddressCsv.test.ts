import { parseAddressCsv } from './parseAddressCsv';

describe('parseAddressCsv', () => {
  it('reads the email column with the line of each address', () => {
    const csv = 'name,Email\nAda,ada@example.com\n\nBob,bob@example.org\n';
    expect(parseAddressCsv(csv)).toEqual([
      { line: 2, address: 'ada@example.com' },
      { line: 4, address: 'bob@example.org' },
    ]);
  });

  it('takes the first column when there is no header', () => {
    expect(parseAddressCsv('a@example.com\r\nb@example.com')).toEqual([
      { line: 1, address: 'a@example.com' },
      { line: 2, address: 'b@example.com' },
    ]);
  });

  it('names the line of a malformed file', () => {
    const csv = 'email\nok@example.com\n"broken@example.com\n';
    expect(() => parseAddressCsv(csv)).toThrow(/line 3/);
  });

  it('refuses a file without addresses', () => {
    expect(() => parseAddressCsv('email\n\n')).toThrow(
      'The CSV file holds no addresses',
    );
  });
});
