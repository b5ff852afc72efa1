import * as fc from 'fast-check';
import { dgdV1alpha1, dgdV1beta1, kubernetesObjects, otherDynamoObjects, thirdPartyObjects } from './fixtures';
import { crdSchemasAvailable, expectValid, unevaluatedCelRules, validateObjects } from './validate';

/** Runs only where the upstream CRD schemas are present (../shared beside the repository). */
const withCrds = crdSchemasAvailable() ? it : it.skip;

function errorsAfter(obj: any, mutate: (o: any) => void): string[] {
  const copy = JSON.parse(JSON.stringify(obj));
  mutate(copy);
  return validateObjects([copy]);
}

function deployment(): any {
  return kubernetesObjects().find(o => o.kind === 'Deployment');
}

describe('valid objects pass', () => {
  it.each(kubernetesObjects().map(o => [o.kind, o]))('Kubernetes %s', (_kind, obj) => {
    expect(validateObjects([obj])).toEqual([]);
  });

  it.each(thirdPartyObjects().map(o => [o.kind, o]))('third-party %s', (_kind, obj) => {
    expect(validateObjects([obj])).toEqual([]);
  });

  it.each([['DGD v1beta1', dgdV1beta1()], ['DGD v1alpha1', dgdV1alpha1()], ...otherDynamoObjects().map(o => [o.kind, o])])('Dynamo %s', (_kind, obj) => {
    expect(validateObjects([obj])).toEqual([]);
  });

  it('expectValid accepts the whole set', () => {
    expect(() => expectValid([...kubernetesObjects(), ...thirdPartyObjects(), dgdV1beta1(), dgdV1alpha1(), ...otherDynamoObjects()])).not.toThrow();
  });
});

describe('Kubernetes schemas are strict', () => {
  it('reports an unknown field in a container, naming kind, name and path', () => {
    expect(errorsAfter(deployment(), d => d.spec.template.spec.containers[0].imagePullPolicyy = 'Always')).toEqual([
      expect.stringMatching(/^Deployment\/demo\/web \.spec\.template\.spec\.containers\[0\]\.imagePullPolicyy: unknown field/),
    ]);
  });

  it('reports unknown fields at every level', () => {
    const errors = errorsAfter(deployment(), d => {
      d.extra = 1;
      d.metadata.labelz = {};
      d.spec.template.spec.securityContext = { runAsNonRoot: true, bogus: true };
    });
    expect(errors).toEqual(expect.arrayContaining([
      expect.stringContaining(' .extra: unknown field'),
      expect.stringContaining(' .metadata.labelz: unknown field'),
      expect.stringContaining(' .spec.template.spec.securityContext.bogus: unknown field'),
    ]));
    expect(errors).toHaveLength(3);
  });

  it('reports a wrong type', () => {
    expect(errorsAfter(deployment(), d => d.spec.replicas = '2')).toEqual([expect.stringContaining('.spec.replicas: must be of type integer')]);
  });

  it('reports a missing required field', () => {
    expect(errorsAfter(deployment(), d => delete d.spec.selector)).toEqual([expect.stringContaining(".spec: missing required field 'selector'")]);
  });

  it('reports a bad enum value', () => {
    const service = kubernetesObjects().find(o => o.kind === 'Service');
    expect(errorsAfter(service, s => s.spec.type = 'Internal')).toEqual([expect.stringContaining('.spec.type: must be one of')]);
  });

  it('reports a malformed quantity and int-or-string', () => {
    const errors = errorsAfter(deployment(), d => {
      d.spec.template.spec.containers[0].resources.limits.cpu = 'two';
      d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: true } };
    });
    expect(errors).toEqual(expect.arrayContaining([
      expect.stringContaining('.resources.limits.cpu: matches none of the allowed forms'),
      expect.stringContaining('.spec.strategy.rollingUpdate.maxSurge: matches none of the allowed forms'),
    ]));
  });

  it('accepts free-form maps (labels, resource names, ConfigMap data)', () => {
    expect(errorsAfter(deployment(), d => {
      d.spec.template.metadata.labels['example.com/anything'] = 'x';
      d.spec.template.spec.containers[0].resources.limits['nvidia.com/mig-1g.10gb'] = 1;
    })).toEqual([]);
  });

  it('checks the CRD fields kubernetes-models leaves out (x-kubernetes-*, description)', () => {
    const crd = kubernetesObjects().find(o => o.kind === 'CustomResourceDefinition');
    expect(errorsAfter(crd, c => {
      const spec = c.spec.versions[0].schema.openAPIV3Schema.properties.spec;
      spec['x-kubernetes-preserve-unknown-fields'] = 'yes';
      spec['x-kubernetes-unknown'] = true;
    })).toEqual([
      expect.stringContaining('.properties.spec.x-kubernetes-preserve-unknown-fields: must be of type boolean'),
      expect.stringContaining('.properties.spec.x-kubernetes-unknown: unknown field'),
    ]);
  });

  it('finds any injected unknown field in a pod template (property)', () => {
    const structs = [
      (d: any) => d,
      (d: any) => d.spec,
      (d: any) => d.spec.template.spec,
      (d: any) => d.spec.template.spec.containers[0],
      (d: any) => d.spec.template.spec.containers[0].resources,
      (d: any) => d.metadata,
    ];
    fc.assert(fc.property(fc.integer({ min: 0, max: structs.length - 1 }), fc.stringMatching(/^[a-z][A-Za-z0-9]{0,15}$/), (at, suffix) => {
      const field = `unknownField${suffix}`;
      const errors = errorsAfter(deployment(), d => structs[at](d)[field] = 1);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(new RegExp(`\\.${field}: unknown field`));
    }), { numRuns: 60 });
  });
});

