import { Size, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import * as fc from 'fast-check';
import { GpuPod } from '../../src/gpu/gpu-pod';
import { GpuProfile } from '../../src/gpu/gpu-profile';
import { GpuRequest, MigStrategy } from '../../src/gpu/gpu-request';
import { GpuSchedulingProps } from '../../src/gpu/gpu-scheduling-props';
import { expectValid } from '../support/validate';

const H100 = GpuRequest.whole(GpuProfile.H100_SXM);
const MIXED = GpuRequest.mig(GpuProfile.A100_SXM4_80GB.mig('1g.10gb'));
const SINGLE = GpuRequest.mig(GpuProfile.A100_SXM4_80GB.mig('1g.10gb'), MigStrategy.SINGLE);

/** Resources as they appear in the synthesized manifest. */
function json(r: k8s.ResourceRequirements): any {
  return k8s.toJson_ResourceRequirements(r);
}

/** Synthesizes a Deployment whose pod uses the helpers, the way a pool does. */
function synthDeployment(request: GpuRequest, count: number, props: GpuSchedulingProps = {}): any[] {
  const chart = Testing.chart();
  const placement = GpuPod.placement(request, props);
  const shm = GpuPod.sharedMemory(count, props);
  new k8s.KubeDeployment(chart, 'worker', {
    spec: {
      selector: { matchLabels: { app: 'worker' } },
      template: {
        metadata: { labels: { app: 'worker' } },
        spec: {
          ...placement,
          containers: [{
            name: 'main',
            image: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.4.0',
            resources: deviceResources(request, count),
            ...(shm ? { volumeMounts: [{ name: 'shm', mountPath: '/dev/shm' }] } : {}),
          }],
          ...(shm ? { volumes: [{ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString(shm) } }] } : {}),
        },
      },
    },
  });
  return Testing.synth(chart);
}

/** The device resource as both request and limit, the way a pool renders it. */
function deviceResources(request: GpuRequest, count: number): k8s.ResourceRequirements {
  const r = GpuPod.resources(request, count);
  return { requests: r.devices, limits: r.devices };
}

describe('GpuPod.resources', () => {
  test('whole GPUs: the device count, 4 CPU and 16 GiB per GPU plus /dev/shm', () => {
    const r = GpuPod.resources(H100, 4);
    expect(json({ requests: r.devices })).toEqual({ requests: { 'nvidia.com/gpu': 4 } });
    expect([r.cpu, r.memory]).toEqual(['16', '80Gi']);
  });

  test('one GPU leaves /dev/shm to the operator and adds nothing for it', () => {
    expect(GpuPod.resources(H100, 1).memory).toBe('16Gi');
  });

  test('MIG mixed asks for the profile resource; single for nvidia.com/gpu', () => {
    const mixed = GpuPod.resources(MIXED, 1);
    expect(Object.keys(mixed.devices)).toEqual(['nvidia.com/mig-1g.10gb']);
    expect([mixed.cpu, mixed.memory]).toEqual(['2', '8Gi']);
    expect(Object.keys(GpuPod.resources(SINGLE, 1).devices)).toEqual(['nvidia.com/gpu']);
  });

  test('an explicit /dev/shm size is charged to memory', () => {
    expect(GpuPod.resources(H100, 2, { sharedMemory: Size.gibibytes(20) }).memory).toBe('52Gi');
  });
});

describe('GpuPod.validate', () => {
  test('MIG slices cannot be combined in one pod', () => {
    expect(() => GpuPod.validate('Graph/Decode', MIXED, 2, 'tensorParallel')).toThrow(
      /\[Graph\/Decode\] 'tensorParallel' is 2: .*MIG 1g\.10gb \(mixed\) gives each pod one isolated slice.*allowed: 1 with a MIG slice/);
  });
  test('no more GPUs than a node has', () => {
    expect(() => GpuPod.validate('Graph/Decode', H100, 16)).toThrow(/'gpusPerPod' is 16:.*allowed: at most 8 per pod/);
    expect(() => GpuPod.validate('Graph/Decode', GpuRequest.whole(GpuProfile.GB200), 8)).toThrow(/allowed: at most 4 per pod/);
  });
  test('whole numbers only', () => {
    expect(() => GpuPod.validate('Graph/Decode', H100, 0)).toThrow(/'gpusPerPod' is 0:.*allowed: a whole number >= 1/);
  });
  test('valid requests pass', () => {
    expect(() => GpuPod.validate('Graph/Decode', H100, 8)).not.toThrow();
    expect(() => GpuPod.validate('Graph/Decode', SINGLE, 1)).not.toThrow();
    expect(() => GpuPod.validate('Graph/Decode', GpuRequest.anyGpu(), 64)).not.toThrow();
  });
});

