import { orgUnitDecider, orgUnitStream, type OrgUnitKind, type OrgUnitRenamed } from '../src';
import { spec } from './decider-spec';
import {
  community,
  communityRegistered,
  district,
  districtRegistered,
  missingOrgUnit,
  street,
  streetRegistered,
  town,
} from './fixtures';

const now = new Date('2026-03-10T02:00:00Z');
const ctx = { now };

describe('org units', () => {
  it('names its stream orgunit-<id>', () => {
    expect(orgUnitStream('gusu')).toBe('orgunit-gusu');
  });

  describe('RegisterOrgUnit', () => {
    it('registers a district without a parent', () => {
      spec(orgUnitDecider)
        .given([])
        .when({ type: 'RegisterOrgUnit', orgUnitId: 'gusu', kind: 'district', name: '  姑苏区 ' }, ctx)
        .then([{ type: 'OrgUnitRegistered.v1', data: { orgUnitId: 'gusu', kind: 'district', name: '姑苏区', parentId: null } }]);
    });

    it('registers a street under a district', () => {
      spec(orgUnitDecider)
        .given([])
        .when({ type: 'RegisterOrgUnit', orgUnitId: 'jinchang', kind: 'street', name: '金阊街道', parentId: 'gusu' }, { now, parent: district })
        .then([{ type: 'OrgUnitRegistered.v1', data: { orgUnitId: 'jinchang', kind: 'street', name: '金阊街道', parentId: 'gusu' } }]);
    });

    it('registers a town under a district', () => {
      spec(orgUnitDecider)
        .given([])
        .when({ type: 'RegisterOrgUnit', orgUnitId: 'wangting', kind: 'town', name: '望亭镇', parentId: 'xiangcheng' }, { now, parent: district })
        .then([{ type: 'OrgUnitRegistered.v1', data: { orgUnitId: 'wangting', kind: 'town', name: '望亭镇', parentId: 'xiangcheng' } }]);
    });

    it('registers a community under a street and under a town', () => {
      spec(orgUnitDecider)
        .given([])
        .when({ type: 'RegisterOrgUnit', orgUnitId: 'taohuawu', kind: 'community', name: '桃花坞社区', parentId: 'jinchang' }, { now, parent: street })
        .then([{ type: 'OrgUnitRegistered.v1', data: { orgUnitId: 'taohuawu', kind: 'community', name: '桃花坞社区', parentId: 'jinchang' } }]);
      spec(orgUnitDecider)
        .given([])
        .when({ type: 'RegisterOrgUnit', orgUnitId: 'fengyuan', kind: 'community', name: '峰汇园社区', parentId: 'wangting' }, { now, parent: town })
        .then([{ type: 'OrgUnitRegistered.v1', data: { orgUnitId: 'fengyuan', kind: 'community', name: '峰汇园社区', parentId: 'wangting' } }]);
    });

    it('refuses a unit that is already registered', () => {
      spec(orgUnitDecider)
        .given([districtRegistered])
        .when({ type: 'RegisterOrgUnit', orgUnitId: 'gusu', kind: 'district', name: '姑苏区' }, ctx)
        .thenRefuses('org-unit-exists', 'conflict');
    });

    it('refuses an unknown kind', () => {
      spec(orgUnitDecider)
        .given([])
        .when({ type: 'RegisterOrgUnit', orgUnitId: 'js', kind: 'province' as string as OrgUnitKind, name: '江苏省' }, ctx)
        .thenRefuses('org-unit-kind-unknown', 'invalid');
    });

    it('refuses an empty or blank name', () => {
      spec(orgUnitDecider)
        .given([])
        .when({ type: 'RegisterOrgUnit', orgUnitId: 'gusu', kind: 'district', name: '   ' }, ctx)
        .thenRefuses('name-required', 'invalid');
      spec(orgUnitDecider)
        .given([])
        .when({ type: 'RegisterOrgUnit', orgUnitId: 'gusu', kind: 'district', name: '' }, ctx)
        .thenRefuses('name-required', 'invalid');
    });

    it('accepts a 100-character name and refuses a 101-character one', () => {
      spec(orgUnitDecider)
        .given([])
        .when({ type: 'RegisterOrgUnit', orgUnitId: 'gusu', kind: 'district', name: '区'.repeat(100) }, ctx)
        .then([{ type: 'OrgUnitRegistered.v1', data: { orgUnitId: 'gusu', kind: 'district', name: '区'.repeat(100), parentId: null } }]);
      spec(orgUnitDecider)
        .given([])
        .when({ type: 'RegisterOrgUnit', orgUnitId: 'gusu', kind: 'district', name: '区'.repeat(101) }, ctx)
        .thenRefuses('name-too-long', 'invalid');
    });

    it('refuses a district with a parent', () => {
      spec(orgUnitDecider)
        .given([])
        .when({ type: 'RegisterOrgUnit', orgUnitId: 'gusu', kind: 'district', name: '姑苏区', parentId: 'suzhou' }, { now, parent: district })
        .thenRefuses('district-has-no-parent', 'invalid');
    });

    it('refuses a street, town or community without a parent', () => {
      for (const kind of ['street', 'town', 'community'] as const) {
        spec(orgUnitDecider)
          .given([])
          .when({ type: 'RegisterOrgUnit', orgUnitId: 'x', kind, name: '无上级' }, ctx)
          .thenRefuses('parent-required', 'invalid');
        spec(orgUnitDecider)
          .given([])
          .when({ type: 'RegisterOrgUnit', orgUnitId: 'x', kind, name: '无上级', parentId: null }, ctx)
          .thenRefuses('parent-required', 'invalid');
      }
    });

    it('refuses a parent that does not exist', () => {
      spec(orgUnitDecider)
        .given([])
        .when({ type: 'RegisterOrgUnit', orgUnitId: 'jinchang', kind: 'street', name: '金阊街道', parentId: 'gusu' }, ctx)
        .thenRefuses('parent-not-found', 'invalid');
      spec(orgUnitDecider)
        .given([])
        .when({ type: 'RegisterOrgUnit', orgUnitId: 'jinchang', kind: 'street', name: '金阊街道', parentId: 'gusu' }, { now, parent: missingOrgUnit })
        .thenRefuses('parent-not-found', 'invalid');
    });

    it('refuses a parent of the wrong kind', () => {
      spec(orgUnitDecider)
        .given([])
        .when({ type: 'RegisterOrgUnit', orgUnitId: 'taohuawu', kind: 'community', name: '桃花坞社区', parentId: 'gusu' }, { now, parent: district })
        .thenRefuses('parent-kind-not-allowed', 'invalid');
      spec(orgUnitDecider)
        .given([])
        .when({ type: 'RegisterOrgUnit', orgUnitId: 'x', kind: 'street', name: '街道套街道', parentId: 'jinchang' }, { now, parent: street })
        .thenRefuses('parent-kind-not-allowed', 'invalid');
      spec(orgUnitDecider)
        .given([])
        .when({ type: 'RegisterOrgUnit', orgUnitId: 'x', kind: 'town', name: '社区下的镇', parentId: 'taohuawu' }, { now, parent: community })
        .thenRefuses('parent-kind-not-allowed', 'invalid');
    });
  });

  describe('RenameOrgUnit', () => {
    it('renames and keeps the previous name', () => {
      spec(orgUnitDecider)
        .given([streetRegistered])
        .when({ type: 'RenameOrgUnit', orgUnitId: 'jinchang', name: ' 金阊新街道 ' }, ctx)
        .then([{ type: 'OrgUnitRenamed.v1', data: { orgUnitId: 'jinchang', name: '金阊新街道', previousName: '金阊街道' } }]);
    });

    it('folds a rename into state, so the next rename reports it as previous', () => {
      const renamed: OrgUnitRenamed = { type: 'OrgUnitRenamed.v1', data: { orgUnitId: 'jinchang', name: '金阊新街道', previousName: '金阊街道' } };
      const given = spec(orgUnitDecider).given([streetRegistered, renamed]);
      expect(given.state).toEqual({ exists: true, id: 'jinchang', kind: 'street', name: '金阊新街道', parentId: 'gusu' });
      given
        .when({ type: 'RenameOrgUnit', orgUnitId: 'jinchang', name: '金阊街道' }, ctx)
        .then([{ type: 'OrgUnitRenamed.v1', data: { orgUnitId: 'jinchang', name: '金阊街道', previousName: '金阊新街道' } }]);
    });

    it('refuses a unit that does not exist', () => {
      spec(orgUnitDecider)
        .given([])
        .when({ type: 'RenameOrgUnit', orgUnitId: 'nowhere', name: '新名字' }, ctx)
        .thenRefuses('org-unit-not-found', 'not-found');
    });

    it('refuses an empty or too long name', () => {
      spec(orgUnitDecider)
        .given([streetRegistered])
        .when({ type: 'RenameOrgUnit', orgUnitId: 'jinchang', name: ' ' }, ctx)
        .thenRefuses('name-required', 'invalid');
      spec(orgUnitDecider)
        .given([streetRegistered])
        .when({ type: 'RenameOrgUnit', orgUnitId: 'jinchang', name: '街'.repeat(101) }, ctx)
        .thenRefuses('name-too-long', 'invalid');
    });

    it('refuses the same name, even with surrounding spaces', () => {
      spec(orgUnitDecider)
        .given([streetRegistered])
        .when({ type: 'RenameOrgUnit', orgUnitId: 'jinchang', name: ' 金阊街道 ' }, ctx)
        .thenRefuses('name-unchanged', 'conflict');
    });
  });
});
