// Users import from 'cdk8s-dynamo'.
import { App } from 'cdk8s';
import { multimodalGraph } from './graph';
import { AggregatedPool, Backend, DecodePool, EncodePool, GpuProfile, PrefillPool } from '../../src';

const graph = (app: App, name: string) => multimodalGraph(app, name, Backend.SGLANG);

/** SGLang EPD: one worker serves images end to end (upstream `agg_vision.sh`). */
export function synthesizeEpd(app: App): void {
  const g = graph(app, 'sglang-mm-epd');
  new AggregatedPool(g, 'VLMWorker', { model: 'Qwen/Qwen3-VL-2B-Instruct', gpu: GpuProfile.H100_SXM, maxModelLen: 32768, multimodal: {} });
}

/**
 * SGLang E/PD: the encode worker is the public surface (it applies the qwen2-vl chat template) and hands embeddings
 * to the PD worker, which runs on a dedicated encoder (`multimodal_epd.sh`).
 */
export function synthesizeEPd(app: App): void {
  const g = graph(app, 'sglang-mm-e-pd');
  const model = 'Qwen/Qwen2.5-VL-7B-Instruct';
  new EncodePool(g, 'EncodeWorker', { model, gpu: GpuProfile.L4 });
  new AggregatedPool(g, 'PdWorker', { model, gpu: GpuProfile.H100_SXM, maxModelLen: 32768, multimodal: {} });
}

/** SGLang E/P/D, decode-first: embeddings go to decode, which bootstraps the prefill worker (`multimodal_disagg.sh`). */
export function synthesizeEPD(app: App): void {
  const g = graph(app, 'sglang-mm-e-p-d');
  const model = 'Qwen/Qwen2.5-VL-7B-Instruct';
  new EncodePool(g, 'EncodeWorker', { model, gpu: GpuProfile.L4 });
  new PrefillPool(g, 'PrefillWorker', { model, gpu: GpuProfile.H100_SXM, maxModelLen: 32768, multimodal: {} });
  new DecodePool(g, 'DecodeWorker', { model, gpu: GpuProfile.H100_SXM, maxModelLen: 32768, multimodal: {} });
}

/** SGLang EP/D: native disaggregation, both sides preprocess the media themselves (`disagg.sh`). */
export function synthesizeEpD(app: App): void {
  const g = graph(app, 'sglang-mm-ep-d');
  const model = 'Qwen/Qwen3-VL-4B-Instruct';
  new PrefillPool(g, 'PrefillWorker', { model, gpu: GpuProfile.H100_SXM, maxModelLen: 32768, multimodal: {} });
  new DecodePool(g, 'DecodeWorker', { model, gpu: GpuProfile.H100_SXM, maxModelLen: 32768, multimodal: {} });
}
