import { DynamoRuntime } from '../graph/runtime-image';

/**
 * The Dynamo versions the library's defaults pair with each other, in one place.
 *
 * The operator defaults to the release its manifests are written from: `DynamoPlatform` renders the RBAC,
 * `OperatorConfiguration`, webhooks and `crd-apply` arguments of the 1.4.0 chart. The images that serve models default
 * to the latest stable release: runtime images of frontends and workers at `DynamoRuntime.DEFAULT_VERSION`, and the
 * `dynamo-planner` image of the Planner and of on-cluster profiling at the same version. Keep the operator at least
 * as new as the runtime images, and move `DynamoGraphProps.image`, `PlannerProps.image` and
 * `DynamoGraphDeploymentRequestProps.image` together.
 */
export class DynamoVersions {
  /** Operator and platform chart release the `DynamoPlatform` manifests are written from. */
  public static readonly OPERATOR = '1.4.0';

  /** Runtime images of frontends and workers (`DynamoRuntime.DEFAULT_VERSION`), the latest stable release. */
  public static readonly RUNTIME = DynamoRuntime.DEFAULT_VERSION;

  /** `dynamo-planner` image of the Planner and of DGDR profiling jobs; released with the runtime images. */
  public static readonly PLANNER = DynamoRuntime.DEFAULT_VERSION;

  /** Oldest Kubernetes minor the operator release supports (its chart's `kubeVersion`). */
  public static readonly KUBERNETES_MINIMUM = '1.30';

  private constructor() {}
}
