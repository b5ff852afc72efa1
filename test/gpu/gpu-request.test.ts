import { GpuProfile } from '../../src/gpu/gpu-profile';
import { GpuRequest, MigStrategy } from '../../src/gpu/gpu-request';

describe('GpuRequest', () => {
  test('whole GPUs', () => {
    const r = GpuRequest.whole(GpuProfile.H100_SXM);
    expect(r).toMatchObject({ isMig: false, resourceName: 'nvidia.com/gpu', productLabel: 'NVIDIA-H100-80GB-HBM3', memoryGiB: 80, devicesPerNode: 8 });
    expect(r.migProfile).toBeUndefined();
    expect(r.toString()).toBe('H100 SXM5 80GB');
  });

  test('any GPU: nothing to pin', () => {
    const r = GpuRequest.anyGpu();
    expect(r).toMatchObject({ isMig: false, resourceName: 'nvidia.com/gpu' });
    expect(r.productLabel).toBeUndefined();
    expect(r.devicesPerNode).toBeUndefined();
    expect(r.memoryGiB).toBeUndefined();
  });

  test('MIG mixed (the default): per-profile resource, plain product label', () => {
    const r = GpuRequest.mig(GpuProfile.A100_SXM4_80GB.mig('3g.40gb'));
    expect(r.migStrategy).toBe(MigStrategy.MIXED);
    expect(r).toMatchObject({ isMig: true, resourceName: 'nvidia.com/mig-3g.40gb', productLabel: 'NVIDIA-A100-SXM4-80GB', memoryGiB: 40, devicesPerNode: 16 });
    expect(r.toString()).toBe('A100 SXM4 80GB MIG 3g.40gb (mixed)');
  });

  test('MIG single: nvidia.com/gpu and the -MIG- product label', () => {
    const r = GpuRequest.mig(GpuProfile.H100_SXM.mig('1g.10gb'), MigStrategy.SINGLE);
    expect(r).toMatchObject({ resourceName: 'nvidia.com/gpu', productLabel: 'NVIDIA-H100-80GB-HBM3-MIG-1g.10gb', memoryGiB: 10, devicesPerNode: 56 });
  });

  test('rejects an unknown strategy', () => {
    expect(() => GpuRequest.mig(GpuProfile.H100_SXM.mig('1g.10gb'), 'none' as MigStrategy)).toThrow(/\[GpuRequest\.mig\] 'strategy' is 'none': allowed: mixed, single/);
  });
});
