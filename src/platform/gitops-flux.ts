import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { PlatformWorkload } from './platform-workload';
import { PropError } from '../common/errors';
import { DynamoNames } from '../graph/names';

/**
 * Kind of Flux source a Kustomization reads.
 */
export enum FluxSourceKind {
  /** `source.toolkit.fluxcd.io` GitRepository. */
  GIT_REPOSITORY = 'GitRepository',
  /** `source.toolkit.fluxcd.io` OCIRepository. */
  OCI_REPOSITORY = 'OCIRepository',
  /** `source.toolkit.fluxcd.io` Bucket. */
  BUCKET = 'Bucket',
}

/**
 * The Flux source holding the synthesized manifests.
 */
export interface FluxSourceReference {
  /** Name of the source object. */
  readonly name: string;
  /**
   * Kind of the source.
   * @default FluxSourceKind.GIT_REPOSITORY
   */
  readonly kind?: FluxSourceKind;
  /**
   * Namespace of the source.
   * @default - the Kustomization's namespace
   */
  readonly namespace?: string;
}

/**
 * Props of `FluxKustomization`.
 */
export interface FluxKustomizationProps {
  /** Directory in the source with the YAML to apply, e.g. `./dist/platform`. */
  readonly path: string;
  /**
   * The source.
   * @default - the GitRepository `flux-system` that `flux bootstrap` creates
   */
  readonly sourceRef?: FluxSourceReference;
  /**
   * Kustomizations that must be applied and healthy first (e.g. the graphs depend on the platform, whose operator
   * installs the CRDs the graphs need).
   * @default - none
   */
  readonly dependsOn?: FluxKustomization[];
  /**
   * `metadata.name`.
   * @default - the construct id, lower-cased
   */
  readonly name?: string;
  /**
   * Namespace of the Kustomization object (Flux's own).
   * @default 'flux-system'
   */
  readonly namespace?: string;
  /**
   * How often Flux reconciles.
   * @default Duration.minutes(10)
   */
  readonly interval?: Duration;
  /**
   * How long Flux waits for the applied objects to become ready. With `wait`, a graph is ready only once its
   * DynamoGraphDeployment reports `Ready` (models downloaded and loaded): give graphs of large models an hour or more.
   * @default Duration.minutes(15)
   */
  readonly timeout?: Duration;
  /**
   * How soon Flux retries after a failed apply or health check, e.g. a graph applied while the operator's webhook
   * was restarting (its `failurePolicy: Fail` rejects it).
   * @default Duration.minutes(2)
   */
  readonly retryInterval?: Duration;
  /**
   * Wait for every applied object to be ready before the Kustomization counts as ready, which is what holds
   * dependents back until the operator runs.
   * @default true
   */
  readonly wait?: boolean;
  /**
   * Delete objects removed from the source.
   * @default true
   */
  readonly prune?: boolean;
}

/**
 * A Flux `Kustomization` (`kustomize.toolkit.fluxcd.io/v1`): applies one directory of synthesized YAML.
 *
 * Use two: one for the platform (`wait: true`), and one for the graphs with `dependsOn` on the first. Flux then
 * applies graphs only once the operator is ready and has installed the Dynamo CRDs; in one Kustomization, Flux's
 * server-side dry run would reject the graphs on a fresh cluster.
 */
export class FluxKustomization extends Construct {
  /** Flux durations are Go durations: `10m`, `90s`. */
  private static goDuration(scope: Construct, prop: string, d: Duration): string {
    const seconds = PlatformWorkload.wholeSeconds(scope, prop, d);
    return seconds % 3600 === 0 ? `${seconds / 3600}h` : seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
  }

  /** The Kustomization object. */
  public readonly apiObject: ApiObject;
  /** `metadata.name`. */
  public readonly name: string;
  /** Namespace of the Kustomization object. */
  public readonly namespace: string;

  /**
   * @param scope parent construct, usually a chart
   * @param id construct id, unique within `scope`
   * @param props the source, path and dependencies of the Kustomization
   */
  constructor(scope: Construct, id: string, props: FluxKustomizationProps) {
    super(scope, id);
    this.name = props.name ?? DynamoNames.fromId(id);
    this.namespace = props.namespace ?? 'flux-system';
    DynamoNames.checkLabel(this, 'name', this.name);
    DynamoNames.checkLabel(this, 'namespace', this.namespace);
    PropError.check(/^\.?\/?[\w./-]*$/.test(props.path) && !props.path.split('/').includes('..'), this, 'path', props.path,
      'a directory inside the source, e.g. \'./dist/platform\'');
    const source = props.sourceRef ?? { name: 'flux-system' };
    DynamoNames.checkLabel(this, 'sourceRef.name', source.name);
    DynamoNames.checkLabel(this, 'sourceRef.namespace', source.namespace);
    const dependsOn = props.dependsOn ?? [];
    PropError.check(!dependsOn.includes(this), this, 'dependsOn', this.name, 'other Kustomizations');

    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        interval: FluxKustomization.goDuration(this, 'interval', props.interval ?? Duration.minutes(10)),
        timeout: FluxKustomization.goDuration(this, 'timeout', props.timeout ?? Duration.minutes(15)),
        retryInterval: FluxKustomization.goDuration(this, 'retryInterval', props.retryInterval ?? Duration.minutes(2)),
        path: props.path,
        prune: props.prune ?? true,
        wait: props.wait ?? true,
        sourceRef: { kind: source.kind ?? FluxSourceKind.GIT_REPOSITORY, name: source.name, namespace: source.namespace },
        dependsOn: dependsOn.length > 0
          ? dependsOn.map(d => ({ name: d.name, namespace: d.namespace === this.namespace ? undefined : d.namespace }))
          : undefined,
      },
    });
  }

}
