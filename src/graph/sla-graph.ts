import { Construct } from 'constructs';
import { AggregatedPool } from './aggregated-pool';
import { ComponentResources } from './component-resources';
import { DecodePool } from './decode-pool';
import { ComponentPodOptions } from './dynamo-component';
import type { DynamoGraph, DynamoGraphOptions } from './dynamo-graph';
import { Frontend, FrontendProps } from './frontend';
import { HealthCheckOptions } from './health-checks';
import { ModelCache } from './model-cache';
import { PrefillPool } from './prefill-pool';
import { WorkerPool, WorkerPoolProps } from './worker-pool';
import { PropError } from '../common/errors';
import { Backend } from '../engines/backend';
import { GpuProfile } from '../gpu/gpu-profile';
import { GpuSchedulingProps } from '../gpu/gpu-scheduling-props';
import { ModelArchitecture } from '../model/model-architecture';
import { KvCacheDtype, Quantization } from '../model/precision';
import { PlanResult, PoolPlan } from '../optimizer/plan-result';
import { HardwareConstraints, ServingMode, Sla, Workload } from '../optimizer/sla';
import { SlaOptimizer } from '../optimizer/sla-optimizer';

/**
 * Settings of the worker pools `DynamoGraph.fromSla` creates that the optimizer does not choose.
 */
export interface SlaWorkerOptions extends ComponentPodOptions, GpuSchedulingProps, HealthCheckOptions {
  /**
   * CPU, memory and ephemeral storage of each worker pod.
   * @default - the pools' defaults, derived from the GPUs each pod gets (see `WorkerPoolProps.resources`)
   */
  readonly resources?: ComponentResources;
  /**
   * Extra engine arguments appended last. Flags the plan sets (parallelism, batch and length limits) are the
   * optimizer's choice: overriding them here voids its predictions.
   * @default - none
   */
  readonly extraArgs?: string[];
}

/**
 * Props of `DynamoGraph.fromSla`: what to serve, on what, for which traffic and latency targets.
 */
export interface DynamoGraphSlaProps extends DynamoGraphOptions {
  /** Hugging Face id of the model; also the name clients request it by. */
  readonly model: string;
  /**
   * Architecture of the model, for the performance model.
   * @default - `ModelArchitecture.of(model)` (the catalog); models outside it need `ModelArchitecture.custom(...)` or `.fromConfigJson(...)`
   */
  readonly architecture?: ModelArchitecture;
  /** The GPU type of every worker. */
  readonly gpu: GpuProfile;
  /**
   * The inference engine.
   * @default - the optimizer's choice among vLLM, SGLang and TensorRT-LLM
   */
  readonly backend?: Backend;
  /**
   * Aggregated or disaggregated serving.
   * @default - the optimizer's choice
   */
  readonly mode?: ServingMode;
  /**
   * The traffic to plan for. Batch sizes are planned for the average `inputSequenceLength + outputSequenceLength`;
   * the engines' maximum model length is `maxSequenceLength`, by default the model's context length lowered to what
   * each engine's KV cache holds. Its `requestRate` is required when `hardware.totalGpus` is not set.
   * @default - ISL 512, OSL 128, no request rate (then `hardware.totalGpus` is required)
   */
  readonly workload?: Workload;
  /**
   * Latency targets.
   * @default - TTFT 100 ms, ITL 15 ms
   */
  readonly sla?: Sla;
  /**
   * GPUs the graph may use. One of `hardware.totalGpus` and `workload.requestRate` is required: the GPU budget, or
   * the rate the graph is sized for.
   * @default - no limits; then `workload.requestRate` is required
   */
  readonly hardware?: HardwareConstraints;
  /**
   * Weight precision to run with. One other than the checkpoint's leaves TRT-LLM out of the search (it only runs its
   * checkpoint's own precision).
   * @default - the checkpoint's
   */
  readonly quantization?: Quantization;
  /**
   * KV-cache data type.
   * @default - the checkpoint's (FP8 for FP8 checkpoints)
   */
  readonly kvCacheDtype?: KvCacheDtype;
  /**
   * When no configuration meets the SLA, deploy the closest one instead of failing. The recorded plan says it
   * misses the SLA (`sla.cdk8s-dynamo.io/meets-sla: "false"`).
   * @default false
   */
  readonly bestEffort?: boolean;
  /**
   * Also write the plan as a report for reviewers (`PlanReport.html`: the Pareto front chart with the chosen
   * configuration marked, and the tables of the best configurations) into the app's output directory beside the
   * YAML, as `<graph name>-sla-plan.html`, when the app synthesizes. Self-contained and deterministic.
   * @default false
   */
  readonly planReport?: boolean;
  /**
   * The frontend (router mode, replicas, resources).
   * @default - a round-robin frontend with one replica
   */
  readonly frontend?: FrontendProps;
  /**
   * A model cache the workers load the weights from.
   * @default - each pod downloads the model
   */
  readonly modelCache?: ModelCache;
  /**
   * Scheduling, env and probes of the workers.
   * @default - the pools' defaults
   */
  readonly workers?: SlaWorkerOptions;
}

