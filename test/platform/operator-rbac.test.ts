import { Testing } from 'cdk8s';
import { ALL, covers, permissions, READ, RuleLike, rules } from './operator-rbac-support';
import { DynamoPlatform, DynamoPlatformProps } from '../../src/platform/dynamo-platform';
import { OperatorScope } from '../../src/platform/operator-scope';
import { expectValid } from '../support/validate';

/**
 * Every Role and ClusterRole the platform renders, and every binding, checked permission by permission against the
 * upstream 1.4.0 chart's RBAC tables, in both operator scopes.
 */

const F = 'dynamo-platform-dynamo-operator';

function synth(props: DynamoPlatformProps = {}): any[] {
  const chart = Testing.chart();
  new DynamoPlatform(chart, 'Platform', props);
  return Testing.synth(chart);
}

const STATUS = ['get', 'patch', 'update'];
const INJECT = ['get', 'list', 'patch', 'update', 'watch'];

/** The generated `manager-role.yaml` rules. */
const MANAGER_GENERATED = rules(
  ['', ['configmaps', 'events', 'services'], ALL],
  ['', ['nodes', 'pods/log'], ['get']],
  ['', ['persistentvolumeclaims'], ['create', 'delete', 'get', 'list', 'watch']],
  ['', ['pods'], ['delete', 'deletecollection', 'get', 'list', 'patch', 'watch']],
  ['', ['secrets', 'serviceaccounts'], ['create', 'get', 'list', 'update', 'watch']],
  ['apps', ['daemonsets'], READ],
  ['apps', ['deployments'], ALL],
  ['authentication.k8s.io', ['tokenreviews'], ['create']],
  ['authorization.k8s.io', ['subjectaccessreviews'], ['create']],
  ['autoscaling', ['horizontalpodautoscalers'], ALL],
  ['batch', ['jobs'], ALL],
  ['coordination.k8s.io', ['leases'], ALL],
  ['discovery.k8s.io', ['endpointslices'], READ],
  ['events.k8s.io', ['events'], ALL],
  ['grove.io', ['clustertopologybindings', 'podcliques', 'podcliquescalinggroups'], READ],
  ['grove.io', ['podcliques/scale', 'podcliquescalinggroups/scale'], STATUS],
  ['grove.io', ['podcliquesets'], ALL],
  ['inference.networking.k8s.io', ['inferencepools'], ALL],
  ['leaderworkerset.x-k8s.io', ['leaderworkersets'], ALL],
  ['networking.istio.io', ['destinationrules', 'virtualservices'], ALL],
  ['networking.k8s.io', ['ingressclasses', 'ingresses'], ALL],
  ['nvidia.com', ['dynamocheckpoints', 'dynamocomponentdeployments', 'dynamographdeploymentrequests', 'dynamographdeployments',
    'dynamographdeploymentscalingadapters', 'dynamomodels', 'podsnapshotcontents'], ALL],
  ['nvidia.com', ['dynamocheckpoints/finalizers', 'dynamocomponentdeployments/finalizers', 'dynamographdeploymentrequests/finalizers',
    'dynamographdeployments/finalizers', 'dynamomodels/finalizers', 'podsnapshots/finalizers'], ['update']],
  ['nvidia.com', ['dynamocheckpoints/status', 'dynamocomponentdeployments/status', 'dynamographdeploymentrequests/status',
    'dynamographdeployments/status', 'dynamographdeploymentscalingadapters/status', 'dynamomodels/status',
    'podsnapshotcontents/status', 'podsnapshots/status'], STATUS],
  ['nvidia.com', ['podsnapshots'], ['create', 'get', 'list', 'patch', 'update', 'watch']],
  ['rbac.authorization.k8s.io', ['clusterroles'], READ],
  ['rbac.authorization.k8s.io', ['rolebindings'], ['create', 'delete', 'get', 'list', 'update', 'watch']],
  ['rbac.authorization.k8s.io', ['roles'], ['create', 'get', 'list', 'update', 'watch']],
  ['resource.k8s.io', ['deviceclasses'], READ],
  ['resource.k8s.io', ['resourceclaimtemplates'], ALL],
  ['scheduling.run.ai', ['queues'], ['get', 'list']],
  ['scheduling.volcano.sh', ['podgroups'], ALL],
);

