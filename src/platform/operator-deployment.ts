import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { OPERATOR_CONFIG_DIR, OperatorConfig } from './operator-config';
import { OperatorSettings } from './operator-settings';
import { WEBHOOK_PORT } from './operator-webhooks';
import { PlatformWorkload, ResourceDefaults } from './platform-workload';
import { SecureDefaults } from '../common/security';

const METRICS_PORT = 8080;
/** Name of the metrics port on the container and on the metrics Service. */
export const METRICS_PORT_NAME = 'metrics';
const HEALTH_PORT = 8081;
const CERT_DIR = '/tmp/k8s-webhook-server/serving-certs';
/** CRD files inside the operator image. */
const IMAGE_CRDS_DIR = '/opt/dynamo-operator/crds/';

/** The upstream chart's manager resources. */
export const MANAGER_RESOURCES: ResourceDefaults = { cpuRequest: '512m', cpuLimit: '1024m', memoryRequest: '1024Mi', memoryLimit: '2048Mi' };
/** crd-apply only server-side-applies a few files. */
const CRD_APPLY_RESOURCES: ResourceDefaults = { cpuRequest: '100m', cpuLimit: '500m', memoryRequest: '128Mi', memoryLimit: '512Mi' };

/**
 * The operator's configuration ConfigMap, its Deployment (manager plus the optional `crd-apply` init container) and
 * its metrics Service.
 * @internal
 */
export class OperatorDeployment extends Construct {
  constructor(scope: Construct, id: string, s: OperatorSettings) {
    super(scope, id);
    const { names } = s;
    const config = OperatorConfig.yaml(s);
    const selector = { 'control-plane': 'controller-manager', ...names.selectorLabels };

    new k8s.KubeConfigMap(this, 'Config', {
      metadata: { name: names.configMap, namespace: names.namespace, labels: names.labels('manager') },
      data: { 'config.yaml': config },
    });

    new k8s.KubeService(this, 'MetricsService', {
      metadata: { name: names.fullname, namespace: names.namespace, labels: { ...names.labels('metrics'), 'control-plane': 'controller-manager' } },
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [{ name: METRICS_PORT_NAME, port: METRICS_PORT, targetPort: k8s.IntOrString.fromString(METRICS_PORT_NAME), protocol: 'TCP' }],
      },
    });

    // The image runs as 65532 and writes nothing to its root filesystem; /tmp is writable for Go's temp files.
    const securityContext = SecureDefaults.containerSecurityContext({ nonRoot: true, readOnlyRootFilesystem: true });
    const crdApply: k8s.Container = {
      name: 'crd-apply',
      image: s.image,
      imagePullPolicy: s.imagePullPolicy,
      command: ['/crd-apply'],
      args: [
        `--crds-dir=${IMAGE_CRDS_DIR}`,
        `--version=${names.version}`,
        `--conversion-webhook-service-name=${names.webhookService}`,
        `--conversion-webhook-service-namespace=${names.namespace}`,
      ],
      resources: PlatformWorkload.resources(undefined, CRD_APPLY_RESOURCES),
      securityContext,
    };
    const manager: k8s.Container = {
      name: 'manager',
      image: s.image,
      imagePullPolicy: s.imagePullPolicy,
      command: ['/manager'],
      args: [
        `--config=${OPERATOR_CONFIG_DIR}/config.yaml`,
        `--operator-version=${names.version}`,
        `--operator-image=${s.image}`,
        `--operator-image-pull-policy=${s.imagePullPolicy}`,
      ],
      env: [
        { name: 'KUBERNETES_CLUSTER_DOMAIN', value: 'cluster.local' },
        { name: 'POD_SERVICE_ACCOUNT', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
        { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      ],
      ports: [
        { name: METRICS_PORT_NAME, containerPort: METRICS_PORT, protocol: 'TCP' },
        { name: 'webhook-server', containerPort: WEBHOOK_PORT, protocol: 'TCP' },
        { name: 'health', containerPort: HEALTH_PORT, protocol: 'TCP' },
      ],
      // The health server starts only after the webhook certificate shows up in the mounted Secret, which the kubelet
      // can take a minute or two to project in auto mode: liveness waits until then instead of restarting the pod.
      startupProbe: PlatformWorkload.httpProbe('/healthz', 'health', { periodSeconds: 5, failureThreshold: 60 }),
      livenessProbe: PlatformWorkload.httpProbe('/healthz', 'health', { initialDelaySeconds: 15, periodSeconds: 20 }),
      // Ready once the webhook server serves: graphs must not be applied before that.
      readinessProbe: PlatformWorkload.httpProbe('/readyz', 'health', { initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 5 }),
      resources: PlatformWorkload.resources(s.resources, MANAGER_RESOURCES),
      securityContext,
      volumeMounts: [
        { name: 'tmp', mountPath: '/tmp' },
        { name: 'operator-config', mountPath: OPERATOR_CONFIG_DIR, readOnly: true },
        { name: 'cert', mountPath: CERT_DIR, readOnly: true },
      ],
    };

    new k8s.KubeDeployment(this, 'Resource', {
      metadata: {
        name: names.of('controller-manager'),
        namespace: names.namespace,
        labels: { ...names.labels('manager'), 'control-plane': 'controller-manager' },
      },
      spec: {
        replicas: 1,
        // One leader at a time anyway; Recreate avoids two managers racing for the webhook certificate.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: selector },
        template: {
          metadata: {
            labels: selector,
            annotations: { 'kubectl.kubernetes.io/default-container': 'manager', 'checksum/config': PlatformWorkload.checksum(config) },
          },
          spec: {
            serviceAccountName: names.controllerServiceAccount,
            securityContext: SecureDefaults.podSecurityContext({ nonRoot: true }),
            terminationGracePeriodSeconds: 30,
            ...(s.imagePullSecrets.length > 0 ? { imagePullSecrets: s.imagePullSecrets.map((name) => ({ name })) } : {}),
            ...(s.crdApply ? { initContainers: [crdApply] } : {}),
            containers: [manager],
            volumes: [
              { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } },
              { name: 'operator-config', configMap: { name: names.configMap } },
              // Optional: in auto mode the operator creates the Secret after the pod starts, then waits for the mount.
              { name: 'cert', secret: { secretName: s.certificates.secretName, defaultMode: 0o644, optional: true } },
            ],
          },
        },
      },
    });
  }
}
