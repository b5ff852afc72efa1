import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { SyncWave } from './sync-waves';
import { PropError } from '../common/errors';

/**
 * Options of `GitOps.argoCd()`.
 */
export interface ArgoCdOptions {
  /**
   * Put every object into this wave instead of the wave its kind belongs to.
   * @default - per kind (see `GitOps.argoCdWave`)
   */
  readonly wave?: number;
}

/** API groups every conformant cluster serves, so their kinds never need the CRD dry-run skip. */
const BUILT_IN_GROUPS = new Set([
  '', 'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io', 'apps', 'authentication.k8s.io',
  'authorization.k8s.io', 'autoscaling', 'batch', 'certificates.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io',
  'events.k8s.io', 'flowcontrol.apiserver.k8s.io', 'networking.k8s.io', 'node.k8s.io', 'policy',
  'rbac.authorization.k8s.io', 'resource.k8s.io', 'scheduling.k8s.io', 'storage.k8s.io',
]);

const RBAC_KINDS = new Set(['ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']);
/** Objects that refer to a running graph, by `group/kind`. */
const GRAPH_ADDONS = new Set([
  'nvidia.com/DynamoModel', 'autoscaling/HorizontalPodAutoscaler', 'keda.sh/ScaledObject',
  'monitoring.coreos.com/PodMonitor', 'monitoring.coreos.com/ServiceMonitor',
]);
const GRAPHS = new Set(['nvidia.com/DynamoGraphDeployment', 'nvidia.com/DynamoGraphDeploymentRequest']);
/** Fields under which pod specs (`claimName`) and Dynamo graphs (`pvcName`, v1alpha1 `pvcs[].name`) name the claims they mount. */
const CLAIM_FIELDS = new Set(['claimName', 'pvcName']);

/**
 * GitOps ordering for what `cdk8s synth` writes, so a fresh cluster reaches a running graph in one sync.
 *
 * ArgoCD applies lower sync waves first and waits for them to be healthy: namespaces, RBAC, the operator (which
 * installs the Dynamo CRDs when it starts), then graphs, then autoscalers, monitors and LoRA models. Objects whose
 * CRDs may not exist when the sync starts get `SkipDryRunOnMissingResource=true`, or ArgoCD would refuse the whole
 * sync at its dry run. Flux ignores both annotations: order Flux `Kustomization`s with `dependsOn` instead
 * (see `FluxKustomization`).
 */
export class GitOps {
  /** ArgoCD's per-resource sync options annotation. */
  public static readonly ARGOCD_SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
  /** The sync option that lets ArgoCD sync a resource whose CRD is not installed yet. */
  public static readonly SKIP_DRY_RUN = 'SkipDryRunOnMissingResource=true';

  /**
   * Stamps every API object under `scope` (a chart, typically) with its ArgoCD sync wave and, for kinds whose
   * CRDs the operator or an add-on installs, `SkipDryRunOnMissingResource=true`. Objects that already carry a wave
   * (such as those `DynamoPlatform` stamps) keep it. Call it after the chart's contents are defined: objects added
   * later are reported at synth.
   * @param scope construct whose API objects are stamped, usually a chart
   * @param options a fixed wave for all of them, instead of one per kind
   */
  public static argoCd(scope: IConstruct, options: ArgoCdOptions = {}): void {
    PropError.integer(scope, 'wave', options.wave, -1000, 1000);
    const stamped = GitOps.apiObjects(scope);
    const claimWaves = options.wave === undefined ? GitOps.claimWaves(stamped) : new Map<ApiObject, number>();
    for (const obj of stamped) {
      const annotations = GitOps.annotations(obj);
      if (options.wave !== undefined || annotations[SyncWave.ANNOTATION] === undefined) {
        const wave = options.wave ?? claimWaves.get(obj) ?? GitOps.argoCdWave(obj.apiVersion, obj.kind);
        obj.metadata.addAnnotation(SyncWave.ANNOTATION, String(wave));
      }
      if (GitOps.needsCrd(obj.apiVersion, obj.kind)) {
        const existing = (annotations[GitOps.ARGOCD_SYNC_OPTIONS] ?? '').split(',').map(s => s.trim()).filter(s => s.length > 0);
        if (!existing.includes(GitOps.SKIP_DRY_RUN)) {
          obj.metadata.addAnnotation(GitOps.ARGOCD_SYNC_OPTIONS, [...existing, GitOps.SKIP_DRY_RUN].join(','));
        }
      }
    }
    scope.node.addValidation({
      validate: () => GitOps.apiObjects(scope).filter(o => !stamped.includes(o)).map(o => PropError.invalid(o, 'metadata.annotations',
        GitOps.annotations(o)[SyncWave.ANNOTATION], 'an object defined before GitOps.argoCd() was called',
        `${o.kind} '${o.name}' was added afterwards and has no sync wave`).message),
    });
  }

