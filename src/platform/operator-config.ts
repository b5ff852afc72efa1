import * as YAML from 'yaml';
import { OperatorSettings } from './operator-settings';

/** Where the manager reads its configuration. */
export const OPERATOR_CONFIG_DIR = '/etc/dynamo-operator';

/**
 * The operator's `OperatorConfiguration` (ConfigMap key `config.yaml`), with the keys the upstream chart writes.
 * Keys left out keep the operator's built-in defaults.
 * @internal
 */
export class OperatorConfig {
  /** The document as YAML text. */
  public static yaml(s: OperatorSettings): string {
    return YAML.stringify(OperatorConfig.document(s), { lineWidth: 0 });
  }

  public static document(s: OperatorSettings): object {
    const { names } = s;
    const infrastructure = {
      ...(s.natsAddress ? { natsAddress: s.natsAddress } : {}),
      ...(s.etcdEndpoints ? { etcdAddress: s.etcdEndpoints } : {}),
      ...(s.prometheusEndpoint ? { prometheusEndpoint: s.prometheusEndpoint } : {}),
    };
    const lease = {
      ...(s.leaseDuration ? { leaseDuration: s.leaseDuration } : {}),
      ...(s.leaseRenewInterval ? { leaseRenewInterval: s.leaseRenewInterval } : {}),
    };
    return {
      apiVersion: 'operator.config.dynamo.nvidia.com/v1alpha1',
      kind: 'OperatorConfiguration',
      server: {
        metrics: { bindAddress: '0.0.0.0', secure: true },
        webhook: {
          certProvisionMode: s.certificates._mode === 'auto' ? 'auto' : 'manual',
          secretName: s.certificates.secretName,
          serviceName: names.webhookService,
        },
      },
      leaderElection: { enabled: true, id: 'dynamo.nvidia.com', namespace: s.leaderElectionNamespace },
      ...(s.clusterWide ? {} : {
        namespace: { restricted: s.targetNamespace, ...(Object.keys(lease).length > 0 ? { scope: lease } : {}) },
      }),
      orchestrators: {
        kaiScheduler: { enabled: s.kaiScheduler },
        volcanoScheduler: { enabled: s.volcanoScheduler },
        // The platform chart lets Grove wait 4h (instead of 15m) before it tears down a gang that lost a member.
        grove: { enabled: s.grove, terminationDelay: '4h' },
      },
      ...(Object.keys(infrastructure).length > 0 ? { infrastructure } : {}),
      // The operator binds these ClusterRoles in each graph namespace; a restricted install ships namespaced Roles instead.
      ...(s.clusterWide ? {
        rbac: {
          plannerClusterRoleName: names.of('planner'),
          dgdrProfilingClusterRoleName: names.of('dgdr-profiling'),
          eppClusterRoleName: names.of('epp'),
        },
      } : {}),
      mpi: { sshSecretName: 'mpi-run-ssh-secret', sshSecretNamespace: names.namespace },
      ...(s.discoveryBackend !== 'kubernetes' ? { discovery: { backend: s.discoveryBackend } } : {}),
      ...(s.clusterWide ? {} : { gpu: { discoveryEnabled: true } }),
    };
  }

  private constructor() {}
}
