import * as fs from 'fs';
import * as path from 'path';
import { ComputePrecision, GpuProfile } from '../../src/gpu/gpu-profile';
import { sharedReference } from '../support/shared-reference';

const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const MIG_NAME = /^(\d)g\.(\d+)gb$/;

describe('catalog invariants', () => {
  const all = GpuProfile.all();

  test('covers the GPUs the issue asks for', () => {
    for (const name of ['a100-sxm4-40gb', 'a100-sxm4-80gb', 'a10g', 'l4', 'l40s', 'h100-sxm', 'h100-pcie', 'h100-nvl', 'h200-sxm', 'b200', 'gb200']) {
      expect(all.map(g => g.name)).toContain(name);
    }
  });

  test.each(all.map(g => [g.name, g] as const))('%s: positive figures', (_name, gpu) => {
    const figures = [gpu.memoryGiB, gpu.memoryBandwidthGBps, gpu.bf16Tflops, gpu.gpusPerNode, gpu.intraNodeBandwidthGBps, gpu.interNodeBandwidthGBps];
    for (const value of figures) {
      expect(Number.isFinite(value) && value > 0).toBe(true);
    }
    for (const value of [gpu.fp8Tflops, gpu.fp4Tflops, gpu.nvlinkGBps]) {
      if (value !== undefined) expect(value).toBeGreaterThan(0);
    }
    expect(Number.isInteger(gpu.gpusPerNode)).toBe(true);
    // Lower precisions are at least as fast; an FP4 part also has FP8.
    if (gpu.fp8Tflops) expect(gpu.fp8Tflops).toBeGreaterThanOrEqual(gpu.bf16Tflops);
    if (gpu.fp4Tflops) expect(gpu.fp4Tflops).toBeGreaterThanOrEqual(gpu.fp8Tflops!);
    expect(gpu.tflops(ComputePrecision.BF16)).toBe(gpu.bf16Tflops);
    expect(gpu.tflops(ComputePrecision.FP8)).toBe(gpu.fp8Tflops);
    expect(gpu.tflops(ComputePrecision.FP4)).toBe(gpu.fp4Tflops);
  });

  test('tflops refuses a precision outside ComputePrecision (JavaScript callers)', () => {
    expect(() => GpuProfile.H100_SXM.tflops('fp16' as ComputePrecision))
      .toThrow(/^\[GpuProfile h100-sxm\] 'precision' is 'fp16': allowed: bf16, fp8, fp4$/);
  });

  test.each(all.map(g => [g.name, g] as const))('%s: product label is a valid label value', (_name, gpu) => {
    expect(gpu.productLabel).toMatch(LABEL_VALUE);
    expect(gpu.productLabel.length).toBeLessThanOrEqual(63);
    expect(gpu.productLabel.startsWith('NVIDIA-')).toBe(true);
  });

  test.each(all.filter(g => g.supportsMig).map(g => [g.name, g] as const))('%s: MIG profiles parse and fit the GPU', (_name, gpu) => {
    const totalSlices = Math.max(...gpu.migProfiles.map(p => p.computeSlices));
    expect([4, 7]).toContain(totalSlices);
    for (const p of gpu.migProfiles) {
      const m = MIG_NAME.exec(p.name);
      expect(m).not.toBeNull();
      expect(Number(m![1])).toBe(p.computeSlices);
      expect(Number(m![2])).toBe(p.memoryGiB);
      // The name's memory is nominal: never more than the whole GPU (rounded up).
      expect(p.memoryGiB).toBeLessThanOrEqual(Math.ceil(gpu.memoryGiB));
      expect(p.maxInstancesPerGpu * p.computeSlices).toBeLessThanOrEqual(totalSlices);
      expect(p.computeFraction).toBeGreaterThan(0);
      expect(p.computeFraction).toBeLessThanOrEqual(1);
      expect(p.mixedResourceName).toBe(`nvidia.com/mig-${p.name}`);
      expect(p.singleStrategyProductLabel).toMatch(LABEL_VALUE);
      expect(p.singleStrategyProductLabel.length).toBeLessThanOrEqual(63);
      expect(gpu.mig(p.name)).toBe(p);
    }
  });

  test('names and product labels are unique', () => {
    expect(new Set(all.map(g => g.name)).size).toBe(all.length);
    expect(new Set(all.map(g => g.productLabel)).size).toBe(all.length);
  });

  test('Grace parts are arm64, the rest are not', () => {
    expect(all.filter(g => g.arm64).map(g => g.name)).toEqual(['gh200', 'gh200-144gb', 'gb200', 'gb300']);
  });

  test('A30 slices are quarters of the GPU', () => {
    expect(GpuProfile.A30.mig('2g.12gb').computeFraction).toBe(0.5);
    expect(GpuProfile.H100_SXM.mig('3g.40gb').computeFraction).toBeCloseTo(3 / 7);
  });
});

test('docs/gpus.md lists every catalog GPU with its label and memory', () => {
  const doc = fs.readFileSync(path.join(__dirname, '../../docs/gpus.md'), 'utf8');
  for (const gpu of GpuProfile.all()) {
    const row = doc.split('\n').find(line => line.includes(`| \`${gpu.productLabel}\``));
    expect(row).toBeDefined();
    expect(row).toContain(`| ${gpu.memoryGiB} |`);
  }
});

