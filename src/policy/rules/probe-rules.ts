import { PolicyContext, PolicyRule, Rules } from './policy-rule';
import { PolicySeverity } from '../policy-types';
import { Quantities } from '../rendered/quantities';
import { RenderedPod, RenderedPods } from '../rendered/rendered-pod';

/** The operator's default startup probe on worker, prefill, decode and planner mains: 720 x 10 s. */
const DYNAMO_DEFAULT_STARTUP_SECONDS = 7200;
const DYNAMO_PROBED_TYPES = ['worker', 'prefill', 'decode', 'planner'];

/**
 * Probe rules for pods that load a model onto GPUs.
 * @internal
 */
export class ProbeRules {
  public static readonly ALL: PolicyRule[] = [
    Rules.perGpuPod({
      id: 'DYN-PRB-001',
      severity: PolicySeverity.ERROR,
      reason: 'The startup probe (or, without one, the liveness probe) must allow the model to load, or the pod is killed in a restart loop.',
      fix: 'Raise startupProbe.failureThreshold x periodSeconds above the estimated load time (or use a model cache on faster storage).',
    }, (pod, facts, ctx) => {
      const budget = ProbeRules.budgetSeconds(pod);
      if (facts.weightBytes === undefined || budget === undefined) return undefined;
      const bytes = facts.weightBytes * Math.min(1, RenderedPods.gpusPerPod(pod) / (facts.tensorParallel * facts.pipelineParallel));
      const needed = Math.ceil(ctx.assumptions.engineStartupSeconds + bytes / ctx.assumptions.storageBytesPerSecond);
      if (budget.seconds >= needed) return undefined;
      return ctx.atMain(pod, budget.field, `${budget.seconds}s`,
        `at least ${needed}s (${Quantities.gib(bytes)} of weights at ${ProbeRules.rate(ctx)} + ${ctx.assumptions.engineStartupSeconds}s engine start)`,
        'the probe gives up before the model is loaded');
    }),
    Rules.perGpuPod({
      id: 'DYN-PRB-002',
      severity: PolicySeverity.ERROR,
      reason: 'A liveness probe with failureThreshold 1 and no startup probe kills GPU workers on the first slow answer, including during model load.',
      fix: 'Add a startup probe, or set livenessProbe.failureThreshold to 3 or more.',
    }, (pod, _facts, ctx) => pod.containers.filter(c => !c.init).flatMap(c => {
      const liveness = c.json.livenessProbe;
      const guarded = c.json.startupProbe !== undefined || (c.main && ProbeRules.dynamoDefaultStartup(pod));
      if (!liveness || liveness.failureThreshold !== 1 || guarded) return [];
      return [ctx.atContainer(pod, c, 'livenessProbe.failureThreshold', 1, '3 or more, or a startup probe', 'one missed check restarts the engine')];
    })),
  ];

  /** How long the main container may take to start before a probe kills it; undefined when nothing kills it. */
  private static budgetSeconds(pod: RenderedPod): { seconds: number; field: string } | undefined {
    const main = RenderedPods.main(pod);
    const window = (p: any) => (p.initialDelaySeconds ?? 0) + (p.periodSeconds ?? 10) * (p.failureThreshold ?? 3);
    if (main.json.startupProbe) return { seconds: window(main.json.startupProbe), field: 'startupProbe' };
    if (ProbeRules.dynamoDefaultStartup(pod)) return { seconds: DYNAMO_DEFAULT_STARTUP_SECONDS, field: 'startupProbe' };
    if (main.json.livenessProbe) return { seconds: window(main.json.livenessProbe), field: 'livenessProbe' };
    return undefined;
  }

  /** The operator gives worker-type main containers a 2 h startup probe when none is set. */
  private static dynamoDefaultStartup(pod: RenderedPod): boolean {
    return pod.dynamo && DYNAMO_PROBED_TYPES.includes(pod.componentType ?? '') && !RenderedPods.main(pod).json.startupProbe;
  }

  private static rate(ctx: PolicyContext): string {
    return `${Math.round(ctx.assumptions.storageBytesPerSecond / 1024 ** 2)}MiB/s`;
  }
}
