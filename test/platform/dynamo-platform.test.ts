import * as path from 'path';
import { ApiObject, App, Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu, ImagePullPolicy } from 'cdk8s-plus-33';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { CrdSource } from '../../src/platform/crds';
import { DiscoveryBackend, DynamoPlatform, DynamoPlatformProps, PodSecurityLevel } from '../../src/platform/dynamo-platform';
import { EtcdConnection } from '../../src/platform/etcd';
import { NatsConnection } from '../../src/platform/nats';
import { WebhookCertificates } from '../../src/platform/operator-certificates';
import { OperatorScope } from '../../src/platform/operator-scope';
import { SyncWave } from '../../src/platform/sync-waves';
import { expectValid } from '../support/validate';

const FIXTURES = path.join(__dirname, 'fixtures');
const F = 'dynamo-platform-dynamo-operator';

function synth(props: DynamoPlatformProps = {}): any[] {
  const chart = Testing.chart();
  new DynamoPlatform(chart, 'Platform', props);
  return Testing.synth(chart);
}

function find(objects: any[], kind: string, name?: string): any {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
  return found[0];
}

function operatorPod(objects: any[]): any {
  return find(objects, 'Deployment', `${F}-controller-manager`).spec.template.spec;
}

function config(objects: any[]): any {
  const [map] = objects.filter((o) => o.kind === 'ConfigMap' && o.data['config.yaml']);
  return YAML.parse(map.data['config.yaml']);
}

