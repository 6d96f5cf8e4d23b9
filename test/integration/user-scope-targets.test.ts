// A user's scope must name what exists (issue 12): creating an enterprise user checks its firm through the
// registry's relation (issue 11: auth no longer reads the enterprises table itself), a county officer its
// county and a cluster agency its cluster; a firm that does not exist is refused with the reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../src/db/client.ts';
import { AppError } from '../../src/server/errors.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { openReadyDatabase, testDatabases } from '../helpers/databases.ts';
import { NANHU, PASSWORD, seedFixture, type Fixture } from '../helpers/fixtures.ts';

describe.each(testDatabases())('user scope targets on $kind', (t) => {
  let d: Database;
  let fx: Fixture;
  const sys = { id: null, username: 'fixture' };

  beforeAll(async () => {
    d = await openReadyDatabase(t);
    fx = await seedFixture(d);
  });
  afterAll(async () => {
    if (d) await t.dispose(d);
  });

  const refusal = async (p: Promise<unknown>) => {
    try {
      await p;
      return null;
    } catch (e) {
      return e instanceof AppError ? e.detailZh : String(e);
    }
  };

  it('creates an enterprise user for a registered firm and refuses one for a firm that does not exist', async () => {
    const id = await createUser(
      d.db,
      {
        username: 'scope_firm',
        displayName: 'firm',
        role: 'enterprise',
        enterpriseId: fx.ids.nanhuTextile,
        password: PASSWORD,
      },
      sys,
    );
    const [row] = await queryRows<{ enterprise_id: string | number }>(
      d.db,
      sql`select enterprise_id from users where id = ${id}`,
    );
    expect(Number(row!.enterprise_id)).toBe(fx.ids.nanhuTextile);
    const [max] = await queryRows<{ m: string | number }>(d.db, sql`select max(id) as m from enterprises`);
    const missing = Number(max!.m) + 1000;
    expect(
      await refusal(
        createUser(
          d.db,
          {
            username: 'scope_ghost',
            displayName: 'ghost',
            role: 'enterprise',
            enterpriseId: missing,
            password: PASSWORD,
          },
          sys,
        ),
      ),
    ).toBe(`企业 ${missing} 不存在。`);
    expect(
      await refusal(
        createUser(
          d.db,
          {
            username: 'scope_county',
            displayName: 'c',
            role: 'county',
            regionCode: NANHU,
            password: PASSWORD,
          },
          sys,
        ),
      ),
    ).toBeNull();
  });
});
