import { admissionErrors, admissionWarnings, imageTag } from './admission';
import { dgdV1alpha1, dgdV1beta1 } from './fixtures';

function after(obj: any, mutate: (o: any) => void): any {
  const copy = JSON.parse(JSON.stringify(obj));
  mutate(copy);
  return copy;
}

describe('admissionErrors', () => {
  it('accepts the valid fixtures in both API versions', () => {
    expect(admissionErrors(dgdV1beta1())).toEqual([]);
    expect(admissionErrors(dgdV1alpha1())).toEqual([]);
  });

  it('ignores kinds it has no rules for', () => {
    expect(admissionErrors({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { restart: 1 } })).toEqual([]);
  });

  it('requires a main image on every component (v1beta1 and v1alpha1)', () => {
    expect(admissionErrors(after(dgdV1beta1(), d => d.spec.components[0].podTemplate.spec.containers[0].name = 'frontend'))).toEqual([
      "DynamoGraphDeployment/demo/llm .spec.components[0].podTemplate.spec.containers: component 'Frontend' has no main image: every component needs one",
    ]);
    expect(admissionErrors(after(dgdV1alpha1(), d => delete d.spec.services.VllmWorker.extraPodSpec.mainContainer.image))).toEqual([
      "DynamoGraphDeployment/demo/llm-agg .spec.services.VllmWorker.extraPodSpec.mainContainer.image: component 'VllmWorker' has no main image: every component needs one",
    ]);
  });

  it('requires runtimeVersionOverride when the image tag is not semver', () => {
    const latest = after(dgdV1beta1(), d => d.spec.components[1].podTemplate.spec.containers[0].image = 'registry.local:5000/dynamo/vllm:my-tag');
    expect(admissionErrors(latest)).toEqual([
      expect.stringContaining(".spec.components[1].podTemplate.spec.containers[0].image: image 'registry.local:5000/dynamo/vllm:my-tag' has tag 'my-tag', which is not MAJOR.MINOR.PATCH: set runtimeVersionOverride"),
    ]);
    expect(admissionErrors(after(latest, d => d.spec.components[1].runtimeVersionOverride = '1.4.0'))).toEqual([]);
  });

  it('needs at least one and at most 25 components', () => {
    expect(admissionErrors(after(dgdV1beta1(), d => d.spec.components = []))).toEqual([
      'DynamoGraphDeployment/demo/llm .spec.components: a DynamoGraphDeployment needs at least one component',
    ]);
    const many = after(dgdV1alpha1(), d => {
      for (let i = 0; i < 25; i++) d.spec.services[`Worker${i}`] = d.spec.services.VllmWorker;
    });
    expect(admissionErrors(many)).toEqual(['DynamoGraphDeployment/demo/llm-agg .spec.services: has 27 components: at most 25 are allowed']);
  });

  it('rejects invalid and case-insensitively duplicate component names', () => {
    expect(admissionErrors(after(dgdV1beta1(), d => {
      d.spec.components[1].name = 'frontend';
      d.spec.components[2].name = 'decode_worker';
    }))).toEqual([
      "DynamoGraphDeployment/demo/llm .spec.components[1]: component name 'frontend' collides with 'Frontend': names must be unique case-insensitively",
      "DynamoGraphDeployment/demo/llm .spec.components[2]: component name 'decode_worker' is invalid: 1-63 letters, digits or '-', starting and ending with a letter or digit",
    ]);
  });

  it('requires restart to be unset on create', () => {
    expect(admissionErrors(after(dgdV1beta1(), d => d.spec.restart = { id: 'r1' }))).toEqual([
      'DynamoGraphDeployment/demo/llm .spec.restart: must be unset on create (set restart.id later to request a restart)',
    ]);
  });

  it('applies the EPP rules', () => {
    const epp = { name: 'Epp', type: 'epp', multinode: { nodeCount: 2 }, podTemplate: { spec: { containers: [{ name: 'main', image: 'epp:1.0.0' }] } } };
    expect(admissionErrors(after(dgdV1beta1(), d => d.spec.components.push(epp, { ...epp, name: 'Epp2', multinode: undefined, eppConfig: { config: {} } })))).toEqual([
      'DynamoGraphDeployment/demo/llm .spec.components: has 2 epp components (Epp, Epp2): at most one is allowed',
      "DynamoGraphDeployment/demo/llm .spec.components[3].multinode: epp component 'Epp' cannot be multinode",
      "DynamoGraphDeployment/demo/llm .spec.components[3]: epp component 'Epp' needs eppConfig",
    ]);
  });

  it('checks minAvailable against replicas and the Grove path', () => {
    expect(admissionErrors(after(dgdV1beta1(), d => d.spec.components[2].minAvailable = 3))).toEqual([
      'DynamoGraphDeployment/demo/llm .spec.components[2].minAvailable: is 3: must be <= replicas (2) unless replicas is 0',
    ]);
    expect(admissionErrors(after(dgdV1beta1(), d => {
      d.spec.components[2].minAvailable = 3;
      d.spec.components[2].replicas = 0;
    }))).toEqual([]);
    expect(admissionErrors(after(dgdV1alpha1(), d => {
      d.metadata.annotations = { 'nvidia.com/enable-grove': 'false' };
      d.spec.services.VllmWorker.minAvailable = 1;
    }))).toEqual([expect.stringContaining('.spec.services.VllmWorker.minAvailable: is 1: minAvailable is only allowed on the Grove path')]);
  });

  it('accepts only mp or ray as vLLM distributed executor backend', () => {
    const key = 'nvidia.com/vllm-distributed-executor-backend';
    expect(admissionErrors(after(dgdV1beta1(), d => d.spec.components[1].podTemplate.metadata = { annotations: { [key]: 'Ray' } }))).toEqual([]);
    expect(admissionErrors(after(dgdV1beta1(), d => d.spec.components[1].podTemplate.metadata = { annotations: { [key]: 'nccl' } }))).toEqual([
      `DynamoGraphDeployment/demo/llm .spec.components[1].podTemplate.metadata.annotations["${key}"]: is 'nccl': allowed: mp, ray`,
    ]);
    expect(admissionErrors(after(dgdV1alpha1(), d => d.metadata.annotations = { [key]: 'torch' }))).toHaveLength(1);
  });

  it('applies the component rules to a DynamoComponentDeployment', () => {
    const dcd = { apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoComponentDeployment', metadata: { name: 'llm-frontend' }, spec: { componentType: 'frontend', extraPodSpec: { mainContainer: { image: 'x:latest' } } } };
    expect(admissionErrors(dcd)).toEqual([expect.stringContaining("has tag 'latest', which is not MAJOR.MINOR.PATCH")]);
  });
});

describe('admissionWarnings', () => {
  it('flags Grove-only and deprecated settings without failing', () => {
    const dgd = after(dgdV1alpha1(), d => {
      d.spec.priorityClassName = 'high';
      d.spec.services.VllmWorker.dynamoNamespace = 'old';
    });
    expect(admissionErrors(dgd)).toEqual([]);
    expect(admissionWarnings(dgd)).toEqual([
      'DynamoGraphDeployment/demo/llm-agg .spec.priorityClassName: only honoured on the Grove path',
      'DynamoGraphDeployment/demo/llm-agg .spec.services.VllmWorker.dynamoNamespace: deprecated and ignored by the operator',
    ]);
  });
});

describe('imageTag', () => {
  it.each([
    ['nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.4.0', '1.4.0'],
    ['registry.local:5000/vllm', 'latest'],
    ['registry.local:5000/vllm:v1.2.3-rc1@sha256:abcd', 'v1.2.3-rc1'],
    ['vllm@sha256:abcd', 'latest'],
  ])('%s -> %s', (image, tag) => {
    expect(imageTag(image)).toBe(tag);
  });
});