/** What the chart's `manager-rbac.yaml` appends in both scopes. */
const MANAGER_EXTRAS = rules(
  ['', ['persistentvolumeclaims'], ['patch', 'update']],
  ['', ['secrets'], ['delete', 'patch']],
  ['', ['endpoints'], READ],
  ['', ['serviceaccounts'], ['delete', 'patch']],
  ['', ['pods'], ['create', 'update']],
  ['inference.networking.x-k8s.io', ['inferencepools', 'inferenceobjectives', 'inferencemodelrewrites'], READ],
  ['nvidia.com', ['dynamoworkermetadatas'], ALL],
  ['nvidia.com', ['podsnapshots'], ['create', 'get', 'list', 'patch', 'update', 'watch']],
  ['nvidia.com', ['dynamographdeploymentscalingadapters/scale'], STATUS],
  ['rbac.authorization.k8s.io', ['clusterrolebindings'], ALL],
  ['rbac.authorization.k8s.io', ['clusterroles'], ['create', 'delete', 'patch', 'update']],
  ['rbac.authorization.k8s.io', ['rolebindings'], ['patch']],
  ['rbac.authorization.k8s.io', ['roles'], ['delete', 'patch']],
);

/** What it appends only for a cluster-wide operator. */
const MANAGER_CLUSTER_WIDE_EXTRAS = rules(
  ['admissionregistration.k8s.io', ['mutatingwebhookconfigurations'], ALL],
  ['apiextensions.k8s.io', ['customresourcedefinitions'], ALL],
);