describe('object checks', () => {
  it('requires apiVersion, kind and metadata.name', () => {
    expect(validateObjects([{ metadata: {} }])).toEqual([
      '<no kind>/<no name> .apiVersion: missing apiVersion',
      '<no kind>/<no name> .kind: missing kind',
      '<no kind>/<no name> .metadata.name: missing metadata.name',
    ]);
  });

  it('rejects names that are not DNS-1123 (DNS-1035 for Services)', () => {
    expect(errorsAfter(deployment(), d => d.metadata.name = 'Web_1')).toEqual([expect.stringContaining("'Web_1' is invalid: must be a DNS-1123 subdomain")]);
    const service = kubernetesObjects().find(o => o.kind === 'Service');
    expect(errorsAfter(service, s => s.metadata.name = '1web')).toEqual([expect.stringContaining('must be a DNS-1035 label')]);
  });

  it('rejects bad label keys and values anywhere in the object', () => {
    const errors = errorsAfter(deployment(), d => {
      d.metadata.labels['-bad'] = 'ok';
      d.spec.template.metadata.labels.app = 'has space';
      d.spec.selector.matchLabels['a/b/c'] = 'x';
      d.metadata.annotations = { 'Example.com/x': 'y' };
    });
    expect(errors).toEqual([
      expect.stringContaining(".metadata.labels[\"-bad\"]: label key '-bad' is invalid"),
      expect.stringContaining(".metadata.annotations[\"Example.com/x\"]: annotation key 'Example.com/x' is invalid"),
      expect.stringContaining(".spec.selector.matchLabels[\"a/b/c\"]: label key 'a/b/c' is invalid"),
      expect.stringContaining(".spec.template.metadata.labels.app: label value 'has space' is invalid"),
      expect.stringContaining(".spec.selector.matchLabels[\"a/b/c\"]: selects a/b/c='x', which the pod template does not carry"),
    ]);
  });

  it('rejects the same object twice', () => {
    expect(validateObjects([deployment(), deployment()])).toEqual([expect.stringContaining('duplicate object (same kind, namespace and name as objects[0])')]);
  });

  it('rejects kinds it has no schema for', () => {
    expect(validateObjects([{ apiVersion: 'grove.io/v1alpha1', kind: 'PodCliqueSet', metadata: { name: 'x' } }])).toEqual([
      'PodCliqueSet/x .kind: no schema known for grove.io/v1alpha1 PodCliqueSet: add one to test/support before emitting it',
    ]);
  });

  it('expectValid lists every error', () => {
    const invalid = () => expectValid([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 1 }, extra: true }]);
    expect(invalid).toThrow(/^2 validation error\(s\) in 1 object\(s\):\n {2}ConfigMap\/c /);
    expect(invalid).toThrow(/\n {2}ConfigMap\/c \.extra: unknown field/);
    expect(invalid).toThrow(/\n {2}ConfigMap\/c \.data\.a: must be of type string/);
  });
});

