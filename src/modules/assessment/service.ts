// County assessments on the shared editions service: a draft is computed when created or changed (its
// result is the preview on real data), submitted by the analyst, reviewed and published by a second
// person; the published body — scheme, 加扣分 and the result with every value's provenance — never changes,
// a correction is a new edition with its reason. Readers see published editions only; the ranking is
// city-wide, a county's detail page is the city's and that county's.
import type { Db } from '../../db/client.ts';
import { assess, type AssessmentScheme } from '../../domain/assessment/assessment.ts';
import { can, rowVisible } from '../../domain/policy/index.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { badRequest, conflict, notFound } from '../../server/errors.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import { factsReferenceYear, factsYears } from '../imports/relations.ts';
import {
  createDraft,
  currentEdition,
  getEdition,
  listEditions,
  transitionEdition,
  updateDraft,
  type Edition,
} from '../editions/index.ts';
import { gatherFacts } from './facts.ts';
import { ASSESSMENT_KIND, assertUsableScheme, assessmentKey, defaultScheme } from './scheme.ts';
import type {
  AssessmentBody,
  AssessmentEdition,
  CountyDetail,
  SchemeBody,
  createBody,
  updateBody,
} from './schemas.ts';
import type { z } from 'zod';

type Adj = AssessmentBody['adjustments'];

/** Who sees unpublished editions: whoever may draft or review them. */
export function seesDrafts(user: AuthedUser): boolean {
  return can(user, 'assessment.edition', 'manage') || can(user, 'assessment.edition', 'review');
}

export async function visibleEdition(db: Db, user: AuthedUser, id: number): Promise<Edition<AssessmentBody>> {
  const e = await getEdition<AssessmentBody>(db, ASSESSMENT_KIND, id, user);
  if (e.status !== 'published' && !seesDrafts(user)) throw notFound('assessment');
  return e;
}

/** Whether the user may open this county's detail page (the city, or the county itself). */
export function seesCounty(user: AuthedUser, regionCode: string): boolean {
  return can(user, 'assessment.county', 'read') && rowVisible(user, 'assessment.county', { regionCode });
}

export async function computeBody(
  db: Db,
  year: number,
  scheme: SchemeBody,
  adjustments: Adj,
): Promise<AssessmentBody> {
  assertUsableScheme(scheme);
  const facts = await gatherFacts(db, scheme, year);
  const known = new Set(facts.counties.map((c) => c.regionCode));
  const vetoKeys = new Set(scheme.vetoItems.map((v) => v.key));
  for (const a of adjustments) {
    if (!known.has(a.regionCode))
      throw badRequest(`Unknown county ${a.regionCode}.`, `未知的县（市、区）：${a.regionCode}。`);
    if (a.kind === 'veto' && a.item && !vetoKeys.has(a.item))
      throw badRequest(`Unknown veto item ${a.item}.`, `未知的一票否决事项：${a.item}。`);
  }
  const result = assess(scheme as AssessmentScheme, facts.counties, adjustments);
  return {
    year,
    scheme,
    adjustments,
    result: { computedAt: new Date().toISOString(), throughMonth: facts.throughMonth, ...result },
  };
}

function present(e: Edition<AssessmentBody>, user: AuthedUser, currentId: number | null): AssessmentEdition {
  const { body, ...rest } = e;
  const city = user.scope.kind === 'all';
  return {
    ...rest,
    actions: seesDrafts(user) ? e.actions : [],
    year: body.year,
    scheme: body.scheme,
    computedAt: body.result.computedAt,
    throughMonth: body.result.throughMonth,
    ranking: body.result.counties.map(({ indicators: _i, adjustments: _a, ...r }) => ({
      ...r,
      detail: seesCounty(user, r.regionCode),
    })),
    sensitivity: body.result.sensitivity,
    delta: body.result.delta,
    redBlack: body.result.redBlack,
    adjustments: city ? body.adjustments : [],
    currentId,
  };
}

/**
 * The years with facts up to the facts' latest full year (the one the cluster index drafts to as well), newest
 * first. The assessment of a year reads it through December, so a year still running is not offered; and
 * the page opens on the data's year, not the clock's last one, which may be a year the facts never reached.
 */
export async function assessmentYears(db: Db) {
  const [latest, years] = await Promise.all([factsReferenceYear(db), factsYears(db)]);
  return { latest, years: latest == null ? [] : years.filter((y) => y <= latest) };
}

export async function listAssessments(db: Db, user: AuthedUser) {
  const all = await listEditions<AssessmentBody>(db, ASSESSMENT_KIND, undefined, user);
  return {
    items: all
      .filter((e) => e.status === 'published' || seesDrafts(user))
      .reverse()
      .map(({ body, ...rest }) => ({
        ...rest,
        actions: seesDrafts(user) ? rest.actions : [],
        year: body.year,
      })),
  };
}

export async function assessmentEdition(db: Db, user: AuthedUser, id: number): Promise<AssessmentEdition> {
  const e = await visibleEdition(db, user, id);
  const cur = await currentEdition(db, ASSESSMENT_KIND, e.key);
  return present(e, user, cur?.id ?? null);
}

