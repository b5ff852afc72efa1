/**
 * Hand-written rendered objects (DGD v1alpha1/v1beta1, plain workloads) for the policy rule tests.
 * The baseline graphs pass every rule; each test breaks one thing.
 */
import { ApiObject, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { DynamoPolicy } from '../../src/policy/dynamo-policy';
import { PolicyPack, PolicyPackProps } from '../../src/policy/policy-pack';

export const H100 = 'NVIDIA-H100-80GB-HBM3';
export const IMAGE = 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.4.0';

const SECURE = {
  allowPrivilegeEscalation: false,
  privileged: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: 1000,
};
const POD_SECURITY = { seccompProfile: { type: 'RuntimeDefault' }, runAsNonRoot: true, fsGroup: 1000 };
const GPU_TOLERATION = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };

export function productAffinity(...labels: string[]): any {
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: 'nvidia.com/gpu.product', operator: 'In', values: labels }] }],
      },
    },
  };
}

export interface WorkerOpts {
  readonly args?: string[];
  readonly gpus?: number;
  readonly image?: string;
  readonly module?: string;
  readonly gpuResource?: string;
  readonly product?: string;
}

/** vLLM args for a worker of `role` serving Qwen3-0.6B. */
export function vllmArgs(role?: 'prefill' | 'decode', ...extra: string[]): string[] {
  return ['--model', 'Qwen/Qwen3-0.6B', ...(role ? ['--disaggregation-mode', role] : []), ...extra];
}

/** A secure main container holding `gpus` GPUs (0 = CPU-only). */
export function mainContainer(o: WorkerOpts = {}): any {
  const gpus = o.gpus ?? 1;
  const gpu = gpus > 0 ? { [o.gpuResource ?? 'nvidia.com/gpu']: String(gpus) } : {};
  return {
    name: 'main',
    image: o.image ?? IMAGE,
    command: ['python3', '-m', o.module ?? 'dynamo.vllm'],
    args: o.args ?? vllmArgs(),
    resources: { requests: { cpu: '4', memory: '32Gi', ...gpu }, limits: { memory: '32Gi', ...gpu } },
    securityContext: clone(SECURE),
  };
}

/** GPU placement of a pod spec. */
export function gpuPlacement(product = H100): any {
  return { tolerations: [GPU_TOLERATION], affinity: productAffinity(product) };
}

/** The main container of a component of `type`, and its GPUs (a frontend holds none). */
function componentMain(type: string, o: WorkerOpts): { gpus: number; main: any } {
  if (type === 'frontend') return { gpus: 0, main: { ...mainContainer({ gpus: 0 }), command: ['python3', '-m', 'dynamo.frontend'], args: [] } };
  const gpus = o.gpus ?? 1;
  return { gpus, main: mainContainer({ ...o, gpus }) };
}

export function b1Component(name: string, type: string, o: WorkerOpts = {}): any {
  const { gpus, main } = componentMain(type, o);
  return {
    name,
    type,
    replicas: 1,
    podTemplate: {
      spec: {
        securityContext: clone(POD_SECURITY),
        ...(gpus > 0 ? gpuPlacement(o.product) : {}),
        containers: [main],
      },
    },
  };
}

/** A disaggregated v1beta1 DGD (Frontend, prefill, decode) that passes every rule. */
export function dgdV1beta1(components?: any[]): any {
  return {
    apiVersion: 'nvidia.com/v1beta1',
    kind: 'DynamoGraphDeployment',
    metadata: { name: 'llm' },
    spec: {
      backendFramework: 'vllm',
      components: components ?? [
        b1Component('Frontend', 'frontend'),
        b1Component('prefill', 'prefill', { args: vllmArgs('prefill') }),
        b1Component('decode', 'decode', { args: vllmArgs('decode') }),
      ],
    },
  };
}

export function a1Service(componentType: string, subComponentType: string | undefined, o: WorkerOpts = {}): any {
  const { gpus, main } = componentMain(componentType, o);
  const { resources, ...mc } = main;
  const gpu = gpus > 0 ? { gpu: String(gpus) } : {};
  return {
    componentType,
    ...(subComponentType ? { subComponentType } : {}),
    replicas: 1,
    resources: {
      requests: { cpu: resources.requests.cpu, memory: resources.requests.memory, ...gpu },
      limits: { memory: resources.limits.memory, ...gpu },
    },
    extraPodSpec: { securityContext: clone(POD_SECURITY), ...(gpus > 0 ? gpuPlacement(o.product) : {}), mainContainer: mc },
  };
}

/** The same graph as `dgdV1beta1()`, in v1alpha1 layout. */
export function dgdV1alpha1(services?: { [name: string]: any }): any {
  return {
    apiVersion: 'nvidia.com/v1alpha1',
    kind: 'DynamoGraphDeployment',
    metadata: { name: 'llm' },
    spec: {
      backendFramework: 'vllm',
      services: services ?? {
        Frontend: a1Service('frontend', undefined),
        prefill: a1Service('worker', 'prefill', { args: vllmArgs('prefill') }),
        decode: a1Service('worker', 'decode', { args: vllmArgs('decode') }),
      },
    },
  };
}

/** A secure GPU Deployment running a vLLM engine. */
export function gpuDeployment(o: WorkerOpts & { readonly shm?: string } = {}): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'engine' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'engine' } },
      template: {
        metadata: { labels: { app: 'engine' } },
        spec: {
          securityContext: clone(POD_SECURITY),
          ...gpuPlacement(o.product),
          containers: [{ ...mainContainer(o), name: 'engine' }],
        },
      },
    },
  };
}

/** Mutable deep copy, so tests edit fixtures freely. */
export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v));
}

/**
 * A graph-like construct (`graph/Resource` holds the object; `graph/<component>` constructs carry `componentName`),
 * the layout DynamoGraph uses.
 */
export class FakeGraph extends Construct {
  public readonly apiObject: ApiObject;
  constructor(scope: Construct, id: string, json: any) {
    super(scope, id);
    this.apiObject = new ApiObject(this, 'Resource', json);
    const names = json.spec.components?.map((c: any) => c.name) ?? Object.keys(json.spec.services ?? {});
    for (const name of names) {
      const c = new Construct(this, name);
      Object.defineProperty(c, 'componentName', { value: name });
    }
  }

  public component(name: string): Construct {
    return this.node.findChild(name) as Construct;
  }
}

/** A chart holding `objects` under the default pack. */
export function policyChart(objects: any[], props?: PolicyPackProps): { chart: Chart; pack: PolicyPack } {
  const chart = Testing.chart();
  objects.forEach((json, i) => new ApiObject(chart, `o${i}`, json));
  return { chart, pack: DynamoPolicy.apply(chart, props) };
}

/** Rule ids of unsuppressed findings. */
export function ruleIds(pack: PolicyPack): string[] {
  return pack.findings().filter(f => !f.suppressedBecause).map(f => f.ruleId);
}
