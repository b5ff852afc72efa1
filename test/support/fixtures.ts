/**
 * Hand-written minimal objects that are valid for the API server and the Dynamo
 * operator: the baseline the validator tests mutate to prove each check fails.
 */

const LABELS = { 'app.kubernetes.io/name': 'demo' };
const POD_TEMPLATE = {
  metadata: { labels: LABELS },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27.0', resources: { limits: { 'nvidia.com/gpu': 1, 'cpu': '500m' } } }] },
};

/** One valid object of each built-in kind the library may emit. */
export function kubernetesObjects(): any[] {
  const meta = (name: string) => ({ name, namespace: 'demo', labels: LABELS });
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('web'), spec: { replicas: 1, selector: { matchLabels: LABELS }, template: POD_TEMPLATE } },
    { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta('etcd'), spec: { serviceName: 'etcd', selector: { matchLabels: LABELS }, template: POD_TEMPLATE, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] } },
    { apiVersion: 'batch/v1', kind: 'Job', metadata: meta('download'), spec: { backoffLimit: 2, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'dl', image: 'busybox:1.36.1' }] } } } },
    { apiVersion: 'v1', kind: 'Service', metadata: meta('web'), spec: { selector: LABELS, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('config'), data: { 'config.yaml': 'a: 1\n' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: meta('token'), type: 'Opaque', stringData: { token: 'x' } },
    { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta('models'), spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: '100Gi' } } } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('planner') },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta('planner'), rules: [{ apiGroups: ['nvidia.com'], resources: ['dynamographdeployments'], verbs: ['get', 'list'] }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'dynamo:manager' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta('planner'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'planner' }, subjects: [{ kind: 'ServiceAccount', name: 'planner', namespace: 'demo' }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'dynamo:manager' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'dynamo:manager' }, subjects: [{ kind: 'ServiceAccount', name: 'op', namespace: 'demo' }] },
    { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'dynamo-validating' }, webhooks: [{ name: 'vdgd.nvidia.com', admissionReviewVersions: ['v1'], sideEffects: 'None', failurePolicy: 'Fail', timeoutSeconds: 10, clientConfig: { service: { name: 'webhook', namespace: 'demo', path: '/validate', port: 443 } }, rules: [{ apiGroups: ['nvidia.com'], apiVersions: ['v1beta1'], operations: ['CREATE', 'UPDATE'], resources: ['dynamographdeployments'] }] }] },
    { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'dynamo-mutating' }, webhooks: [{ name: 'mdgd.nvidia.com', admissionReviewVersions: ['v1'], sideEffects: 'None', clientConfig: { service: { name: 'webhook', namespace: 'demo' } } }] },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta('web'), spec: { maxUnavailable: 1, selector: { matchLabels: LABELS } } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('web'), spec: { podSelector: { matchLabels: LABELS }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 8000, protocol: 'TCP' }] }] } },
    { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta('decode'), spec: { scaleTargetRef: { apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeploymentScalingAdapter', name: 'llm-decode' }, minReplicas: 1, maxReplicas: 4, metrics: [{ type: 'Pods', pods: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '10' } } }] } },
    { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'inference' }, value: 1000, description: 'LLM serving' },
    { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', description: 'A widget', properties: { spec: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true } } } } }] } },
  ];
}

/** Third-party custom resources (Prometheus Operator, Flux, cert-manager, KEDA). */
export function thirdPartyObjects(): any[] {
  return [
    { apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', metadata: { name: 'dynamo-worker', namespace: 'demo' }, spec: { selector: { matchLabels: { 'nvidia.com/metrics-enabled': 'true' } }, podMetricsEndpoints: [{ port: 'system', path: '/metrics', interval: '15s' }] } },
    { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'operator', namespace: 'demo' }, spec: { selector: { matchLabels: LABELS }, endpoints: [{ port: 'metrics', scheme: 'https' }] } },
    { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'graphs', namespace: 'flux-system' }, spec: { interval: '10m', timeout: '15m', path: './graphs', prune: true, wait: true, sourceRef: { kind: 'GitRepository', name: 'fleet' }, dependsOn: [{ name: 'platform' }] } },
    { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: { name: 'selfsigned', namespace: 'demo' }, spec: { selfSigned: {} } },
    { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'webhook', namespace: 'demo' }, spec: { secretName: 'webhook-cert', duration: '8760h', dnsNames: ['webhook.demo.svc'], issuerRef: { name: 'selfsigned', kind: 'Issuer', group: 'cert-manager.io' }, privateKey: { algorithm: 'RSA', size: 4096 } } },
    { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'decode', namespace: 'demo' }, spec: { scaleTargetRef: { apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeploymentScalingAdapter', name: 'llm-decode' }, minReplicaCount: 1, maxReplicaCount: 4, triggers: [{ type: 'prometheus', metadata: { serverAddress: 'http://prometheus:9090', query: 'sum(x)', threshold: '10' } }] } },
  ];
}

const IMAGE = 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.4.0';

/** A disaggregated DGD in v1beta1. */
export function dgdV1beta1(): any {
  const main = (args: string[]) => ({ name: 'main', image: IMAGE, command: ['python3', '-m', 'dynamo.vllm'], args, resources: { limits: { 'nvidia.com/gpu': 1 } } });
  return {
    apiVersion: 'nvidia.com/v1beta1',
    kind: 'DynamoGraphDeployment',
    metadata: { name: 'llm', namespace: 'demo' },
    spec: {
      backendFramework: 'vllm',
      components: [
        { name: 'Frontend', type: 'frontend', replicas: 1, podTemplate: { spec: { containers: [{ name: 'main', image: IMAGE }] } } },
        { name: 'VllmPrefillWorker', type: 'prefill', replicas: 1, podTemplate: { spec: { containers: [main(['--model', 'Qwen/Qwen3-0.6B', '--disaggregation-mode', 'prefill'])] } } },
        { name: 'VllmDecodeWorker', type: 'decode', replicas: 2, scalingAdapter: {}, sharedMemorySize: '16Gi', podTemplate: { spec: { containers: [main(['--model', 'Qwen/Qwen3-0.6B', '--disaggregation-mode', 'decode'])] } } },
      ],
    },
  };
}

/** An aggregated DGD in v1alpha1 (the layout of the published examples). */
export function dgdV1alpha1(): any {
  return {
    apiVersion: 'nvidia.com/v1alpha1',
    kind: 'DynamoGraphDeployment',
    metadata: { name: 'llm-agg', namespace: 'demo' },
    spec: {
      backendFramework: 'vllm',
      pvcs: [{ name: 'models', create: true, size: '100Gi', storageClass: 'standard', volumeAccessMode: 'ReadWriteMany' }],
      services: {
        Frontend: { componentType: 'frontend', replicas: 1, extraPodSpec: { mainContainer: { image: IMAGE } } },
        VllmWorker: {
          componentType: 'worker',
          replicas: 1,
          envFromSecret: 'hf-token-secret',
          resources: { limits: { gpu: '1' } },
          volumeMounts: [{ name: 'models', mountPoint: '/models' }],
          sharedMemory: { size: '8Gi' },
          extraPodSpec: { mainContainer: { image: IMAGE, workingDir: '/workspace', command: ['python3', '-m', 'dynamo.vllm'], args: ['--model', 'Qwen/Qwen3-0.6B'] } },
        },
      },
    },
  };
}

/** The other Dynamo kinds: DGDR, scaling adapter, model. */
export function otherDynamoObjects(): any[] {
  return [
    { apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeploymentRequest', metadata: { name: 'qwen', namespace: 'demo' }, spec: { model: 'Qwen/Qwen3-0.6B', backend: 'vllm', image: 'nvcr.io/nvidia/ai-dynamo/dynamo-planner:1.4.0', sla: { ttft: 200, itl: 20 }, workload: { isl: 4000, osl: 1000 } } },
    { apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeploymentScalingAdapter', metadata: { name: 'llm-decode', namespace: 'demo' }, spec: { replicas: 2, dgdRef: { name: 'llm', serviceName: 'VllmDecodeWorker' } } },
    { apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoModel', metadata: { name: 'qwen-lora', namespace: 'demo' }, spec: { modelName: 'my-lora', baseModelName: 'Qwen/Qwen3-0.6B', modelType: 'lora', source: { uri: 's3://bucket/lora' } } },
  ];
}
