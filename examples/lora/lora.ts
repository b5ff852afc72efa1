// Users import from 'cdk8s-dynamo'.
import { App, Chart } from 'cdk8s';
import { AggregatedPool, Backend, DynamoGraph, DynamoModel, Frontend, GpuProfile, ModelSource } from '../../src';

/**
 * LoRA adapters served on top of one base model: each DynamoModel makes the operator load an adapter into every
 * worker serving the base model; those workers get `modelRef` and `--enable-lora --max-lora-rank`. Adapters from S3
 * need the bucket credentials in the workers' environment: here two keys of the `s3-credentials` Secret, next to the
 * graph's `hf-token-secret` (a pool's own `envFromSecret` would replace the graph's, and with it the Hugging Face token).
 */
export function synthesize(app: App): void {
  const chart = new Chart(app, 'vllm-lora', { namespace: 'dynamo', disableResourceNameHashes: true });
  const graph = new DynamoGraph(chart, 'vllm-lora', { backend: Backend.VLLM, envFromSecret: 'hf-token-secret' });
  new Frontend(graph, 'Frontend');
  new AggregatedPool(graph, 'VllmWorker', {
    model: 'Qwen/Qwen3-0.6B',
    gpu: GpuProfile.L40S,
    replicas: 2,
    secretEnv: {
      AWS_ACCESS_KEY_ID: { secretName: 's3-credentials', key: 'access-key-id' },
      AWS_SECRET_ACCESS_KEY: { secretName: 's3-credentials', key: 'secret-access-key' },
    },
  });
  new DynamoModel(chart, 'SqlAdapter', {
    graph,
    modelName: 'acme/qwen3-sql-lora',
    source: ModelSource.s3('lora-adapters', 'qwen3/sql'),
    maxRank: 32,
  });
  new DynamoModel(chart, 'SupportAdapter', {
    graph,
    modelName: 'acme/qwen3-support-lora',
    source: ModelSource.huggingFace('acme/qwen3-support-lora', '5f1c2d3e4b5a69788796a5b4c3d2e1f001122334'),
  });
}