export async function countyDetail(
  db: Db,
  user: AuthedUser,
  id: number,
  regionCode: string,
): Promise<CountyDetail> {
  const e = await visibleEdition(db, user, id);
  const county = e.body.result.counties.find((c) => c.regionCode === regionCode);
  if (!county) throw notFound('county');
  // another county's page is not revealed (404, as every scoped object outside the user's scope)
  if (!seesCounty(user, regionCode)) throw notFound('county');
  return {
    editionId: e.id,
    version: e.version,
    status: e.status,
    title: e.title,
    year: e.body.year,
    publishedAt: e.published.at,
    computedAt: e.body.result.computedAt,
    throughMonth: e.body.result.throughMonth,
    counties: e.body.result.counties.length,
    county,
    sensitivity: e.body.result.sensitivity.map((s) => ({
      dimension: s.dimension,
      nameZh: s.nameZh,
      change: s.change,
      rank: s.ranks[regionCode] ?? county.rank,
    })),
  };
}

/** A new draft for a year: the scheme and 加扣分 of the given edition, or of the year's edition in force, or the default. */
export async function createAssessment(
  db: Db,
  user: AuthedUser,
  actor: Actor,
  input: z.infer<typeof createBody>,
): Promise<AssessmentEdition> {
  const key = assessmentKey(input.year);
  const cur = await currentEdition<AssessmentBody>(db, ASSESSMENT_KIND, key);
  const scheme = cur?.body.scheme ?? (await defaultScheme());
  const adjustments = cur?.body.adjustments ?? [];
  const body = await computeBody(db, input.year, scheme, adjustments);
  const e = await createDraft(db, user, actor, {
    kind: ASSESSMENT_KIND,
    key,
    title: input.title ?? `${input.year}年度县（市、区）集群工作考核`,
    body,
    reason: input.reason ?? null,
    basedOnId: cur?.id ?? null,
  });
  return assessmentEdition(db, user, e.id);
}

/** Changes a draft's scheme or 加扣分 and computes it again (a draft only; published ones never change). */
export async function updateAssessment(
  db: Db,
  user: AuthedUser,
  actor: Actor,
  id: number,
  patch: z.infer<typeof updateBody>,
): Promise<AssessmentEdition> {
  const e = await visibleEdition(db, user, id);
  if (e.status !== 'draft')
    throw conflict('Only a draft can change.', '只有草稿可以修改；已发布的考核须以新版本更正。');
  const changed = patch.scheme && schemeChanged(e.body.scheme, patch.scheme);
  // an edited scheme is a new version of the scheme (numbered from the one the draft started with)
  const scheme = changed
    ? { ...patch.scheme!, version: Math.max(patch.scheme!.version, e.body.scheme.version + 1) }
    : e.body.scheme;
  const body = await computeBody(db, e.body.year, scheme, patch.adjustments ?? e.body.adjustments);
  await updateDraft(
    db,
    user,
    actor,
    ASSESSMENT_KIND,
    id,
    { title: patch.title, reason: patch.reason, body },
    changed
      ? async (tx) => {
          await writeAudit(tx, actor, {
            action: 'assessment.scheme_edit',
            entity: 'definition',
            entityId: id,
            before: schemeDigest(e.body.scheme),
            after: schemeDigest(scheme),
          });
        }
      : undefined,
  );
  return assessmentEdition(db, user, id);
}

const comparable = (s: SchemeBody) => JSON.stringify({ ...s, version: 0 });
function schemeChanged(a: SchemeBody, b: SchemeBody): boolean {
  return comparable(a) !== comparable(b);
}

/** What the audit keeps of a scheme: its version, ranking, and every weight and line (not the prose). */
function schemeDigest(s: SchemeBody) {
  return {
    version: s.version,
    ranking: s.ranking ?? 'tiers',
    cap: s.cap,
    dimensions: s.dimensions.map((d) => ({
      key: d.key,
      weight: d.weight,
      indicators: d.indicators.map((i) => ({
        key: i.key,
        weight: i.weight ?? null,
        base: i.base,
        target: i.target,
        counties: i.counties ?? null,
      })),
    })),
  };
}

/** Computes a draft again on today's data. */
export async function recomputeAssessment(db: Db, user: AuthedUser, actor: Actor, id: number) {
  const e = await visibleEdition(db, user, id);
  if (e.status !== 'draft') throw conflict('Only a draft is computed again.', '只有草稿可以重新计算。');
  const body = await computeBody(db, e.body.year, e.body.scheme, e.body.adjustments);
  await updateDraft(db, user, actor, ASSESSMENT_KIND, id, { body }, async (tx) => {
    await writeAudit(tx, actor, { action: 'assessment.recompute', entity: 'definition', entityId: id });
  });
  return assessmentEdition(db, user, id);
}

export async function moveAssessment(
  db: Db,
  user: AuthedUser,
  actor: Actor,
  id: number,
  action: 'submit' | 'return' | 'review' | 'publish' | 'withdraw',
  note?: string,
) {
  await visibleEdition(db, user, id);
  await transitionEdition(db, user, actor, ASSESSMENT_KIND, id, action, { note });
  return assessmentEdition(db, user, id);
}

/** The monthly process view: the process indicators of 1–N月, live (not an assessment), with 红黑榜. */
export { processView } from './process.ts';
