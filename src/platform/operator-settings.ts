import { ContainerResources } from 'cdk8s-plus-33';
import { WebhookCertificates } from './operator-certificates';
import { PlatformNames } from './platform-names';

/**
 * Everything the operator's objects are rendered from, after `DynamoPlatform` applied defaults and validated props.
 * @internal
 */
export interface OperatorSettings {
  readonly names: PlatformNames;
  /** False when namespace-restricted. */
  readonly clusterWide: boolean;
  /** The namespace a restricted operator watches (the platform namespace when cluster-wide). */
  readonly targetNamespace: string;
  readonly certificates: WebhookCertificates;
  readonly image: string;
  readonly imagePullPolicy: string;
  readonly imagePullSecrets: string[];
  /** Whether the `crd-apply` init container runs. */
  readonly crdApply: boolean;
  readonly resources?: ContainerResources;
  readonly leaderElectionNamespace: string;
  readonly natsAddress?: string;
  readonly etcdEndpoints?: string;
  readonly discoveryBackend: string;
  readonly prometheusEndpoint?: string;
  readonly grove: boolean;
  readonly kaiScheduler: boolean;
  readonly volcanoScheduler: boolean;
  /** Go durations, set only when they differ from the operator defaults (30s / 10s). */
  readonly leaseDuration?: string;
  readonly leaseRenewInterval?: string;
}
