import { Duration } from 'cdk8s';

/**
 * Options of a namespace-restricted operator.
 */
export interface NamespaceRestrictionOptions {
  /**
   * The only namespace the operator watches; graphs must be deployed there.
   * @default - the platform namespace
   */
  readonly targetNamespace?: string;

  /**
   * Duration of the `dynamo-operator-namespace-scope` Lease that tells cluster-wide operators to skip the namespace.
   * @default Duration.seconds(30)
   */
  readonly leaseDuration?: Duration;

  /**
   * How often the operator renews that Lease; must be shorter than `leaseDuration`.
   * @default Duration.seconds(10)
   */
  readonly leaseRenewInterval?: Duration;
}

/**
 * Which namespaces the Dynamo operator manages.
 */
export class OperatorScope {
  /**
   * The operator watches every namespace and installs the CRDs (the upstream default). Only one cluster-wide
   * operator may run per cluster.
   */
  public static clusterWide(): OperatorScope {
    return new OperatorScope(undefined);
  }

  /**
   * The operator watches one namespace and needs no cluster-wide write access. Upstream marks this mode deprecated
   * and meant for development and testing; CRDs and conversion come from a cluster-wide operator.
   * @param options the watched namespace and the timings of its Lease
   */
  public static namespaceRestricted(options: NamespaceRestrictionOptions = {}): OperatorScope {
    return new OperatorScope(options);
  }

  private constructor(private readonly restriction: NamespaceRestrictionOptions | undefined) {}

  /** True for `namespaceRestricted()`. */
  public get restricted(): boolean {
    return this.restriction !== undefined;
  }

  /** @internal */
  public get _restriction(): NamespaceRestrictionOptions | undefined {
    return this.restriction;
  }
}
