import { Testing } from 'cdk8s';
import { AggregatedPool, Backend, DynamoApiVersion, DynamoGraph, DynamoModel, DynamoModelType, Frontend, GpuProfile, ModelSource } from '../../src';
import { expectValid } from '../support/validate';

function graph(backend = Backend.VLLM) {
  const chart = Testing.chart();
  const g = new DynamoGraph(chart, 'qwen', { backend, namespace: 'llm' });
  new Frontend(g, 'Frontend');
  const pool = new AggregatedPool(g, 'Worker', { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.L40S });
  return { chart, g, pool };
}

const mainOf = (dgd: any, name: string) => dgd.spec.components.find((c: any) => c.name === name);

describe('DynamoModel', () => {
  test('a LoRA adapter attached to a graph: DynamoModel plus modelRef and LoRA flags on the pools', () => {
    const { chart, g } = graph();
    new DynamoModel(chart, 'SqlLora', { graph: g, modelName: 'acme/sql-lora', source: ModelSource.s3('adapters', 'qwen/sql-lora/'), maxRank: 32 });
    new DynamoModel(chart, 'ChatLora', { graph: g, modelName: 'acme/chat-lora', source: ModelSource.huggingFace('acme/chat-lora', '0123456789abcdef0123456789abcdef01234567') });
    const objects = Testing.synth(chart);
    const models = objects.filter((o: any) => o.kind === 'DynamoModel');
    expect(models[0]).toEqual({
      apiVersion: 'nvidia.com/v1alpha1',
      kind: 'DynamoModel',
      metadata: { name: 'acme-sql-lora', namespace: 'llm' },
      spec: { modelName: 'acme/sql-lora', baseModelName: 'Qwen/Qwen3-0.6B', modelType: 'lora', source: { uri: 's3://adapters/qwen/sql-lora' } },
    });
    expect(models[1].spec.source.uri).toBe('hf://acme/chat-lora@0123456789abcdef0123456789abcdef01234567');
    const worker = mainOf(objects.find((o: any) => o.kind === 'DynamoGraphDeployment'), 'Worker');
    expect(worker.modelRef).toEqual({ name: 'Qwen/Qwen3-0.6B' });
    const args = worker.podTemplate.spec.containers[0].args.join(' ');
    // The largest rank of the attached adapters wins.
    expect(args).toContain('--enable-lora');
    expect(args).toMatch(/--max-lora-rank 64\b/);
    expect(worker.podTemplate.spec.containers[0].env).toContainEqual({ name: 'DYN_LORA_ENABLED', value: 'true' });
    expect(models).toMatchSnapshot();
    expectValid(objects);
  });

  test.each([Backend.VLLM, Backend.SGLANG])('%s workers download adapters into a writable emptyDir named by DYN_LORA_PATH', (backend) => {
    const { chart, g } = graph(backend);
    new DynamoModel(chart, 'A', { graph: g, modelName: 'acme/a', source: ModelSource.s3('adapters', 'a'), maxRank: 16 });
    const objects = Testing.synth(chart);
    const worker = mainOf(objects.find((o: any) => o.kind === 'DynamoGraphDeployment'), 'Worker');
    const main = worker.podTemplate.spec.containers[0];
    expect(main.env).toEqual(expect.arrayContaining([{ name: 'DYN_LORA_ENABLED', value: 'true' }, { name: 'DYN_LORA_PATH', value: '/tmp/dynamo-loras' }]));
    expect(main.volumeMounts).toContainEqual({ name: 'lora-adapters', mountPath: '/tmp/dynamo-loras' });
    expect(worker.podTemplate.spec.volumes).toContainEqual({ name: 'lora-adapters', emptyDir: {} });
    // SGLang sizes its LoRA buffers at start: adapters loaded later need the rank and the target modules up front.
    const args = main.args.join(' ');
    expect(args).toMatch(/--enable-lora --max-lora-rank 16\b/);
    expect(args.includes('--lora-target-modules all')).toBe(backend === Backend.SGLANG);
    expectValid(objects);
  });

  test('v1alpha1: the LoRA scratch volume goes to extraPodSpec', () => {
    const chart = Testing.chart();
    const g = new DynamoGraph(chart, 'qwen', { backend: Backend.VLLM, namespace: 'llm', apiVersion: DynamoApiVersion.V1ALPHA1 });
    new Frontend(g, 'Frontend');
    new AggregatedPool(g, 'Worker', { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.L40S });
    new DynamoModel(chart, 'A', { graph: g, modelName: 'acme/a', source: ModelSource.s3('adapters', 'a') });
    const objects = Testing.synth(chart);
    const worker = objects.find((o: any) => o.kind === 'DynamoGraphDeployment').spec.services.Worker;
    expect(worker.extraPodSpec.volumes).toEqual([{ name: 'lora-adapters', emptyDir: {} }]);
    expect(worker.extraPodSpec.mainContainer.volumeMounts).toEqual([{ name: 'lora-adapters', mountPath: '/tmp/dynamo-loras' }]);
    expectValid(objects);
  });

  test('standalone (graph defined elsewhere)', () => {
    const chart = Testing.chart();
    const m = new DynamoModel(chart, 'M', { modelName: 'x/lora', baseModelName: 'meta-llama/Llama-3.1-8B-Instruct', source: ModelSource.file('/models/loras/x') });
    expect(m.name).toBe('x-lora');
    const objects = Testing.synth(chart);
    expect(objects[0].spec.source.uri).toBe('file:///models/loras/x');
    expectValid(objects);
  });

  test('bad input names the prop, the value and what is allowed', () => {
    const { chart, g } = graph();
    const src = ModelSource.s3('adapters', 'x');
    expect(() => new DynamoModel(chart, 'A', { graph: g, modelName: 'a/b' })).toThrow(/\[test\/A\] 'source' is undefined: a lora model needs weights to load\. allowed: ModelSource\.s3/);
    expect(() => new DynamoModel(chart, 'B', { graph: g, modelName: 'a/b', baseModelName: 'other/model', source: src })).toThrow(/'baseModelName' is 'other\/model': no pool serves it.*allowed: the model of a worker pool of graph 'qwen' \(Qwen\/Qwen3-0\.6B\)/);
    expect(() => new DynamoModel(chart, 'C', { graph: g, modelName: 'Qwen/Qwen3-0.6B', source: src })).toThrow(/'modelName' is 'Qwen\/Qwen3-0\.6B'/);
    expect(() => new DynamoModel(chart, 'D', { graph: g, modelName: 'a/b', source: ModelSource.s3('A_B', 'x') })).toThrow(/'source' is 's3:\/\/A_B\/x':.*bucket/);
    expect(() => new DynamoModel(chart, 'E', { graph: g, modelName: 'a/b', source: ModelSource.huggingFace('nope', 'main') })).toThrow(/'source' is 'hf:\/\/nope@main'.*repo/);
    expect(() => new DynamoModel(chart, 'F', { graph: g, modelName: 'a/b', source: src, maxRank: 0 })).toThrow(/'maxRank' is 0/);
    expect(() => new DynamoModel(chart, 'G', { modelName: 'a/b', source: src })).toThrow(/'baseModelName' is undefined:.*allowed: the served name of the base model/);
    expect(() => new DynamoModel(chart, 'H', { graph: g, modelName: 'base', type: DynamoModelType.BASE, source: src })).toThrow(/'source' is 's3:\/\/adapters\/x'.*allowed: none for a base model/);
  });

  test('TRT-LLM pools refuse LoRA through the engine rules', () => {
    const { chart, g } = graph(Backend.TRTLLM);
    expect(() => new DynamoModel(chart, 'A', { graph: g, modelName: 'a/b', source: ModelSource.s3('adapters', 'x') })).toThrow(/'lora'/);
  });

  test('pools added after the DynamoModel are reported at synth', () => {
    const { chart, g } = graph();
    const m = new DynamoModel(chart, 'A', { graph: g, modelName: 'a/b', source: ModelSource.s3('adapters', 'x') });
    new AggregatedPool(g, 'Late', { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.L40S });
    expect(m.node.validate().join('\n')).toMatch(/\[test\/A\] 'graph' is 'qwen': pool 'test\/qwen\/Late' was added later/);
  });
});
