/**
 * Strict shapes for third-party custom resources the library may emit, written
 * by hand from the projects' API references (field names and types only). The
 * typed packages `@kubernetes-models/prometheus-operator` and
 * `@kubernetes-models/keda` would be the better source; they are not
 * dependencies of this project. Fields we do not list are reported as unknown:
 * extend a shape here when the library starts using a field.
 */
import { CrdDocument } from './crd-schemas';

const str = { type: 'string' };
const int = { type: 'integer' };
const bool = { type: 'boolean' };
const strMap = { type: 'object', additionalProperties: str };
const arr = (items: any) => ({ type: 'array', items });
const obj = (properties: Record<string, any>, required?: string[]) => ({ type: 'object', properties, ...(required ? { required } : {}) });
/** A Prometheus duration such as `30s` or `1m30s`. */
const duration = { type: 'string', pattern: '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$' };
const secretKeyRef = obj({ name: str, key: str, optional: bool }, ['key']);
const intOrString = { 'x-kubernetes-int-or-string': true };

const labelSelector = obj({
  matchLabels: strMap,
  matchExpressions: arr(obj({ key: str, operator: str, values: arr(str) }, ['key', 'operator'])),
});
const namespaceSelector = obj({ any: bool, matchNames: arr(str) });
const relabelConfig = obj({
  sourceLabels: arr(str),
  separator: str,
  targetLabel: str,
  regex: str,
  modulus: int,
  replacement: str,
  action: {
    type: 'string',
    enum: ['replace', 'Replace', 'keep', 'Keep', 'drop', 'Drop', 'hashmod', 'HashMod', 'labelmap', 'LabelMap',
      'labeldrop', 'LabelDrop', 'labelkeep', 'LabelKeep', 'lowercase', 'Lowercase', 'uppercase', 'Uppercase', 'keepequal', 'KeepEqual',
      'dropequal', 'DropEqual'],
  },
});
const tlsConfig = obj({
  ca: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true },
  cert: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true },
  keySecret: secretKeyRef,
  serverName: str,
  insecureSkipVerify: bool,
  caFile: str,
  certFile: str,
  keyFile: str,
});
/** Fields shared by PodMonitor podMetricsEndpoints and ServiceMonitor endpoints. */
const scrapeEndpoint = {
  port: str,
  path: str,
  scheme: { type: 'string', enum: ['http', 'https', 'HTTP', 'HTTPS'] },
  params: { type: 'object', additionalProperties: arr(str) },
  interval: duration,
  scrapeTimeout: duration,
  honorLabels: bool,
  honorTimestamps: bool,
  trackTimestampsStaleness: bool,
  relabelings: arr(relabelConfig),
  metricRelabelings: arr(relabelConfig),
  tlsConfig,
  bearerTokenSecret: secretKeyRef,
  authorization: obj({ type: str, credentials: secretKeyRef }),
  basicAuth: obj({ username: secretKeyRef, password: secretKeyRef }),
  followRedirects: bool,
  enableHttp2: bool,
  filterRunning: bool,
  proxyUrl: str,
};
const monitorCommon = {
  jobLabel: str,
  podTargetLabels: arr(str),
  selector: labelSelector,
  namespaceSelector,
  sampleLimit: int,
  targetLimit: int,
  labelLimit: int,
  labelNameLengthLimit: int,
  labelValueLengthLimit: int,
  attachMetadata: obj({ node: bool }),
};

function crd(group: string, version: string, kind: string, spec: any, specRequired: boolean): CrdDocument {
  return {
    spec: {
      group,
      names: { kind },
      versions: [{ name: version, schema: { openAPIV3Schema: obj({ apiVersion: str, kind: str, metadata: { type: 'object' }, spec }, specRequired ? ['spec'] : undefined) } }],
    },
  };
}

/** A Go duration such as `10m` or `1h30m`. */
const goDuration = { type: 'string', pattern: '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$' };
const localRef = obj({ name: str }, ['name']);
const crossNamespaceRef = obj({ name: str, namespace: str }, ['name']);
const certManagerIssuerRef = obj({ name: str, kind: str, group: str }, ['name']);

/**
 * PodMonitor, ServiceMonitor (monitoring.coreos.com/v1), ScaledObject
 * (keda.sh/v1alpha1), Flux Kustomization (kustomize.toolkit.fluxcd.io/v1) and
 * cert-manager Issuer/Certificate (cert-manager.io/v1).
 */