describe('API-server rules beyond the schema', () => {
  const kind = (k: string) => kubernetesObjects().find(o => o.kind === k);
  const POD = '.spec.template.spec';

  it.each<[string, () => any, (o: any) => void, string]>([
    ['no containers', deployment, d => { d.spec.template.spec.containers = []; }, `${POD}.containers: a pod needs at least one container`],
    ['container name', deployment, d => { d.spec.template.spec.containers[0].name = 'Main'; }, `${POD}.containers[0].name: container name 'Main' must be a DNS-1123 label`],
    ['duplicate container', deployment, d => { d.spec.template.spec.initContainers = [{ name: 'app', image: 'busybox:1.36.1' }]; },
      `${POD}.containers[0].name: duplicate container name 'app'`],
    ['port name', deployment, d => { d.spec.template.spec.containers[0].ports = [{ name: 'http-metrics-port', containerPort: 80 }]; },
      `${POD}.containers[0].ports[0].name: port name 'http-metrics-port' must be an IANA service name`],
    ['duplicate port name', deployment, d => { d.spec.template.spec.containers[0].ports = [{ name: 'http', containerPort: 80 }, { name: 'http', containerPort: 81 }]; },
      `${POD}.containers[0].ports[1].name: duplicate port name 'http' in the pod`],
    ['mount of no volume', deployment, d => { d.spec.template.spec.containers[0].volumeMounts = [{ name: 'cache', mountPath: '/cache' }]; },
      `${POD}.containers[0].volumeMounts[0].name: mounts 'cache', which is not a volume of the pod`],
    ['duplicate volume', deployment, d => { d.spec.template.spec.volumes = [{ name: 'v', emptyDir: {} }, { name: 'v', emptyDir: {} }]; },
      `${POD}.volumes[1].name: duplicate volume name 'v'`],
    ['probe without handler', deployment, d => { d.spec.template.spec.containers[0].startupProbe = { periodSeconds: 10, failureThreshold: 30 }; },
      `${POD}.containers[0].startupProbe: needs exactly one handler (exec, httpGet, tcpSocket, grpc), has 0`],
    ['request above limit', deployment, d => { d.spec.template.spec.containers[0].resources.requests = { cpu: '1' }; },
      `${POD}.containers[0].resources.requests.cpu: request '1' is above the limit '500m'`],
    ['restart policy', deployment, d => { d.spec.template.spec.restartPolicy = 'Never'; }, `${POD}.restartPolicy: 'Never' is not allowed here: Always`],
    ['job restart policy', () => kind('Job'), j => { j.spec.template.spec.restartPolicy = 'Always'; },
      ".spec.template.spec.restartPolicy: 'Always' is not allowed here: Never or OnFailure"],
    ['selector', deployment, d => { d.spec.selector.matchLabels = { app: 'other' }; },
      ".spec.selector.matchLabels.app: selects app='other', which the pod template does not carry"],
    ['service port names', () => kind('Service'), s => { s.spec.ports.push({ port: 81 }); }, '.spec.ports[1].name: a Service with several ports must name each'],
    ['config key', () => kind('ConfigMap'), c => { c.data['a/b'] = 'x'; }, ".data[\"a/b\"]: key 'a/b' must be 1-253 alphanumerics, '-', '_' or '.'"],
    ['config size', () => kind('ConfigMap'), c => { c.data['plan.json'] = 'x'.repeat(1024 * 1024); }, 'ConfigMap data is 1048601 bytes: at most 1048576 (1 MiB) allowed'],
    ['claim storage', () => kind('PersistentVolumeClaim'), c => { delete c.spec.resources.requests.storage; },
      '.spec.resources.requests.storage: a storage request is required'],
  ])('%s', (_name, make, mutate, message) => {
    expect(errorsAfter(make(), mutate)).toEqual([expect.stringContaining(message)]);
  });

  it('a StatefulSet mounts its claim templates', () => {
    const sts = kind('StatefulSet');
    expect(errorsAfter(sts, s => { s.spec.template.spec.containers[0].volumeMounts = [{ name: 'data', mountPath: '/data' }]; })).toEqual([]);
  });

  it('Dynamo templates: names and requests are checked, mounts and probes are the operator\'s to complete', () => {
    const dgd = dgdV1beta1();
    const worker = dgd.spec.components.findIndex((c: any) => c.podTemplate?.spec?.containers?.length);
    const errors = errorsAfter(dgd, d => {
      const main = d.spec.components[worker].podTemplate.spec.containers[0];
      main.volumeMounts = [{ name: 'added-by-operator', mountPath: '/x' }];
      main.startupProbe = { failureThreshold: 60 };
      main.ports = [{ name: 'Metrics', containerPort: 9090 }];
    });
    expect(errors).toEqual([expect.stringContaining(`.spec.components[${worker}].podTemplate.spec.containers[0].ports[0].name: port name 'Metrics'`)]);
  });
});

