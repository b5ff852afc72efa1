import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * ArgoCD sync waves shared by the platform and the workloads, so one GitOps sync of a fresh cluster applies
 * everything in a working order: lower waves are applied and healthy before higher waves start.
 *
 * Flux ignores these annotations; order Flux Kustomizations with `dependsOn` instead (see docs/platform.md).
 */
export class SyncWave {
  /** The ArgoCD annotation that carries the wave. */
  public static readonly ANNOTATION = 'argocd.argoproj.io/sync-wave';

  /** Namespaces. */
  public static readonly NAMESPACE = -20;
  /** CustomResourceDefinitions vendored into the manifests. */
  public static readonly CRDS = -10;
  /** ServiceAccounts, Roles, ClusterRoles and their bindings. */
  public static readonly RBAC = -5;
  /**
   * ConfigMaps, Services, certificates and admission webhook configurations. Webhook configurations come before
   * the operator because the operator injects its CA only into configurations that exist when it starts.
   */
  public static readonly CONFIG = -3;
  /** The operator Deployment and the optional NATS and etcd StatefulSets. */
  public static readonly OPERATOR = 0;
  /** What graphs mount or read and must exist first: model caches, secrets, PVCs. */
  public static readonly WORKLOAD_PREREQUISITES = 5;
  /** DynamoGraphDeployments and DynamoGraphDeploymentRequests. */
  public static readonly GRAPHS = 10;
  /** Objects that refer to a running graph: autoscalers, monitors, LoRA models. */
  public static readonly GRAPH_ADDONS = 15;

  /**
   * Puts every API object in `scope` (the scope itself included) into `wave`.
   * @param scope construct whose API objects (its own included) get the wave
   * @param wave the ArgoCD sync wave, e.g. `SyncWave.GRAPHS`
   */
  public static annotate(scope: IConstruct, wave: number): void {
    for (const obj of SyncWave._apiObjects(scope)) {
      obj.metadata.addAnnotation(SyncWave.ANNOTATION, String(wave));
    }
  }

  /**
   * Puts each API object of the platform into the wave its kind belongs to.
   * @internal
   */
  public static _annotatePlatform(scope: IConstruct): void {
    for (const obj of SyncWave._apiObjects(scope)) {
      obj.metadata.addAnnotation(SyncWave.ANNOTATION, String(SyncWave._platformWave(obj.kind)));
    }
  }

  /** @internal */
  public static _platformWave(kind: string): number {
    switch (kind) {
      case 'Namespace':
        return SyncWave.NAMESPACE;
      case 'CustomResourceDefinition':
        return SyncWave.CRDS;
      case 'ServiceAccount':
      case 'ClusterRole':
      case 'ClusterRoleBinding':
      case 'Role':
      case 'RoleBinding':
        return SyncWave.RBAC;
      case 'Deployment':
      case 'StatefulSet':
      case 'PodDisruptionBudget':
        return SyncWave.OPERATOR;
      default:
        return SyncWave.CONFIG;
    }
  }

  private static _apiObjects(scope: IConstruct): ApiObject[] {
    return scope.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
  }

  private constructor() {}
}
