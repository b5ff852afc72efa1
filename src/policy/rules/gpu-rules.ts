import { PolicyRule, Violation } from './policy-rule';
import { PropError } from '../../common/errors';
import { Backend } from '../../engines/backend';
import { EngineMemory } from '../../engines/engine-memory';
import { GpuProfile } from '../../gpu/gpu-profile';
import { PolicySeverity } from '../policy-types';
import { Quantities } from '../rendered/quantities';
import { RenderedPod, RenderedPods } from '../rendered/rendered-pod';

/** NCCL and the engines' worker queues live in /dev/shm; 1 GiB per GPU in the pod is the floor we accept. */
const SHM_BYTES_PER_GPU = Quantities.GIB;

/**
 * Scheduling and sizing rules for pods that hold GPUs.
 * @internal
 */
export class GpuRules {
  public static readonly ALL: PolicyRule[] = [
    {
      id: 'DYN-GPU-001',
      severity: PolicySeverity.ERROR,
      reason: 'Extended resources (GPUs, MIG slices) must request exactly what they limit, or the pod is rejected.',
      fix: 'Set the GPU under limits only, or make requests equal limits.',
      check: ctx => ctx.containers().flatMap(({ pod, container }) => {
        const res = container.json.resources ?? {};
        return Object.keys(res.requests ?? {}).filter(RenderedPods.isGpuResource).sort()
          .filter(key => Quantities.parse(res.requests[key]) !== Quantities.parse(res.limits?.[key]))
          .map(key => ctx.atContainer(pod, container, `resources.requests.${key}`, res.requests[key],
            `the limit (${PropError.show(res.limits?.[key])})`, 'the scheduler rejects GPU requests that differ from limits'));
      }),
    },
    {
      id: 'DYN-GPU-002',
      severity: PolicySeverity.ERROR,
      reason: 'Tensor x pipeline (x data) parallelism must use exactly the GPUs of one replica, and one pod must fit on one node.',
      fix: 'Match --tensor-parallel-size x --pipeline-parallel-size to GPUs per pod x nodes, or change the GPU count.',
      check: ctx => ctx.gpuPods.flatMap(pod => {
        const facts = ctx.serving(pod);
        const out: Violation[] = [];
        const perPod = RenderedPods.gpusPerPod(pod);
        const main = GpuRules.main(pod);
        if (facts.engine !== undefined || facts.parallelismKnown) {
          const available = perPod * pod.nodeCount;
          if (facts.worldSize !== available) {
            out.push(ctx.atContainer(pod, main, 'args', `TP ${facts.tensorParallel} x PP ${facts.pipelineParallel}`
              + `${facts.worldSize !== facts.tensorParallel * facts.pipelineParallel ? ' x DP' : ''} = ${facts.worldSize} GPUs`,
            `${available} (${perPod} GPU(s) per pod x ${pod.nodeCount} node(s))`,
            facts.worldSize > available ? 'the engine needs more GPUs than the replica holds' : 'GPUs would sit idle'));
          }
        }
        if (facts.gpu && !facts.mig && perPod > facts.gpu.gpusPerNode) {
          out.push(ctx.atContainer(pod, main, 'resources.limits', `${perPod} GPUs`,
            `at most ${facts.gpu.gpusPerNode} (${facts.gpu.name} nodes hold ${facts.gpu.gpusPerNode})`, 'the pod can never schedule; use multinode'));
        }
        return out;
      }),
    },
    {
      id: 'DYN-GPU-003',
      severity: PolicySeverity.ERROR,
      reason: 'A MIG slice is one isolated device: engines need TP=1 and one slice, on a GPU that offers that profile.',
      fix: 'Use one MIG slice with tensor-parallel size 1 on a MIG-capable GPU, or whole GPUs.',
      check: ctx => ctx.gpuPods.flatMap(pod => {
        const facts = ctx.serving(pod);
        if (!facts.mig) return [];
        const out: Violation[] = [];
        const main = GpuRules.main(pod);
        const slices = RenderedPods.gpusPerPod(pod);
        if (facts.worldSize > 1 || slices > 1 || pod.nodeCount > 1) {
          out.push(ctx.atContainer(pod, main, 'resources.limits', `${slices} MIG ${facts.mig.name} slice(s) per pod, ${pod.nodeCount} node(s), TP x PP = ${facts.worldSize}`,
            'one slice, one node, TP=1 and PP=1', 'NCCL cannot span MIG slices'));
        }
        const capable = GpuProfile.all().filter(g => g.migProfiles.some(p => p.name === facts.mig!.name));
        if (facts.gpu ? !facts.gpu.migProfiles.some(p => p.name === facts.mig!.name) : capable.length === 0) {
          const offered = facts.gpu?.migProfiles.map(p => p.name).join(', ');
          out.push(ctx.atSpec(pod, 'affinity', facts.gpu ? `${facts.gpu.name} with MIG ${facts.mig.name}` : `MIG ${facts.mig.name}`,
            facts.gpu ? (offered ? `one of ${offered}` : 'a MIG-capable GPU') : 'a profile a MIG-capable GPU offers',
            facts.gpu?.supportsMig === false ? `${facts.gpu.name} does not support MIG` : 'no GPU offers this profile'));
        }
        return out;
      }),
    },
    {
      id: 'DYN-GPU-004',
      severity: PolicySeverity.ERROR,
      reason: 'The weights plus the KV cache of one max-length sequence must fit in GPU memory, or the engine fails at start.',
      fix: 'Raise tensor/pipeline parallelism, use a larger GPU, quantize the weights or KV cache, or lower --max-model-len.',
      check: ctx => ctx.gpuPods.flatMap(pod => {
        const f = ctx.serving(pod);
        if (f.weightBytes === undefined || f.kvBytesPerSequence === undefined || f.gpuMemoryBytes === undefined) return [];
        const shardTp = f.architecture?.isMla ? 1
          : Math.min(f.tensorParallel / f.dpAttention, f.architecture?.numKeyValueHeads ?? f.tensorParallel);
        const weightsPerGpu = f.weightBytes / (f.tensorParallel * f.pipelineParallel);
        const kvPerGpu = f.kvBytesPerSequence / (Math.max(1, shardTp) * f.pipelineParallel);
        const budget = EngineMemory.kvCacheBudgetBytes({
          backend: f.engine ?? Backend.VLLM,
          gpuMemoryBytes: f.gpuMemoryBytes,
          weightBytesPerGpu: weightsPerGpu,
          tensorParallel: f.tensorParallel,
          fraction: f.memoryFraction,
        });
        if (kvPerGpu <= budget) return [];
        return [ctx.atContainer(pod, GpuRules.main(pod), 'args',
          `${f.modelId ?? 'the model'} at ${f.maxModelLen} tokens on ${Quantities.gib(f.gpuMemoryBytes)} GPUs: weights ${Quantities.gib(weightsPerGpu)}`
          + ` + KV ${Quantities.gib(kvPerGpu)} per GPU`,
          `KV for one sequence within the ${Quantities.gib(budget)} per GPU the engine leaves after weights`,
          'the engine cannot hold one max-length sequence')];
      }),
    },
    {
      id: 'DYN-GPU-005',
      severity: PolicySeverity.ERROR,
      reason: 'Pods with several GPUs need a memory-backed /dev/shm for NCCL (the container default is 64Mi).',
      fix: 'Keep the operator default (8Gi) or size /dev/shm at 1Gi per GPU or more.',
      check: ctx => ctx.gpuPods.flatMap(pod => {
        const gpus = RenderedPods.gpusPerPod(pod);
        const needed = gpus * SHM_BYTES_PER_GPU;
        if (gpus <= 1 || (pod.shmBytes !== undefined && pod.shmBytes >= needed)) return [];
        return [ctx.atField(pod, pod.shmPath, pod.shmBytes === undefined ? 'no /dev/shm volume' : Quantities.gib(pod.shmBytes),
          `at least ${Quantities.gib(needed)} (1Gi per GPU) for ${gpus} GPUs`, 'NCCL fails to create its shared-memory segments')];
      }),
    },
    {
      id: 'DYN-GPU-006',
      severity: PolicySeverity.ERROR,
      reason: 'GPU nodes are usually tainted nvidia.com/gpu:NoSchedule; pods without the toleration stay Pending.',
      fix: 'Add a toleration for nvidia.com/gpu (operator Exists, effect NoSchedule).',
      check: ctx => ctx.gpuPods.filter(pod => !GpuRules.toleratesGpu(pod.spec))
        .map(pod => ctx.atSpec(pod, 'tolerations', pod.spec.tolerations, 'a toleration for nvidia.com/gpu (NoSchedule)', 'GPU pods do not tolerate the GPU taint')),
    },
    {
      id: 'DYN-GPU-007',
      severity: PolicySeverity.WARNING,
      reason: 'GPU pods should target GPU nodes (nvidia.com/gpu.product or another node label) so they land on the GPU they were sized for.',
      fix: 'Keep GPU product targeting on, or give a node selector or required node affinity.',
      check: ctx => ctx.gpuPods.filter(pod => !GpuRules.targetsNodes(pod.spec))
        .map(pod => ctx.atSpec(pod, 'affinity', 'no node selector or required node affinity', 'a node selector or required node affinity', 'the pod may land on any GPU model')),
    },
    {
      id: 'DYN-GPU-008',
      severity: PolicySeverity.WARNING,
      reason: 'A Job that fills a volume GPU pods mount (the model download) should schedule like them: GPU toleration and node targeting.',
      fix: 'Give the download Job the GPU pods\' toleration and node selector (ModelCache does this when it knows the pool placement).',
      check: ctx => {
        const gpuClaims = new Set(ctx.gpuPods.flatMap(p => p.claimNames));
        return ctx.pods
          .filter(pod => ['Job', 'CronJob'].includes(pod.object.json.kind) && pod.claimNames.some(c => gpuClaims.has(c)))
          .filter(pod => !GpuRules.toleratesGpu(pod.spec) || !GpuRules.targetsNodes(pod.spec))
          .map(pod => ctx.atSpec(pod, GpuRules.toleratesGpu(pod.spec) ? 'affinity' : 'tolerations',
            `claim ${pod.claimNames.filter(c => gpuClaims.has(c)).join(', ')} without GPU placement`,
            'the nvidia.com/gpu toleration and a node selector or required node affinity',
            'in GPU-only or zonal clusters the volume ends up where GPU pods cannot mount it'));
      },
    },
  ];

  /** True when a toleration covers the `nvidia.com/gpu` NoSchedule taint. */
  public static toleratesGpu(spec: any): boolean {
    const tolerations = Array.isArray(spec.tolerations) ? spec.tolerations : [];
    return tolerations.some((t: any) => {
      const effectOk = !t?.effect || t.effect === 'NoSchedule';
      const all = !t?.key && t?.operator === 'Exists';
      return effectOk && (all || (t?.key === 'nvidia.com/gpu' && (t.operator === 'Exists' || t.operator === 'Equal' || !t.operator)));
    });
  }

  /** True when the pod selects nodes by label (node selector or required node affinity). */
  public static targetsNodes(spec: any): boolean {
    if (spec.nodeSelector && Object.keys(spec.nodeSelector).length > 0) return true;
    const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    return Array.isArray(terms) && terms.some((t: any) => (t?.matchExpressions?.length ?? 0) + (t?.matchFields?.length ?? 0) > 0);
  }

  /** The engine container (main, or the first regular container). */
  public static main(pod: RenderedPod) {
    return pod.containers.find(c => c.main) ?? pod.containers.find(c => !c.init) ?? pod.containers[0];
  }
}
