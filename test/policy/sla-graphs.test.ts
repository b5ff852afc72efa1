/**
 * No false positives on what the optimizer plans: `DynamoGraph.fromSla` graphs for every catalog model on several
 * GPUs (exhaustively), and for random SLAs, workloads, budgets, modes, backends and API versions (property), pass the
 * policy pack with no finding but the recorded exceptions, and validate strictly.
 */
import { App, Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  Backend, DynamoApiVersion, DynamoGraph, DynamoGraphSlaProps, DynamoPolicy, GpuProfile, ModelArchitecture, ServingMode,
} from '../../src';
import { expectValid } from '../support/validate';

/** Hopper and Blackwell (calibrated), Ampere, and a PCIe inference card with 48 GB. */
const GPUS = [GpuProfile.H100_SXM, GpuProfile.B200, GpuProfile.A100_SXM4_80GB, GpuProfile.L40S];

/**
 * The only refusals a plan may end in with `bestEffort`: the model does not fit the GPU budget, or the workload does
 * not fit the model's context.
 */
const REFUSALS = [
  /^\[llm\/graph\] 'hardware\.totalGpus' is (\d+|undefined): .* does not fit any engine of /,
  /^\[llm\/graph\] 'workload\.inputSequenceLength' is \d+: allowed: ISL \+ OSL within the model's context of \d+ tokens$/,
];

interface Outcome {
  /** Unsuppressed findings, by message. */
  readonly findings: string[];
  readonly objects: any[];
}

/** The graph under an App-wide pack, or undefined when the model cannot fit the budget at all. */
function plan(props: DynamoGraphSlaProps, apiVersion?: DynamoApiVersion): Outcome | undefined {
  const app: App = Testing.app();
  const chart = new Chart(app, 'llm', { namespace: 'serving', disableResourceNameHashes: true });
  try {
    DynamoGraph.fromSla(chart, 'graph', { ...props, apiVersion });
  } catch (e) {
    const message = (e as Error).message;
    expect({ refused: message, known: REFUSALS.some(r => r.test(message)) }).toEqual({ refused: message, known: true });
    return undefined;
  }
  const pack = DynamoPolicy.apply(app, { printWarnings: false });
  const findings = pack.findings().filter(f => f.suppressedBecause === undefined).map(f => f.message);
  return { findings, objects: app.charts.flatMap(c => c.toJson()) };
}

describe('fromSla graphs under the policy pack', () => {
  test.each(GPUS.map(g => [g.name, g] as const))('every catalog model on %s: no finding, strictly valid', (_name, gpu) => {
    let planned = 0;
    for (const model of ModelArchitecture.knownIds()) {
      const outcome = plan({ model, gpu, bestEffort: true, hardware: { totalGpus: 16 } });
      if (!outcome) continue;
      planned++;
      expect({ model, findings: outcome.findings }).toEqual({ model, findings: [] });
      expectValid(outcome.objects);
    }
    // Most of the catalog fits 16 GPUs of any of these: a plan that refuses them all is a regression, not a pass.
    expect(planned).toBeGreaterThan(ModelArchitecture.knownIds().length / 2);
  });

  test('random SLAs, workloads, budgets, modes, backends and API versions: no finding, strictly valid', () => {
    const models = ModelArchitecture.knownIds();
    const request = fc.record({
      model: fc.constantFrom(...models),
      gpu: fc.constantFrom(...GPUS),
      mode: fc.option(fc.constantFrom(ServingMode.AGGREGATED, ServingMode.DISAGGREGATED), { nil: undefined }),
      backend: fc.option(fc.constantFrom(Backend.VLLM, Backend.SGLANG, Backend.TRTLLM), { nil: undefined }),
      apiVersion: fc.constantFrom(DynamoApiVersion.V1ALPHA1, DynamoApiVersion.V1BETA1),
      ttftMs: fc.integer({ min: 50, max: 5000 }),
      itlMs: fc.integer({ min: 5, max: 200 }),
      inputSequenceLength: fc.integer({ min: 64, max: 32768 }),
      outputSequenceLength: fc.integer({ min: 16, max: 4096 }),
      budget: fc.oneof(
        fc.record({ totalGpus: fc.constantFrom(1, 2, 4, 8, 16, 32) }),
        fc.record({ requestRate: fc.double({ min: 0.1, max: 50, noNaN: true }) }),
      ),
    });
    let planned = 0;
    fc.assert(fc.property(request, r => {
      const rate = 'requestRate' in r.budget ? r.budget.requestRate : undefined;
      const totalGpus = 'totalGpus' in r.budget ? r.budget.totalGpus : undefined;
      const outcome = plan({
        model: r.model,
        gpu: r.gpu,
        mode: r.mode,
        backend: r.backend,
        bestEffort: true,
        sla: { ttftMs: r.ttftMs, itlMs: r.itlMs },
        workload: { inputSequenceLength: r.inputSequenceLength, outputSequenceLength: r.outputSequenceLength, requestRate: rate },
        hardware: totalGpus === undefined ? undefined : { totalGpus },
      }, r.apiVersion);
      if (!outcome) return;
      planned++;
      expect(outcome.findings).toEqual([]);
      expectValid(outcome.objects);
    }), { numRuns: 40 });
    expect(planned).toBeGreaterThan(20);
  });
});