const LEADER_ELECTION = rules(['', ['configmaps'], ALL], ['coordination.k8s.io', ['leases'], ALL], ['', ['events'], ['create', 'patch']]);
const TOKEN_AND_ACCESS_REVIEWS = rules(['authentication.k8s.io', ['tokenreviews'], ['create']], ['authorization.k8s.io', ['subjectaccessreviews'], ['create']]);
const WEBHOOK_CERT_MANAGER: RuleLike[] = [
  { apiGroups: [''], resources: ['secrets'], resourceNames: ['webhook-server-cert'], verbs: ['get', 'list', 'watch', 'update', 'patch'] },
  ...rules(['', ['secrets'], ['create']]),
];
const WEBHOOK_CONFIG_INJECTION = rules(['admissionregistration.k8s.io', ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations'], INJECT]);
const CRD_INJECTION = rules(['apiextensions.k8s.io', ['customresourcedefinitions'], INJECT]);
const PLANNER = rules(
  ['nvidia.com', ['dynamocomponentdeployments', 'dynamographdeployments'], ['get', 'list', 'create', 'update', 'patch']],
  ['nvidia.com', ['dynamographdeploymentscalingadapters/scale'], ['patch']],
  ['discovery.k8s.io', ['endpointslices'], READ],
  ['nvidia.com', ['dynamoworkermetadatas'], ALL],
);
const EPP_COMMON = rules(
  ['inference.networking.x-k8s.io', ['inferencepools', 'inferenceobjectives', 'inferencemodelrewrites'], READ],
  ['inference.networking.k8s.io', ['inferencepools'], READ],
  ['', ['pods'], READ],
  ['discovery.k8s.io', ['endpointslices'], READ],
  ['nvidia.com', ['dynamoworkermetadatas'], ALL],
);
const PROFILING_COMMON = rules(
  ['', ['configmaps'], ['create', 'get', 'update', 'patch', 'delete']],
  ['nvidia.com', ['dynamographdeploymentrequests'], ['get']],
  ['nvidia.com', ['dynamographdeployments'], ['get', 'create', 'delete', 'list', 'watch']],
  ['', ['pods'], ['list', 'get', 'create', 'delete']],
  ['', ['pods/log'], ['get']],
);

/** The roles both scopes render as ClusterRoles, named `<F>-<NS>-…`, with the binding suffix the chart uses. */
function sharedClusterRoles(ns: string, clusterWide: boolean): Array<[string, string, RuleLike[]]> {
  return [
    [`${F}-${ns}-metrics-auth`, '', TOKEN_AND_ACCESS_REVIEWS],
    [`${F}-${ns}-webhook-injector`, '-binding', [...WEBHOOK_CONFIG_INJECTION, ...(clusterWide ? CRD_INJECTION : [])]],
    [`${F}-${ns}-clustertopologybinding-reader`, '-binding', rules(['grove.io', ['clustertopologybindings'], READ])],
    [`${F}-${ns}-queue-reader`, '-binding', rules(['scheduling.run.ai', ['queues'], ['get', 'list']])],
    [`${F}-${ns}-deviceclass-reader`, '-binding', rules(['resource.k8s.io', ['deviceclasses'], READ])],
    [`${F}-${ns}-podsnapshotcontents`, '-binding', rules(['nvidia.com', ['podsnapshotcontents'], ALL], ['nvidia.com', ['podsnapshotcontents/status'], STATUS])],
    [`${F}-${ns}-gpu-discovery`, '', rules(['', ['nodes'], READ], ['', ['pods'], ['get', 'list']])],
    [`${F}-${ns}-topology-label`, '', rules(['', ['nodes'], ['get']])],
  ];
}

interface ExpectedRole {
  readonly kind: 'Role' | 'ClusterRole';
  readonly name: string;
  readonly namespace?: string;
  readonly rules: RuleLike[];
  /** Bindings of this role: [binding name, subject ServiceAccount name, subject namespace]; none when the operator binds it. */
  readonly bindings: Array<[string, string, string]>;
}

function clusterWideRoles(): ExpectedRole[] {
  const ns = 'dynamo-system';
  const controller = `${F}-controller-manager`;
  return [
    {
      kind: 'ClusterRole',
      name: `${F}-manager-role`,
      rules: [...MANAGER_GENERATED, ...MANAGER_EXTRAS, ...MANAGER_CLUSTER_WIDE_EXTRAS],
      bindings: [[`${F}-manager-rolebinding`, controller, ns]],
    },
    { kind: 'ClusterRole', name: `${F}-leader-election-role`, rules: LEADER_ELECTION, bindings: [[`${F}-leader-election-rolebinding`, controller, ns]] },
    { kind: 'Role', name: `${F}-webhook-cert-manager`, namespace: ns, rules: WEBHOOK_CERT_MANAGER, bindings: [[`${F}-webhook-cert-manager`, controller, ns]] },
    ...sharedClusterRoles(ns, true).map(([name, suffix, r]): ExpectedRole =>
      ({ kind: 'ClusterRole', name, rules: r, bindings: [[`${name}${suffix}`, controller, ns]] })),
    // The operator binds these itself in each graph namespace.
    { kind: 'ClusterRole', name: `${F}-planner`, rules: PLANNER, bindings: [] },
    { kind: 'ClusterRole', name: `${F}-epp`, rules: [...EPP_COMMON, ...TOKEN_AND_ACCESS_REVIEWS], bindings: [] },
    {
      kind: 'ClusterRole',
      name: `${F}-dgdr-profiling`,
      rules: [...PROFILING_COMMON, ...rules(['', ['nodes'], READ])],
      bindings: [[`${F}-dgdr-profiling`, 'dgdr-profiling-job', ns]],
    },
  ];
}

function restrictedRoles(ns: string): ExpectedRole[] {
  const controller = `${F}-controller-manager`;
  const local = (name: string, r: RuleLike[], binding: string, account: string): ExpectedRole =>
    ({ kind: 'Role', name, namespace: ns, rules: r, bindings: [[binding, account, ns]] });
  return [
    local(`${F}-manager-role`, [...MANAGER_GENERATED, ...MANAGER_EXTRAS], `${F}-manager-rolebinding`, controller),
    local(`${F}-leader-election-role`, LEADER_ELECTION, `${F}-leader-election-rolebinding`, controller),
    local(`${F}-webhook-cert-manager`, WEBHOOK_CERT_MANAGER, `${F}-webhook-cert-manager`, controller),
    ...sharedClusterRoles(ns, false).map(([name, suffix, r]): ExpectedRole =>
      ({ kind: 'ClusterRole', name, rules: r, bindings: [[`${name}${suffix}`, controller, ns]] })),
    local('planner-role', PLANNER, 'planner-binding', 'planner-serviceaccount'),
    local('epp-role', EPP_COMMON, 'epp-binding', 'epp-serviceaccount'),
    local('dgdr-profiling-job', PROFILING_COMMON, 'dgdr-profiling-job', 'dgdr-profiling-job'),
  ];
}

const sorted = (ruleList: RuleLike[]) => [...permissions(ruleList)].sort();

describe.each<[string, DynamoPlatformProps, ExpectedRole[]]>([
  ['cluster-wide', {}, clusterWideRoles()],
  ['namespace-restricted', { namespace: 'team-a', operatorScope: OperatorScope.namespaceRestricted() }, restrictedRoles('team-a')],
])('%s operator RBAC', (_scope, props, expected) => {
  const objects = synth(props);
  const roles = objects.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole');
  const bindings = objects.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding');

  test('every object is valid', () => {
    expectValid(objects);
  });

  test('renders exactly the upstream roles and bindings, no more', () => {
    expect(roles.map((r) => `${r.kind}/${r.metadata.name}`).sort()).toEqual(expected.map((e) => `${e.kind}/${e.name}`).sort());
    const expectedBindings = expected.flatMap((e) => e.bindings.map(([name]) => `${e.kind}Binding/${name}`));
    expect(bindings.map((b) => `${b.kind}/${b.metadata.name}`).sort()).toEqual(expectedBindings.sort());
  });

  test.each(expected.map((e) => [`${e.kind} ${e.name}`, e] as const))('%s grants exactly the upstream rules', (_name, e) => {
    const role = roles.find((r) => r.kind === e.kind && r.metadata.name === e.name);
    expect(role.metadata.namespace).toBe(e.namespace);
    expect(sorted(role.rules)).toEqual(sorted(e.rules));
  });

  test.each(expected.filter((e) => e.bindings.length > 0).map((e) => [e.name, e] as const))('%s is bound as upstream binds it', (_name, e) => {
    for (const [name, account, namespace] of e.bindings) {
      const binding = bindings.find((b) => b.metadata.name === name && b.kind === `${e.kind}Binding`);
      expect(binding.metadata.namespace).toBe(e.namespace);
      expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: e.kind, name: e.name });
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: account, namespace }]);
    }
  });

  test('no wildcard and no non-resource URL in any rule', () => {
    for (const rule of roles.flatMap((r) => r.rules)) {
      for (const field of ['apiGroups', 'resources', 'verbs', 'resourceNames']) {
        expect(`${field}: ${(rule[field] ?? []).filter((v: string) => v.includes('*'))}`).toBe(`${field}: `);
      }
      expect(rule.nonResourceURLs).toBeUndefined();
    }
  });

  test('every ServiceAccount a binding names is rendered, or is created by the operator', () => {
    const accounts = new Set(objects.filter((o) => o.kind === 'ServiceAccount').map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
    const createdByOperator = new Set(['dynamo-system/dgdr-profiling-job']);
    for (const subject of bindings.flatMap((b) => b.subjects)) {
      const key = `${subject.namespace}/${subject.name}`;
      expect(`${key}: ${accounts.has(key) || createdByOperator.has(key)}`).toBe(`${key}: true`);
    }
  });
});