describe('third-party shapes are strict', () => {
  const [podMonitor, , kustomization, , certificate, scaledObject] = thirdPartyObjects();

  it('PodMonitor: unknown endpoint field and bad duration', () => {
    expect(errorsAfter(podMonitor, p => Object.assign(p.spec.podMetricsEndpoints[0], { intervall: '5s', interval: '5 seconds' }))).toEqual([
      expect.stringContaining('.spec.podMetricsEndpoints[0].intervall: unknown field'),
      expect.stringContaining('.spec.podMetricsEndpoints[0].interval: must match pattern'),
    ]);
  });

  it('Flux Kustomization: Go durations and source kinds', () => {
    expect(errorsAfter(kustomization, k => Object.assign(k.spec, { interval: '10 minutes', sourceRef: { kind: 'HelmRepository', name: 'x' } }))).toEqual([
      expect.stringContaining('.spec.interval: must match pattern'),
      expect.stringContaining('.spec.sourceRef.kind: must be one of'),
    ]);
  });

  it('cert-manager Certificate: issuerRef required, unknown fields', () => {
    expect(errorsAfter(certificate, c => {
      delete c.spec.issuerRef;
      c.spec.keySize = 2048;
    })).toEqual([
      expect.stringContaining(".spec: missing required field 'issuerRef'"),
      expect.stringContaining('.spec.keySize: unknown field'),
    ]);
  });

  it('ScaledObject: triggers required', () => {
    expect(errorsAfter(scaledObject, s => delete s.spec.triggers)).toEqual([expect.stringContaining(".spec: missing required field 'triggers'")]);
  });
});

