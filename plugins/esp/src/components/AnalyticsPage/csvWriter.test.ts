import { csvCell, writeCsv } from './csvWriter';

describe('writeCsv', () => {
  it('defuses cells a spreadsheet would run as formulas', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      expect(csvCell(`${start}HYPERLINK("x")`).replace(/^"/, '')).toMatch(/^'/);
    }
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('plain')).toBe('plain');
    // Numbers are data, not text an attacker wrote.
    expect(csvCell(-1)).toBe('-1');
  });

  it('quotes commas, quotes and line breaks, and leaves null empty', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(
      writeCsv(
        ['a', 'b'],
        [
          [1, null],
          ['x,y', 2],
        ],
      ),
    ).toBe('a,b\r\n1,\r\n"x,y",2\r\n');
  });
});