describe('DynamoPlatform defaults (cluster-wide, operator-installed CRDs, auto certificates)', () => {
  const objects = synth();

  test('snapshot', () => {
    expect(objects).toMatchSnapshot();
  });

  test('every object is valid', () => {
    expectValid(objects);
  });

  test('renders what the upstream chart installs, under the chart\'s names', () => {
    const inventory = objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(inventory).toEqual([
      `ClusterRole/${F}-dgdr-profiling`,
      `ClusterRole/${F}-dynamo-system-clustertopologybinding-reader`,
      `ClusterRole/${F}-dynamo-system-deviceclass-reader`,
      `ClusterRole/${F}-dynamo-system-gpu-discovery`,
      `ClusterRole/${F}-dynamo-system-metrics-auth`,
      `ClusterRole/${F}-dynamo-system-podsnapshotcontents`,
      `ClusterRole/${F}-dynamo-system-queue-reader`,
      `ClusterRole/${F}-dynamo-system-topology-label`,
      `ClusterRole/${F}-dynamo-system-webhook-injector`,
      `ClusterRole/${F}-epp`,
      `ClusterRole/${F}-leader-election-role`,
      `ClusterRole/${F}-manager-role`,
      `ClusterRole/${F}-planner`,
      `ClusterRoleBinding/${F}-dgdr-profiling`,
      `ClusterRoleBinding/${F}-dynamo-system-clustertopologybinding-reader-binding`,
      `ClusterRoleBinding/${F}-dynamo-system-deviceclass-reader-binding`,
      `ClusterRoleBinding/${F}-dynamo-system-gpu-discovery`,
      `ClusterRoleBinding/${F}-dynamo-system-metrics-auth`,
      `ClusterRoleBinding/${F}-dynamo-system-podsnapshotcontents-binding`,
      `ClusterRoleBinding/${F}-dynamo-system-queue-reader-binding`,
      `ClusterRoleBinding/${F}-dynamo-system-topology-label`,
      `ClusterRoleBinding/${F}-dynamo-system-webhook-injector-binding`,
      `ClusterRoleBinding/${F}-leader-election-rolebinding`,
      `ClusterRoleBinding/${F}-manager-rolebinding`,
      `ConfigMap/${F}-config`,
      `Deployment/${F}-controller-manager`,
      `MutatingWebhookConfiguration/${F}-mutating`,
      'Namespace/dynamo-system',
      `Role/${F}-webhook-cert-manager`,
      `RoleBinding/${F}-webhook-cert-manager`,
      `Service/${F}`,
      `Service/${F}-webhook-service`,
      `ServiceAccount/${F}-component`,
      `ServiceAccount/${F}-controller-manager`,
      `ValidatingWebhookConfiguration/${F}-validating`,
    ]);
  });

  test('namespaced objects live in the platform namespace', () => {
    const namespaced = objects.filter((o) => ['ServiceAccount', 'Role', 'RoleBinding', 'Service', 'ConfigMap', 'Deployment'].includes(o.kind));
    expect(namespaced.map((o) => o.metadata.namespace)).toEqual(namespaced.map(() => 'dynamo-system'));
  });

  test('namespace enforces the restricted Pod Security Standard', () => {
    expect(find(objects, 'Namespace').metadata.labels).toEqual({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
  });

  test('sync waves: namespace, then RBAC, then config and webhooks, then the operator', () => {
    const wave = (kind: string) => Number(find(objects, kind, kind === 'ConfigMap' ? `${F}-config` : undefined)
      .metadata.annotations[SyncWave.ANNOTATION]);
    expect(wave('Namespace')).toBe(SyncWave.NAMESPACE);
    expect(objects.filter((o) => /Role/.test(o.kind) || o.kind === 'ServiceAccount')
      .every((o) => o.metadata.annotations[SyncWave.ANNOTATION] === String(SyncWave.RBAC))).toBe(true);
    expect(wave('ValidatingWebhookConfiguration')).toBe(SyncWave.CONFIG);
    expect(wave('MutatingWebhookConfiguration')).toBe(SyncWave.CONFIG);
    expect(wave('ConfigMap')).toBe(SyncWave.CONFIG);
    expect(wave('Deployment')).toBe(SyncWave.OPERATOR);
    expect(SyncWave.OPERATOR).toBeLessThan(SyncWave.GRAPHS);
  });

  test('operator Deployment: Recreate, one replica, the chart\'s selector, config checksum', () => {
    const d = find(objects, 'Deployment');
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.selector.matchLabels).toEqual({
      'control-plane': 'controller-manager',
      'app.kubernetes.io/name': 'dynamo-operator',
      'app.kubernetes.io/instance': 'dynamo-platform',
    });
    expect(d.spec.template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
    expect(d.spec.template.spec.serviceAccountName).toBe(`${F}-controller-manager`);
  });

  test('manager container: command, args, env, ports, probes, resources', () => {
    const manager = operatorPod(objects).containers[0];
    expect(manager.image).toBe('nvcr.io/nvidia/ai-dynamo/kubernetes-operator:1.4.0');
    expect(manager.command).toEqual(['/manager']);
    expect(manager.args).toEqual([
      '--config=/etc/dynamo-operator/config.yaml',
      '--operator-version=1.4.0',
      '--operator-image=nvcr.io/nvidia/ai-dynamo/kubernetes-operator:1.4.0',
      '--operator-image-pull-policy=IfNotPresent',
    ]);
    expect(manager.env.map((e: any) => e.name)).toEqual(['KUBERNETES_CLUSTER_DOMAIN', 'POD_SERVICE_ACCOUNT', 'POD_NAMESPACE']);
    expect(manager.ports).toEqual(expect.arrayContaining([
      { name: 'metrics', containerPort: 8080, protocol: 'TCP' },
      { name: 'webhook-server', containerPort: 9443, protocol: 'TCP' },
    ]));
    // The chart's liveness and readiness; the startup probe holds liveness off while the certificate is projected.
    expect(manager.livenessProbe).toEqual({ httpGet: { path: '/healthz', port: 'health' }, initialDelaySeconds: 15, periodSeconds: 20 });
    expect(manager.readinessProbe).toEqual({ httpGet: { path: '/readyz', port: 'health' }, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 5 });
    expect(manager.startupProbe).toEqual({ httpGet: { path: '/healthz', port: 'health' }, periodSeconds: 5, failureThreshold: 60 });
    const healthPort = manager.ports.find((p: any) => p.name === manager.livenessProbe.httpGet.port);
    expect(healthPort.containerPort).toBe(8081);
    expect(manager.resources).toEqual({ requests: { cpu: '512m', memory: '1024Mi' }, limits: { cpu: '1024m', memory: '2048Mi' } });
  });

  test('crd-apply init container installs the image\'s CRDs and points conversion at the webhook Service', () => {
    const [init] = operatorPod(objects).initContainers;
    expect(init.name).toBe('crd-apply');
    expect(init.command).toEqual(['/crd-apply']);
    expect(init.args).toEqual([
      '--crds-dir=/opt/dynamo-operator/crds/',
      '--version=1.4.0',
      `--conversion-webhook-service-name=${F}-webhook-service`,
      '--conversion-webhook-service-namespace=dynamo-system',
    ]);
    expect(init.resources.limits).toBeDefined();
  });

  test('operator containers run as the image\'s user (hardening of every platform pod: platform-pods.test.ts)', () => {
    const pod = operatorPod(objects);
    expect([...pod.containers, ...pod.initContainers].map((c: any) => c.securityContext.runAsUser)).toEqual([65532, 65532]);
  });

  test('mounts the config and the optional certificate Secret where the manager reads them', () => {
    const pod = operatorPod(objects);
    const mounts = Object.fromEntries(pod.containers[0].volumeMounts.map((m: any) => [m.name, m]));
    expect(mounts['operator-config']).toEqual({ name: 'operator-config', mountPath: '/etc/dynamo-operator', readOnly: true });
    expect(mounts.cert).toEqual({ name: 'cert', mountPath: '/tmp/k8s-webhook-server/serving-certs', readOnly: true });
    const cert = pod.volumes.find((v: any) => v.name === 'cert');
    expect(cert.secret).toEqual({ secretName: 'webhook-server-cert', defaultMode: 420, optional: true });
    expect(pod.volumes.find((v: any) => v.name === 'operator-config').configMap.name).toBe(`${F}-config`);
  });

  test('OperatorConfiguration matches what the 1.4.0 chart writes for a cluster-wide install', () => {
    expect(config(objects)).toEqual({
      apiVersion: 'operator.config.dynamo.nvidia.com/v1alpha1',
      kind: 'OperatorConfiguration',
      server: {
        metrics: { bindAddress: '0.0.0.0', secure: true },
        webhook: { certProvisionMode: 'auto', secretName: 'webhook-server-cert', serviceName: `${F}-webhook-service` },
      },
      leaderElection: { enabled: true, id: 'dynamo.nvidia.com', namespace: 'kube-system' },
      orchestrators: {
        kaiScheduler: { enabled: false },
        volcanoScheduler: { enabled: false },
        grove: { enabled: false, terminationDelay: '4h' },
      },
      rbac: {
        plannerClusterRoleName: `${F}-planner`,
        dgdrProfilingClusterRoleName: `${F}-dgdr-profiling`,
        eppClusterRoleName: `${F}-epp`,
      },
      mpi: { sshSecretName: 'mpi-run-ssh-secret', sshSecretNamespace: 'dynamo-system' },
    });
  });

  test('the rbac ClusterRoles named in the config exist', () => {
    for (const name of Object.values(config(objects).rbac) as string[]) {
      expect(find(objects, 'ClusterRole', name)).toBeDefined();
    }
  });

  test('webhook Service forwards 443 to the manager\'s webhook-server port', () => {
    const svc = find(objects, 'Service', `${F}-webhook-service`);
    expect(svc.spec.ports).toEqual([{ name: 'webhook', port: 443, targetPort: 9443, protocol: 'TCP' }]);
    const pod = find(objects, 'Deployment').spec.template;
    expect(pod.metadata.labels).toMatchObject(svc.spec.selector);
    expect(pod.spec.containers[0].ports.find((p: any) => p.name === 'webhook-server').containerPort).toBe(9443);
  });

  test('metrics Service exposes the manager\'s metrics port', () => {
    const svc = find(objects, 'Service', F);
    expect(svc.spec.ports).toEqual([{ name: 'metrics', port: 8080, targetPort: 'metrics', protocol: 'TCP' }]);
    expect(svc.metadata.labels['control-plane']).toBe('controller-manager');
  });

  // platform-facts §5: every rule as the 1.4.0 chart renders it. matchPolicy is set only on the v1beta1 DCD mutating
  // webhook (the others keep the API default, Equivalent); the pod webhook sees only CREATE and fails open.
  const CREATE_UPDATE = ['CREATE', 'UPDATE'];
  test.each([
    ['ValidatingWebhookConfiguration', 'vdynamocomponentdeployment.kb.io', '/validate-nvidia-com-v1alpha1-dynamocomponentdeployment', 'nvidia.com', 'v1alpha1', 'dynamocomponentdeployments', CREATE_UPDATE, 'Fail', undefined],
    ['ValidatingWebhookConfiguration', 'vdynamographdeployment.kb.io', '/validate/nvidia.com/v1beta1/dynamographdeployments', 'nvidia.com', 'v1beta1', 'dynamographdeployments', CREATE_UPDATE, 'Fail', undefined],
    ['ValidatingWebhookConfiguration', 'vdynamocheckpoint.kb.io', '/validate-nvidia-com-v1alpha1-dynamocheckpoint', 'nvidia.com', 'v1alpha1', 'dynamocheckpoints', CREATE_UPDATE, 'Fail', undefined],
    ['ValidatingWebhookConfiguration', 'vdynamomodel.kb.io', '/validate-nvidia-com-v1alpha1-dynamomodel', 'nvidia.com', 'v1alpha1', 'dynamomodels', CREATE_UPDATE, 'Fail', undefined],
    ['ValidatingWebhookConfiguration', 'vdynamographdeploymentrequest.kb.io', '/validate-nvidia-com-v1beta1-dynamographdeploymentrequest', 'nvidia.com', 'v1beta1', 'dynamographdeploymentrequests', CREATE_UPDATE, 'Fail', undefined],
    ['MutatingWebhookConfiguration', 'mdynamographdeployment.kb.io', '/mutate/nvidia.com/v1beta1/dynamographdeployments', 'nvidia.com', 'v1beta1', 'dynamographdeployments', CREATE_UPDATE, 'Fail', undefined],
    ['MutatingWebhookConfiguration', 'mdynamocomponentdeploymentv1beta1.kb.io', '/mutate-nvidia-com-v1beta1-dynamocomponentdeployment', 'nvidia.com', 'v1beta1', 'dynamocomponentdeployments', CREATE_UPDATE, 'Fail', 'Exact'],
    ['MutatingWebhookConfiguration', 'mdynamographdeploymentrequestv1beta1.kb.io', '/mutate-nvidia-com-v1beta1-dynamographdeploymentrequest', 'nvidia.com', 'v1beta1', 'dynamographdeploymentrequests', CREATE_UPDATE, 'Fail', undefined],
    ['MutatingWebhookConfiguration', 'mpodcheckpointrestore.kb.io', '/mutate-core-v1-pod-checkpoint-restore', '', 'v1', 'pods', ['CREATE'], 'Ignore', undefined],
  ])('%s %s → webhook Service path %s', (kind, name, webhookPath, group, version, resource, operations, failurePolicy, matchPolicy) => {
    const hook = find(objects, kind).webhooks.find((w: any) => w.name === name);
    expect(hook.clientConfig).toEqual({ service: { name: `${F}-webhook-service`, namespace: 'dynamo-system', path: webhookPath } });
    expect(hook.rules).toEqual([{ apiGroups: [group], apiVersions: [version], operations, resources: [resource] }]);
    expect(hook.failurePolicy).toBe(failurePolicy);
    expect(hook.matchPolicy).toBe(matchPolicy);
    expect(hook.timeoutSeconds).toBe(10);
    expect(hook.sideEffects).toBe('None');
    expect(hook.admissionReviewVersions).toEqual(['v1']);
    expect(hook.namespaceSelector).toBeUndefined();
    expect(hook.objectSelector).toBeUndefined();
    expect(hook.clientConfig.caBundle).toBeUndefined();
  });

  test('webhook configurations carry the labels the operator\'s CA injector selects on', () => {
    for (const kind of ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']) {
      const obj = find(objects, kind);
      expect(obj.metadata.labels).toMatchObject({
        'app.kubernetes.io/part-of': 'dynamo-operator',
        'nvidia.com/dynamo-operator-namespace': 'dynamo-system',
      });
      expect(obj.webhooks.length).toBeGreaterThan(0);
      expect(obj.metadata.annotations['cert-manager.io/inject-ca-from']).toBeUndefined();
    }
    expect(find(objects, 'ValidatingWebhookConfiguration').webhooks).toHaveLength(5);
    expect(find(objects, 'MutatingWebhookConfiguration').webhooks).toHaveLength(4);
  });

  describe('RBAC (roles and bindings: operator-rbac.test.ts)', () => {
    test('component ServiceAccount carries the label the operator picks pod accounts by', () => {
      expect(find(objects, 'ServiceAccount', `${F}-component`).metadata.labels['nvidia.com/dynamo-component-pod']).toBe('true');
    });
  });

  test('synthesis is deterministic', () => {
    expect(JSON.stringify(synth())).toEqual(JSON.stringify(objects));
  });
});

describe('namespace-restricted mode', () => {
  const objects = synth({ operatorScope: OperatorScope.namespaceRestricted({ targetNamespace: 'team-a' }), namespace: 'team-a' });

  test('snapshot', () => {
    expect(objects).toMatchSnapshot();
  });

  test('every object is valid', () => {
    expectValid(objects);
  });

  test('config restricts the namespace, elects there, writes gpu discovery and no rbac block', () => {
    const c = config(objects);
    expect(c.namespace).toEqual({ restricted: 'team-a' });
    expect(c.leaderElection.namespace).toBe('team-a');
    expect(c.gpu).toEqual({ discoveryEnabled: true });
    expect(c.rbac).toBeUndefined();
  });

  test('no crd-apply init container', () => {
    expect(operatorPod(objects).initContainers).toBeUndefined();
  });

  test('webhook configurations get the namespace suffix and a namespace selector', () => {
    for (const [kind, name] of [['ValidatingWebhookConfiguration', `${F}-validating-team-a`], ['MutatingWebhookConfiguration', `${F}-mutating-team-a`]]) {
      for (const hook of find(objects, kind, name).webhooks) {
        expect(hook.namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'team-a' } });
      }
    }
  });

  test('namespace is baseline by default, since graphs share it', () => {
    expect(find(objects, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
  });

  test('a target namespace other than the platform namespace holds the namespaced Roles', () => {
    const split = synth({ operatorScope: OperatorScope.namespaceRestricted({ targetNamespace: 'team-b' }) });
    expect(find(split, 'Role', `${F}-manager-role`).metadata.namespace).toBe('team-b');
    expect(find(split, 'Role', `${F}-webhook-cert-manager`).metadata.namespace).toBe('dynamo-system');
    expect(find(split, 'RoleBinding', `${F}-manager-rolebinding`).subjects[0].namespace).toBe('dynamo-system');
    expect(config(split).namespace.restricted).toBe('team-b');
  });

  test('lease timings are written only when they differ from the operator defaults', () => {
    const custom = synth({
      operatorScope: OperatorScope.namespaceRestricted({ leaseDuration: Duration.minutes(1), leaseRenewInterval: Duration.seconds(10) }),
    });
    expect(config(custom).namespace).toEqual({ restricted: 'dynamo-system', scope: { leaseDuration: '60s' } });
  });
});

describe('NATS and etcd', () => {
  const objects = synth({
    nats: NatsConnection.install(),
    etcd: EtcdConnection.install(),
    discoveryBackend: DiscoveryBackend.ETCD,
    prometheusEndpoint: 'http://prometheus-operated.monitoring.svc:9090',
  });

  test('snapshot', () => {
    expect(objects).toMatchSnapshot();
  });

  test('every object is valid', () => {
    expectValid(objects);
  });

  test('endpoints are wired into the operator configuration', () => {
    const c = config(objects);
    expect(c.infrastructure).toEqual({
      natsAddress: 'nats://dynamo-platform-nats.dynamo-system.svc.cluster.local:4222',
      etcdAddress: 'dynamo-platform-etcd.dynamo-system.svc.cluster.local:2379',
      prometheusEndpoint: 'http://prometheus-operated.monitoring.svc:9090',
    });
    expect(c.discovery).toEqual({ backend: 'etcd' });
  });

  test('the configured addresses point at the rendered Services', () => {
    const nats = find(objects, 'Service', 'dynamo-platform-nats');
    expect(nats.spec.ports[0].port).toBe(4222);
    const etcd = find(objects, 'Service', 'dynamo-platform-etcd');
    expect(etcd.spec.ports[0].port).toBe(2379);
  });

  test('NATS and etcd run in the operator wave', () => {
    for (const o of objects.filter((x) => x.kind === 'StatefulSet' || x.kind === 'PodDisruptionBudget')) {
      expect(o.metadata.annotations[SyncWave.ANNOTATION]).toBe(String(SyncWave.OPERATOR));
    }
  });

  test('external servers are passed through', () => {
    const c = config(synth({
      nats: NatsConnection.external('nats://nats.messaging.svc:4222'),
      etcd: EtcdConnection.external('http://etcd-0.etcd:2379,http://etcd-1.etcd:2379'),
    }));
    expect(c.infrastructure).toEqual({ natsAddress: 'nats://nats.messaging.svc:4222', etcdAddress: 'http://etcd-0.etcd:2379,http://etcd-1.etcd:2379' });
  });
});

describe('vendored CRDs', () => {
  const objects = synth({ crds: CrdSource.fromFile(path.join(FIXTURES, 'widgets-crds.yaml')) });
  const widgets = () => find(objects, 'CustomResourceDefinition', 'widgets.example.com');

  test('snapshot', () => {
    expect(objects).toMatchSnapshot();
  });

  test('every object is valid', () => {
    expectValid(objects);
  });

  test('crd-apply is off', () => {
    expect(operatorPod(objects).initContainers).toBeUndefined();
  });

  test('CRDs are protected from pruning and come first', () => {
    for (const name of ['widgets.example.com', 'gadgets.example.com']) {
      expect(find(objects, 'CustomResourceDefinition', name).metadata.annotations).toMatchObject({
        'argocd.argoproj.io/sync-options': 'Prune=false,ServerSideApply=true',
        'argocd.argoproj.io/sync-wave': String(SyncWave.CRDS),
        'kustomize.toolkit.fluxcd.io/prune': 'disabled',
      });
    }
    expect(widgets().metadata.annotations['helm.sh/resource-policy']).toBe('keep');
  });

  test('conversion webhooks point at this platform\'s webhook Service, without a stale CA bundle', () => {
    expect(widgets().spec.conversion).toEqual({
      strategy: 'Webhook',
      webhook: {
        clientConfig: { service: { name: `${F}-webhook-service`, namespace: 'dynamo-system', path: '/convert' } },
        conversionReviewVersions: ['v1'],
      },
    });
    expect(find(objects, 'CustomResourceDefinition', 'gadgets.example.com').spec.conversion).toBeUndefined();
  });

  test('a directory contributes its YAML files in name order', () => {
    const fromDir = synth({ crds: CrdSource.fromDirectory(path.join(FIXTURES, 'crd-dir')) });
    expect(fromDir.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name))
      .toEqual(['widgets.example.com', 'gadgets.example.com']);
  });

  test('preinstalled CRDs: nothing rendered, no crd-apply', () => {
    const none = synth({ crds: CrdSource.preinstalled() });
    expect(none.some((o) => o.kind === 'CustomResourceDefinition')).toBe(false);
    expect(operatorPod(none).initContainers).toBeUndefined();
  });
});

describe('images, certificates and other options', () => {
  test('custom registry, version, pull policy and pull secrets', () => {
    const objects = synth({
      registry: 'registry.example.com/mirror/ai-dynamo',
      version: '1.5.0',
      imagePullPolicy: ImagePullPolicy.ALWAYS,
      imagePullSecrets: ['mirror-creds'],
    });
    expect(objects).toMatchSnapshot();
    expectValid(objects);
    const pod = operatorPod(objects);
    const image = 'registry.example.com/mirror/ai-dynamo/kubernetes-operator:1.5.0';
    expect(pod.containers[0].image).toBe(image);
    expect(pod.initContainers[0].image).toBe(image);
    expect(pod.containers[0].args).toEqual(expect.arrayContaining([
      '--operator-version=1.5.0', `--operator-image=${image}`, '--operator-image-pull-policy=Always',
    ]));
    expect(pod.initContainers[0].args).toContain('--version=1.5.0');
    expect(pod.containers[0].imagePullPolicy).toBe('Always');
    expect(pod.imagePullSecrets).toEqual([{ name: 'mirror-creds' }]);
    expect(find(objects, 'Deployment').metadata.labels['app.kubernetes.io/version']).toBe('1.5.0');
  });

  test('a full image reference keeps the version for --operator-version', () => {
    const image = 'registry.example.com/dynamo/operator@sha256:' + 'a'.repeat(64);
    const manager = operatorPod(synth({ image })).containers[0];
    expect(manager.image).toBe(image);
    expect(manager.args).toContain('--operator-version=1.4.0');
  });

  test('release name and namespace drive every name', () => {
    const objects = synth({ releaseName: 'dynamo-operator-prod', namespace: 'llm-ops' });
    expectValid(objects);
    expect(find(objects, 'Deployment').metadata.name).toBe('dynamo-operator-prod-controller-manager');
    expect(find(objects, 'Namespace').metadata.name).toBe('llm-ops');
    expect(config(objects).server.webhook.serviceName).toBe('dynamo-operator-prod-webhook-service');
    expect(find(objects, 'ClusterRole', 'dynamo-operator-prod-llm-ops-metrics-auth')).toBeDefined();
  });

  test('cert-manager: manual provisioning, CA chain, inject-ca-from annotation', () => {
    const objects = synth({ certificates: WebhookCertificates.certManager() });
    expectValid(objects);
    expect(config(objects).server.webhook.certProvisionMode).toBe('manual');
    for (const kind of ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']) {
      expect(find(objects, kind).metadata.annotations['cert-manager.io/inject-ca-from']).toBe(`dynamo-system/${F}-serving-cert`);
    }
    const serving = find(objects, 'Certificate', `${F}-serving-cert`);
    expect(serving.spec.secretName).toBe('webhook-server-cert');
    expect(serving.spec.dnsNames).toEqual([
      `${F}-webhook-service`, `${F}-webhook-service.dynamo-system.svc`, `${F}-webhook-service.dynamo-system.svc.cluster.local`,
    ]);
    expect(serving.spec.issuerRef.name).toBe(`${F}-ca-issuer`);
    expect(find(objects, 'Issuer', `${F}-ca-issuer`).spec.ca.secretName).toBe(find(objects, 'Certificate', `${F}-root-ca`).spec.secretName);
    expect(objects.filter((o) => o.apiVersion === 'cert-manager.io/v1').map((o) => o.metadata.annotations[SyncWave.ANNOTATION]))
      .toEqual(['-3', '-3', '-3', '-3']);
  });

  test('external certificates: own Secret name everywhere, CA bundle in every webhook', () => {
    const objects = synth({ certificates: WebhookCertificates.external({ secretName: 'my-webhook-tls', caBundle: 'Q0E=' }) });
    expectValid(objects);
    expect(config(objects).server.webhook).toMatchObject({ certProvisionMode: 'manual', secretName: 'my-webhook-tls' });
    expect(operatorPod(objects).volumes.find((v: any) => v.name === 'cert').secret.secretName).toBe('my-webhook-tls');
    expect(find(objects, 'Role', `${F}-webhook-cert-manager`).rules.find((r: any) => r.resourceNames).resourceNames).toEqual(['my-webhook-tls']);
    for (const kind of ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']) {
      expect(find(objects, kind).webhooks.every((w: any) => w.clientConfig.caBundle === 'Q0E=')).toBe(true);
    }
  });

  test('orchestrators, leader election namespace, resources', () => {
    const objects = synth({
      grove: true,
      kaiScheduler: true,
      volcanoScheduler: true,
      leaderElectionNamespace: 'dynamo-system',
      resources: { cpu: { limit: Cpu.units(2) }, memory: { request: Size.gibibytes(2), limit: Size.gibibytes(4) } },
    });
    const c = config(objects);
    expect(c.orchestrators).toEqual({ kaiScheduler: { enabled: true }, volcanoScheduler: { enabled: true }, grove: { enabled: true, terminationDelay: '4h' } });
    expect(c.leaderElection.namespace).toBe('dynamo-system');
    expect(operatorPod(objects).containers[0].resources).toEqual({ requests: { cpu: '512m', memory: '2048Mi' }, limits: { cpu: '2', memory: '4096Mi' } });
  });

  test('a chart namespace does not leak onto cluster-scoped objects', () => {
    const chart = new Chart(Testing.app(), 'platform', { namespace: 'elsewhere' });
    new DynamoPlatform(chart, 'Platform', { crds: CrdSource.fromFile(path.join(FIXTURES, 'widgets-crds.yaml')) });
    const objects = chart.toJson();
    expectValid(objects);
    const clusterScoped = ['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'];
    expect(objects.filter((o: any) => clusterScoped.includes(o.kind)).map((o: any) => o.metadata.namespace ?? '-'))
      .toEqual(objects.filter((o: any) => clusterScoped.includes(o.kind)).map(() => '-'));
    expect(objects.filter((o: any) => !clusterScoped.includes(o.kind)).every((o: any) => o.metadata.namespace === 'dynamo-system')).toBe(true);
  });

  test('without the Namespace object', () => {
    const objects = synth({ createNamespace: false });
    expect(objects.some((o) => o.kind === 'Namespace')).toBe(false);
  });

  test('explicit Pod Security level', () => {
    expect(find(synth({ podSecurityLevel: PodSecurityLevel.PRIVILEGED }), 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce'])
      .toBe('privileged');
  });

  test('public getters', () => {
    const chart = Testing.chart();
    const p = new DynamoPlatform(chart, 'Platform', { nats: NatsConnection.install() });
    expect(p.operatorDeploymentName).toBe(`${F}-controller-manager`);
    expect(p.webhookServiceName).toBe(`${F}-webhook-service`);
    expect(p.plannerRoleName).toBe(`${F}-planner`);
    expect(p.targetNamespace).toBe('dynamo-system');
    expect(p.natsAddress).toBe('nats://dynamo-platform-nats.dynamo-system.svc.cluster.local:4222');
    expect(p.etcdEndpoints).toBeUndefined();
    const objects = Testing.synth(chart);
    const services = objects.filter((o) => o.kind === 'Service' && o.metadata.namespace === p.namespace
      && Object.entries(p.metricsServiceSelector).every(([k, v]) => o.metadata.labels[k] === v));
    expect(services.map((o) => o.metadata.name)).toEqual([p.metricsServiceName]);
  });
});

describe('bad input names the construct path, the prop, the value and what is allowed', () => {
  const attempt = (props: DynamoPlatformProps) => () => synth(props);

  test.each<[string, DynamoPlatformProps, RegExp]>([
    ['namespace', { namespace: 'Dynamo_System' }, /\[test\/Platform\] 'namespace' is 'Dynamo_System':.*allowed: a DNS-1123 label/],
    ['releaseName', { releaseName: 'a'.repeat(32) }, /'releaseName' is 'a{32}': Service 'a{32}-dynamo-operator-webhook-service' would exceed 63 characters. allowed: at most 31 characters/],
    ['version', { version: 'latest' }, /'version' is 'latest':.*non-semver.*allowed: a semantic version/],
    ['image', { image: 'nvcr.io/nvidia/ai-dynamo/kubernetes-operator' }, /'image' is 'nvcr.io\/nvidia\/ai-dynamo\/kubernetes-operator': allowed: an image reference pinned/],
    ['image latest', { image: 'example.com/op:latest' }, /'image' is 'example.com\/op:latest'/],
    ['registry', { registry: 'https://nvcr.io' }, /'registry' is 'https:\/\/nvcr.io': allowed: a registry host/],
    ['imagePullSecrets', { imagePullSecrets: ['Bad Name'] }, /'imagePullSecrets' is 'Bad Name': allowed: Secret names/],
    ['discoveryBackend', { discoveryBackend: DiscoveryBackend.ETCD }, /'discoveryBackend' is 'etcd': allowed: .*together with the 'etcd' prop/],
    ['prometheusEndpoint', { prometheusEndpoint: 'prometheus:9090' }, /'prometheusEndpoint' is 'prometheus:9090': allowed: an http\(s\) URL/],
    ['nats external', { nats: NatsConnection.external('http://nats:4222') }, /'nats' is 'http:\/\/nats:4222': allowed: NATS URLs/],
    ['etcd external', { etcd: EtcdConnection.external('etcd') }, /'etcd' is 'etcd': allowed: etcd endpoints/],
    ['resources', { resources: { memory: { request: Size.gibibytes(8) } } }, /'resources.memory.request' is '8192Mi': allowed: at most the memory limit \(2048Mi\)/],
    ['restricted + crd-apply', { operatorScope: OperatorScope.namespaceRestricted(), crds: CrdSource.fromOperatorImage() },
      /'crds' is 'CrdSource.fromOperatorImage\(\)': a namespace-restricted operator cannot install CRDs.*allowed: CrdSource.preinstalled\(\)/],
    ['restricted + vendored', { operatorScope: OperatorScope.namespaceRestricted(), crds: CrdSource.fromFile(path.join(FIXTURES, 'widgets-crds.yaml')) },
      /'crds' is 'a vendored CrdSource':.*conversion/],
    ['restricted + leader namespace', { operatorScope: OperatorScope.namespaceRestricted(), leaderElectionNamespace: 'kube-system' },
      /'leaderElectionNamespace' is 'kube-system':.*allowed: unset when namespace-restricted/],
    ['lease timings', { operatorScope: OperatorScope.namespaceRestricted({ leaseDuration: Duration.seconds(5) }) },
      /'operatorScope.leaseRenewInterval' is '10000ms': allowed: more than 0 and less than leaseDuration \(5000ms\)/],
    ['target namespace', { operatorScope: OperatorScope.namespaceRestricted({ targetNamespace: 'Team' }) }, /'operatorScope.targetNamespace' is 'Team'/],
    ['missing CRD file', { crds: CrdSource.fromFile('does/not/exist.yaml') }, /'crds' is 'does\/not\/exist.yaml': the file does not exist. allowed: a readable YAML file/],
    ['missing CRD directory', { crds: CrdSource.fromDirectory('does/not/exist') }, /'crds' is 'does\/not\/exist': the directory does not exist/],
    ['non-CRD in CRD file', { crds: CrdSource.fromFile(path.join(FIXTURES, 'not-only-crds.yaml')) },
      /'crds' is '.*not-only-crds.yaml': it holds v1 ConfigMap 'stray'.*allowed: files that hold only apiextensions.k8s.io\/v1 CustomResourceDefinitions/],
  ])('%s', (_name, props, message) => {
    expect(attempt(props)).toThrow(message);
  });

  test('a CRD vendored twice', () => {
    expect(attempt({ crds: CrdSource.fromDirectory(path.join(FIXTURES, 'crd-dup')) }))
      .toThrow(/'crds' is '.*two.yaml': CRD 'widgets.example.com' is defined twice. allowed: each CRD once/);
  });
});

describe('any valid release name and namespace', () => {
  test('renders valid objects whose names the API server accepts', () => {
    const label = (max: number) => fc.stringMatching(new RegExp(`^[a-z]([-a-z0-9]{0,${max - 2}}[a-z0-9])?$`));
    const release = fc.oneof(label(31), label(31).map((r) => `${r}-dynamo-operator`));
    fc.assert(fc.property(release, label(63), fc.boolean(), (releaseName, namespace, restricted) => {
      const objects = synth({
        releaseName,
        namespace,
        nats: NatsConnection.install(),
        etcd: EtcdConnection.install(),
        operatorScope: restricted ? OperatorScope.namespaceRestricted() : OperatorScope.clusterWide(),
      });
      expectValid(objects);
      const services = objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name);
      expect(services.every((n) => n.length <= 63)).toBe(true);
    }), { numRuns: 12 });
  });
});

describe('checks against the rest of the app', () => {
  test('two cluster-wide platforms in one app are refused', () => {
    const app = Testing.app();
    new DynamoPlatform(new Chart(app, 'one'), 'Platform');
    new DynamoPlatform(new Chart(app, 'two'), 'Platform', { namespace: 'other' });
    expect(() => app.synth()).toThrow(/\n {2}\[one\/Platform\] 'operatorScope' is 'OperatorScope.clusterWide\(\)':.*one\/Platform, two\/Platform are all cluster-wide.*allowed: one cluster-wide DynamoPlatform per cluster/);
  });

  test('a restricted platform refuses graphs outside its namespace', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'platform');
    new DynamoPlatform(chart, 'Platform', { operatorScope: OperatorScope.namespaceRestricted({ targetNamespace: 'team-a' }) });
    const graphs = new Chart(app, 'graphs', { namespace: 'team-b' });
    new ApiObject(graphs, 'Graph', { apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeployment', metadata: { name: 'llm' } });
    expect(() => app.synth()).toThrow(/DynamoGraphDeployment 'llm' \(graphs\/Graph\) is in namespace 'team-b', which this operator does not watch/);
  });

  // The platform namespace enforces `restricted` (its pods comply); Dynamo runtime images run as root, so graphs and
  // requests there would be refused at pod admission, after the sync looked green.
  test('graphs and requests in a namespace that enforces restricted are refused', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'platform');
    new DynamoPlatform(chart, 'Platform');
    const graphs = new Chart(app, 'graphs', { namespace: 'dynamo-system' });
    new ApiObject(graphs, 'Request', { apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeploymentRequest', metadata: { name: 'req' } });
    new ApiObject(graphs, 'Model', { apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoModel', metadata: { name: 'lora' } });
    expect(() => app.synth()).toThrow(new RegExp("\\[platform/Platform\\] 'podSecurityLevel' is 'restricted': DynamoGraphDeploymentRequest 'req' "
      + "\\(graphs/Request\\) runs its pods in 'dynamo-system', whose restricted Pod Security Standard rejects the Dynamo runtime and "
      + 'planner images \\(they run as root\\)\\. allowed: PodSecurityLevel\\.BASELINE, or DynamoGraphDeploymentRequest objects in a namespace of their own'));
    // A DynamoModel runs no pods; a baseline namespace, or one the platform does not create, is not checked.
    for (const props of [{ podSecurityLevel: PodSecurityLevel.BASELINE }, { createNamespace: false }]) {
      const ok = Testing.app();
      new DynamoPlatform(new Chart(ok, 'platform'), 'Platform', props);
      new ApiObject(new Chart(ok, 'graphs', { namespace: 'dynamo-system' }), 'Graph',
        { apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeployment', metadata: { name: 'llm' } });
      expect(() => ok.synth()).not.toThrow();
    }
  });

  test('a restricted platform accepts graphs in its namespace', () => {
    const app = new App({ outdir: Testing.app().outdir });
    const chart = new Chart(app, 'platform');
    new DynamoPlatform(chart, 'Platform', { operatorScope: OperatorScope.namespaceRestricted({ targetNamespace: 'team-a' }) });
    new ApiObject(new Chart(app, 'graphs', { namespace: 'team-a' }), 'Graph',
      { apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeployment', metadata: { name: 'llm' } });
    expect(() => app.synth()).not.toThrow();
  });
});