  /**
   * The ArgoCD sync wave of an object by kind: namespaces, CRDs, RBAC, then what graphs mount (ConfigMaps,
   * Secrets, PVCs, model-download Jobs), then graphs and requests, then autoscalers, monitors and LoRA models.
   * `argoCd()` moves a PersistentVolumeClaim to the wave of its first consumer instead (see there).
   * @param apiVersion the object's `apiVersion`, e.g. `nvidia.com/v1beta1`
   * @param kind the object's `kind`, e.g. `DynamoGraphDeployment`
   */
  public static argoCdWave(apiVersion: string, kind: string): number {
    const key = `${GitOps.group(apiVersion)}/${kind}`;
    if (kind === 'Namespace') return SyncWave.NAMESPACE;
    if (kind === 'CustomResourceDefinition') return SyncWave.CRDS;
    if (RBAC_KINDS.has(kind)) return SyncWave.RBAC;
    if (GRAPHS.has(key)) return SyncWave.GRAPHS;
    if (GRAPH_ADDONS.has(key)) return SyncWave.GRAPH_ADDONS;
    return SyncWave.WORKLOAD_PREREQUISITES;
  }

  /**
   * True when the kind comes from a CRD (not a built-in API group), which may be missing when a sync starts.
   * @param apiVersion the object's `apiVersion`, e.g. `keda.sh/v1alpha1`
   * @param kind the object's `kind`, e.g. `ScaledObject`
   */
  public static needsCrd(apiVersion: string, kind: string): boolean {
    return kind !== 'CustomResourceDefinition' && !BUILT_IN_GROUPS.has(GitOps.group(apiVersion));
  }

  /**
   * The wave of each PersistentVolumeClaim: that of the earliest object in `objects` that mounts it (a model-download
   * Job, a graph), or the graphs' wave when none does. On a storage class with `WaitForFirstConsumer` binding (the
   * default on EKS, GKE and AKS) a claim stays Pending until a pod uses it, ArgoCD counts a Pending claim as
   * Progressing, and waits for it before the next wave: a claim one wave ahead of its only consumer would hold the
   * sync for ever.
   */
  private static claimWaves(objects: ApiObject[]): Map<ApiObject, number> {
    const namespaceOf = (o: ApiObject) => o.metadata.namespace ?? o.chart.namespace ?? '';
    const claims = objects.filter(o => o.kind === 'PersistentVolumeClaim' && GitOps.group(o.apiVersion) === '');
    const waves = new Map<ApiObject, number>();
    if (claims.length === 0) return waves;
    const consumers = objects.filter(o => !claims.includes(o)).map(o => ({
      namespace: namespaceOf(o),
      claims: GitOps.claimsMountedBy(o.toJson()),
      wave: Number(GitOps.annotations(o)[SyncWave.ANNOTATION] ?? GitOps.argoCdWave(o.apiVersion, o.kind)),
    }));
    for (const claim of claims) {
      const mountedBy = consumers.filter(c => c.namespace === namespaceOf(claim) && c.claims.has(claim.name)).map(c => c.wave);
      waves.set(claim, mountedBy.length > 0 ? Math.min(...mountedBy) : SyncWave.GRAPHS);
    }
    return waves;
  }

  /** Names of the claims an object's manifest mounts, wherever they appear in it. */
  private static claimsMountedBy(json: unknown, found: Set<string> = new Set()): Set<string> {
    if (Array.isArray(json)) {
      json.forEach(v => GitOps.claimsMountedBy(v, found));
    } else if (json !== null && typeof json === 'object') {
      for (const [key, value] of Object.entries(json)) {
        if (CLAIM_FIELDS.has(key) && typeof value === 'string') found.add(value);
        if (key === 'pvcs' && Array.isArray(value)) value.forEach(p => typeof p?.name === 'string' && found.add(p.name));
        GitOps.claimsMountedBy(value, found);
      }
    }
    return found;
  }

  private static group(apiVersion: string): string {
    const slash = apiVersion.indexOf('/');
    return slash < 0 ? '' : apiVersion.slice(0, slash);
  }

  private static apiObjects(scope: IConstruct): ApiObject[] {
    return scope.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
  }

  private static annotations(obj: ApiObject): { [key: string]: string } {
    return obj.metadata.toJson().annotations ?? {};
  }

  private constructor() {}
}
