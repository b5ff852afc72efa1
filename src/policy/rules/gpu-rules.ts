import { PolicyRule, Rules, Violation } from './policy-rule';
import { PropError } from '../../common/errors';
import { Backend } from '../../engines/backend';
import { EngineMemory } from '../../engines/engine-memory';
import { GpuProfile } from '../../gpu/gpu-profile';
import { PolicySeverity } from '../policy-types';
import { Quantities } from '../rendered/quantities';
import { RenderedPods } from '../rendered/rendered-pod';

/** NCCL and the engines' worker queues live in /dev/shm; 1 GiB per GPU in the pod is the floor we accept. */
const SHM_BYTES_PER_GPU = Quantities.GIB;

/**
 * Scheduling and sizing rules for pods that hold GPUs.
 * @internal
 */
export class GpuRules {
  public static readonly ALL: PolicyRule[] = [
    Rules.perContainer({
      id: 'DYN-GPU-001',
      severity: PolicySeverity.ERROR,
      reason: 'Extended resources (GPUs, MIG slices) must request exactly what they limit, or the pod is rejected.',
      fix: 'Set the GPU under limits only, or make requests equal limits.',
    }, container => {
      const res = container.json.resources ?? {};
      return Object.keys(res.requests ?? {}).filter(RenderedPods.isGpuResource).sort()
        .filter(key => Quantities.parse(res.requests[key]) !== Quantities.parse(res.limits?.[key]))
        .map(key => ({
          field: `resources.requests.${key}`,
          value: res.requests[key],
          allowed: `the limit (${PropError.show(res.limits?.[key])})`,
          why: 'the scheduler rejects GPU requests that differ from limits',
        }));
    }),
    Rules.perGpuPod({
      id: 'DYN-GPU-002',
      severity: PolicySeverity.ERROR,
      reason: 'Tensor x pipeline (x data) parallelism must use exactly the GPUs of one replica, and one pod must fit on one node.',
      fix: 'Match --tensor-parallel-size x --pipeline-parallel-size to GPUs per pod x nodes, or change the GPU count.',
    }, (pod, facts, ctx) => {
      const out: Violation[] = [];
      const perPod = RenderedPods.gpusPerPod(pod);
      const available = perPod * pod.nodeCount;
      if ((facts.engine !== undefined || facts.parallelismKnown) && facts.worldSize !== available) {
        const dp = facts.worldSize !== facts.tensorParallel * facts.pipelineParallel ? ' x DP' : '';
        out.push(ctx.atMain(pod, 'args', `TP ${facts.tensorParallel} x PP ${facts.pipelineParallel}${dp} = ${facts.worldSize} GPUs`,
          `${available} (${perPod} GPU(s) per pod x ${pod.nodeCount} node(s))`,
          facts.worldSize > available ? 'the engine needs more GPUs than the replica holds' : 'GPUs would sit idle'));
      }
      if (facts.gpu && !facts.mig && perPod > facts.gpu.gpusPerNode) {
        out.push(ctx.atMain(pod, 'resources.limits', `${perPod} GPUs`,
          `at most ${facts.gpu.gpusPerNode} (${facts.gpu.name} nodes hold ${facts.gpu.gpusPerNode})`, 'the pod can never schedule; use multinode'));
      }
      return out;
    }),
    Rules.perGpuPod({
      id: 'DYN-GPU-003',
      severity: PolicySeverity.ERROR,
      reason: 'A MIG slice is one isolated device: engines need TP=1 and one slice, on a GPU that offers that profile.',
      fix: 'Use one MIG slice with tensor-parallel size 1 on a MIG-capable GPU, or whole GPUs.',
    }, (pod, facts, ctx) => {
      const mig = facts.mig;
      if (!mig) return undefined;
      const out: Violation[] = [];
      const slices = RenderedPods.gpusPerPod(pod);
      if (facts.worldSize > 1 || slices > 1 || pod.nodeCount > 1) {
        out.push(ctx.atMain(pod, 'resources.limits', `${slices} MIG ${mig.name} slice(s) per pod, ${pod.nodeCount} node(s), TP x PP = ${facts.worldSize}`,
          'one slice, one node, TP=1 and PP=1', 'NCCL cannot span MIG slices'));
      }
      const offers = (g: GpuProfile) => g.migProfiles.some(p => p.name === mig.name);
      const gpu = facts.gpu;
      if (gpu ? !offers(gpu) : !GpuProfile.all().some(offers)) {
        const offered = gpu?.migProfiles.map(p => p.name).join(', ');
        out.push(ctx.atSpec(pod, 'affinity', gpu ? `${gpu.name} with MIG ${mig.name}` : `MIG ${mig.name}`,
          gpu ? (offered ? `one of ${offered}` : 'a MIG-capable GPU') : 'a profile a MIG-capable GPU offers',
          gpu?.supportsMig === false ? `${gpu.name} does not support MIG` : 'no GPU offers this profile'));
      }
      return out;
    }),
    Rules.perGpuPod({
      id: 'DYN-GPU-004',
      severity: PolicySeverity.ERROR,
      reason: 'The weights plus the KV cache of one max-length sequence must fit in GPU memory, or the engine fails at start.',
      fix: 'Raise tensor/pipeline parallelism, use a larger GPU, quantize the weights or KV cache, or lower --max-model-len.',
    }, (pod, f, ctx) => {
      if (f.weightBytes === undefined || f.kvBytesPerSequence === undefined || f.gpuMemoryBytes === undefined) return undefined;
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
      if (kvPerGpu <= budget) return undefined;
      return ctx.atMain(pod, 'args',
        `${f.modelId ?? 'the model'} at ${f.maxModelLen} tokens on ${Quantities.gib(f.gpuMemoryBytes)} GPUs: weights ${Quantities.gib(weightsPerGpu)}`
        + ` + KV ${Quantities.gib(kvPerGpu)} per GPU`,
        `KV for one sequence within the ${Quantities.gib(budget)} per GPU the engine leaves after weights`,
        'the engine cannot hold one max-length sequence');
    }),
    Rules.perGpuPod({
      id: 'DYN-GPU-005',
      severity: PolicySeverity.ERROR,
      reason: 'Pods with several GPUs need a memory-backed /dev/shm for NCCL (the container default is 64Mi).',
      fix: 'Keep the operator default (8Gi) or size /dev/shm at 1Gi per GPU or more.',
    }, (pod, _facts, ctx) => {
      const gpus = RenderedPods.gpusPerPod(pod);
      const needed = gpus * SHM_BYTES_PER_GPU;
      if (gpus <= 1 || (pod.shmBytes !== undefined && pod.shmBytes >= needed)) return undefined;
      return ctx.atField(pod, pod.shmPath, pod.shmBytes === undefined ? 'no /dev/shm volume' : Quantities.gib(pod.shmBytes),
        `at least ${Quantities.gib(needed)} (1Gi per GPU) for ${gpus} GPUs`, 'NCCL fails to create its shared-memory segments');
    }),
    Rules.perGpuPod({
      id: 'DYN-GPU-006',
      severity: PolicySeverity.ERROR,
      reason: 'GPU nodes are usually tainted nvidia.com/gpu:NoSchedule; pods without the toleration stay Pending.',
      fix: 'Add a toleration for nvidia.com/gpu (operator Exists, effect NoSchedule).',
    }, (pod, _facts, ctx) => GpuRules.toleratesGpu(pod.spec) ? undefined
      : ctx.atSpec(pod, 'tolerations', pod.spec.tolerations, 'a toleration for nvidia.com/gpu (NoSchedule)', 'GPU pods do not tolerate the GPU taint')),
    Rules.perGpuPod({
      id: 'DYN-GPU-007',
      severity: PolicySeverity.WARNING,
      reason: 'GPU pods should target GPU nodes (nvidia.com/gpu.product or another node label) so they land on the GPU they were sized for.',
      fix: 'Keep GPU product targeting on, or give a node selector or required node affinity.',
    }, (pod, _facts, ctx) => GpuRules.targetsNodes(pod.spec) ? undefined
      : ctx.atSpec(pod, 'affinity', 'no node selector or required node affinity', 'a node selector or required node affinity', 'the pod may land on any GPU model')),
    Rules.of({
      id: 'DYN-GPU-008',
      severity: PolicySeverity.WARNING,
      reason: 'A Job that fills a volume GPU pods mount (the model download) should schedule like them: GPU toleration and node targeting.',
      fix: 'Give the download Job the GPU pods\' toleration and node selector (ModelCache does this when it knows the pool placement).',
    }, ctx => {
      const gpuClaims = new Set(ctx.gpuPods.flatMap(p => p.claimNames));
      return ctx.pods
        .filter(pod => ['Job', 'CronJob'].includes(pod.object.json.kind) && pod.claimNames.some(c => gpuClaims.has(c)))
        .filter(pod => !GpuRules.toleratesGpu(pod.spec) || !GpuRules.targetsNodes(pod.spec))
        .map(pod => ctx.atSpec(pod, GpuRules.toleratesGpu(pod.spec) ? 'affinity' : 'tolerations',
          `claim ${pod.claimNames.filter(c => gpuClaims.has(c)).join(', ')} without GPU placement`,
          'the nvidia.com/gpu toleration and a node selector or required node affinity',
          'in GPU-only or zonal clusters the volume ends up where GPU pods cannot mount it'));
    }),
  ];

  /** True when a toleration covers the `nvidia.com/gpu` NoSchedule taint. */
  public static toleratesGpu(spec: any): boolean {
    const tolerations = RenderedPods.array(spec.tolerations);
    return tolerations.some((t: any) => {
      const effectOk = !t?.effect || t.effect === 'NoSchedule';
      const all = !t?.key && t?.operator === 'Exists';
      return effectOk && (all || (t?.key === 'nvidia.com/gpu' && (t.operator === 'Exists' || t.operator === 'Equal' || !t.operator)));
    });
  }

  /** True when the pod selects nodes by label (node selector or required node affinity). */
  public static targetsNodes(spec: any): boolean {
    if (spec.nodeSelector && typeof spec.nodeSelector === 'object' && Object.keys(spec.nodeSelector).length > 0) return true;
    const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    return Array.isArray(terms) && terms.some((t: any) => (t?.matchExpressions?.length ?? 0) + (t?.matchFields?.length ?? 0) > 0);
  }
}
