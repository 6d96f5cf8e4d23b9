// Editions of the cluster index on the shared editions service (src/modules/editions): a draft is
// computed as it is created or changed (its results are the preview on real data), submitted, reviewed
// and published by a second person; a published edition's results are never written again.
import type { Db } from '../../db/client.ts';
import { can } from '../../domain/policy/index.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { conflict, notFound } from '../../server/errors.ts';
import type { Actor } from '../audit/index.ts';
import { writeAudit } from '../audit/index.ts';
import { ensureAssignments } from '../chains/index.ts';
import { factsReferenceYear } from '../imports/index.ts';
import {
  changesBetween,
  createDraft,
  currentEdition,
  getEdition,
  listEditions,
  transitionEdition,
  updateDraft,
  type DefinitionRow,
  type Edition,
} from '../editions/index.ts';
import { computeFrequency, type Computed } from './compute.ts';
import { assertUsable, defaultFramework, INDEX_KEY, INDEX_KIND } from './framework.ts';
import { dataThrough, loadComputations, storeComputed } from './repo.ts';
import type { EditionBody, IndexEdition } from './schemas.ts';
import type { z } from 'zod';
import type { editionCreateBody, editionUpdateBody } from './schemas.ts';

/** Who sees unpublished editions: whoever may draft or review them. */
export function seesDrafts(user: AuthedUser): boolean {
  return can(user, 'index.edition', 'manage') || can(user, 'index.edition', 'review');
}

function visible(user: AuthedUser | null, e: Pick<Edition, 'status'>): boolean {
  return e.status === 'published' || (user !== null && seesDrafts(user));
}

/** An edition the user may see (404 otherwise: drafts are not revealed to readers). */
export async function visibleEdition(
  db: Db,
  user: AuthedUser | null,
  id: number,
): Promise<Edition<EditionBody>> {
  const e = await getEdition<EditionBody>(db, INDEX_KIND, id, user ?? undefined);
  if (!visible(user, e)) throw notFound('index edition');
  return e;
}

export async function listIndexEditions(db: Db, user: AuthedUser) {
  const all = await listEditions<EditionBody>(db, INDEX_KIND, INDEX_KEY, user);
  const current = await currentEdition(db, INDEX_KIND, INDEX_KEY);
  return {
    items: all
      .filter((e) => visible(user, e))
      .reverse()
      .map(({ body: _body, ...rest }) => rest),
    currentId: current?.id ?? null,
  };
}

export async function indexEdition(db: Db, user: AuthedUser | null, id: number): Promise<IndexEdition> {
  const e = await visibleEdition(db, user, id);
  const current = await currentEdition<EditionBody>(db, INDEX_KIND, INDEX_KEY);
  const comps = await loadComputations(db, id);
  return {
    ...e,
    actions: user && seesDrafts(user) ? e.actions : [],
    computations: comps.map((c) => ({
      frequency: c.frequency as 'year' | 'quarter',
      computedAt: c.computedAt.toISOString(),
      rows: c.rows,
      dataThrough: c.dataThrough,
      runs: c.runs,
      seed: c.seed,
      sensitivity: c.sensitivity as IndexEdition['computations'][number]['sensitivity'],
    })),
    changes: current && current.id !== id ? changesBetween(current.body, e.body) : [],
    currentId: current?.id ?? null,
  };
}

/** Both frequencies of a body, computed on today's data. */
interface Prepared {
  through: string | null;
  computed: Computed[];
}

/** Lets other requests run between the long steps (one event loop, and one PGlite connection). */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Computes a body's results OUTSIDE any transaction: each metrics statement runs in its own short
 * read transaction and the Monte Carlo holds no connection. The results are then written in the short
 * transaction that changes the draft (`storeInto`), so an edition's body and results change together.
 */
async function prepare(db: Db, body: EditionBody): Promise<Prepared> {
  const through = await dataThrough(db);
  const computed: Computed[] = [];
  for (const frequency of ['year', 'quarter'] as const) {
    computed.push(await computeFrequency(db, body, frequency));
    await breathe();
  }
  return { through, computed };
}

