import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  EDITION_ACTIONS,
  EDITION_STATUSES,
  availableActions,
  currentEdition,
  diffBodies,
  nextVersion,
  reasonRequired,
  supersededBy,
  transition,
  type EditionFacts,
  type EditionStatus,
} from './index.ts';

const DRAFTER = 1;
const REVIEWER = 2;
const facts = (status: EditionStatus, over: Partial<EditionFacts> = {}): EditionFacts => ({
  status,
  createdBy: DRAFTER,
  submittedBy: status === 'draft' ? null : DRAFTER,
  reviewedBy: status === 'reviewed' || status === 'published' ? REVIEWER : null,
  ...over,
});

describe('edition state machine', () => {
  it('walks draft → submitted → reviewed → published with two people', () => {
    expect(transition(facts('draft'), 'submit', DRAFTER)).toEqual({ ok: true, to: 'submitted' });
    expect(transition(facts('submitted'), 'review', REVIEWER)).toEqual({ ok: true, to: 'reviewed' });
    expect(transition(facts('reviewed'), 'publish', REVIEWER)).toEqual({ ok: true, to: 'published' });
  });

  it('refuses review and publication by the drafter or submitter (four eyes)', () => {
    const r = transition(facts('submitted'), 'review', DRAFTER);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.code).toBe('four_eyes');
    expect(transition(facts('reviewed'), 'publish', DRAFTER)).toMatchObject({ ok: false, code: 'four_eyes' });
    // drafted by one person and submitted by another: neither may publish
    const two = facts('reviewed', { createdBy: 1, submittedBy: 3, reviewedBy: 2 });
    expect(transition(two, 'publish', 1).ok).toBe(false);
    expect(transition(two, 'publish', 3).ok).toBe(false);
    expect(transition(two, 'publish', 2).ok).toBe(true);
  });

  it('never lets a published or withdrawn edition change or move', () => {
    for (const status of ['published', 'withdrawn'] as const)
      for (const a of EDITION_ACTIONS) {
        const r = transition(facts(status), a, 99);
        expect(r).toMatchObject({ ok: false, code: 'state' });
      }
  });

  it('publishes only what was reviewed', () => {
    expect(transition(facts('submitted'), 'publish', REVIEWER)).toMatchObject({ ok: false, code: 'state' });
    expect(transition(facts('draft'), 'publish', REVIEWER)).toMatchObject({ ok: false, code: 'state' });
  });

  it('returns a submitted or reviewed edition to draft, and withdraws an unpublished one', () => {
    expect(transition(facts('submitted'), 'return', REVIEWER)).toEqual({ ok: true, to: 'draft' });
    expect(transition(facts('reviewed'), 'return', REVIEWER)).toEqual({ ok: true, to: 'draft' });
    expect(transition(facts('draft'), 'withdraw', DRAFTER)).toEqual({ ok: true, to: 'withdrawn' });
  });

  it('offers the drafter no review button and the reviewer no edit of a submitted edition', () => {
    expect(availableActions(facts('submitted'), DRAFTER)).toEqual(['return', 'withdraw']);
    expect(availableActions(facts('submitted'), REVIEWER)).toEqual(['return', 'review', 'withdraw']);
  });

  it('property: nobody publishes an edition they submitted, whatever the status', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...EDITION_STATUSES),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        (status, submitter, actor) => {
          const r = transition(
            facts(status, { submittedBy: submitter, createdBy: submitter }),
            'publish',
            actor,
          );
          if (actor === submitter) expect(r.ok).toBe(false);
          if (r.ok) expect(status).toBe('reviewed');
        },
      ),
    );
  });
});

describe('versions', () => {
  const e = (id: number, version: number, status: EditionStatus) => ({
    id,
    version,
    status,
    publishedAt: null,
  });

  it('numbers editions without reuse and finds the one in force', () => {
    const list = [e(1, 1, 'published'), e(2, 2, 'withdrawn'), e(3, 3, 'published'), e(4, 4, 'draft')];
    expect(nextVersion(list)).toBe(5);
    expect(nextVersion([])).toBe(1);
    expect(currentEdition(list)?.id).toBe(3);
    expect(supersededBy(list[0]!, list)?.id).toBe(3);
    expect(supersededBy(list[2]!, list)).toBeNull();
    expect(currentEdition([e(1, 1, 'draft')])).toBeNull();
  });

  it('asks a correction for its reason once something was published', () => {
    expect(reasonRequired([])).toBe(false);
    expect(reasonRequired([e(1, 1, 'withdrawn')])).toBe(false);
    expect(reasonRequired([e(1, 1, 'published')])).toBe(true);
  });

  it('lists what changed between two bodies, leaf by leaf', () => {
    const a = {
      name: 'x',
      dims: [
        { key: 'scale', weight: 0.2 },
        { key: 'innov', weight: 0.2 },
      ],
    };
    const b = {
      name: 'x',
      dims: [
        { key: 'scale', weight: 0.3 },
        { key: 'innov', weight: 0.2 },
      ],
      gate: true,
    };
    expect(diffBodies(a, b)).toEqual([
      { path: 'dims[0].weight', before: 0.2, after: 0.3 },
      { path: 'gate', before: undefined, after: true },
    ]);
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(diffBodies(v, structuredClone(v))).toEqual([]);
      }),
    );
  });
});
