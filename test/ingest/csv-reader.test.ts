import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CsvReader, CsvSyntaxError, type CsvRecord } from '../../src/ingest/csv-reader.ts';
import { incompleteTailLength, invalidUtf8Offsets } from '../../src/ingest/utf8.ts';

async function read(chunks: (string | Uint8Array)[], maxRecordBytes?: number): Promise<CsvRecord[]> {
  const reader = new CsvReader(chunks, maxRecordBytes ? { maxRecordBytes } : {});
  const out: CsvRecord[] = [];
  for await (const r of reader.records()) out.push(r);
  return out;
}

async function readError(chunks: (string | Uint8Array)[], maxRecordBytes?: number) {
  const seen: CsvRecord[] = [];
  try {
    const reader = new CsvReader(chunks, maxRecordBytes ? { maxRecordBytes } : {});
    for await (const r of reader.records()) seen.push(r);
  } catch (error) {
    return { error: error as CsvSyntaxError, seen };
  }
  throw new Error('expected a syntax error');
}

/** Splits bytes at pseudo-random places (inside multi-byte characters too). */
function chop(bytes: Buffer, seed: number): Buffer[] {
  const out: Buffer[] = [];
  let s = seed;
  let at = 0;
  while (at < bytes.length) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const size = 1 + (s % 23);
    out.push(bytes.subarray(at, at + size));
    at += size;
  }
  return out;
}