export const THIRD_PARTY_CRDS: CrdDocument[] = [
  crd('monitoring.coreos.com', 'v1', 'PodMonitor', obj({
    ...monitorCommon,
    podMetricsEndpoints: arr(obj({ ...scrapeEndpoint, portNumber: { type: 'integer', minimum: 1, maximum: 65535 }, targetPort: intOrString })),
  }, ['selector']), true),
  crd('monitoring.coreos.com', 'v1', 'ServiceMonitor', obj({
    ...monitorCommon,
    targetLabels: arr(str),
    endpoints: arr(obj({ ...scrapeEndpoint, targetPort: intOrString, bearerTokenFile: str })),
  }, ['selector']), true),
  crd('keda.sh', 'v1alpha1', 'ScaledObject', obj({
    scaleTargetRef: obj({ apiVersion: str, kind: str, name: str, envSourceContainerName: str }, ['name']),
    pollingInterval: { type: 'integer', minimum: 1 },
    cooldownPeriod: { type: 'integer', minimum: 0 },
    initialCooldownPeriod: { type: 'integer', minimum: 0 },
    idleReplicaCount: { type: 'integer', minimum: 0 },
    minReplicaCount: { type: 'integer', minimum: 0 },
    maxReplicaCount: { type: 'integer', minimum: 1 },
    fallback: obj({ failureThreshold: int, replicas: int, behavior: { type: 'string', enum: ['static', 'currentReplicas', 'currentReplicasIfHigher', 'currentReplicasIfLower'] } }, ['failureThreshold', 'replicas']),
    advanced: obj({
      restoreToOriginalReplicaCount: bool,
      // Kubernetes HPA behavior; its own schema is the HPA's, checked there.
      horizontalPodAutoscalerConfig: obj({ name: str, behavior: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true } }),
      scalingModifiers: obj({ formula: str, target: str, activationTarget: str, metricType: { type: 'string', enum: ['AverageValue', 'Value'] } }),
    }),
    triggers: {
      ...arr(obj({
        type: str,
        name: str,
        metadata: strMap,
        useCachedMetrics: bool,
        metricType: { type: 'string', enum: ['AverageValue', 'Value', 'Utilization'] },
        authenticationRef: obj({ name: str, kind: { type: 'string', enum: ['TriggerAuthentication', 'ClusterTriggerAuthentication'] } }, ['name']),
      }, ['type', 'metadata'])),
      minItems: 1,
    },
  }, ['scaleTargetRef', 'triggers']), true),
  crd('kustomize.toolkit.fluxcd.io', 'v1', 'Kustomization', obj({
    interval: goDuration,
    retryInterval: goDuration,
    timeout: goDuration,
    path: str,
    prune: bool,
    wait: bool,
    force: bool,
    suspend: bool,
    targetNamespace: { type: 'string', minLength: 1, maxLength: 63 },
    serviceAccountName: str,
    namePrefix: str,
    nameSuffix: str,
    components: arr(str),
    sourceRef: obj({ apiVersion: str, kind: { type: 'string', enum: ['OCIRepository', 'GitRepository', 'Bucket', 'ExternalArtifact'] }, name: str, namespace: str }, ['kind', 'name']),
    dependsOn: arr(crossNamespaceRef),
    healthChecks: arr(obj({ apiVersion: str, kind: str, name: str, namespace: str }, ['kind', 'name'])),
    commonMetadata: obj({ labels: strMap, annotations: strMap }),
    postBuild: obj({ substitute: strMap, substituteFrom: arr(obj({ kind: { type: 'string', enum: ['Secret', 'ConfigMap'] }, name: str, optional: bool }, ['kind', 'name'])) }),
    patches: arr(obj({ patch: str, target: obj({ group: str, version: str, kind: str, name: str, namespace: str, labelSelector: str, annotationSelector: str }) }, ['patch'])),
    deletionPolicy: { type: 'string', enum: ['MirrorPrune', 'Delete', 'WaitForTermination', 'Orphan'] },
    decryption: obj({ provider: { type: 'string', enum: ['sops'] }, secretRef: localRef }, ['provider']),
    kubeConfig: obj({ secretRef: obj({ name: str, key: str }, ['name']) }),
  }, ['interval', 'prune', 'sourceRef']), true),
  crd('cert-manager.io', 'v1', 'Issuer', obj({
    selfSigned: obj({ crlDistributionPoints: arr(str) }),
    ca: obj({ secretName: str, crlDistributionPoints: arr(str), ocspServers: arr(str) }, ['secretName']),
  }), true),
  crd('cert-manager.io', 'v1', 'Certificate', obj({
    secretName: str,
    issuerRef: certManagerIssuerRef,
    commonName: { type: 'string', maxLength: 64 },
    dnsNames: arr(str),
    ipAddresses: arr(str),
    duration: goDuration,
    renewBefore: goDuration,
    isCA: bool,
    usages: arr(str),
    privateKey: obj({ algorithm: { type: 'string', enum: ['RSA', 'ECDSA', 'Ed25519'] }, size: int, encoding: { type: 'string', enum: ['PKCS1', 'PKCS8'] }, rotationPolicy: { type: 'string', enum: ['Never', 'Always'] } }),
    secretTemplate: obj({ labels: strMap, annotations: strMap }),
  }, ['secretName', 'issuerRef']), true),
];
