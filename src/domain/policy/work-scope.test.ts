// The per-resource parts of the policy that services and the web ask instead of checking roles (issue 11):
// who acts for the city on reported target values, who files requests for any firm, and how the units a
// user acts for widen what it sees of requests and their statistics.
import { describe, expect, it } from 'vitest';
import {
  createScopeOf,
  ownFirmOf,
  ownRegionOf,
  regionWritable,
  resourceScopeOf,
  rowVisible,
  workRowVisible,
  workScopeOf,
  type PolicyUser,
  type Role,
} from './index.ts';

const CITY = '330400';
const NANHU = '330402';
const user = (role: Role, more: Partial<PolicyUser> = {}): PolicyUser => ({
  id: 7,
  role,
  regionCode: null,
  clusterCode: null,
  enterpriseId: null,
  ...more,
});
const county = user('county', { regionCode: NANHU });
const agency = user('cluster_agency', { clusterCode: 'textile' });
const firm = user('enterprise', { enterpriseId: 42 });
const dept = user('department');

describe('reported target values (targets.report)', () => {
  it('a department acts for the city: it sees and writes the city-wide values only', () => {
    expect(resourceScopeOf(dept, 'targets.report', CITY)).toEqual({ kind: 'region', regionCode: CITY });
    expect(resourceScopeOf(dept, 'targets.report')).toEqual({ kind: 'none' });
    expect(resourceScopeOf(dept, 'service.request', CITY)).toEqual({ kind: 'none' });
    expect(rowVisible(dept, 'targets.report', { regionCode: CITY }, CITY)).toBe(true);
    expect(rowVisible(dept, 'targets.report', { regionCode: NANHU }, CITY)).toBe(false);
    expect(regionWritable(dept, 'targets.report', CITY, CITY)).toBe(true);
    expect(regionWritable(dept, 'targets.report', NANHU, CITY)).toBe(false);
  });

  it('a county reads its own and the city-wide values and writes its own only', () => {
    expect(rowVisible(county, 'targets.report', { regionCode: CITY }, CITY)).toBe(true);
    expect(rowVisible(county, 'targets.report', { regionCode: NANHU }, CITY)).toBe(true);
    expect(rowVisible(county, 'targets.report', { regionCode: '330411' }, CITY)).toBe(false);
    expect(regionWritable(county, 'targets.report', NANHU, CITY)).toBe(true);
    expect(regionWritable(county, 'targets.report', CITY, CITY)).toBe(false);
    expect(regionWritable(county, 'targets.report', '330411', CITY)).toBe(false);
  });

  it('the administrator writes any region; the others none', () => {
    expect(regionWritable(user('admin'), 'targets.report', NANHU, CITY)).toBe(true);
    expect(regionWritable(user('admin'), 'targets.report', CITY, CITY)).toBe(true);
    for (const u of [agency, firm, user('auditor')])
      expect(regionWritable(u, 'targets.report', CITY, CITY), u.role).toBe(false);
  });

  it('the report form names the region each reporter reports for', () => {
    expect(ownRegionOf(county, 'targets.report', CITY)).toBe(NANHU);
    expect(ownRegionOf(dept, 'targets.report', CITY)).toBe(CITY);
    expect(ownRegionOf(user('admin'), 'targets.report', CITY)).toBe(CITY);
    expect(ownRegionOf(firm, 'targets.report', CITY)).toBeNull();
    expect(ownRegionOf(user('auditor'), 'targets.report', CITY)).toBeNull();
  });
});

describe('enterprise requests (service.request, service.statistics)', () => {
  const centre = [{ id: 1, kind: 'coordinator' }];
  const supervision = [{ id: 2, kind: 'supervisor' }];
  const economy = [{ id: 3, kind: 'department' }];
  const nanhuOffice = [{ id: 4, kind: 'county' }];
  const row = { enterpriseId: 9, regionCode: '330411', clusterCodes: ['auto'] };

  it('the offices see every request; others their scope and what their units lead or co-handle', () => {
    expect(workScopeOf(dept, 'service.request', centre).scope).toEqual({ kind: 'all' });
    expect(workScopeOf(dept, 'service.request', supervision).scope).toEqual({ kind: 'all' });
    const d = workScopeOf(dept, 'service.request', economy);
    expect(d).toEqual({ scope: { kind: 'none' }, ledBy: [3], assistedBy: [3] });
    expect(workRowVisible(d, 'service.request', row)).toBe(false);
    expect(workRowVisible(d, 'service.request', { ...row, leadUnitId: 3 })).toBe(true);
    expect(workRowVisible(d, 'service.request', { ...row, assistUnitIds: [5, 3] })).toBe(true);
    const c = workScopeOf(county, 'service.request', nanhuOffice);
    expect(workRowVisible(c, 'service.request', { ...row, regionCode: NANHU })).toBe(true);
    expect(workRowVisible(c, 'service.request', { ...row, leadUnitId: 4 })).toBe(true);
    expect(workRowVisible(c, 'service.request', row)).toBe(false);
    const f = workScopeOf(firm, 'service.request', []);
    expect(workRowVisible(f, 'service.request', { ...row, enterpriseId: 42 })).toBe(true);
    expect(workRowVisible(f, 'service.request', row)).toBe(false);
  });

  it('statistics: a department counts what its units lead; a county its county, not its unit too', () => {
    expect(workScopeOf(dept, 'service.statistics', economy)).toEqual({
      scope: { kind: 'none' },
      ledBy: [3],
      assistedBy: [],
    });
    expect(workScopeOf(county, 'service.statistics', nanhuOffice)).toEqual({
      scope: { kind: 'region', regionCode: NANHU },
      ledBy: [],
      assistedBy: [],
    });
    expect(workScopeOf(dept, 'service.statistics', centre).scope).toEqual({ kind: 'all' });
  });

  it('filing: a firm files for itself, a department for any firm, a county within its county', () => {
    expect(ownFirmOf(firm)).toBe(42);
    expect(ownFirmOf(county)).toBeNull();
    expect(ownFirmOf(user('enterprise'))).toBeNull();
    expect(createScopeOf(dept, 'service.request', economy)).toEqual({ kind: 'all' });
    expect(createScopeOf(dept, 'service.request')).toEqual({ kind: 'all' });
    expect(createScopeOf(county, 'service.request', nanhuOffice)).toEqual({
      kind: 'region',
      regionCode: NANHU,
    });
    expect(createScopeOf(county, 'service.request', centre)).toEqual({ kind: 'all' });
    expect(createScopeOf(firm, 'service.request')).toEqual({ kind: 'enterprise', enterpriseId: 42 });
  });
});
