import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { Grant, RbacRules } from './operator-rbac-rules';
import { OperatorSettings } from './operator-settings';

/**
 * The operator's ServiceAccounts, Roles, ClusterRoles and bindings, named as the upstream chart names them, plus the
 * roles the operator binds for the planner, the endpoint picker and DGDR profiling jobs.
 * @internal
 */
export class OperatorRbac extends Construct {
  private readonly s: OperatorSettings;

  constructor(scope: Construct, id: string, settings: OperatorSettings) {
    super(scope, id);
    this.s = settings;
    const { names, clusterWide, certificates } = settings;
    const controller: k8s.Subject = { kind: 'ServiceAccount', name: names.controllerServiceAccount, namespace: names.namespace };

    new k8s.KubeServiceAccount(this, 'ControllerManager', {
      metadata: { name: names.controllerServiceAccount, namespace: names.namespace, labels: names.labels('rbac') },
      ...(settings.imagePullSecrets.length > 0 ? { imagePullSecrets: settings.imagePullSecrets.map((name) => ({ name })) } : {}),
    });
    // The operator gives graph pods the first ServiceAccount of their namespace that carries this label.
    new k8s.KubeServiceAccount(this, 'Component', {
      metadata: {
        name: names.of('component'),
        namespace: names.namespace,
        labels: { ...names.labels(), 'nvidia.com/dynamo-component-pod': 'true' },
      },
    });

    // Manager and leader election: cluster-wide, or confined to the watched namespace.
    this.grant('Manager', names.of('manager-role'), names.of('manager-rolebinding'), RbacRules.manager(clusterWide), controller, !clusterWide);
    this.grant('LeaderElection', names.of('leader-election-role'), names.of('leader-election-rolebinding'), RbacRules.leaderElection(), controller, !clusterWide);

    this.grant('MetricsAuth', names.clusterWide('metrics-auth'), names.clusterWide('metrics-auth'), RbacRules.metricsAuth(), controller, false);
    this.grant('WebhookCertManager', names.of('webhook-cert-manager'), names.of('webhook-cert-manager'),
      RbacRules.webhookCertManager(certificates.secretName), controller, true, names.namespace);
    this.grant('WebhookInjector', names.clusterWide('webhook-injector'), names.clusterWide('webhook-injector-binding'),
      RbacRules.webhookInjector(clusterWide), controller, false);
    this.grant('ClusterTopologyBindingReader', names.clusterWide('clustertopologybinding-reader'),
      names.clusterWide('clustertopologybinding-reader-binding'), RbacRules.clusterTopologyBindingReader(), controller, false);
    this.grant('QueueReader', names.clusterWide('queue-reader'), names.clusterWide('queue-reader-binding'), RbacRules.queueReader(), controller, false);
    this.grant('DeviceClassReader', names.clusterWide('deviceclass-reader'), names.clusterWide('deviceclass-reader-binding'),
      RbacRules.deviceClassReader(), controller, false);
    this.grant('PodSnapshotContents', names.clusterWide('podsnapshotcontents'), names.clusterWide('podsnapshotcontents-binding'),
      RbacRules.podSnapshotContents(), controller, false);
    this.grant('GpuDiscovery', names.clusterWide('gpu-discovery'), names.clusterWide('gpu-discovery'), RbacRules.gpuDiscovery(), controller, false);
    this.grant('TopologyLabel', names.clusterWide('topology-label'), names.clusterWide('topology-label'), RbacRules.topologyLabel(), controller, false);

    if (clusterWide) {
      // The operator binds these per graph namespace (ServiceAccounts planner-serviceaccount, epp-serviceaccount).
      this.role('Planner', names.of('planner'), RbacRules.planner(), false, names.labels('planner'));
      this.role('Epp', names.of('epp'), RbacRules.endpointPicker(true), false, names.labels('epp'));
      // Profiling jobs in the platform namespace; the operator creates the ServiceAccount and binds it elsewhere.
      this.grant('DgdrProfiling', names.of('dgdr-profiling'), names.of('dgdr-profiling'), RbacRules.dgdrProfiling(true),
        { kind: 'ServiceAccount', name: 'dgdr-profiling-job', namespace: names.namespace }, false, undefined, names.labels('dgdr-profiling'));
    } else {
      this.workloadAccount('Planner', 'planner-serviceaccount', 'planner-role', 'planner-binding', RbacRules.planner());
      this.workloadAccount('Epp', 'epp-serviceaccount', 'epp-role', 'epp-binding', RbacRules.endpointPicker(false));
      this.workloadAccount('DgdrProfiling', 'dgdr-profiling-job', 'dgdr-profiling-job', 'dgdr-profiling-job', RbacRules.dgdrProfiling(false));
    }
  }

  /** A Role (namespaced) or ClusterRole with the given grants. */
  private role(id: string, name: string, grants: Grant[], namespaced: boolean, labels: { [key: string]: string }, namespace?: string): void {
    const metadata = { name, labels, ...(namespaced ? { namespace: namespace ?? this.s.targetNamespace } : {}) };
    const rules = RbacRules.toPolicyRules(grants);
    if (namespaced) new k8s.KubeRole(this, `${id}Role`, { metadata, rules });
    else new k8s.KubeClusterRole(this, `${id}Role`, { metadata, rules });
  }

  /** A role plus the binding of `subject` to it, both namespaced (in `namespace`, default the watched one) or both cluster-wide. */
  private grant(id: string, roleName: string, bindingName: string, grants: Grant[], subject: k8s.Subject, namespaced: boolean,
    namespace?: string, labels: { [key: string]: string } = this.s.names.labels('rbac')): void {
    this.role(id, roleName, grants, namespaced, labels, namespace);
    const metadata = { name: bindingName, labels, ...(namespaced ? { namespace: namespace ?? this.s.targetNamespace } : {}) };
    const roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: namespaced ? 'Role' : 'ClusterRole', name: roleName };
    if (namespaced) new k8s.KubeRoleBinding(this, `${id}Binding`, { metadata, roleRef, subjects: [subject] });
    else new k8s.KubeClusterRoleBinding(this, `${id}Binding`, { metadata, roleRef, subjects: [subject] });
  }

  /** A restricted install ships the workload ServiceAccounts and Roles the cluster-wide operator would bind itself. */
  private workloadAccount(id: string, account: string, roleName: string, bindingName: string, grants: Grant[]): void {
    const namespace = this.s.targetNamespace;
    new k8s.KubeServiceAccount(this, `${id}Account`, { metadata: { name: account, namespace, labels: this.s.names.labels('rbac') } });
    this.grant(id, roleName, bindingName, grants, { kind: 'ServiceAccount', name: account, namespace }, true);
  }
}