describe('GpuPod.placement', () => {
  test('whole GPU: product affinity and the GPU taint toleration', () => {
    expect(GpuPod.placement(H100)).toEqual({
      nodeSelector: undefined,
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{
              matchExpressions: [{ key: 'nvidia.com/gpu.product', operator: 'In', values: ['NVIDIA-H100-80GB-HBM3'] }],
            }],
          },
        },
      },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    });
  });

  test('Grace parts select and tolerate arm64', () => {
    const p = GpuPod.placement(GpuRequest.whole(GpuProfile.GB200));
    expect(p.nodeSelector).toEqual({ 'kubernetes.io/arch': 'arm64' });
    expect(p.tolerations).toContainEqual({ key: 'kubernetes.io/arch', operator: 'Equal', value: 'arm64', effect: 'NoSchedule' });
  });

  test('targeting off, extra selectors, requirements and tolerations (deduplicated)', () => {
    const p = GpuPod.placement(H100, {
      targetGpuProduct: false,
      nodeSelector: { pool: 'inference' },
      nodeRequirements: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a'] }],
    }, 'gpu', [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }, { key: 'spot', operator: 'Exists' }]);
    expect(p.nodeSelector).toEqual({ pool: 'inference' });
    expect(p.affinity!.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution!.nodeSelectorTerms[0].matchExpressions)
      .toEqual([{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a'] }]);
    expect(p.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }, { key: 'spot', operator: 'Exists' }]);
  });

  test('MIG single is always pinned to its -MIG- label', () => {
    const p = GpuPod.placement(SINGLE, { targetGpuProduct: false });
    expect(p.affinity!.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution!.nodeSelectorTerms[0].matchExpressions)
      .toEqual([{ key: 'nvidia.com/gpu.product', operator: 'In', values: ['NVIDIA-A100-SXM4-80GB-MIG-1g.10gb'] }]);
  });

  test('nothing to pin and no taint toleration', () => {
    expect(GpuPod.placement(GpuRequest.anyGpu(), { tolerateGpuTaint: false }))
      .toEqual({ nodeSelector: undefined, affinity: undefined, tolerations: [] });
  });

  test('a node selector that contradicts the GPU is an error', () => {
    expect(() => GpuPod.placement(GpuRequest.whole(GpuProfile.GB200), { nodeSelector: { 'kubernetes.io/arch': 'amd64' } }, 'Graph/Decode'))
      .toThrow(/\[Graph\/Decode\] 'nodeSelector\.kubernetes\.io\/arch' is 'amd64': .*allowed: 'arm64'/);
  });
});

describe('GpuPod.sharedMemory', () => {
  test('formula: operator default for one GPU, 4Gi per GPU with an 8Gi floor, capped', () => {
    expect([1, 2, 4, 8].map(n => GpuPod.sharedMemory(n))).toEqual([undefined, '8Gi', '16Gi', '32Gi']);
    expect(GpuPod.sharedMemory(8, { maxSharedMemory: Size.gibibytes(20) })).toBe('20Gi');
    expect(GpuPod.sharedMemory(1, { sharedMemory: Size.mebibytes(512) })).toBe('512Mi');
  });

  test('the cap keeps at least 1Gi per GPU', () => {
    expect(() => GpuPod.sharedMemory(8, { maxSharedMemory: Size.gibibytes(4) }, 'Graph/Decode'))
      .toThrow(/\[Graph\/Decode\] 'maxSharedMemory' is '4Gi':.*allowed: at least 1Gi per GPU \(8Gi\)/);
  });

  test('property: between 1Gi per GPU and the cap, and the memory limit covers it', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 72 }), fc.integer({ min: 72, max: 512 }), (devices, capGi) => {
      const props = { maxSharedMemory: Size.gibibytes(capGi) };
      const gi = Number(GpuPod.sharedMemory(devices, props)!.replace(/Gi$/, ''));
      expect(gi).toBeGreaterThanOrEqual(devices);
      expect(gi).toBeLessThanOrEqual(capGi);
      const memory = GpuPod.resources(GpuRequest.anyGpu(), devices, props).memory;
      expect(Number(memory.replace(/Gi$/, ''))).toBeGreaterThanOrEqual(gi);
    }));
  });
});

describe('synthesized pods keep their GPU resources (the Quantity trap)', () => {
  test.each([
    ['whole H100 x4', H100, 4, 'nvidia.com/gpu'],
    ['MIG mixed', MIXED, 1, 'nvidia.com/mig-1g.10gb'],
    ['MIG single', SINGLE, 1, 'nvidia.com/gpu'],
  ] as const)('%s', (_name, request, devices, resource) => {
    const objects = synthDeployment(request, devices);
    const container = objects[0].spec.template.spec.containers[0];
    expect(container.resources.limits[resource]).toBe(devices);
    expect(container.resources.requests[resource]).toBe(devices);
    expectValid(objects);
    expect(objects).toMatchSnapshot();
  });

  test('KubePod with a Grace GPU', () => {
    const chart = Testing.chart();
    const request = GpuRequest.whole(GpuProfile.GB200);
    new k8s.KubePod(chart, 'pod', {
      spec: {
        ...GpuPod.placement(request),
        containers: [{ name: 'main', image: 'busybox:1.36', resources: deviceResources(request, 4) }],
      },
    });
    const [pod] = Testing.synth(chart);
    expect(pod.spec.containers[0].resources.limits['nvidia.com/gpu']).toBe(4);
    expect(pod.spec.nodeSelector).toEqual({ 'kubernetes.io/arch': 'arm64' });
    expectValid([pod]);
  });
});
