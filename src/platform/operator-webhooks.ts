import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { OperatorSettings } from './operator-settings';

/** Port of the operator's webhook server (admission and CRD conversion). */
export const WEBHOOK_PORT = 9443;

/** One admission webhook the operator serves. */
interface WebhookEntry {
  readonly name: string;
  readonly path: string;
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly operations: string[];
  readonly failurePolicy?: string;
  readonly matchPolicy?: string;
}

const CREATE_UPDATE = ['CREATE', 'UPDATE'];

/** The admission webhooks of operator 1.4.0 and the paths its webhook server registers. */
const VALIDATING: WebhookEntry[] = [
  { name: 'vdynamocomponentdeployment.kb.io', path: '/validate-nvidia-com-v1alpha1-dynamocomponentdeployment', group: 'nvidia.com', version: 'v1alpha1', resource: 'dynamocomponentdeployments', operations: CREATE_UPDATE },
  { name: 'vdynamographdeployment.kb.io', path: '/validate/nvidia.com/v1beta1/dynamographdeployments', group: 'nvidia.com', version: 'v1beta1', resource: 'dynamographdeployments', operations: CREATE_UPDATE },
  { name: 'vdynamocheckpoint.kb.io', path: '/validate-nvidia-com-v1alpha1-dynamocheckpoint', group: 'nvidia.com', version: 'v1alpha1', resource: 'dynamocheckpoints', operations: CREATE_UPDATE },
  { name: 'vdynamomodel.kb.io', path: '/validate-nvidia-com-v1alpha1-dynamomodel', group: 'nvidia.com', version: 'v1alpha1', resource: 'dynamomodels', operations: CREATE_UPDATE },
  { name: 'vdynamographdeploymentrequest.kb.io', path: '/validate-nvidia-com-v1beta1-dynamographdeploymentrequest', group: 'nvidia.com', version: 'v1beta1', resource: 'dynamographdeploymentrequests', operations: CREATE_UPDATE },
];
const MUTATING: WebhookEntry[] = [
  { name: 'mdynamographdeployment.kb.io', path: '/mutate/nvidia.com/v1beta1/dynamographdeployments', group: 'nvidia.com', version: 'v1beta1', resource: 'dynamographdeployments', operations: CREATE_UPDATE },
  { name: 'mdynamocomponentdeploymentv1beta1.kb.io', path: '/mutate-nvidia-com-v1beta1-dynamocomponentdeployment', group: 'nvidia.com', version: 'v1beta1', resource: 'dynamocomponentdeployments', operations: CREATE_UPDATE, matchPolicy: 'Exact' },
  { name: 'mdynamographdeploymentrequestv1beta1.kb.io', path: '/mutate-nvidia-com-v1beta1-dynamographdeploymentrequest', group: 'nvidia.com', version: 'v1beta1', resource: 'dynamographdeploymentrequests', operations: CREATE_UPDATE },
  // Every pod in the cluster passes here: a missing operator must not block pod creation.
  { name: 'mpodcheckpointrestore.kb.io', path: '/mutate-core-v1-pod-checkpoint-restore', group: '', version: 'v1', resource: 'pods', operations: ['CREATE'], failurePolicy: 'Ignore' },
];

/**
 * The webhook Service, the validating and mutating webhook configurations, and (in cert-manager mode) the upstream
 * self-signed CA chain.
 * @internal
 */
export class OperatorWebhooks extends Construct {
  constructor(scope: Construct, id: string, s: OperatorSettings) {
    super(scope, id);
    const { names } = s;

    new k8s.KubeService(this, 'Service', {
      metadata: { name: names.webhookService, namespace: names.namespace, labels: names.labels('webhook') },
      spec: {
        selector: { 'control-plane': 'controller-manager', ...names.selectorLabels },
        ports: [{ name: 'webhook', port: 443, targetPort: k8s.IntOrString.fromNumber(WEBHOOK_PORT), protocol: 'TCP' }],
      },
    });

    // The operator injects its CA only into configurations carrying both of these labels.
    const labels = { ...names.labels('webhook'), 'nvidia.com/dynamo-operator-namespace': names.namespace };
    const servingCert = names.of('serving-cert');
    const annotations = s.certificates._mode === 'cert-manager' ? { 'cert-manager.io/inject-ca-from': `${names.namespace}/${servingCert}` } : undefined;
    const suffix = s.clusterWide ? '' : `-${names.namespace}`;
    const metadata = (kind: string) => ({ name: `${names.of(kind)}${suffix}`, labels, ...(annotations ? { annotations } : {}) });
    const webhook = (e: WebhookEntry) => ({
      name: e.name,
      admissionReviewVersions: ['v1'],
      sideEffects: 'None',
      timeoutSeconds: 10,
      failurePolicy: e.failurePolicy ?? 'Fail',
      ...(e.matchPolicy ? { matchPolicy: e.matchPolicy } : {}),
      clientConfig: {
        service: { name: names.webhookService, namespace: names.namespace, path: e.path },
        ...(s.certificates._caBundle ? { caBundle: s.certificates._caBundle } : {}),
      },
      rules: [{ apiGroups: [e.group], apiVersions: [e.version], operations: e.operations, resources: [e.resource] }],
      ...(s.clusterWide ? {} : { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': s.targetNamespace } } }),
    });

    new k8s.KubeValidatingWebhookConfiguration(this, 'Validating', { metadata: metadata('validating'), webhooks: VALIDATING.map(webhook) });
    new k8s.KubeMutatingWebhookConfiguration(this, 'Mutating', { metadata: metadata('mutating'), webhooks: MUTATING.map(webhook) });

    if (s.certificates._mode === 'cert-manager') this.certManagerChain(s, servingCert);
  }

  /** Self-signed issuer → root CA → CA issuer → serving certificate in the Secret the operator mounts. */
  private certManagerChain(s: OperatorSettings, servingCert: string): void {
    const { names } = s;
    const object = (id: string, kind: string, name: string, spec: object) => new ApiObject(this, id, {
      apiVersion: 'cert-manager.io/v1',
      kind,
      metadata: { name, namespace: names.namespace, labels: names.labels('webhook') },
      spec,
    });
    // Common names are capped at 64 characters.
    const commonName = names.fullname.slice(0, 56);
    const service = names.webhookService;
    object('SelfSignedIssuer', 'Issuer', names.of('selfsigned-issuer'), { selfSigned: {} });
    object('RootCa', 'Certificate', names.of('root-ca'), {
      isCA: true,
      commonName: `${commonName}-root-ca`,
      secretName: names.of('root-ca-secret'),
      duration: '87600h',
      renewBefore: '720h',
      privateKey: { algorithm: 'RSA', size: 4096 },
      issuerRef: { name: names.of('selfsigned-issuer'), kind: 'Issuer', group: 'cert-manager.io' },
    });
    object('CaIssuer', 'Issuer', names.of('ca-issuer'), { ca: { secretName: names.of('root-ca-secret') } });
    object('ServingCert', 'Certificate', servingCert, {
      secretName: s.certificates.secretName,
      duration: '8760h',
      renewBefore: '360h',
      commonName: `${commonName}-webhook`,
      dnsNames: [service, `${service}.${names.namespace}.svc`, `${service}.${names.namespace}.svc.cluster.local`],
      issuerRef: { name: names.of('ca-issuer'), kind: 'Issuer', group: 'cert-manager.io' },
    });
  }
}
