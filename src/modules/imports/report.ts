// The downloadable problem report. At most 5,000 problems are stored per import; when a file had
// more, the report is made again from the file while it is still in the uploads folder, so that it
// lists every problem. Once the file is gone (committed, discarded, or swept after the retention)
// the report lists the stored problems and says plainly that the rest cannot be listed any more.
import type { Database } from '../../db/client.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { runPass } from './pipeline.ts';
import { EnterpriseCodes } from './enterprise-codes.ts';
import { loadReferenceLookup } from './repo.ts';
import { foundProblems, reportData } from './service.ts';
import { uploadExists, uploadPath } from './uploads.ts';
import { problemReport, type ReportInput } from './xlsx.ts';

export interface FullReport {
  fileName: string;
  /** every problem is listed */
  complete: boolean;
  /** the list was made again from the uploaded file */
  regenerated: boolean;
  buffer: Buffer;
}

export async function fullProblemReport(
  database: Database,
  user: AuthedUser | null,
  id: number,
): Promise<FullReport> {
  const data = await reportData(database.db, user, id);
  const found = foundProblems(data.counts);
  let input: ReportInput = data;
  let complete = data.problems.length >= found;
  let regenerated = false;
  if (!complete && uploadExists(data.storedAs)) {
    const ref = await loadReferenceLookup(database.db);
    const codes = new EnterpriseCodes(database.db, { keep: data.kind !== 'enterprises' });
    const r = await runPass({
      kind: data.kind,
      path: uploadPath(data.storedAs)!,
      fileName: data.fileName,
      ref,
      enterprise: (u) => codes.get(u),
      resolve: (c) => codes.resolve(c),
      scopeRegion: data.regionCode,
      maxProblems: Infinity,
    });
    input = {
      fileName: data.fileName,
      kind: data.kind,
      problems: r.problems.map((p) => ({
        ...p,
        cells: p.row !== null ? (r.problemCells.get(`${p.sheet ?? ''}\u0000${p.row}`) ?? null) : null,
      })),
      headers: r.headers,
      counts: { ...data.counts, ...r.counts },
      note: {
        zh: `完整清单按服务器上保存的原文件重新生成（${new Date().toISOString().slice(0, 10)}）`,
        en: `The full list was made again from the original file kept on the server (${new Date().toISOString().slice(0, 10)})`,
      },
    };
    complete = true;
    regenerated = true;
  } else if (!complete) {
    input = {
      ...data,
      note: {
        zh: `原文件已不在服务器上，无法列出其余 ${found - data.problems.length} 条问题；如需完整清单，请重新上传该文件`,
        en: `The original file is no longer on the server, so the other ${found - data.problems.length} problems cannot be listed; upload the file again for the full list`,
      },
    };
  }
  return { fileName: data.fileName, complete, regenerated, buffer: await problemReport(input) };
}
