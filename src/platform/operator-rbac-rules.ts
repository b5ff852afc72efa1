import { k8s } from 'cdk8s-plus-33';

/**
 * One RBAC grant as written in the tables below.
 * @internal
 */
export interface Grant {
  readonly group: string;
  readonly resources: string[];
  readonly verbs: string[];
  readonly resourceNames?: string[];
}

/** Locale-independent ordering, so output is the same on every machine. */
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const ALL = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
const READ = ['get', 'list', 'watch'];
const STATUS = ['get', 'patch', 'update'];

const DYNAMO_WITH_FINALIZERS = [
  'dynamocheckpoints', 'dynamocomponentdeployments', 'dynamographdeploymentrequests', 'dynamographdeployments',
  'dynamomodels', 'podsnapshots',
];
const DYNAMO_WITH_STATUS = [...DYNAMO_WITH_FINALIZERS, 'dynamographdeploymentscalingadapters', 'podsnapshotcontents'];

/** What the Dynamo components a graph runs need to find each other with Kubernetes discovery. */
const SERVICE_DISCOVERY: Grant[] = [
  { group: 'discovery.k8s.io', resources: ['endpointslices'], verbs: READ },
  { group: 'nvidia.com', resources: ['dynamoworkermetadatas'], verbs: ALL },
];

/**
 * The RBAC rules of the Dynamo operator 1.4.0 install, as data. Each table is what the operator (or the pods it
 * creates) needs; `RbacRules.toPolicyRules` merges and orders them for output.
 * @internal
 */
