/**
 * The policy pack covers encode workers like every GPU worker (GPU requests, tolerations, images, secrets), and sizes
 * them by their vision encoder, not by the language model they feed.
 */
import { Testing } from 'cdk8s';
import { AggregatedPool, Backend, DynamoGraph, EncodePool, Frontend, GpuProfile, WorkerPoolProps } from '../../src';
import { synthValid } from '../graph/synth';

const MODEL = 'Qwen/Qwen3-VL-32B-Instruct-FP8';

function ePd(encode: Partial<WorkerPoolProps> = {}) {
  const chart = Testing.chart();
  const graph = new DynamoGraph(chart, 'vlm', { backend: Backend.VLLM, namespace: 'dynamo' });
  new Frontend(graph, 'Frontend');
  new EncodePool(graph, 'EncodeWorker', { model: MODEL, gpu: GpuProfile.L4, ...encode });
  new AggregatedPool(graph, 'PdWorker', { model: MODEL, gpu: GpuProfile.H100_SXM, maxModelLen: 16384, multimodal: {} });
  return chart;
}

let warn: jest.SpyInstance;
beforeEach(() => {
  warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => warn.mockRestore());

test('an encoder of a 33B model on a 24 GB L4 passes the memory rule: it loads the 1.2 GiB vision tower only', () => {
  expect(() => synthValid(ePd())).not.toThrow();
  expect(warn).not.toHaveBeenCalled();
});

test('GPU toleration: an encode pod that does not tolerate the GPU taint fails', () => {
  expect(() => Testing.synth(ePd({ tolerateGpuTaint: false })))
    .toThrow(/DYN-GPU-006 \[test\/vlm\/Resource\] 'spec\.components\[EncodeWorker\]\.podTemplate\.spec\.tolerations'/);
});

test('GPU node targeting: an encode pod without it is warned about', () => {
  Testing.synth(ePd({ targetGpuProduct: false }));
  expect(warn.mock.calls.flat().join('\n')).toMatch(/DYN-GPU-007 .*EncodeWorker/);
});

test('images: an encode worker on :latest fails', () => {
  expect(() => Testing.synth(ePd({ image: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:latest', runtimeVersionOverride: '1.3.0' })))
    .toThrow(/DYN-IMG-001 \[test\/vlm\/Resource\] 'spec\.components\[EncodeWorker\]/);
});

test('secrets: a credential as a literal on an encode pool is refused', () => {
  expect(() => ePd({ env: { HF_TOKEN: 'hf_abc' } })).toThrow(/\[test\/vlm\/EncodeWorker\] 'env.HF_TOKEN'.*credentials must not be written into manifests as literals/);
});
