// The alert writes as they were before issue 13 made them set-based, kept as the reference the new writer
// is compared with (test/integration/alerts-write.test.ts): month by month, the firings reconciled with the
// open alerts in memory (engine.ts `reconcile`), a statement per kind of write per month, and an event for
// every firing ('refreshed' included). Alerts and events only: no work items, requests or evaluation rows.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../src/db/client.ts';
import { evaluateSubject, reconcile, type Firing, type OpenAlert } from '../../src/domain/alerts/index.ts';
import { addMonths, monthsBetween, type Month } from '../../src/domain/periods.ts';
import { lookbackOf, subjectSignals } from '../../src/modules/alerts/evaluate.ts';
import { currentRuleSet } from '../../src/modules/alerts/rules.ts';

export async function legacyEvaluateMonths(tx: Db, months: readonly Month[]): Promise<void> {
  const sorted = [...new Set(months)].sort();
  const rs = await currentRuleSet(tx);
  const targets = monthsBetween(addMonths(sorted[0]!, -lookbackOf(rs.definition)), sorted.at(-1)!);
  const { subjects } = await subjectSignals(tx, targets, sorted);
  const open = await queryRows<OpenAlert>(
    tx,
    sql`select id::int as id, subject_key as "subjectKey", signal, level from alerts where open`,
  );
  for (const month of sorted) {
    const fired = subjects.flatMap((s) =>
      evaluateSubject(rs.definition, s.kind, s.series, month).map((firing) => ({
        subjectKey: s.key,
        firing,
        subject: s,
      })),
    );
    const bySubject = new Map(fired.map((f) => [f.subjectKey, f.subject]));
    const actions = reconcile(open, fired);
    const idOf = new Map<string, number>();
    for (const a of actions) {
      if (a.kind !== 'create') continue;
      const s = bySubject.get(a.subjectKey)!;
      const [row] = await queryRows<{ id: number }>(
        tx,
        sql`insert into alerts (subject_kind, subject_key, enterprise_id, cluster_code, region_code, signal, rule_id,
              level, rule_set_version, first_month, last_month, evidence)
            values (${s.kind}, ${a.subjectKey}, ${s.enterpriseId}, ${s.clusterCode}, ${s.regionCode}, ${a.firing.signal},
              ${a.firing.ruleId}, ${a.firing.level}, ${rs.version}, ${`${month}-01`}, ${`${month}-01`},
              ${JSON.stringify(a.firing.evidence)}::jsonb)
            returning id::int as id`,
      );
      idOf.set(`${a.subjectKey}|${a.firing.signal}`, row!.id);
      open.push({ id: row!.id, subjectKey: a.subjectKey, signal: a.firing.signal, level: a.firing.level });
    }
    for (const a of actions) {
      const firing: Firing = a.firing;
      const id = a.kind === 'create' ? idOf.get(`${a.subjectKey}|${firing.signal}`)! : a.alert.id;
      if (a.kind !== 'create')
        await tx.execute(
          sql`update alerts a set level = ${firing.level}, rule_id = ${firing.ruleId},
                last_month = greatest(a.last_month, ${`${month}-01`}::date), evidence = ${JSON.stringify(firing.evidence)}::jsonb,
                rule_set_version = ${rs.version}, updated_at = now()
              where a.id = ${id}`,
        );
      await tx.execute(
        sql`insert into alert_events (alert_id, kind, month, level, rule_id, evidence)
            values (${id}, ${a.kind === 'create' ? 'raised' : a.kind === 'escalate' ? 'escalated' : 'refreshed'},
              ${`${month}-01`}, ${firing.level}, ${firing.ruleId}, ${JSON.stringify(firing.evidence)}::jsonb)`,
      );
    }
  }
}
