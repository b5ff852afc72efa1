import { samples } from '../../scripts/calibrate';
import { perfTablesDir } from '../../scripts/perf-tables';
import { GpuProfile } from '../../src/gpu/gpu-profile';
import { KernelModel } from '../../src/optimizer/kernel-model';

// Compares the embedded calibration with AIConfigurator's measured H100/H200 tables (dev-time reference data).
const dir = perfTablesDir();
const describeIfTables = dir ? describe : describe.skip;
if (!dir) {
  // eslint-disable-next-line no-console
  console.warn('kernel-accuracy: skipped, measured tables not found (../shared/reference/aic/perf is absent on this checkout)');
}

const LIMITS: Record<string, number> = { gemm: 0.10, context: 0.10, generation: 0.10, allreduce: 0.15 };

describeIfTables('kernel predictions vs measured tables (MAPE)', () => {
  const report: string[] = [];
  afterAll(() => {
    // eslint-disable-next-line no-console
    console.log(`kernel MAPE\n${report.join('\n')}`);
  });

  test.each(['h100_sxm', 'h200_sxm'])('%s', system => {
    const model = KernelModel.for(GpuProfile.of(system));
    const errors = new Map<string, number[]>();
    for (const s of samples(dir!, system)) {
      const predicted = model.latency(s.shape);
      const list = errors.get(s.shape.op) ?? [];
      list.push(Math.abs(predicted - s.ms) / s.ms);
      errors.set(s.shape.op, list);
    }
    const over: string[] = [];
    for (const [op, list] of [...errors].sort()) {
      const mape = list.reduce((a, b) => a + b, 0) / list.length;
      report.push(`${system} ${op.padEnd(10)} ${(100 * mape).toFixed(1)} % over ${list.length} rows`);
      if (LIMITS[op] !== undefined && mape > LIMITS[op]) over.push(`${op}: ${(100 * mape).toFixed(1)} % > ${100 * LIMITS[op]} %`);
    }
    expect(over).toEqual([]);
  });
});
