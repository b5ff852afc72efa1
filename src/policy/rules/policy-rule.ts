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
 * A policy rule: checks the rendered objects of a scope, never construct internals, so it sees escape-hatch edits
 * and works for every renderer.
 * @internal
 */
export interface PolicyRule {
  readonly id: string;
  readonly severity: PolicySeverity;
  readonly reason: string;
  readonly fix: string;
  check(ctx: PolicyContext): Violation[];
}

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
 * The rendered objects of one policy scope, their pods and serving facts (computed once per evaluation).
 * @internal
 */
export class PolicyContext {
  public readonly pods: RenderedPod[];
  private readonly facts = new Map<RenderedPod, ServingFacts>();

  constructor(public readonly objects: RenderedObject[], public readonly assumptions: PolicyAssumptions) {
    this.pods = objects.flatMap(o => RenderedPods.of(o));
  }

  /** Pods that hold GPUs or MIG slices. */
  public get gpuPods(): RenderedPod[] {
    return this.pods.filter(p => RenderedPods.gpusPerPod(p) > 0);
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
    return { object: pod.object, component: pod.component, field: RenderedPods.field(container, field), value, allowed, why };
  }

  /** A violation on an object field. */
  public atObject(object: RenderedObject, field: string, value: unknown, allowed: string, why: string, component?: string): Violation {
    return { object, component, field, value, allowed, why };
  }
}
