// The shared editions service (versioned definitions) on every test database: the state machine and four
// eyes enforced on stored rows, a published edition never changes, corrections need a reason, every step
// audited in its transaction, and a `within` hook that fails rolls the step back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { auditLog, definitions } from '../../src/db/schema.ts';
import {
  createDraft,
  currentEdition,
  getEdition,
  listEditions,
  transitionEdition,
  updateDraft,
} from '../../src/modules/editions/index.ts';
import { AppError } from '../../src/server/errors.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';

const KIND = 'test_scheme';
const drafter = { id: 101 };
const reviewer = { id: 102 };
const actorA = { id: 101, username: 'drafter' };
const actorB = { id: 102, username: 'reviewer' };

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe.each(testDatabases())('editions on $kind', (t) => {
  let d: Database;
  beforeAll(async () => {
    d = await openReadyDatabase(t);
  });
  afterAll(async () => {
    if (d) await t.dispose(d);
  });

  it('walks draft → published with two people and keeps the published body', async () => {
    const e = await createDraft(d.db, drafter, actorA, {
      kind: KIND,
      key: 'k1',
      title: '方案',
      body: { weight: 0.2 },
    });
    expect(e).toMatchObject({ version: 1, status: 'draft', actions: ['edit', 'submit', 'withdraw'] });
    const edited = await updateDraft(d.db, drafter, actorA, KIND, e.id, { body: { weight: 0.25 } });
    expect(edited.body).toEqual({ weight: 0.25 });
    await transitionEdition(d.db, drafter, actorA, KIND, e.id, 'submit');
    // the drafter may neither review nor publish
    const own = await refusal(transitionEdition(d.db, drafter, actorA, KIND, e.id, 'review'));
    expect(own.status).toBe(403);
    expect(own.detailZh).toContain('双人复核');
    await transitionEdition(d.db, reviewer, actorB, KIND, e.id, 'review');
    expect((await refusal(transitionEdition(d.db, drafter, actorA, KIND, e.id, 'publish'))).status).toBe(403);
    let hooked = 0;
    const pub = await transitionEdition(d.db, reviewer, actorB, KIND, e.id, 'publish', {
      within: async () => {
        hooked++;
      },
    });
    expect(hooked).toBe(1);
    expect(pub).toMatchObject({ status: 'published', published: { id: 102, name: 'reviewer' } });
    expect(pub.submitted.id).toBe(101);
    expect(pub.reviewed.id).toBe(102);

    // published never changes: neither edit nor any move
    expect(
      (await refusal(updateDraft(d.db, drafter, actorA, KIND, e.id, { body: { weight: 9 } }))).status,
    ).toBe(409);
    expect((await refusal(transitionEdition(d.db, reviewer, actorB, KIND, e.id, 'withdraw'))).status).toBe(
      409,
    );
    const [row] = await d.db.select().from(definitions).where(eq(definitions.id, e.id));
    expect(row!.body).toEqual({ weight: 0.25 });
    expect((await currentEdition(d.db, KIND, 'k1'))?.id).toBe(e.id);

    const audits = await d.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'definition'), eq(auditLog.entityId, String(e.id))));
    expect(audits.map((a) => a.action).sort()).toEqual(
      [
        'definition.create',
        'definition.edit',
        'definition.publish',
        'definition.review',
        'definition.submit',
      ].sort(),
    );
  });

  it('asks a correction for its reason; the new edition supersedes the old when published', async () => {
    const missing = await refusal(
      createDraft(d.db, drafter, actorA, { kind: KIND, key: 'k1', title: '方案', body: { weight: 0.3 } }),
    );
    expect(missing.status).toBe(400);
    const v2 = await createDraft(d.db, drafter, actorA, {
      kind: KIND,
      key: 'k1',
      title: '方案',
      body: { weight: 0.3 },
      reason: '权重更正',
    });
    expect(v2.version).toBe(2);
    await transitionEdition(d.db, drafter, actorA, KIND, v2.id, 'submit');
    await transitionEdition(d.db, reviewer, actorB, KIND, v2.id, 'review');
    await transitionEdition(d.db, reviewer, actorB, KIND, v2.id, 'publish');
    const list = await listEditions(d.db, KIND, 'k1');
    expect(list.map((e) => [e.version, e.status, e.supersededById])).toEqual([
      [1, 'published', v2.id],
      [2, 'published', null],
    ]);
    expect((await currentEdition(d.db, KIND, 'k1'))?.version).toBe(2);
  });

  it('returns to draft clearing the submission, withdraws, and rolls back when the hook fails', async () => {
    const e = await createDraft(d.db, drafter, actorA, { kind: KIND, key: 'k2', title: 'x', body: {} });
    await transitionEdition(d.db, drafter, actorA, KIND, e.id, 'submit');
    const back = await transitionEdition(d.db, reviewer, actorB, KIND, e.id, 'return', {
      note: '请补充说明',
    });
    expect(back).toMatchObject({ status: 'draft', note: '请补充说明', submitted: { id: null } });
    await expect(
      transitionEdition(d.db, drafter, actorA, KIND, e.id, 'submit', {
        within: async () => {
          throw new Error('results could not be computed');
        },
      }),
    ).rejects.toThrow('results could not be computed');
    expect((await getEdition(d.db, KIND, e.id)).status).toBe('draft');
    const gone = await transitionEdition(d.db, drafter, actorA, KIND, e.id, 'withdraw');
    expect(gone.status).toBe('withdrawn');
    // an id of another kind is not found through this kind
    expect((await refusal(getEdition(d.db, 'other_kind', e.id))).status).toBe(404);
  });
});
