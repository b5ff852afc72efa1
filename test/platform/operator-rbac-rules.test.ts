import * as fc from 'fast-check';
import { permissions } from './operator-rbac-support';
import { Grant, RbacRules } from '../../src/platform/operator-rbac-rules';

const asRules = (grants: Grant[]) =>
  grants.map((g) => ({ apiGroups: [g.group], resources: g.resources, verbs: g.verbs, resourceNames: g.resourceNames }));

describe('RbacRules.toPolicyRules', () => {
  const grant = fc.record({
    group: fc.constantFrom('', 'apps', 'nvidia.com', 'rbac.authorization.k8s.io'),
    resources: fc.uniqueArray(fc.constantFrom('pods', 'pods/log', 'secrets', 'deployments', 'dynamographdeployments'), { minLength: 1, maxLength: 3 }),
    verbs: fc.uniqueArray(fc.constantFrom('get', 'list', 'watch', 'create', 'update', 'patch', 'delete'), { minLength: 1, maxLength: 7 }),
    resourceNames: fc.option(fc.uniqueArray(fc.constantFrom('a', 'b'), { minLength: 1, maxLength: 2 }), { nil: undefined }),
  });

  test('grants exactly what the input grants', () => {
    fc.assert(fc.property(fc.array(grant, { maxLength: 12 }), (grants) => {
      const merged = RbacRules.toPolicyRules(grants);
      expect([...permissions(merged as any)].sort()).toEqual([...permissions(asRules(grants))].sort());
    }));
  });

  test('does not depend on the order of the input', () => {
    fc.assert(fc.property(fc.array(grant, { maxLength: 12 }), (grants) => {
      expect(RbacRules.toPolicyRules([...grants].reverse())).toEqual(RbacRules.toPolicyRules(grants));
    }));
  });

  test('one rule per API group and verb set', () => {
    const merged = RbacRules.toPolicyRules([
      { group: '', resources: ['pods'], verbs: ['get', 'list'] },
      { group: '', resources: ['secrets'], verbs: ['list', 'get'] },
      { group: '', resources: ['pods'], verbs: ['watch'] },
    ]);
    expect(merged).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] },
    ]);
  });
});

describe('RbacRules tables', () => {
  test('cluster-wide manager may write CRDs and mutating webhooks; a restricted one may not', () => {
    const groups = (clusterWide: boolean) => new Set(RbacRules.manager(clusterWide).map((g) => g.group));
    expect(groups(true).has('apiextensions.k8s.io')).toBe(true);
    expect(groups(true).has('admissionregistration.k8s.io')).toBe(true);
    expect(groups(false).has('apiextensions.k8s.io')).toBe(false);
    expect(groups(false).has('admissionregistration.k8s.io')).toBe(false);
  });
});