export class RbacRules {
  /** The controller's own rules (generated kubebuilder role plus the chart's additions). */
  public static manager(clusterWide: boolean): Grant[] {
    return [
      { group: '', resources: ['configmaps', 'events', 'services'], verbs: ALL },
      { group: '', resources: ['nodes', 'pods/log'], verbs: ['get'] },
      { group: '', resources: ['persistentvolumeclaims'], verbs: ALL },
      { group: '', resources: ['pods'], verbs: [...ALL, 'deletecollection'] },
      { group: '', resources: ['secrets', 'serviceaccounts'], verbs: ALL },
      { group: '', resources: ['endpoints'], verbs: READ },
      { group: 'apps', resources: ['daemonsets'], verbs: READ },
      { group: 'apps', resources: ['deployments'], verbs: ALL },
      { group: 'authentication.k8s.io', resources: ['tokenreviews'], verbs: ['create'] },
      { group: 'authorization.k8s.io', resources: ['subjectaccessreviews'], verbs: ['create'] },
      { group: 'autoscaling', resources: ['horizontalpodautoscalers'], verbs: ALL },
      { group: 'batch', resources: ['jobs'], verbs: ALL },
      { group: 'coordination.k8s.io', resources: ['leases'], verbs: ALL },
      { group: 'events.k8s.io', resources: ['events'], verbs: ALL },
      { group: 'grove.io', resources: ['clustertopologybindings', 'podcliques', 'podcliquescalinggroups'], verbs: READ },
      { group: 'grove.io', resources: ['podcliques/scale', 'podcliquescalinggroups/scale'], verbs: STATUS },
      { group: 'grove.io', resources: ['podcliquesets'], verbs: ALL },
      { group: 'inference.networking.k8s.io', resources: ['inferencepools'], verbs: ALL },
      { group: 'inference.networking.x-k8s.io', resources: ['inferencemodelrewrites', 'inferenceobjectives', 'inferencepools'], verbs: READ },
      { group: 'leaderworkerset.x-k8s.io', resources: ['leaderworkersets'], verbs: ALL },
      { group: 'networking.istio.io', resources: ['destinationrules', 'virtualservices'], verbs: ALL },
      { group: 'networking.k8s.io', resources: ['ingressclasses', 'ingresses'], verbs: ALL },
      {
        group: 'nvidia.com',
        resources: [
          'dynamocheckpoints', 'dynamocomponentdeployments', 'dynamographdeploymentrequests', 'dynamographdeployments',
          'dynamographdeploymentscalingadapters', 'dynamomodels', 'podsnapshotcontents',
        ],
        verbs: ALL,
      },
      { group: 'nvidia.com', resources: DYNAMO_WITH_FINALIZERS.map((r) => `${r}/finalizers`), verbs: ['update'] },
      { group: 'nvidia.com', resources: DYNAMO_WITH_STATUS.map((r) => `${r}/status`), verbs: STATUS },
      { group: 'nvidia.com', resources: ['dynamographdeploymentscalingadapters/scale'], verbs: STATUS },
      { group: 'nvidia.com', resources: ['podsnapshots'], verbs: ['create', 'get', 'list', 'patch', 'update', 'watch'] },
      ...SERVICE_DISCOVERY,
      { group: 'rbac.authorization.k8s.io', resources: ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'], verbs: ALL },
      { group: 'resource.k8s.io', resources: ['deviceclasses'], verbs: READ },
      { group: 'resource.k8s.io', resources: ['resourceclaimtemplates'], verbs: ALL },
      { group: 'scheduling.run.ai', resources: ['queues'], verbs: ['get', 'list'] },
      { group: 'scheduling.volcano.sh', resources: ['podgroups'], verbs: ALL },
      // Only a cluster-wide operator manages CRDs (crd-apply, conversion CA) and its mutating webhook configuration.
      ...(clusterWide
        ? [
          { group: 'admissionregistration.k8s.io', resources: ['mutatingwebhookconfigurations'], verbs: ALL },
          { group: 'apiextensions.k8s.io', resources: ['customresourcedefinitions'], verbs: ALL },
        ]
        : []),
    ];
  }

  public static leaderElection(): Grant[] {
    return [
      { group: '', resources: ['configmaps'], verbs: ALL },
      { group: 'coordination.k8s.io', resources: ['leases'], verbs: ALL },
      { group: '', resources: ['events'], verbs: ['create', 'patch'] },
    ];
  }

  /** Lets the operator authenticate and authorize scrapers of its HTTPS metrics endpoint. */
  public static metricsAuth(): Grant[] {
    return [
      { group: 'authentication.k8s.io', resources: ['tokenreviews'], verbs: ['create'] },
      { group: 'authorization.k8s.io', resources: ['subjectaccessreviews'], verbs: ['create'] },
    ];
  }

  /** The in-operator cert-controller creates and rotates the serving-certificate Secret. */
  public static webhookCertManager(secretName: string): Grant[] {
    return [
      { group: '', resources: ['secrets'], verbs: ['get', 'list', 'patch', 'update', 'watch'], resourceNames: [secretName] },
      // `create` cannot be limited by name: the name is in the request body.
      { group: '', resources: ['secrets'], verbs: ['create'] },
    ];
  }

  /** CA bundle injection into the webhook configurations (and the CRD conversion webhooks when cluster-wide). */
  public static webhookInjector(clusterWide: boolean): Grant[] {
    const verbs = ['get', 'list', 'patch', 'update', 'watch'];
    return [
      { group: 'admissionregistration.k8s.io', resources: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'], verbs },
      ...(clusterWide ? [{ group: 'apiextensions.k8s.io', resources: ['customresourcedefinitions'], verbs }] : []),
    ];
  }

  public static clusterTopologyBindingReader(): Grant[] {
    return [{ group: 'grove.io', resources: ['clustertopologybindings'], verbs: READ }];
  }

  public static queueReader(): Grant[] {
    return [{ group: 'scheduling.run.ai', resources: ['queues'], verbs: ['get', 'list'] }];
  }

  public static deviceClassReader(): Grant[] {
    return [{ group: 'resource.k8s.io', resources: ['deviceclasses'], verbs: READ }];
  }

  public static podSnapshotContents(): Grant[] {
    return [
      { group: 'nvidia.com', resources: ['podsnapshotcontents'], verbs: ALL },
      { group: 'nvidia.com', resources: ['podsnapshotcontents/status'], verbs: STATUS },
    ];
  }

  /** GPU discovery reads node labels and pods to find what GPUs the cluster has. */
  public static gpuDiscovery(): Grant[] {
    return [
      { group: '', resources: ['nodes'], verbs: READ },
      { group: '', resources: ['pods'], verbs: ['get', 'list'] },
    ];
  }

  public static topologyLabel(): Grant[] {
    return [{ group: '', resources: ['nodes'], verbs: ['get'] }];
  }

  /** The planner scales a graph through its scaling adapters and watches the workers. */
  public static planner(): Grant[] {
    return [
      { group: 'nvidia.com', resources: ['dynamocomponentdeployments', 'dynamographdeployments'], verbs: ['create', 'get', 'list', 'patch', 'update'] },
      { group: 'nvidia.com', resources: ['dynamographdeploymentscalingadapters/scale'], verbs: ['patch'] },
      ...SERVICE_DISCOVERY,
    ];
  }

  /** The endpoint picker (Gateway API inference extension) of graphs that have one. */
  public static endpointPicker(clusterWide: boolean): Grant[] {
    return [
      { group: 'inference.networking.x-k8s.io', resources: ['inferencemodelrewrites', 'inferenceobjectives', 'inferencepools'], verbs: READ },
      { group: 'inference.networking.k8s.io', resources: ['inferencepools'], verbs: READ },
      { group: '', resources: ['pods'], verbs: READ },
      ...SERVICE_DISCOVERY,
      ...(clusterWide ? RbacRules.metricsAuth() : []),
    ];
  }

  /** On-cluster profiling jobs of DynamoGraphDeploymentRequests. */
  public static dgdrProfiling(clusterWide: boolean): Grant[] {
    return [
      { group: '', resources: ['configmaps'], verbs: ['create', 'delete', 'get', 'patch', 'update'] },
      { group: 'nvidia.com', resources: ['dynamographdeploymentrequests'], verbs: ['get'] },
      { group: 'nvidia.com', resources: ['dynamographdeployments'], verbs: ['create', 'delete', 'get', 'list', 'watch'] },
      { group: '', resources: ['pods'], verbs: ['create', 'delete', 'get', 'list'] },
      { group: '', resources: ['pods/log'], verbs: ['get'] },
      ...(clusterWide ? [{ group: '', resources: ['nodes'], verbs: READ }] : []),
    ];
  }

  /**
   * Merges grants into the fewest policy rules that grant exactly the same: per API group, resources with the same
   * verbs share a rule. Output is sorted, so it is stable whatever order the tables use.
   */
  public static toPolicyRules(grants: Grant[]): k8s.PolicyRule[] {
    const named = grants.filter((g) => g.resourceNames);
    const verbsOf = new Map<string, Set<string>>(); // key: group \0 resource
    for (const g of grants.filter((x) => !x.resourceNames)) {
      for (const r of g.resources) {
        const key = `${g.group}\0${r}`;
        const verbs = verbsOf.get(key) ?? new Set<string>();
        g.verbs.forEach((v) => verbs.add(v));
        verbsOf.set(key, verbs);
      }
    }
    const byGroupAndVerbs = new Map<string, string[]>(); // key: group \0 verbs
    for (const key of [...verbsOf.keys()].sort()) {
      const [group, resource] = key.split('\0');
      const ruleKey = `${group}\0${[...verbsOf.get(key)!].sort().join(',')}`;
      byGroupAndVerbs.set(ruleKey, [...(byGroupAndVerbs.get(ruleKey) ?? []), resource]);
    }
    const merged = [...byGroupAndVerbs.entries()]
      .map(([key, resources]) => {
        const [group, verbs] = key.split('\0');
        return { apiGroups: [group], resources, verbs: verbs.split(',') };
      })
      .sort((a, b) => byCodePoint(a.apiGroups[0], b.apiGroups[0]) || byCodePoint(a.resources[0], b.resources[0]));
    const withNames = named
      .map((g) => ({
        apiGroups: [g.group],
        resources: [...g.resources].sort(),
        resourceNames: [...g.resourceNames!].sort(),
        verbs: [...g.verbs].sort(),
      }))
      .sort((a, b) => byCodePoint(JSON.stringify(a), JSON.stringify(b)));
    return [...merged, ...withNames];
  }
}