/**
 * Runs the optimizer for `DynamoGraph.fromSla` and lays its choice out as a frontend and worker pools.
 * @internal
 */
export class SlaGraph {
  /** Component names: backend-neutral, so the DGD, its adapters and autoscalers keep their names if the engine changes. */
  public static readonly FRONTEND = 'Frontend';
  public static readonly AGGREGATED = 'Worker';
  public static readonly PREFILL = 'Prefill';
  public static readonly DECODE = 'Decode';

  /** Plans the deployment; errors carry `path` (the graph's construct path) instead of the optimizer's name. */
  public static plan(path: string, props: DynamoGraphSlaProps): PlanResult {
    PropError.check(typeof props.model === 'string' && /^\S+$/.test(props.model), path, 'model', props.model, 'a Hugging Face model id without whitespace');
    const architecture = props.architecture ?? ModelArchitecture.tryOf(props.model);
    PropError.check(architecture !== undefined, path, 'architecture', undefined,
      `ModelArchitecture.custom(...) or ModelArchitecture.fromConfigJson(...) for a model outside the catalog (${ModelArchitecture.knownIds().join(', ')})`,
      `the optimizer needs the architecture of '${props.model}'`);
    PropError.check(props.backend === undefined || Object.values(Backend).includes(props.backend), path, 'backend', props.backend, Object.values(Backend).join(', '));
    PropError.check(props.planReport === undefined || typeof props.planReport === 'boolean', path, 'planReport', props.planReport, 'true or false');
    PropError.check(props.mode === undefined || Object.values(ServingMode).includes(props.mode), path, 'mode', props.mode, Object.values(ServingMode).join(', '));
    // A precision other than the checkpoint's rules TRT-LLM out: it runs its checkpoint's own (WorkerPool._checkQuantization).
    if (props.backend !== undefined) WorkerPool._checkQuantization(path, props.backend, props.quantization, architecture);
    const requantized = props.quantization !== undefined && props.quantization !== architecture!.quantization;
    try {
      return SlaOptimizer.plan({
        model: architecture!,
        gpu: props.gpu,
        backends: props.backend ? [props.backend] : requantized ? [Backend.VLLM, Backend.SGLANG] : undefined,
        modes: props.mode ? [props.mode] : undefined,
        quantization: props.quantization,
        kvCacheDtype: props.kvCacheDtype,
        workload: props.workload,
        sla: props.sla,
        hardware: props.hardware,
        bestEffort: props.bestEffort,
      });
    } catch (e) {
      // The optimizer's errors name its props; the graph's path says where in the user's program they are.
      if (e instanceof PropError) throw PropError.rescope(e, path);
      throw e;
    }
  }

  /** Adds the frontend and the pools the plan chose to `graph`. */
  public static addComponents(graph: DynamoGraph, plan: PlanResult, props: DynamoGraphSlaProps): void {
    new Frontend(graph, SlaGraph.FRONTEND, props.frontend);
    const best = plan.best;
    const base: WorkerPoolProps = {
      ...props.workers,
      model: props.model,
      architecture: props.architecture,
      gpu: props.gpu,
      modelCache: props.modelCache,
      quantization: props.quantization,
      // Explicit: the plan's KV admission assumes this dtype, and engines default to the weights' dtype.
      kvCacheDtype: plan.request.kvCacheDtype,
    };
    // The plan spreads engines over nodes of `hardware.gpusPerNode` GPUs, which may be fewer than the GPU profile's.
    const poolProps = (p: PoolPlan): WorkerPoolProps => ({
      ...base,
      nodeCount: p.nodesPerWorker,
      replicas: p.workers,
      tensorParallel: p.tensorParallel,
      pipelineParallel: p.pipelineParallel,
      expertParallel: p.expertParallel,
      maxBatchSize: p.batchSize,
      maxNumBatchedTokens: p.maxNumBatchedTokens,
      maxModelLen: p.maxModelLen,
    });
    // The planned worker counts are where the graph starts, also under a Planner or autoscaler attached later: the
    // pools' scaling adapters are then created with them.
    if (best.aggregated) {
      new AggregatedPool(graph, SlaGraph.AGGREGATED, poolProps(best.aggregated));
    } else {
      new PrefillPool(graph, SlaGraph.PREFILL, poolProps(best.prefill!));
      new DecodePool(graph, SlaGraph.DECODE, poolProps(best.decode!));
    }
  }

  /** The construct path a child `id` of `scope` gets. */
  public static pathOf(scope: Construct, id: string): string {
    return scope.node.path ? `${scope.node.path}/${id}` : id;
  }

  private constructor() {}
}
