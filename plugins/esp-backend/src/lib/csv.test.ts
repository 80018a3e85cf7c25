import { parse } from 'csv-parse/sync';
import { neutraliseCell, toCsv } from './csv';

describe('toCsv', () => {
  it('writes a header and quotes commas, quotes and line breaks as RFC 4180 says', () => {
    const csv = toCsv(
      ['line', 'address', 'note'],
      [
        [2, 'a@example.com', 'plain'],
        [3, '"Bob, Jr." <bob@example.com>', 'two\nlines'],
        [4, 'c@example.com', null],
      ],
    );
    expect(csv.split('\n')[0]).toBe('line,address,note');
    expect(csv).toContain('"""Bob, Jr."" <bob@example.com>"');
    // Read back, every cell is what was written.
    expect(parse(csv)).toEqual([
      ['line', 'address', 'note'],
      ['2', 'a@example.com', 'plain'],
      ['3', '"Bob, Jr." <bob@example.com>', 'two\nlines'],
      ['4', 'c@example.com', ''],
    ]);
  });

  it('neutralises cells a spreadsheet would run as a formula', () => {
    const dangerous = [
      '=HYPERLINK("http://evil.example","click")',
      '+1+2',
      '-2+3',
      '@SUM(A1:A2)',
      '\t=1+1',
      '\r=1+1',
    ];
    const csv = toCsv(
      ['address'],
      dangerous.map(d => [d]),
    );
    const cells = (parse(csv) as string[][]).slice(1).map(r => r[0]);
    expect(cells).toEqual(dangerous.map(d => `'${d}`));
    for (const cell of cells) {
      expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it('leaves ordinary text and the numbers it writes itself alone', () => {
    expect(neutraliseCell('user@example.com')).toBe('user@example.com');
    expect(neutraliseCell('a=b@example.com')).toBe('a=b@example.com');
    expect(neutraliseCell('')).toBe('');
    expect(
      toCsv(['n'], [[-1], [0]])
        .split('\n')
        .slice(1, 3),
    ).toEqual(['-1', '0']);
  });
});
