import { Backend } from '../engines/backend';
import { GpuProfile } from '../gpu/gpu-profile';
import { ModelArchitecture } from '../model/model-architecture';
import { KvCacheDtype, Quantization } from '../model/precision';

/**
 * How requests are served: one pool that prefills and decodes, or separate prefill and decode pools.
 */
export enum ServingMode {
  /** One worker pool does prefill and decode with in-flight batching. */
  AGGREGATED = 'agg',
  /** Prefill workers hand the KV cache to decode workers. */
  DISAGGREGATED = 'disagg',
}

/**
 * Latency targets, in milliseconds (plain numbers so the plan serialises as-is).
 */
export interface Sla {
  /**
   * Time to first token, ms, including queueing at the planned load.
   * @default - 100 ms in `SlaOptimizer.plan` and `DynamoGraph.fromSla`; the Planner and the deployment request state their own defaults
   */
  readonly ttftMs?: number;
  /**
   * Inter-token latency (time per output token after the first), ms.
   * @default - 15 ms in `SlaOptimizer.plan` and `DynamoGraph.fromSla`; the Planner and the deployment request state their own defaults
   */
  readonly itlMs?: number;
}

/**
 * How the optimizer accounts for waiting at the planned load. TTFT is predicted at that load, not on an idle server:
 * each prefill worker (and the prefill share of each aggregated worker) is a single-server queue whose mean wait is
 * Kingman's approximation `rho / (1 - rho) x (ca2 + cs2) / 2 x s` (utilisation `rho`, prefill service time `s`), exact
 * for Poisson arrivals. The defaults (Poisson arrivals, prompts of equal length) make it M/D/1, which *under*-predicts
 * waiting when traffic is burstier than Poisson or prompt lengths vary: raise the variabilities for such traffic.
 * The caps keep the load off the steep end of the queueing curve and leave headroom for what the model does not see.
 */
export interface QueueingAssumptions {
  /**
   * Squared coefficient of variation of the time between requests: 1 = Poisson (independent users), above 1 bursty
   * (batch jobs, synchronized clients), 0 = evenly spaced.
   * @default 1
   */
  readonly arrivalVariability?: number;
  /**
   * Squared coefficient of variation of the prefill time per request, i.e. of prompt lengths (prefill time grows
   * about linearly with them): 0 = every prompt has the average length (M/D/1), 1 = exponentially distributed lengths.
   * @default 0
   */
  readonly serviceVariability?: number;
  /**
   * Highest utilisation planned for a disaggregated prefill worker, whatever the TTFT slack (0-1].
   * @default 0.9
   */
  readonly maxPrefillUtilisation?: number;
  /**
   * Highest load planned for an aggregated worker, as a share of the requests per second it completes at full batch
   * (0-1].
   * @default 0.95
   */
  readonly maxAggregatedLoad?: number;
  /**
   * Share of a decode worker's batch slots busy on average: slots freed by finished requests wait for the next
   * prefill and KV transfer before they are filled again (0-1].
   * @default 0.95
   */
  readonly decodeOccupancy?: number;
}

/**
 * The traffic to plan for.
 */
export interface Workload {
  /**
   * Input (prompt) tokens per request.
   * @default 512
   */
  readonly inputSequenceLength?: number;
  /**
   * Output tokens per request.
   * @default 128
   */
  readonly outputSequenceLength?: number;
  /**
   * Longest request (prompt + output tokens) the engines must accept: their max model length. ISL and OSL are
   * averages that size batches and throughput; this is the limit beyond which an engine refuses a request. When set,
   * only engines whose KV-cache budget holds one sequence of this length are considered.
   * @default - the model's context length, lowered for each engine to the longest sequence its KV-cache budget
   * holds (in whole 1024s, at least ISL + OSL)
   */
  readonly maxSequenceLength?: number;
  /**
   * Requests per second the deployment must sustain. When set, the plan uses as few GPUs as carry this rate.
   * Required unless `HardwareConstraints.totalGpus` is set.
   * @default - use the GPUs in `HardwareConstraints.totalGpus` as well as possible
   */
  readonly requestRate?: number;
}

/**
 * What hardware the plan may use.
 */
