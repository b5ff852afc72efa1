// Users import from 'cdk8s-dynamo'.
import { App, Size } from 'cdk8s';
import { multimodalGraph } from './graph';
import { AggregatedPool, Backend, DecodePool, EncodePool, GpuProfile, PrefillPool } from '../../src';

/** Inline images travel on the request plane: upstream's vision recipes raise its 32 MiB limit. */
const graph = (app: App, name: string) => multimodalGraph(app, name, Backend.VLLM, { multimodal: { maxMessageSize: Size.mebibytes(64) } });

/** vLLM EPD: one worker loads the images, encodes, prefills and decodes (upstream `agg_multimodal.sh`). */
export function synthesizeEpd(app: App): void {
  const g = graph(app, 'vllm-mm-epd');
  new AggregatedPool(g, 'VLMWorker', {
    model: 'Qwen/Qwen3-VL-30B-A3B-Instruct-FP8',
    gpu: GpuProfile.H100_SXM,
    maxModelLen: 16384,
    multimodal: { maxImagesPerPrompt: 4, embeddingCacheGiB: 10 },
  });
}

/** vLLM E/PD: an encode worker on a smaller GPU feeds embeddings to the PD worker over NIXL (`disagg_multimodal_e_pd.sh`). */
export function synthesizeEPd(app: App): void {
  const g = graph(app, 'vllm-mm-e-pd');
  const model = 'Qwen/Qwen3-VL-30B-A3B-Instruct-FP8';
  new EncodePool(g, 'EncodeWorker', { model, gpu: GpuProfile.L4 });
  new AggregatedPool(g, 'PdWorker', { model, gpu: GpuProfile.H100_SXM, maxModelLen: 16384, multimodal: {} });
}

/** vLLM E/P/D, prefill-first: the prefill worker calls the encoder, then hands the KV cache to decode (`disagg_multimodal_epd.sh`). */
export function synthesizeEPD(app: App): void {
  const g = graph(app, 'vllm-mm-e-p-d');
  const model = 'llava-hf/llava-1.5-7b-hf';
  new EncodePool(g, 'EncodeWorker', { model, gpu: GpuProfile.L4 });
  new PrefillPool(g, 'PrefillWorker', { model, gpu: GpuProfile.H100_SXM, multimodal: {} });
  new DecodePool(g, 'DecodeWorker', { model, gpu: GpuProfile.H100_SXM, multimodal: {} });
}

/** vLLM EP/D: the prefill worker encodes inline; decode takes the KV cache (`disagg_multimodal_p_d.sh`). */
export function synthesizeEpD(app: App): void {
  const g = graph(app, 'vllm-mm-ep-d');
  const model = 'Qwen/Qwen3-VL-2B-Instruct';
  new PrefillPool(g, 'PrefillWorker', { model, gpu: GpuProfile.H100_SXM, maxModelLen: 32768, multimodal: {} });
  new DecodePool(g, 'DecodeWorker', { model, gpu: GpuProfile.H100_SXM, maxModelLen: 32768, multimodal: {} });
}
