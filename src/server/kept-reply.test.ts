// Which Accept-Encoding headers accept gzip (RFC 9110 §12.5.3): named or `*`, with a weight above 0.
import { describe, expect, it } from 'vitest';
import { acceptsGzip } from './kept-reply.ts';

describe('acceptsGzip', () => {
  it('accepts gzip named or through *, unless its weight is 0', () => {
    for (const h of ['gzip', 'gzip, deflate, br, zstd', 'br;q=1.0, GZIP;q=0.5', 'x-gzip', '*', 'br, *;q=0.1'])
      expect(acceptsGzip(h), h).toBe(true);
    for (const h of [
      undefined,
      '',
      'identity',
      'br, deflate',
      'gzip;q=0',
      'gzip; q=0.000',
      '*;q=0',
      'gzip;q=0, *',
    ])
      expect(acceptsGzip(h), String(h)).toBe(false);
    expect(acceptsGzip(['br', 'gzip'])).toBe(true);
  });
});
