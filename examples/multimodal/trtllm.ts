// Users import from 'cdk8s-dynamo'.
import { App } from 'cdk8s';
import { multimodalGraph } from './graph';
import { AggregatedPool, Backend, DecodePool, EncodePool, GpuProfile, PrefillPool } from '../../src';

/** TRT-LLM runs EPD, E/P/D and EP/D; its support matrix lists no E/PD. */
const graph = (app: App, name: string) => multimodalGraph(app, name, Backend.TRTLLM);

/** TRT-LLM EPD: one aggregated worker with a multimodal engine (upstream `agg_multimodal.sh`). */
export function synthesizeEpd(app: App): void {
  const g = graph(app, 'trtllm-mm-epd');
  new AggregatedPool(g, 'VLMWorker', { model: 'Qwen/Qwen2-VL-7B-Instruct', gpu: GpuProfile.H100_SXM, maxModelLen: 8192, multimodal: {} });
}

/** TRT-LLM E/P/D, prefill-first: the prefill worker calls the encode worker at `<namespace>.encode.generate` (`epd_multimodal_image_and_embeddings.sh`). */
export function synthesizeEPD(app: App): void {
  const g = graph(app, 'trtllm-mm-e-p-d');
  const model = 'Qwen/Qwen3-VL-2B-Instruct';
  new EncodePool(g, 'EncodeWorker', { model, gpu: GpuProfile.L4 });
  new PrefillPool(g, 'PrefillWorker', { model, gpu: GpuProfile.H100_SXM, maxModelLen: 8192, multimodal: {} });
  new DecodePool(g, 'DecodeWorker', { model, gpu: GpuProfile.H100_SXM, maxModelLen: 8192, multimodal: {} });
}

/** TRT-LLM EP/D: traditional disaggregation, the prefill worker encodes inline (`disagg_multimodal.sh`). */
export function synthesizeEpD(app: App): void {
  const g = graph(app, 'trtllm-mm-ep-d');
  const model = 'Qwen/Qwen3-VL-2B-Instruct';
  new PrefillPool(g, 'PrefillWorker', { model, gpu: GpuProfile.H100_SXM, maxModelLen: 8192, multimodal: {} });
  new DecodePool(g, 'DecodeWorker', { model, gpu: GpuProfile.H100_SXM, maxModelLen: 8192, multimodal: {} });
}
