/**
 * Object names and labels of the platform, spelled the way the upstream `dynamo-platform` Helm chart spells them,
 * so upstream docs and runbooks (`kubectl -n dynamo-system logs deploy/dynamo-platform-dynamo-operator-controller-manager`)
 * apply unchanged.
 * @internal
 */
export class PlatformNames {
  /** Helm's fullname rule: the release name if it already contains the chart name, else `<release>-<chart>`, cut to 63. */
  public static fullname(release: string, chart: string): string {
    const name = release.includes(chart) ? release : `${release}-${chart}`;
    return name.slice(0, 63).replace(/-+$/, '');
  }

  /** `<F>`: prefix of every operator object. */
  public readonly fullname: string;

  constructor(
    /** Helm release name the names derive from. */
    public readonly release: string,
    /** Namespace the operator runs in. */
    public readonly namespace: string,
    /** Operator version, for the `app.kubernetes.io/version` label. */
    public readonly version: string,
  ) {
    this.fullname = PlatformNames.fullname(release, 'dynamo-operator');
  }

  /** `<F>-<suffix>`. */
  public of(suffix: string): string {
    return `${this.fullname}-${suffix}`;
  }

  /** `<F>-<NS>-<suffix>`: cluster-scoped objects that must not clash between operators of different namespaces. */
  public clusterWide(suffix: string): string {
    return `${this.fullname}-${this.namespace}-${suffix}`;
  }

  public get controllerServiceAccount(): string {
    return this.of('controller-manager');
  }

  public get webhookService(): string {
    return this.of('webhook-service');
  }

  public get configMap(): string {
    return this.of('config');
  }

  /** Labels on the operator's pods and in every selector. */
  public get selectorLabels(): { [key: string]: string } {
    return { 'app.kubernetes.io/name': 'dynamo-operator', 'app.kubernetes.io/instance': this.release };
  }

  /** Labels on every operator object; `component` adds the chart's created-by/part-of/component trio. */
  public labels(component?: string): { [key: string]: string } {
    return {
      ...this.selectorLabels,
      'app.kubernetes.io/version': this.version,
      'app.kubernetes.io/managed-by': 'cdk8s-dynamo',
      ...(component
        ? {
          'app.kubernetes.io/component': component,
          'app.kubernetes.io/created-by': 'dynamo-operator',
          'app.kubernetes.io/part-of': 'dynamo-operator',
        }
        : {}),
    };
  }
}