/** Stores prepared results of a draft, inside the caller's (short) transaction. */
function storeInto(prepared: Prepared, body: EditionBody) {
  return async (tx: Db, row: DefinitionRow) => {
    if (row.status !== 'draft') throw conflict('Only a draft is computed.', '只有草稿可以重新计算。');
    for (const c of prepared.computed)
      await storeComputed(
        tx,
        row.id,
        c,
        prepared.through,
        body.framework.uncertainty.runs,
        body.framework.uncertainty.seed,
      );
  };
}

/** A new draft: a copy of the given edition, or of the edition in force, or the city's default method. */
export async function createIndexEdition(
  db: Db,
  user: AuthedUser,
  actor: Actor,
  input: z.infer<typeof editionCreateBody>,
): Promise<IndexEdition> {
  let base: EditionBody | null = null;
  let basedOnId: number | null = null;
  if (input.basedOnId) {
    const b = await visibleEdition(db, user, input.basedOnId);
    base = b.body;
    basedOnId = b.id;
  } else {
    const cur = await currentEdition<EditionBody>(db, INDEX_KIND, INDEX_KEY);
    if (cur) {
      base = cur.body;
      basedOnId = cur.id;
    }
  }
  // the five years to the latest full year of facts (the year the data ends, not the clock's: a draft made
  // in January, or on a machine whose clock runs ahead of the data, would otherwise end on an empty year)
  const fallbackYear = (await factsReferenceYear(db)) ?? new Date().getUTCFullYear() - 1;
  const body: EditionBody = {
    framework: input.framework ?? base?.framework ?? ((await defaultFramework()) as EditionBody['framework']),
    years: input.years ?? base?.years ?? { from: fallbackYear - 4, to: fallbackYear },
  };
  assertUsable(body);
  await ensureAssignments(db);
  const prepared = await prepare(db, body);
  const e = await createDraft(
    db,
    user,
    actor,
    {
      kind: INDEX_KIND,
      key: INDEX_KEY,
      title: input.title ?? body.framework.name,
      body,
      reason: input.reason ?? null,
      basedOnId,
    },
    storeInto(prepared, body),
  );
  return indexEdition(db, user, e.id);
}

export async function updateIndexEdition(
  db: Db,
  user: AuthedUser,
  actor: Actor,
  id: number,
  patch: z.infer<typeof editionUpdateBody>,
): Promise<IndexEdition> {
  const e = await visibleEdition(db, user, id);
  const body: EditionBody = {
    framework: patch.framework ?? e.body.framework,
    years: patch.years ?? e.body.years,
  };
  assertUsable(body);
  if (e.status !== 'draft') throw conflict('Only a draft is changed.', '只有草稿可以修改。');
  await ensureAssignments(db);
  const prepared = await prepare(db, body);
  await updateDraft(
    db,
    user,
    actor,
    INDEX_KIND,
    id,
    { title: patch.title, reason: patch.reason, body },
    storeInto(prepared, body),
  );
  return indexEdition(db, user, id);
}

/** Computes a draft again on today's data (a draft only; published results never change). */
export async function recomputeIndexEdition(
  db: Db,
  user: AuthedUser,
  actor: Actor,
  id: number,
): Promise<IndexEdition> {
  const e = await visibleEdition(db, user, id);
  if (e.status !== 'draft') throw conflict('Only a draft is computed again.', '只有草稿可以重新计算。');
  await ensureAssignments(db);
  const prepared = await prepare(db, e.body);
  // `updateDraft` with no change locks the row, checks it is a draft, stores and audits, in one short
  // transaction; a body changed meanwhile (another PUT) would not match the results computed here
  await updateDraft(db, user, actor, INDEX_KIND, id, {}, async (tx, row) => {
    if (JSON.stringify(row.body) !== JSON.stringify(e.body))
      throw conflict('The draft changed meanwhile; compute it again.', '草稿已被修改，请重新计算。');
    await storeInto(prepared, e.body)(tx, row);
    await writeAudit(tx, actor, { action: 'index.recompute', entity: 'definition', entityId: id });
  });
  return indexEdition(db, user, id);
}

export async function moveIndexEdition(
  db: Db,
  user: AuthedUser,
  actor: Actor,
  id: number,
  action: 'submit' | 'return' | 'review' | 'publish' | 'withdraw',
  note?: string,
): Promise<IndexEdition> {
  await visibleEdition(db, user, id);
  await transitionEdition(db, user, actor, INDEX_KIND, id, action, { note });
  return indexEdition(db, user, id);
}

export { INDEX_KIND, INDEX_KEY };
