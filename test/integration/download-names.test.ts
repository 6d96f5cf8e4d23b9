// The web's download helper (web/src/api/download.ts) saves a file under the server's name: RFC 5987
// `filename*` first (Chinese names), then `filename`; and reads Retry-After as seconds or a date.
import { describe, expect, it } from 'vitest';
import { fileNameOf, nameInUrl, retryAfterSeconds } from '../../web/src/api/download.ts';

describe('download names', () => {
  it('takes filename* before filename, decoded', () => {
    expect(
      fileNameOf(
        `attachment; filename="_____-__.xlsx"; filename*=UTF-8''${encodeURIComponent('月度数据-导出.xlsx')}`,
        'x',
      ),
    ).toBe('月度数据-导出.xlsx');
    expect(fileNameOf(`attachment; filename*=utf-8'zh'${encodeURIComponent('报告 1.pdf')}`, 'x')).toBe(
      '报告 1.pdf',
    );
    expect(fileNameOf(`attachment; filename*=ISO-8859-1''caf%E9.csv`, 'x')).toBe('café.csv');
  });
  it('falls back to filename, then to the given name', () => {
    expect(fileNameOf('attachment; filename="projects.xlsx"', 'x')).toBe('projects.xlsx');
    expect(fileNameOf('attachment; filename=plain.csv', 'x')).toBe('plain.csv');
    expect(fileNameOf(`attachment; filename="a.xlsx"; filename*=UTF-8''%E4%ZZ`, 'x')).toBe('a.xlsx');
    expect(fileNameOf('attachment', 'fallback.xlsx')).toBe('fallback.xlsx');
    expect(fileNameOf(null, 'fallback.xlsx')).toBe('fallback.xlsx');
  });
  it('never saves into a folder', () => {
    expect(fileNameOf(`attachment; filename*=UTF-8''..%2F..%2Fevil.sh`, 'x')).toBe('.._.._evil.sh');
  });
  it('names a file by its URL when the server names none', () => {
    expect(nameInUrl('/api/projects/export.xlsx?region=330402')).toBe('export.xlsx');
    expect(nameInUrl(`/api/x/${encodeURIComponent('模板.xlsx')}`)).toBe('模板.xlsx');
    expect(nameInUrl('/api/imports/templates/')).toBe('download');
  });
  it('reads Retry-After as seconds or a date', () => {
    expect(retryAfterSeconds('10')).toBe(10);
    expect(retryAfterSeconds(null)).toBeUndefined();
    expect(retryAfterSeconds('soon')).toBeUndefined();
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterSeconds('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30);
  });
});