describe('delegation', () => {
  const objects = synth();
  /** Every permission held by a ServiceAccount through any binding. */
  const heldBy = (account: string, namespace: string) => {
    const bound = objects.filter((o) => /RoleBinding$/.test(o.kind)
      && o.subjects.some((s: any) => s.kind === 'ServiceAccount' && s.name === account && s.namespace === namespace));
    return permissions(bound.flatMap((b) => objects.find((o) => o.kind === b.roleRef.kind && o.metadata.name === b.roleRef.name).rules));
  };

  test('the operator holds every permission it grants to graph pods, the planner, the EPP and profiling jobs', () => {
    // Kubernetes refuses to let the operator bind a role that grants more than the operator holds.
    const held = heldBy(`${F}-controller-manager`, 'dynamo-system');
    const serviceDiscovery = permissions(rules(
      ['', ['endpoints', 'pods'], READ],
      ['discovery.k8s.io', ['endpointslices'], READ],
      ['nvidia.com', ['dynamoworkermetadatas'], ALL],
    ));
    const delegated = [`${F}-planner`, `${F}-epp`, `${F}-dgdr-profiling`]
      .map((name) => permissions(objects.find((o) => o.kind === 'ClusterRole' && o.metadata.name === name).rules));
    for (const wanted of [serviceDiscovery, ...delegated].flatMap((s) => [...s])) {
      expect(`${wanted}: ${covers(held, wanted)}`).toBe(`${wanted}: true`);
    }
  });

  test('the planner may patch the scale of scaling adapters, and nothing else of them', () => {
    const planner = [...permissions(objects.find((o) => o.metadata.name === `${F}-planner`).rules)];
    expect(planner.filter((p) => p.includes('scalingadapters'))).toEqual(['nvidia.com/dynamographdeploymentscalingadapters/scale:patch']);
  });
});
