import { PolicySeverity } from '../policy-types';
import { RenderedContainer, RenderedObject, RenderedPod, RenderedPods } from '../rendered/rendered-pod';
import { Serving, ServingFacts } from '../rendered/serving-facts';

/**
 * One thing a rule found wrong: the field, its value and what would be allowed.
 * @internal
 */
export interface Violation {
  readonly object: RenderedObject;
  readonly component?: string;
  readonly field: string;
  readonly value: unknown;
  readonly allowed: string;
  readonly why: string;
}

/**
 * A problem with one container field, before the rule places it in its object.
 * @internal
 */
export interface FieldProblem {
  readonly field: string;
  readonly value: unknown;
  readonly allowed: string;
  readonly why: string;
}

/**
 * What a rule is, as `DynamoPolicy.rules()` and `docs/policy.md` list it.
 * @internal
 */
export interface RuleInfo {
  readonly id: string;
  readonly severity: PolicySeverity;
  readonly reason: string;
  readonly fix: string;
}

/**
 * A policy rule: checks the rendered objects of a scope, never construct internals, so it sees escape-hatch edits
 * and works for every renderer.
 * @internal
 */
export interface PolicyRule extends RuleInfo {
  check(ctx: PolicyContext): Violation[];
}

/** What a rule's test returns: nothing, one finding or several. */
type Found<T> = T | T[] | undefined;

/**
 * Figures the rules assume where the YAML cannot tell.
 * @internal
 */
export interface PolicyAssumptions {
  /** Sustained read throughput of model storage, bytes/s. */
  readonly storageBytesPerSecond: number;
  /** Engine start-up besides reading weights (CUDA graphs, compilation, warm-up), seconds. */
  readonly engineStartupSeconds: number;
}

/**
 * The shapes every rule takes: a test run on each container, on each selected pod, or on each GPU pod with what it
 * serves. The rule files hold only what they check.
 * @internal
 */
export class Rules {
  /** A rule tested on every container of every pod, init containers included. */
  public static perContainer(info: RuleInfo,
    test: (container: RenderedContainer, pod: RenderedPod, ctx: PolicyContext) => Found<FieldProblem>): PolicyRule {
    return Rules.of(info, ctx => ctx.containers().flatMap(({ pod, container }) => Rules.list(test(container, pod, ctx))
      .map(p => ctx.atContainer(pod, container, p.field, p.value, p.allowed, p.why))));
  }

  /** A rule tested on each pod `select` picks. */
  public static perPod(info: RuleInfo, select: (ctx: PolicyContext) => RenderedPod[],
    test: (pod: RenderedPod, ctx: PolicyContext) => Found<Violation>): PolicyRule {
    return Rules.of(info, ctx => select(ctx).flatMap(pod => Rules.list(test(pod, ctx))));
  }

  /** A rule tested on each pod that holds GPUs or MIG slices, with what the pod serves. */
  public static perGpuPod(info: RuleInfo,
    test: (pod: RenderedPod, facts: ServingFacts, ctx: PolicyContext) => Found<Violation>): PolicyRule {
    return Rules.perPod(info, ctx => ctx.gpuPods, (pod, ctx) => test(pod, ctx.serving(pod), ctx));
  }

  /** A rule with its own traversal. */
  public static of(info: RuleInfo, check: (ctx: PolicyContext) => Violation[]): PolicyRule {
    return { ...info, check };
  }

  private static list<T>(found: Found<T>): T[] {
    if (found === undefined) return [];
    return Array.isArray(found) ? found : [found];
  }
}

/**
 * The rendered objects of one policy scope, their pods and serving facts (computed once per evaluation).
 * @internal
 */
export class PolicyContext {
  public readonly pods: RenderedPod[];
  /** Pods that hold GPUs or MIG slices. */
  public readonly gpuPods: RenderedPod[];
  private readonly facts = new Map<RenderedPod, ServingFacts>();

  constructor(public readonly objects: RenderedObject[], public readonly assumptions: PolicyAssumptions) {
    this.pods = objects.flatMap(o => RenderedPods.of(o));
    this.gpuPods = this.pods.filter(p => RenderedPods.gpusPerPod(p) > 0);
  }

  /** Every container of every pod, init containers included. */
  public containers(): Array<{ pod: RenderedPod; container: RenderedContainer }> {
    return this.pods.flatMap(pod => pod.containers.map(container => ({ pod, container })));
  }

  public serving(pod: RenderedPod): ServingFacts {
    let facts = this.facts.get(pod);
    if (!facts) {
      facts = Serving.facts(pod, this.objects);
      this.facts.set(pod, facts);
    }
    return facts;
  }

  /** A violation on a pod spec field (`tolerations`, `volumes`...). */
  public atSpec(pod: RenderedPod, field: string, value: unknown, allowed: string, why: string): Violation {
    return this.atField(pod, `${pod.specPath}.${field}`, value, allowed, why);
  }

  /** A violation on a field of the pod's object, given by its full path. */
  public atField(pod: RenderedPod, field: string, value: unknown, allowed: string, why: string): Violation {
    return { object: pod.object, component: pod.component, field, value, allowed, why };
  }

  /** A violation on a container field. */
  public atContainer(pod: RenderedPod, container: RenderedContainer, field: string, value: unknown, allowed: string, why: string): Violation {
    return this.atField(pod, RenderedPods.field(container, field), value, allowed, why);
  }

  /** A violation on a field of the pod's engine container. */
  public atMain(pod: RenderedPod, field: string, value: unknown, allowed: string, why: string): Violation {
    return this.atContainer(pod, RenderedPods.main(pod), field, value, allowed, why);
  }

  /** A violation on a field of an object that is not a pod (Secrets, ConfigMaps). */
  public atObject(object: RenderedObject, field: string, value: unknown, allowed: string, why: string): Violation {
    return { object, field, value, allowed, why };
  }
}
