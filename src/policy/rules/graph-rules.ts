import { parse } from 'yaml';
import { PolicyContext, PolicyRule, Rules, Violation } from './policy-rule';
import { PolicySeverity } from '../policy-types';
import { RenderedPod, RenderedPods } from '../rendered/rendered-pod';

/** The planner's own default when its config names no budget. */
const PLANNER_DEFAULT_GPU_BUDGET = 8;

/** Pools a planner scales, by its `mode`. */
const PLANNER_POOLS: { [mode: string]: string[] } = {
  disagg: ['prefill', 'decode'],
  prefill: ['prefill'],
  decode: ['decode'],
  agg: ['worker'],
};

/** Roles a `worker` component may run: aggregated (no mode, `agg`, or `pd` beside an encoder) or a multimodal encoder. */
const WORKER_ROLES: ReadonlyArray<string | undefined> = [undefined, 'agg', 'pd', 'encode'];

/**
 * Rules across the components of one DynamoGraphDeployment.
 * @internal
 */
export class GraphRules {
  public static readonly ALL: PolicyRule[] = [
    Rules.perPod({
      id: 'DYN-DGD-001',
      severity: PolicySeverity.ERROR,
      reason: 'Prefill workers must run in the prefill role and decode workers in the decode role, or requests never hand off (and the Planner cannot find them).',
      fix: 'Pass --disaggregation-mode prefill or decode matching the component type; worker components pass none, agg, pd or encode.',
    }, ctx => ctx.pods.filter(p => p.dynamo), (pod, ctx) => {
      const facts = ctx.serving(pod);
      const expected = pod.componentType === 'prefill' || pod.componentType === 'decode' ? pod.componentType : undefined;
      if (facts.engine === undefined || (pod.componentType !== 'worker' && !expected)) return undefined;
      if (expected ? facts.role === expected : WORKER_ROLES.includes(facts.role)) return undefined;
      return ctx.atMain(pod, 'args', `--disaggregation-mode ${facts.role ?? 'unset'} on a ${pod.componentType} component`,
        expected ? `--disaggregation-mode ${expected}` : 'no disaggregation role, or agg, pd or encode', 'the engine role does not match the component type');
    }),
    Rules.perPod({
      id: 'DYN-DGD-002',
      severity: PolicySeverity.ERROR,
      reason: 'A Planner\'s max_gpu_budget must cover the GPUs of the pools it scales, and its per-engine GPU counts must match them.',
      fix: 'Raise max_gpu_budget to at least the pools\' GPUs, or shrink the pools; keep prefill/decode_engine_num_gpu equal to GPUs per replica.',
    }, ctx => ctx.pods.filter(p => p.dynamo && p.componentType === 'planner'), (planner, ctx) => GraphRules.planner(ctx, planner)),
  ];

  private static planner(ctx: PolicyContext, planner: RenderedPod): Violation[] {
    const cl = RenderedPods.commandLine(planner);
    const config = GraphRules.plannerConfig(cl.flag('--config'));
    if (config === undefined) return [];
    const budgetFlag = cl.intFlag('--max-gpu-budget');
    const budget = typeof config.max_gpu_budget === 'number' ? config.max_gpu_budget : budgetFlag ?? PLANNER_DEFAULT_GPU_BUDGET;
    const mode = typeof config.mode === 'string' ? config.mode : 'disagg';
    const pools = ctx.pods.filter(p => p.object === planner.object && (PLANNER_POOLS[mode] ?? []).includes(p.componentType ?? ''));
    const perReplica = (p: RenderedPod) => RenderedPods.gpusPerPod(p) * p.nodeCount;
    const out: Violation[] = [];
    const used = pools.reduce((sum, p) => sum + p.replicas * perReplica(p), 0);
    if (budget >= 0 && used > budget) {
      out.push(ctx.atMain(planner, 'args', `max_gpu_budget ${budget}`,
        `at least ${used} (${pools.map(p => `${p.component}: ${p.replicas} x ${perReplica(p)}`).join(', ')})`,
        'the pools it scales already hold more GPUs than the budget'));
    }
    for (const type of ['prefill', 'decode']) {
      const declared = config[`${type}_engine_num_gpu`];
      if (typeof declared !== 'number') continue;
      for (const pool of pools.filter(p => p.componentType === type && perReplica(p) !== declared)) {
        out.push(ctx.atMain(planner, 'args', `${type}_engine_num_gpu ${declared}`, `${perReplica(pool)} (GPUs per ${pool.component} replica)`,
          'the planner would size the pool with the wrong GPU count'));
      }
    }
    return out;
  }

  /** The planner's `--config` when it is inline JSON/YAML; undefined for a file path or garbage. */
  private static plannerConfig(value: string | undefined): any {
    if (value === undefined || !/^\s*[{]/.test(value)) return value === undefined ? {} : undefined;
    try {
      const parsed = parse(value);
      return parsed && typeof parsed === 'object' ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
}
