// A change of the alert rules is an edition of the shared editions capability (src/modules/editions), as the
// cluster index's definitions are: an administrator proposes it (draft → submitted at once) with its reason,
// the preview and the backtest computed before; a second administrator reviews and publishes it (four
// eyes: the drafter and submitter may not), and publishing puts it in force as the next rule-set version.
import type { Db } from '../../db/client.ts';
import type { RuleSet } from '../../domain/alerts/index.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import type { Actor } from '../audit/index.ts';
import {
  changesBetween,
  createDraft,
  listEditions,
  transitionEdition,
  type EditionAction,
} from '../editions/index.ts';
import { forgetReportingAnswers } from './reporting.ts';
import { assertSound, currentRuleSetForRead, publishRuleSetVersion } from './rules.ts';
import type { BacktestView } from './schemas.ts';

export const RULES_KIND = 'alert-rules';
export const RULES_KEY = 'city';

/** The body of an alert-rules edition. */
export interface RuleSetProposal {
  definition: RuleSet;
  /** the backtest of the proposal when it was proposed (what the reviewer judges it on) */
  backtest: BacktestView | null;
  /** the version in force it was drafted against */
  basedOnVersion: number;
}

export async function proposeRuleSet(
  db: Db,
  user: AuthedUser,
  actor: Actor,
  definition: RuleSet,
  reason: string,
  backtest: BacktestView | null,
) {
  assertSound(definition);
  const current = await currentRuleSetForRead(db);
  const draft = await createDraft<RuleSetProposal>(db, { id: user.id }, actor, {
    kind: RULES_KIND,
    key: RULES_KEY,
    title: `预警规则（基于 v${current.version}）`,
    body: { definition, backtest, basedOnVersion: current.version },
    reason,
  });
  return transitionEdition<RuleSetProposal>(db, { id: user.id }, actor, RULES_KIND, draft.id, 'submit');
}

/** Review, publish, return or withdraw a proposal; publishing puts its rule set in force. */
export async function moveRuleSetEdition(
  db: Db,
  user: AuthedUser,
  actor: Actor,
  id: number,
  action: Exclude<EditionAction, 'edit'>,
  note?: string,
) {
  const moved = await transitionEdition<RuleSetProposal>(db, { id: user.id }, actor, RULES_KIND, id, action, {
    note,
    within:
      action === 'publish'
        ? async (tx, row) => {
            const body = row.body as RuleSetProposal;
            await publishRuleSetVersion(tx, actor, {
              definition: body.definition,
              reason: row.reason ?? row.title,
              backtest: body.backtest,
              editionId: row.id,
              draftedBy: row.createdBy,
              draftedByName: row.createdByName,
            });
            forgetReportingAnswers();
          }
        : undefined,
  });
  // the share in force may have changed: forgotten once more after the commit, so no read made meanwhile
  // (of the rule sets before it) is trusted here
  if (action === 'publish') forgetReportingAnswers();
  return moved;
}

/** Proposals not yet published or withdrawn, with what each changes against the rules in force. */
export async function pendingRuleSetEditions(db: Db, user: AuthedUser) {
  const current = await currentRuleSetForRead(db);
  const all = await listEditions<RuleSetProposal>(db, RULES_KIND, RULES_KEY, { id: user.id });
  return all
    .filter((e) => e.status !== 'published' && e.status !== 'withdrawn')
    .map((e) => ({
      ...e,
      changes: changesBetween(current.definition, e.body.definition).map((c) => ({
        path: c.path,
        before: c.before ?? null,
        after: c.after ?? null,
      })),
    }));
}