describe('GpuProfile.of', () => {
  test.each([
    ['h100_sxm', GpuProfile.H100_SXM],
    ['h200_sxm', GpuProfile.H200_SXM],
    ['b200_sxm', GpuProfile.B200],
    ['a100_sxm', GpuProfile.A100_SXM4_80GB],
    ['l40s', GpuProfile.L40S],
    ['gb200', GpuProfile.GB200],
    ['H100-SXM', GpuProfile.H100_SXM],
    ['H200_NVL', GpuProfile.H200_NVL],
    ['gb200_sxm', GpuProfile.GB200],
    [' A10G ', GpuProfile.A10G],
  ])('%s', (name, gpu) => {
    expect(GpuProfile.of(name)).toBe(gpu);
  });

  test('unknown names list the known ones', () => {
    expect(() => GpuProfile.of('v100')).toThrow(/\[GpuProfile\.of\] 'name' is 'v100': unknown GPU\. allowed: .*h100-sxm.*h100_sxm/);
  });

  test('knownNames is sorted and resolvable', () => {
    const names = GpuProfile.knownNames();
    expect([...names].sort()).toEqual(names);
    for (const name of names) expect(() => GpuProfile.of(name)).not.toThrow();
  });
});

describe('MIG lookups', () => {
  test('a GPU without MIG names the MIG-capable ones', () => {
    expect(() => GpuProfile.L40S.mig('1g.10gb')).toThrow(/\[GpuProfile l40s\] 'mig' is '1g.10gb': L40S 48GB cannot be partitioned\. allowed: a GPU with MIG: .*a100-sxm4-40gb/);
  });
  test('an unknown profile lists the supported ones', () => {
    expect(() => GpuProfile.H100_SXM.mig('1g.5gb')).toThrow(/'mig' is '1g.5gb': no such MIG profile on this GPU\. allowed: 1g\.10gb, 1g\.20gb, 2g\.20gb, 3g\.40gb, 4g\.40gb, 7g\.80gb/);
  });
});

describe('GpuProfile.custom', () => {
  const base = { name: 'my-gpu', memoryGiB: 48, memoryBandwidthGBps: 900, bf16Tflops: 200, productLabel: 'NVIDIA-My-GPU' };
  test('defaults', () => {
    const gpu = GpuProfile.custom(base);
    expect(gpu).toMatchObject({ gpusPerNode: 8, intraNodeBandwidthGBps: 32, interNodeBandwidthGBps: 25, arm64: false, supportsMig: false });
    expect(GpuProfile.custom({ ...base, nvlinkGBps: 600, arm64: true })).toMatchObject({ intraNodeBandwidthGBps: 300, arm64: true });
  });
  test.each([
    [{ memoryGiB: 0 }, /\[GpuProfile\.custom\] 'memoryGiB' is 0:.*allowed: a positive number/],
    [{ fp8Tflops: Number.NaN }, /'fp8Tflops' is NaN:.*allowed: a positive number/],
    [{ gpusPerNode: 2.5 }, /'gpusPerNode' is 2\.5:.*allowed: a whole number >= 1/],
    [{ name: 'My GPU' }, /'name' is 'My GPU':.*allowed: lower-case letters/],
    [{ productLabel: 'NVIDIA H100' }, /'productLabel' is 'NVIDIA H100':.*allowed: a label value/],
  ])('rejects %j', (bad, message) => {
    expect(() => GpuProfile.custom({ ...base, ...bad })).toThrow(message);
  });
});

// Conformance with the reference data set, when it is checked out beside the project.
const REFERENCE = sharedReference('reference');
const describeReference = REFERENCE ? describe : describe.skip;
if (!REFERENCE) {
  // eslint-disable-next-line no-console
  console.log('skipping GPU reference conformance: ../shared/reference is not present');
}

describeReference('conformance with the reference GPU data', () => {
  test('product labels, memory and Dynamo SKUs match gpus.json', () => {
    const reference = JSON.parse(fs.readFileSync(path.join(REFERENCE!, 'gpus/gpus.json'), 'utf8')).gpus as any[];
    for (const ref of reference) {
      const gpu = GpuProfile.all().find(g => g.name === ref.id);
      expect(gpu).toBeDefined();
      expect(gpu!.productLabel).toBe(ref.gfdProductLabel);
      expect(gpu!.dynamoGpuSku).toBe(ref.dynamoGpuSku ?? undefined);
      const usable = ref.nvidiaSmiMiB ? ref.nvidiaSmiMiB / 1024 : ref.memoryGiB;
      expect(Math.abs(gpu!.memoryGiB - usable) / usable).toBeLessThan(0.01);
      expect(gpu!.memoryBandwidthGBps).toBe(ref.memoryBandwidthGBps);
    }
  });

  test('AIConfigurator systems: same figures', () => {
    const systems = JSON.parse(fs.readFileSync(path.join(REFERENCE!, 'aic/systems.json'), 'utf8')).systems as Record<string, any>;
    const modelled = GpuProfile.all().filter(g => g.aicSystem);
    expect(modelled.length).toBeGreaterThanOrEqual(12);
    for (const gpu of modelled) {
      const sys = systems[gpu.aicSystem!];
      expect(sys).toBeDefined();
      expect(gpu.memoryGiB).toBeCloseTo(sys.gpu_memory_GiB, 1);
      expect(gpu.memoryBandwidthGBps).toBe(sys.mem_bw_Bps / 1e9);
      expect(gpu.bf16Tflops).toBeCloseTo(sys.tc_flops.bfloat16 / 1e12, 1);
      expect(gpu.gpusPerNode).toBe(sys.num_gpus_per_node);
      expect(gpu.intraNodeBandwidthGBps).toBe(sys.intra_node_bw_Bps / 1e9);
      expect(gpu.interNodeBandwidthGBps).toBe(sys.inter_node_bw_Bps / 1e9);
      if (sys.tc_flops.fp4) expect(gpu.fp4Tflops).toBe(sys.tc_flops.fp4 / 1e12);
    }
  });
});