describe('CsvReader', () => {
  it('gives each record its physical start and end line', async () => {
    const text = 'a,b,c\n1,"x\ny",3\n\n4,5,6\n7,"a\r\nb\nc",9\n\n\n8,é,"ü"';
    expect(await read([text])).toEqual([
      { line: 1, endLine: 1, fields: ['a', 'b', 'c'] },
      { line: 2, endLine: 3, fields: ['1', 'x\ny', '3'] },
      { line: 5, endLine: 5, fields: ['4', '5', '6'] },
      { line: 6, endLine: 8, fields: ['7', 'a\r\nb\nc', '9'] },
      { line: 11, endLine: 11, fields: ['8', 'é', 'ü'] },
    ]);
  });

  it('takes a BOM and CRLF line ends, and LF ones in the same file', async () => {
    const text = '\uFEFFa,b\r\n"1\r\n2",x\r\n\r\n3,y\n4,z\r\n';
    expect(await read([text])).toEqual([
      { line: 1, endLine: 1, fields: ['a', 'b'] },
      { line: 2, endLine: 3, fields: ['1\r\n2', 'x'] },
      { line: 5, endLine: 5, fields: ['3', 'y'] },
      { line: 6, endLine: 6, fields: ['4', 'z'] },
    ]);
  });

  it('reads nothing from an empty input or a lone BOM', async () => {
    expect(await read([])).toEqual([]);
    expect(await read(['\uFEFF'])).toEqual([]);
    expect(await read(['\n\n'])).toEqual([]);
  });

  it('keeps rows of another width for the caller to report', async () => {
    expect((await read(['a,b\n1,2,3\n4\n'])).map((r) => r.fields)).toEqual([['a', 'b'], ['1', '2', '3'], ['4']]);
  });

  it('finds the same records and lines however the bytes are chunked', async () => {
    // Build a file whose expected records and lines are known as it is written.
    const cells = ['plain', 'with, comma', 'with "quote"', 'two\nlines', 'crlf\r\ninside', 'Zoë Żółć', '', '😀 emoji'];
    let seed = 3;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let file = 0; file < 20; file++) {
      const eol = file % 2 ? '\r\n' : '\n';
      let text = file % 3 === 0 ? '\uFEFF' : '';
      let line = 1;
      const expected: CsvRecord[] = [];
      for (let r = 0; r < 30; r++) {
        while (random(5) === 0) {
          text += eol; // a blank line
          line++;
        }
        const fields = [0, 1, 2].map(() => cells[random(cells.length)]!);
        const quoted = fields.map((f) => (/[",\r\n]/.test(f) || (f === '' && random(2) === 0) ? `"${f.replaceAll('"', '""')}"` : f));
        const span = fields.join('').split('\n').length - 1;
        expected.push({ line, endLine: line + span, fields });
        text += quoted.join(',') + (r < 29 || file % 4 ? eol : '');
        line += span + 1;
      }
      const bytes = Buffer.from(text, 'utf8');
      const reader = new CsvReader(chop(bytes, file + 1));
      const got: CsvRecord[] = [];
      for await (const rec of reader.records()) got.push(rec);
      expect(got).toEqual(expected);
      expect(reader.bytes).toBe(bytes.length);
      expect(reader.sha256()).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('flags the fields holding bytes that are not UTF-8, by line', async () => {
    const bytes = Buffer.concat([
      Buffer.from('a,b\n1,2\n"x\ny",x'),
      Buffer.from([0xff]),
      Buffer.from('y\n3,'),
      Buffer.from([0xc3, 0x28]), // a lead byte followed by a non-continuation
      Buffer.from('\n5,6\n'),
    ]);
    for (const chunks of [[bytes], chop(bytes, 5)]) {
      expect(await read(chunks)).toEqual([
        { line: 1, endLine: 1, fields: ['a', 'b'] },
        { line: 2, endLine: 2, fields: ['1', '2'] },
        { line: 3, endLine: 4, fields: ['x\ny', 'x\uFFFDy'], invalidUtf8Fields: [1] },
        { line: 5, endLine: 5, fields: ['3', '\uFFFD('], invalidUtf8Fields: [1] },
        { line: 6, endLine: 6, fields: ['5', '6'] },
      ]);
    }
  });

  it('does not mistake a character split between chunks for bad bytes', async () => {
    const bytes = Buffer.from('name\nZoë 😀 Żółć\n', 'utf8');
    for (let cut = 1; cut < bytes.length; cut++) {
      const recs = await read([bytes.subarray(0, cut), bytes.subarray(cut)]);
      expect(recs[1]).toEqual({ line: 2, endLine: 2, fields: ['Zoë 😀 Żółć'] });
    }
  });

  it('flags a character cut off by the end of the file', async () => {
    const recs = await read([Buffer.concat([Buffer.from('a\nx'), Buffer.from([0xe2, 0x82])])]);
    expect(recs[1]).toMatchObject({ line: 2, invalidUtf8Fields: [0] });
  });

  it.each([
    ['a,b\n1,2\n\n3,"open,4\n5,6\n', 4, 1, 2, 'a quoted cell is never closed'],
    ['a,b\n1,"x"y\n', 2, 1, 1, 'text follows the closing quote'],
    ['a,b\n1,2\n3,x"y\n', 3, 1, 2, 'a " inside an unquoted cell'],
    ['a,b\n"multi\nline",2\n3, "x"\n', 4, 1, 2, 'a " inside an unquoted cell'],
  ])('stops at a structural error with its line: %j', async (text, line, fieldIndex, before, message) => {
    const { error, seen } = await readError([text]);
    expect(error).toBeInstanceOf(CsvSyntaxError);
    expect(error.line).toBe(line);
    expect(error.fieldIndex).toBe(fieldIndex);
    expect(error.message).toContain(message);
    // every record before the broken one was delivered
    expect(seen.length).toBe(before);
  });

  it('reads random inputs as csv-parse does (records, or a structural error)', async () => {
    // The tokenizer replaced csv-parse; csv-parse with the options the importer used is the oracle.
    const pieces = ['a', 'b', ',', '"', '\n', '\r\n', '\r', ' ', 'é', '""', '"x"', '😀'];
    let seed = 5;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    let errors = 0;
    for (let n = 0; n < 3000; n++) {
      let text = n % 4 === 0 ? '\uFEFF' : '';
      for (let k = random(30); k > 0; k--) text += pieces[random(pieces.length)];
      let expected: string[][] | 'error';
      try {
        const records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false, record_delimiter: ['\r\n', '\n'] }) as string[][];
        expected = records.filter((f) => !(f.length === 1 && f[0] === ''));
      } catch {
        expected = 'error';
        errors++;
      }
      const bytes = Buffer.from(text, 'utf8');
      const cut = random(bytes.length + 1);
      let got: string[][] | 'error' = [];
      try {
        for await (const r of new CsvReader([bytes.subarray(0, cut), bytes.subarray(cut)]).records()) got.push(r.fields);
      } catch (error) {
        expect(error).toBeInstanceOf(CsvSyntaxError);
        got = 'error';
      }
      expect(got, JSON.stringify(text)).toEqual(expected);
    }
    expect(errors).toBeGreaterThan(50); // the inputs do exercise the errors
  });

  it('refuses a record longer than the limit (an open quote would swallow the file)', async () => {
    const { error } = await readError([`a,b\n1,2\n3,"${'x'.repeat(500)}\n`.repeat(2)], 100);
    expect(error.line).toBe(3);
    expect(error.message).toBe('a row longer than 100 bytes (a quote left open?)');
  });
});

describe('UTF-8 checks', () => {
  it('locate exactly what a strict decoder refuses', () => {
    let seed = 11;
    const byte = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const r = seed % 10;
      // mostly ASCII and well-formed lead/continuation bytes, some junk
      return r < 5 ? 0x61 : r < 7 ? 0x80 + (seed % 64) : r < 9 ? 0xc2 + (seed % 51) : seed % 256;
    };
    const decoder = new TextDecoder('utf-8', { fatal: true });
    for (let n = 0; n < 3000; n++) {
      const bytes = Uint8Array.from({ length: 1 + (n % 9) }, byte);
      let valid = true;
      try {
        decoder.decode(bytes);
      } catch {
        valid = false;
      }
      expect(invalidUtf8Offsets(bytes).length === 0, `bytes ${Buffer.from(bytes).toString('hex')}`).toBe(valid);
    }
  });

  it('refuse overlongs, surrogates and code points above U+10FFFF', () => {
    expect(invalidUtf8Offsets(Uint8Array.from([0xc0, 0xaf]))).toEqual([0, 1]);
    expect(invalidUtf8Offsets(Uint8Array.from([0xe0, 0x80, 0xaf]))).toEqual([0, 1, 2]);
    expect(invalidUtf8Offsets(Uint8Array.from([0xed, 0xa0, 0x80]))).toEqual([0, 1, 2]);
    expect(invalidUtf8Offsets(Uint8Array.from([0xf4, 0x90, 0x80, 0x80]))).toEqual([0, 1, 2, 3]);
    expect(invalidUtf8Offsets(Buffer.from('ok é 😀'))).toEqual([]);
  });

  it('measure the unfinished character at the end of a chunk', () => {
    const euro = Buffer.from('€'); // e2 82 ac
    expect(incompleteTailLength(Buffer.from('ab'))).toBe(0);
    expect(incompleteTailLength(euro)).toBe(0);
    expect(incompleteTailLength(euro.subarray(0, 1))).toBe(1);
    expect(incompleteTailLength(euro.subarray(0, 2))).toBe(2);
    expect(incompleteTailLength(Buffer.from('😀').subarray(0, 3))).toBe(3);
    expect(incompleteTailLength(Uint8Array.from([0x61, 0xff]))).toBe(0);
  });
});
