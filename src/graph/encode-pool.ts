import { ComponentType } from './component-type';
import type { DynamoGraph } from './dynamo-graph';
import { WorkerPool, WorkerPoolProps } from './worker-pool';
import { PropError } from '../common/errors';

/** Engine settings of the language model, which an encoder does not run. */
const LANGUAGE_MODEL_ONLY = ['pipelineParallel', 'dataParallel', 'expertParallel', 'maxNumBatchedTokens', 'maxModelLen', 'kvCacheDtype', 'quantization'] as const;

/**
 * A pool of encode workers for a multimodal graph: each loads the images of a request, runs the model's vision
 * encoder and hands the embeddings to the language-model workers over NIXL (Dynamo's `encode` role, registered as
 * `<namespace>.encode.generate`). With a multimodal `AggregatedPool` it makes the E/PD pattern; with multimodal
 * `PrefillPool` and `DecodePool`, E/P/D. The encoder comes from the same checkpoint as the language model, so the
 * pool takes the same `model` and `modelCache`; it has its own GPU request, placement, replicas and scaling adapter
 * (scale it with an `HpaPoolAutoscaler` or `KedaPoolAutoscaler`). The DGD lists it as a `worker` component, the
 * only type the operator has for it.
 *
 * ```ts fixture=graph
 * import { AggregatedPool, EncodePool, GpuProfile } from 'cdk8s-dynamo';
 *
 * new EncodePool(graph, 'EncodeWorker', { model: 'Qwen/Qwen3-VL-2B-Instruct', gpu: GpuProfile.L4 });
 * new AggregatedPool(graph, 'PdWorker', { model: 'Qwen/Qwen3-VL-2B-Instruct', gpu: GpuProfile.H100_SXM, multimodal: {} });
 * ```
 */
export class EncodePool extends WorkerPool {
  /**
   * @param graph the graph the pool joins as a component
   * @param id construct id, unique within the graph; the default component name
   * @param props model, GPU, scheduling, resources and multimodal settings of the pool (`multimodal` is implied; the
   * language model's settings, pipeline, data and expert parallelism, token and length limits, KV-cache dtype and
   * quantization, do not apply)
   */
  public constructor(graph: DynamoGraph, id: string, props: WorkerPoolProps) {
    for (const prop of LANGUAGE_MODEL_ONLY) {
      const value = props[prop];
      PropError.check(value === undefined, `${graph.node.path}/${id}`, prop, value, 'unset on an EncodePool',
        'it configures the language model, which the encode worker does not run');
    }
    super(graph, id, ComponentType.WORKER, 'encode', props);
  }
}