export interface HardwareConstraints {
  /**
   * GPUs the whole deployment may use. Required unless `Workload.requestRate` is set.
   * @default - no limit when a request rate is given
   */
  readonly totalGpus?: number;
  /**
   * Fewest GPUs per engine (worker).
   * @default 1
   */
  readonly minGpusPerEngine?: number;
  /**
   * Most GPUs per engine (worker).
   * @default - GPUs per node x 2 (pipeline parallelism across two nodes only when one node cannot hold the model)
   */
  readonly maxGpusPerEngine?: number;
  /**
   * GPUs per node.
   * @default - the GPU profile's `gpusPerNode`
   */
  readonly gpusPerNode?: number;
}

/**
 * What `SlaOptimizer.plan` needs.
 */
export interface PlanRequest {
  /** The model to serve. */
  readonly model: ModelArchitecture;
  /** The GPU type. */
  readonly gpu: GpuProfile;
  /**
   * Engines to consider.
   * @default - vLLM, SGLang and TensorRT-LLM
   */
  readonly backends?: Backend[];
  /**
   * Serving modes to consider.
   * @default - aggregated and disaggregated
   */
  readonly modes?: ServingMode[];
  /**
   * Weight precision.
   * @default - the model checkpoint's
   */
  readonly quantization?: Quantization;
  /**
   * KV-cache data type.
   * @default - the model checkpoint's
   */
  readonly kvCacheDtype?: KvCacheDtype;
  /**
   * Traffic. Its `requestRate` is required when `hardware.totalGpus` is not set.
   * @default - ISL 512, OSL 128, no request rate (then `hardware.totalGpus` is required)
   */
  readonly workload?: Workload;
  /**
   * Latency targets.
   * @default - TTFT 100 ms, ITL 15 ms
   */
  readonly sla?: Sla;
  /**
   * Hardware limits. One of `hardware.totalGpus` and `workload.requestRate` is required: the GPU budget, or the
   * rate the deployment is sized for.
   * @default - no limits; then `workload.requestRate` is required
   */
  readonly hardware?: HardwareConstraints;
  /**
   * Queueing assumptions behind the TTFT at the planned load and the utilisation caps.
   * @default - Poisson arrivals, equal prompt lengths (M/D/1), prefill workers at most 90 % busy, aggregated workers
   * at most 95 % of capacity, decode slots 95 % occupied
   */
  readonly queueing?: QueueingAssumptions;
  /**
   * When nothing meets the SLA, return the closest configuration instead of throwing.
   * @default false
   */
  readonly bestEffort?: boolean;
}

/**
 * The role of the engine `SlaOptimizer.estimate` predicts.
 */
export enum EstimateMode {
  /** An aggregated engine: in-flight batching of prefill and decode. */
  AGGREGATED = 'agg',
  /** A disaggregated prefill engine: batches of prompts. */
  PREFILL = 'prefill',
  /** A disaggregated decode engine: a full decode batch. */
  DECODE = 'decode',
}

/**
 * One fixed engine configuration to predict.
 */
export interface EstimateRequest {
  /** The model. */
  readonly model: ModelArchitecture;
  /** The GPU type. */
  readonly gpu: GpuProfile;
  /** The engine. */
  readonly backend: Backend;
  /**
   * Engine role.
   * @default EstimateMode.AGGREGATED
   */
  readonly mode?: EstimateMode;
  /** Tensor-parallel GPUs. */
  readonly tensorParallel: number;
  /**
   * Pipeline stages.
   * @default 1
   */
  readonly pipelineParallel?: number;
  /**
   * Expert-parallel ranks (MoE), a divisor of `tensorParallel`.
   * @default 1
   */
  readonly expertParallel?: number;
  /** Concurrent sequences (decode batch; prompts per prefill batch). */
  readonly batchSize: number;
  /**
   * Input tokens per request.
   * @default 512
   */
  readonly inputSequenceLength?: number;
  /**
   * Output tokens per request.
   * @default 128
   */
  readonly outputSequenceLength?: number;
  /**
   * Longest request (prompt + output tokens) the engine must hold; `fits` requires one such sequence in the KV cache.
   * @default - inputSequenceLength + outputSequenceLength
   */
  readonly maxSequenceLength?: number;
  /**
   * Weight precision.
   * @default - the model checkpoint's
   */
  readonly quantization?: Quantization;
  /**
   * KV-cache data type.
   * @default - the model checkpoint's
   */
  readonly kvCacheDtype?: KvCacheDtype;
}
