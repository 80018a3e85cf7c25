import { parseAddressCsv } from './parseAddressCsv';

const addressesOf = (csv: string) => parseAddressCsv(csv).addresses;

describe('parseAddressCsv', () => {
  it('reads the email column with the line of each address', () => {
    const csv = 'name,Email\nAda,ada@example.com\n\nBob,bob@example.org\n';
    expect(parseAddressCsv(csv)).toEqual({
      addresses: [
        { line: 2, address: 'ada@example.com' },
        { line: 4, address: 'bob@example.org' },
      ],
      duplicates: 0,
    });
  });

  it('takes the first column when there is no header', () => {
    expect(addressesOf('a@example.com\r\nb@example.com')).toEqual([
      { line: 1, address: 'a@example.com' },
      { line: 2, address: 'b@example.com' },
    ]);
  });

  it('keeps the first of repeated addresses, in any case and spacing, and counts the rest', () => {
    const csv =
      'email\nAda@Example.com\nbob@example.org\n  ada@example.COM \nBOB@example.org\nada@example.com\n';
    expect(parseAddressCsv(csv)).toEqual({
      addresses: [
        { line: 2, address: 'Ada@Example.com' },
        { line: 3, address: 'bob@example.org' },
      ],
      duplicates: 3,
    });
  });

  it('names the line of a malformed file', () => {
    const csv = 'email\nok@example.com\n"broken@example.com\n';
    expect(() => parseAddressCsv(csv)).toThrow(/line 3/);
  });

  it('refuses an empty file and a file without addresses, saying which', () => {
    expect(() => parseAddressCsv('')).toThrow('The CSV file is empty');
    expect(() => parseAddressCsv(' \r\n\n')).toThrow('The CSV file is empty');
    expect(() => parseAddressCsv('email\n\n')).toThrow(
      /^The CSV file holds no addresses/,
    );
    expect(() => parseAddressCsv('email\n,\n,\n')).toThrow(
      /^The CSV file holds no addresses/,
    );
  });

  it('refuses a binary file renamed .csv', () => {
    // What a PNG or a zip looks like once read as text.
    const png = '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR';
    expect(() => parseAddressCsv(png)).toThrow(
      /^The file is not a text CSV file: it holds binary data/,
    );
    expect(() => parseAddressCsv('email\na@example.com\u0000\n')).toThrow(
      /not a text CSV file/,
    );
    // Bytes that were not UTF-8 arrive as U+FFFD after decoding.
    const latin1 = Buffer.from([
      0x65, 0x6d, 0x61, 0x69, 0x6c, 0x0a, 0xe9, 0x40,
    ]);
    expect(() => parseAddressCsv(latin1.toString('utf8'))).toThrow(
      /^The file is not a text CSV file: it is not valid UTF-8 text/,
    );
  });

  it('accepts tabs, a byte order mark and non-ASCII addresses', () => {
    expect(
      addressesOf('\uFEFFemail,name\nmüller@exämple.de,Max\tMüller\n'),
    ).toEqual([{ line: 2, address: 'müller@exämple.de' }]);
  });
});