describe('Dynamo CRD schemas', () => {
  it('are found beside the repository, or the skip is explicit', () => {
    // Documents the environment in the test output; the CRD tests below skip without the schemas.
    expect(typeof crdSchemasAvailable()).toBe('boolean');
  });

  withCrds('rejects a bad enum in a DGD', () => {
    expect(errorsAfter(dgdV1beta1(), d => d.spec.backendFramework = 'tgi')).toEqual([
      expect.stringMatching(/^DynamoGraphDeployment\/demo\/llm \.spec\.backendFramework: must be one of \["sglang","vllm","trtllm"\]$/),
    ]);
  });

  withCrds('rejects an unknown field in a v1beta1 podTemplate and component', () => {
    expect(errorsAfter(dgdV1beta1(), d => {
      d.spec.components[1].podTemplate.spec.containers[0].gpus = 1;
      d.spec.components[1].gpus = 1;
    })).toEqual([
      expect.stringContaining('.spec.components[1].gpus: unknown field'),
      expect.stringContaining('.spec.components[1].podTemplate.spec.containers[0].gpus: unknown field'),
    ]);
  });

  withCrds('rejects an unknown field in a v1alpha1 service', () => {
    expect(errorsAfter(dgdV1alpha1(), d => d.spec.services.VllmWorker.resources.limits.gpus = '1')).toEqual([
      expect.stringContaining('.spec.services.VllmWorker.resources.limits.gpus: unknown field'),
    ]);
  });

  withCrds('rejects a wrong type and a pattern mismatch', () => {
    expect(errorsAfter(dgdV1beta1(), d => {
      d.spec.components[0].replicas = 'one';
      d.spec.components[1].runtimeVersionOverride = 'latest';
    })).toEqual(expect.arrayContaining([
      expect.stringContaining('.spec.components[0].replicas: must be of type integer'),
      expect.stringContaining('.spec.components[1].runtimeVersionOverride: must match pattern'),
    ]));
  });

  withCrds('evaluates CEL rules (pvcs create, sharedMemory size, list-map keys)', () => {
    const errors = errorsAfter(dgdV1alpha1(), d => {
      delete d.spec.pvcs[0].storageClass;
      d.spec.services.VllmWorker.sharedMemory = { size: '0' };
    });
    expect(errors).toEqual([
      expect.stringContaining('.spec.pvcs[0]: When create is true, size, storageClass, and volumeAccessMode are required'),
      expect.stringContaining('.spec.services.VllmWorker.sharedMemory: size is required when disabled is false'),
    ]);
    expect(errorsAfter(dgdV1beta1(), d => d.spec.components[1].podTemplate.spec.containers.push({ name: 'main', image: 'x:1.0.0' })))
      .toEqual([
        expect.stringContaining('.spec.components[1].podTemplate.spec.containers[1]: duplicate entry for key name="main"'),
        expect.stringContaining(".spec.components[1].podTemplate.spec.containers[1].name: duplicate container name 'main'"),
      ]);
  });

  withCrds('enforces the 25-component limit in the schema too', () => {
    const errors = errorsAfter(dgdV1beta1(), d => {
      for (let i = 0; i < 24; i++) d.spec.components.push({ ...d.spec.components[0], name: `Extra${i}` });
    });
    expect(errors).toEqual(expect.arrayContaining([expect.stringContaining('.spec.components: violates maxItems 25')]));
  });

  withCrds('validates DGDR, scaling adapter and model', () => {
    const [dgdr, dgdsa, model] = otherDynamoObjects();
    expect(errorsAfter(dgdr, r => r.spec.searchStrategy = 'exhaustive')).toEqual([expect.stringContaining('.spec.searchStrategy: must be one of')]);
    expect(errorsAfter(dgdsa, a => delete a.spec.replicas)).toEqual([expect.stringContaining(".spec: missing required field 'replicas'")]);
    expect(errorsAfter(model, m => m.spec.modelType = 'merged')).toEqual([expect.stringContaining('.spec.modelType: must be one of')]);
  });

  withCrds('rejects a version the CRD does not serve and metadata that is not ObjectMeta', () => {
    expect(errorsAfter(dgdV1beta1(), d => d.apiVersion = 'nvidia.com/v2')).toEqual([expect.stringContaining('.apiVersion: version not served')]);
    expect(errorsAfter(dgdV1beta1(), d => d.metadata.label = {})).toEqual([expect.stringContaining('.metadata.label: unknown field')]);
  });

  withCrds('evaluates every CEL rule the CRDs use', () => {
    validateObjects([dgdV1beta1(), dgdV1alpha1(), ...otherDynamoObjects()]);
    expect(unevaluatedCelRules()).toEqual([]);
  });
});
