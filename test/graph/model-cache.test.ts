import { Chart, Size, Testing } from 'cdk8s';
import { PersistentVolumeAccessMode } from 'cdk8s-plus-33';
import { dgd, mainContainer, synthValid } from './synth';
import { AggregatedPool, Backend, DynamoApiVersion, DynamoGraph, GpuProfile, ModelCache } from '../../src';

const MODEL = 'Qwen/Qwen3-0.6B';

function setup(apiVersion = DynamoApiVersion.V1BETA1, props: any = {}) {
  const chart = Testing.chart();
  const cache = new ModelCache(chart, 'models', { model: MODEL, size: Size.gibibytes(50), ...props });
  const graph = new DynamoGraph(chart, 'g', { backend: Backend.VLLM, apiVersion });
  new AggregatedPool(graph, 'Worker', { model: MODEL, gpu: GpuProfile.H100_SXM, modelCache: cache });
  return { chart, cache };
}

describe('ModelCache', () => {
  test.each([DynamoApiVersion.V1BETA1, DynamoApiVersion.V1ALPHA1])('claim, download Job and pool wiring (%s)', (apiVersion) => {
    const { chart } = setup(apiVersion);
    expect(synthValid(chart)).toMatchSnapshot();
  });

  test('the claim is ReadWriteMany by default and protected from GitOps pruning', () => {
    const objects = synthValid(setup(DynamoApiVersion.V1BETA1, { storageClassName: 'shared-nfs' }).chart);
    const pvc = objects.find(o => o.kind === 'PersistentVolumeClaim');
    expect(pvc.spec).toEqual({ accessModes: ['ReadWriteMany'], storageClassName: 'shared-nfs', resources: { requests: { storage: '50Gi' } } });
    expect(pvc.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'Prune=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' });
  });

  test('the Job is idempotent, non-root, read-only, takes the token by reference and follows the pools\' placement', () => {
    const objects = synthValid(setup(DynamoApiVersion.V1BETA1, { hfTokenSecret: { secretName: 'hf-token-secret', key: 'HF_TOKEN' }, revision: 'abc123' }).chart);
    const job = objects.find(o => o.kind === 'Job');
    expect(job.spec.ttlSecondsAfterFinished).toBeUndefined();
    expect(job.spec.backoffLimit).toBe(6);
    const pod = job.spec.template.spec;
    const c = pod.containers[0];
    // The marker check comes before the download, and the marker is written only after it.
    const script: string = c.command[2];
    expect(script.indexOf('if [ -f "$MARKER" ]')).toBeLessThan(script.indexOf('snapshot_download'));
    expect(script.indexOf('touch "$MARKER"')).toBeGreaterThan(script.indexOf('snapshot_download'));
    expect(c.env).toContainEqual({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token-secret', key: 'HF_TOKEN' } } });
    expect(c.env).toContainEqual({ name: 'MODEL_DIR', value: '/models/Qwen/Qwen3-0.6B/abc123' });
    expect(c.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(c.resources.requests).toMatchObject({ 'cpu': '1', 'memory': '4Gi', 'ephemeral-storage': '2Gi' });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.tolerations).toContainEqual({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' });
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms)
      .toEqual([{ matchExpressions: [{ key: 'nvidia.com/gpu.product', operator: 'In', values: [GpuProfile.H100_SXM.productLabel] }] }]);
  });

  test('pools mount the claim, wait for the marker and load from the local path', () => {
    const [worker] = dgd(synthValid(setup().chart)).spec.components;
    const main = mainContainer(worker);
    expect(main.args.slice(0, 4)).toEqual(['--model', '/models/Qwen/Qwen3-0.6B/main', '--served-model-name', MODEL]);
    expect(main.volumeMounts).toContainEqual({ name: 'models', mountPath: '/models' });
    expect(worker.podTemplate.spec.volumes).toContainEqual({ name: 'models', persistentVolumeClaim: { claimName: 'models' } });
    expect(worker.podTemplate.spec.initContainers[0]).toMatchObject({
      name: 'wait-for-model',
      env: [{ name: 'MARKER', value: '/models/Qwen/Qwen3-0.6B/main/.download-complete' }],
    });
  });

  test('v1alpha1 references the claim through spec.pvcs and volumeMounts', () => {
    const spec = dgd(synthValid(setup(DynamoApiVersion.V1ALPHA1).chart)).spec;
    expect(spec.pvcs).toEqual([{ name: 'models', create: false }]);
    expect(spec.services.Worker.volumeMounts).toEqual([{ name: 'models', mountPoint: '/models' }]);
  });

  test('a new revision gets a new Job name (Jobs are immutable), the same inputs the same name', () => {
    const name = (revision: string) => synthValid(setup(DynamoApiVersion.V1BETA1, { revision }).chart).find(o => o.kind === 'Job').metadata.name;
    expect(name('r1')).toBe(name('r1'));
    expect(name('r1')).not.toBe(name('r2'));
    expect(name('r1')).toMatch(/^models-download-[0-9a-f]{8}$/);
  });

  describe('rejects', () => {
    test('a model that is not a Hugging Face id, and a non-positive size', () => {
      expect(() => new ModelCache(Testing.chart(), 'c', { model: 'qwen', size: Size.gibibytes(1) }))
        .toThrow(/\[test\/c\] 'model' is 'qwen': allowed: a Hugging Face id <org>\/<name>/);
      expect(() => new ModelCache(Testing.chart(), 'c', { model: MODEL, size: Size.gibibytes(0) })).toThrow(/'size' is '0Gi': allowed: a size above 0/);
      expect(() => new ModelCache(Testing.chart(), 'c', { model: MODEL, size: Size.gibibytes(1), resources: { ephemeralStorage: Size.gibibytes(0) } }))
        .toThrow(/^\[test\/c\] 'resources.ephemeralStorage' is '0Gi': allowed: a size above 0$/);
    });

    test('a pool serving another model, or in another namespace', () => {
      const chart = Testing.chart();
      const cache = new ModelCache(chart, 'models', { model: MODEL, size: Size.gibibytes(10), accessMode: PersistentVolumeAccessMode.READ_WRITE_ONCE });
      const graph = new DynamoGraph(chart, 'g', { backend: Backend.VLLM });
      expect(() => new AggregatedPool(graph, 'W', { model: 'Qwen/Qwen3-8B', modelCache: cache }))
        .toThrow(/\[test\/g\/W\] 'modelCache' is 'Qwen\/Qwen3-0.6B': the cache holds a different model\. allowed: a ModelCache of 'Qwen\/Qwen3-8B'/);
      const other = new DynamoGraph(new Chart(Testing.app(), 'other', { namespace: 'team-b' }), 'g', { backend: Backend.VLLM });
      expect(() => new AggregatedPool(other, 'W', { model: MODEL, modelCache: cache })).toThrow(/'modelCache' is .*pods can only mount claims of their own namespace/);
    });

    test('a single-node claim under an engine that spans nodes (every node mounts it)', () => {
      const chart = Testing.chart();
      const graph = new DynamoGraph(chart, 'g', { backend: Backend.VLLM });
      const once = new ModelCache(chart, 'once', { model: MODEL, size: Size.gibibytes(10), accessMode: PersistentVolumeAccessMode.READ_WRITE_ONCE });
      const engine = { model: MODEL, gpu: GpuProfile.H100_SXM, tensorParallel: 16 };
      expect(() => new AggregatedPool(graph, 'W', { ...engine, modelCache: once }))
        .toThrow(/\[test\/g\/W\] 'modelCache' is 'test\/once \(ReadWriteOnce\)': the engine spans 2 nodes and each of them mounts the claim\. allowed: a ModelCache with accessMode ReadWriteMany or ReadOnlyMany/);
      expect(() => new AggregatedPool(graph, 'One', { model: MODEL, gpu: GpuProfile.H100_SXM, modelCache: once })).not.toThrow();
      const many = new ModelCache(chart, 'many', { model: MODEL, size: Size.gibibytes(10), accessMode: PersistentVolumeAccessMode.READ_ONLY_MANY });
      expect(() => new AggregatedPool(graph, 'Many', { ...engine, modelCache: many })).not.toThrow();
    });
  });
});
