import { Duration } from 'cdk8s';
import {
  b1Component, clone, dgdV1alpha1, dgdV1beta1, gpuDeployment, gpuPlacement, mainContainer, policyChart, productAffinity, ruleIds, vllmArgs,
} from './fixtures';
import { PolicyFinding } from '../../src/policy/policy-types';
import { expectValid } from '../support/validate';

/** Findings of one object (or several) under the default pack. */
function findings(...objects: any[]): PolicyFinding[] {
  return policyChart(objects).pack.findings();
}

/** Asserts exactly one finding of `id` and that its message holds every fragment; returns it. */
function expectOne(objects: any[], id: string, ...fragments: string[]): PolicyFinding {
  const found = findings(...objects).filter(f => f.ruleId === id);
  expect(found.map(f => f.message)).toHaveLength(1);
  for (const fragment of fragments) expect(found[0].message).toContain(fragment);
  return found[0];
}

/** The v1beta1 decode component's main container of a fresh baseline graph. */
function b1(mutate: (dgd: any, decode: any, main: any) => void): any {
  const dgd = dgdV1beta1();
  const decode = dgd.spec.components[2];
  mutate(dgd, decode, decode.podTemplate.spec.containers[0]);
  return dgd;
}

/** The v1alpha1 decode service of a fresh baseline graph. */
function a1(mutate: (dgd: any, decode: any) => void): any {
  const dgd = dgdV1alpha1();
  mutate(dgd, dgd.spec.services.decode);
  return dgd;
}

const DECODE_MAIN = 'spec.components[decode].podTemplate.spec.containers[main]';

describe('baselines', () => {
  test.each([
    ['DGD v1beta1', dgdV1beta1()],
    ['DGD v1alpha1', dgdV1alpha1()],
    ['GPU Deployment', gpuDeployment()],
  ])('%s passes every rule and is a valid object', (_name, json) => {
    expect(findings(json)).toEqual([]);
    expectValid([json]);
  });
});

describe('DYN-GPU-001 requests equal limits', () => {
  test('v1beta1: request differs from limit', () => {
    const f = expectOne([b1((_d, _c, main) => { main.resources.limits['nvidia.com/gpu'] = '2'; })], 'DYN-GPU-001',
      `[test/o0] '${DECODE_MAIN}.resources.requests.nvidia.com/gpu' is '1'`, 'allowed: the limit (\'2\')');
    expect(f.component).toBe('decode');
  });

  test('v1alpha1: ResourceItem gpu request without limit', () => {
    expectOne([a1((_d, svc) => { delete svc.resources.limits.gpu; })], 'DYN-GPU-001',
      "'spec.services.decode.resources.requests.nvidia.com/gpu' is '1'", 'allowed: the limit (undefined)');
  });

  test('limits alone are fine', () => {
    expect(ruleIds(policyChart([b1((_d, _c, main) => { delete main.resources.requests['nvidia.com/gpu']; })]).pack)).toEqual([]);
  });
});

describe('DYN-GPU-002 parallelism fits the replica', () => {
  test('TP larger than the GPUs of the pod', () => {
    expectOne([b1((_d, _c, main) => { main.args.push('--tensor-parallel-size', '4'); })], 'DYN-GPU-002',
      `'${DECODE_MAIN}.args' is 'TP 4 x PP 1 = 4 GPUs'`, 'the engine needs more GPUs than the replica holds', 'allowed: 1 (1 GPU(s) per pod x 1 node(s))');
  });

  test.each([
    [['--tensor-parallel-size', '1', '--tensor_parallel_size=4']],
    [['-tp', '1', '--tensor-parallel-size 4']],
    [['--tensor-par', '4']],
  ])('the engine\'s reading counts (last occurrence, _ for -, one element, abbreviations): %j', (extra) => {
    expectOne([b1((_d, _c, main) => { main.args.push(...extra); })], 'DYN-GPU-002', "is 'TP 4 x PP 1 = 4 GPUs'");
  });

  test('SGLang aliases: --tensor-parallel-size is --tp-size', () => {
    expectOne([b1((_d, _c, main) => {
      main.command = ['python3', '-m', 'dynamo.sglang'];
      main.args = ['--model-path', 'Qwen/Qwen3-0.6B', '--disaggregation-mode', 'decode', '--tp-size', '1', '--tensor-parallel-size', '4'];
    })], 'DYN-GPU-002', "is 'TP 4 x PP 1 = 4 GPUs'");
  });

  test('idle GPUs: 4 GPUs for TP 2', () => {
    expectOne([b1((_d, _c, main) => {
      main.args.push('--tp', '2');
      main.resources.requests['nvidia.com/gpu'] = main.resources.limits['nvidia.com/gpu'] = '4';
    })], 'DYN-GPU-002', 'GPUs would sit idle', 'allowed: 4');
  });

  test('vLLM data parallelism multiplies, SGLang DP attention does not', () => {
    const gpus = (dgd: any, n: string) => {
      const main = dgd.spec.components[2].podTemplate.spec.containers[0];
      main.resources.requests['nvidia.com/gpu'] = main.resources.limits['nvidia.com/gpu'] = n;
      return main;
    };
    const vllm = dgdV1beta1();
    gpus(vllm, '4').args.push('--tensor-parallel-size', '2', '--data-parallel-size', '2');
    expect(ruleIds(policyChart([vllm]).pack)).toEqual([]);
    const sglang = dgdV1beta1();
    const main = gpus(sglang, '4');
    main.command = ['python3', '-m', 'dynamo.sglang'];
    main.args = ['--model-path', 'Qwen/Qwen3-0.6B', '--disaggregation-mode', 'decode', '--tp-size', '4', '--dp-size', '4', '--enable-dp-attention'];
    expect(ruleIds(policyChart([sglang]).pack)).toEqual([]);
  });

  test('multinode: TP 16 over 2 nodes x 8 GPUs fits', () => {
    const dgd = b1((_d, decode, main) => {
      decode.multinode = { nodeCount: 2 };
      main.args.push('--tensor-parallel-size', '16');
      main.resources.requests['nvidia.com/gpu'] = main.resources.limits['nvidia.com/gpu'] = '8';
    });
    expect(findings(dgd).filter(f => f.ruleId === 'DYN-GPU-002')).toEqual([]);
  });

  test('a pod asking more GPUs than the node holds', () => {
    const f = findings(b1((_d, _c, main) => {
      main.args.push('--tensor-parallel-size', '16');
      main.resources.requests['nvidia.com/gpu'] = main.resources.limits['nvidia.com/gpu'] = '16';
    })).filter(x => x.ruleId === 'DYN-GPU-002');
    expect(f.map(x => x.message)).toEqual([expect.stringContaining("'16 GPUs': the pod can never schedule; use multinode. allowed: at most 8 (h100-sxm nodes hold 8)")]);
  });

  test('shell command lines (operator default /bin/sh -c) are parsed', () => {
    const dgd = b1((_d, _c, main) => {
      delete main.command;
      main.args = ['python3 -m dynamo.vllm --model Qwen/Qwen3-0.6B --disaggregation-mode decode --tensor-parallel-size=2'];
    });
    expectOne([dgd], 'DYN-GPU-002', 'TP 2 x PP 1 = 2 GPUs');
  });
});

describe('DYN-GPU-003 MIG', () => {
  const migDgd = (product: string, resource: string, extraArgs: string[] = [], slices = '1') => dgdV1beta1([
    b1Component('Frontend', 'frontend'),
    (() => {
      const c = b1Component('agg', 'worker', { product, gpuResource: resource, args: vllmArgs(undefined, ...extraArgs) });
      const main = c.podTemplate.spec.containers[0];
      main.resources.requests[resource] = main.resources.limits[resource] = slices;
      return c;
    })(),
  ]);

  test('one slice, TP 1, on a GPU that offers the profile', () => {
    expect(findings(migDgd('NVIDIA-A100-SXM4-80GB', 'nvidia.com/mig-1g.10gb'))).toEqual([]);
  });

  test('TP 2 over two slices', () => {
    const f = findings(migDgd('NVIDIA-A100-SXM4-80GB', 'nvidia.com/mig-1g.10gb', ['--tensor-parallel-size', '2'], '2'))
      .filter(x => x.ruleId === 'DYN-GPU-003');
    expect(f.map(x => x.message)).toEqual([expect.stringContaining("'2 MIG 1g.10gb slice(s) per pod, 1 node(s), TP x PP = 2': NCCL cannot span MIG slices. allowed: one slice, one node, TP=1 and PP=1")]);
  });

  test('a profile the targeted GPU does not offer', () => {
    expectOne([migDgd('NVIDIA-H100-80GB-HBM3', 'nvidia.com/mig-1g.5gb')], 'DYN-GPU-003',
      "'spec.components[agg].podTemplate.spec.affinity' is 'h100-sxm with MIG 1g.5gb'", 'allowed: one of 1g.10gb');
  });

  test('a GPU without MIG', () => {
    expectOne([migDgd('NVIDIA-L4', 'nvidia.com/mig-1g.5gb')], 'DYN-GPU-003', 'l4 does not support MIG', 'allowed: a MIG-capable GPU');
  });

  test('single strategy: the product label names the slice', () => {
    const dgd = dgdV1beta1([b1Component('agg', 'worker', { product: 'NVIDIA-A100-SXM4-80GB-MIG-9g.99gb', args: vllmArgs() })]);
    expectOne([dgd], 'DYN-GPU-003', 'a100-sxm4-80gb with MIG 9g.99gb');
  });
});

describe('DYN-GPU-004 model fits in GPU memory', () => {
  const worker = (model: string, args: string[], gpus: number, product?: string) =>
    dgdV1beta1([b1Component('agg', 'worker', { gpus, product, args: ['--model', model, ...args] })]);

  test('70B BF16 on one H100 does not fit', () => {
    expectOne([worker('meta-llama/Meta-Llama-3.1-70B', [], 1)], 'DYN-GPU-004',
      "'meta-llama/Meta-Llama-3.1-70B at 131072 tokens on 80Gi GPUs: weights 131.42Gi + KV 40Gi per GPU'");
  });

  test('70B BF16 at TP 4 fits', () => {
    expect(findings(worker('meta-llama/Meta-Llama-3.1-70B', ['--tensor-parallel-size', '4'], 4))).toEqual([]);
  });

  test('weights fit but one max-length sequence does not; a shorter max-model-len fixes it', () => {
    expectOne([worker('Qwen/Qwen3-32B', [], 1)], 'DYN-GPU-004', 'at 40960 tokens', 'KV 10Gi per GPU', 'within the 7.48Gi per GPU');
    expect(findings(worker('Qwen/Qwen3-32B', ['--max-model-len', '8192'], 1))).toEqual([]);
  });

  test('a larger GPU (H200) fits what an H100 cannot', () => {
    expect(findings(worker('Qwen/Qwen3-32B', [], 1, 'NVIDIA-H200'))).toEqual([]);
  });

  test('intent annotations replace the catalog (unknown model, unknown GPU)', () => {
    const dgd = worker('my-org/private-model', [], 1, 'Some-Custom-GPU');
    dgd.spec.components[0].podTemplate.metadata = {
      annotations: {
        'cdk8s-dynamo.io/weights-gib': '40',
        'cdk8s-dynamo.io/kv-bytes-per-token': '131072',
        'cdk8s-dynamo.io/max-model-len': '100000',
        'cdk8s-dynamo.io/gpu-memory-gib': '48',
      },
    };
    expectOne([dgd], 'DYN-GPU-004', "'my-org/private-model at 100000 tokens on 48Gi GPUs: weights 40Gi + KV 12.21Gi per GPU'");
  });

  test('unknown model and no annotations: nothing to check', () => {
    expect(findings(worker('my-org/private-model', [], 1))).toEqual([]);
  });
});

describe('DYN-GPU-005 /dev/shm', () => {
  const twoGpus = (main: any) => {
    main.args.push('--tensor-parallel-size', '2');
    main.resources.requests['nvidia.com/gpu'] = main.resources.limits['nvidia.com/gpu'] = '2';
  };

  test('v1beta1 default (8Gi) is enough; disabled or tiny is not', () => {
    expect(findings(b1((_d, _c, main) => twoGpus(main)))).toEqual([]);
    expectOne([b1((_d, c, main) => { twoGpus(main); c.sharedMemorySize = '0'; })], 'DYN-GPU-005',
      "'spec.components[decode].sharedMemorySize' is 'no /dev/shm volume'", 'allowed: at least 2Gi (1Gi per GPU) for 2 GPUs');
    expectOne([b1((_d, c, main) => { twoGpus(main); c.sharedMemorySize = '1Gi'; })], 'DYN-GPU-005', "is '1Gi'");
  });

  test('v1alpha1 sharedMemory.disabled', () => {
    const dgd = a1((_d, svc) => {
      svc.extraPodSpec.mainContainer.args.push('--tensor-parallel-size', '2');
      svc.resources.requests.gpu = svc.resources.limits.gpu = '2';
      svc.sharedMemory = { disabled: true };
    });
    expectOne([dgd], 'DYN-GPU-005', "'spec.services.decode.sharedMemory' is 'no /dev/shm volume'");
  });

  test('plain Deployment needs a memory emptyDir at /dev/shm', () => {
    const dep = gpuDeployment({ gpus: 2, args: vllmArgs(undefined, '--tensor-parallel-size', '2') });
    expectOne([dep], 'DYN-GPU-005', "'spec.template.spec.volumes' is 'no /dev/shm volume'");
    const spec = dep.spec.template.spec;
    spec.volumes = [{ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '16Gi' } }];
    spec.containers[0].volumeMounts = [{ name: 'shm', mountPath: '/dev/shm' }];
    expect(findings(dep)).toEqual([]);
  });
});

describe('DYN-GPU-006/007 GPU placement', () => {
  test('missing toleration is an error', () => {
    expectOne([b1((_d, c) => { delete c.podTemplate.spec.tolerations; })], 'DYN-GPU-006',
      "'spec.components[decode].podTemplate.spec.tolerations' is undefined", 'allowed: a toleration for nvidia.com/gpu (NoSchedule)');
  });

  test('tolerate-everything counts', () => {
    expect(findings(b1((_d, c) => { c.podTemplate.spec.tolerations = [{ operator: 'Exists' }]; }))).toEqual([]);
  });

  test('missing node targeting is a warning', () => {
    const f = expectOne([a1((_d, svc) => { delete svc.extraPodSpec.affinity; })], 'DYN-GPU-007', "'spec.services.decode.extraPodSpec.affinity'");
    expect(f.severity).toBe('warning');
    expect(findings(a1((_d, svc) => {
      delete svc.extraPodSpec.affinity;
      svc.extraPodSpec.nodeSelector = { 'nvidia.com/gpu.present': 'true' };
    }))).toEqual([]);
  });
});

describe('DYN-GPU-008 model download Job placement', () => {
  const job = (placement: any) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'download' },
    spec: {
      template: {
        spec: {
          restartPolicy: 'Never',
          securityContext: { seccompProfile: { type: 'RuntimeDefault' }, runAsNonRoot: true },
          ...placement,
          volumes: [{ name: 'cache', persistentVolumeClaim: { claimName: 'model-cache' } }],
          containers: [{ ...mainContainer({ gpus: 0 }), name: 'download', volumeMounts: [{ name: 'cache', mountPath: '/cache' }] }],
        },
      },
    },
  });
  const withClaim = () => b1((_d, c, main) => {
    c.podTemplate.spec.volumes = [{ name: 'cache', persistentVolumeClaim: { claimName: 'model-cache' } }];
    main.volumeMounts = [{ name: 'cache', mountPath: '/cache' }];
  });

  test('a Job filling a claim GPU pods mount needs GPU placement', () => {
    expectOne([withClaim(), job({})], 'DYN-GPU-008', "[test/o1] 'spec.template.spec.tolerations' is 'claim model-cache without GPU placement'");
    expect(findings(withClaim(), job(gpuPlacement()))).toEqual([]);
  });

  test('v1alpha1 claims come from spec.pvcs volumeMounts', () => {
    const dgd = a1((d, svc) => {
      d.spec.pvcs = [{ name: 'model-cache' }];
      svc.volumeMounts = [{ name: 'model-cache', mountPoint: '/cache' }];
    });
    expectOne([dgd, job({})], 'DYN-GPU-008', 'claim model-cache');
  });

  test('a Job on an unrelated claim is left alone', () => {
    expect(findings(dgdV1beta1(), job({}))).toEqual([]);
  });
});

describe('DYN-DGD-001 disaggregation roles', () => {
  test('prefill component running as decode', () => {
    const dgd = dgdV1beta1();
    dgd.spec.components[1].podTemplate.spec.containers[0].args = vllmArgs('decode');
    expectOne([dgd], 'DYN-DGD-001', "'spec.components[prefill].podTemplate.spec.containers[main].args' is '--disaggregation-mode decode on a prefill component'",
      'allowed: --disaggregation-mode prefill');
  });

  test('decode component without a role', () => {
    expectOne([b1((_d, _c, main) => { main.args = vllmArgs(); })], 'DYN-DGD-001', '--disaggregation-mode unset on a decode component');
  });

  test('v1alpha1 worker + subComponentType prefill, legacy --is-prefill-worker accepted', () => {
    const dgd = dgdV1alpha1();
    dgd.spec.services.prefill.extraPodSpec.mainContainer.args = vllmArgs();
    expectOne([dgd], 'DYN-DGD-001', "'spec.services.prefill.extraPodSpec.mainContainer.args'");
    dgd.spec.services.prefill.extraPodSpec.mainContainer.args = [...vllmArgs(), '--is-prefill-worker'];
    expect(findings(dgd)).toEqual([]);
  });

  test('aggregated worker must not carry a role', () => {
    const dgd = dgdV1beta1([b1Component('agg', 'worker', { args: vllmArgs('prefill') })]);
    expectOne([dgd], 'DYN-DGD-001', 'allowed: no disaggregation role');
  });
});

describe('DYN-DGD-002 planner budget', () => {
  const withPlanner = (config: object | string, shell = false) => {
    const dgd = dgdV1beta1();
    const planner = b1Component('Planner', 'planner', { gpus: 0, module: 'dynamo.planner', args: [] });
    const main = planner.podTemplate.spec.containers[0];
    const json = typeof config === 'string' ? config : JSON.stringify(config);
    if (shell) {
      main.command = ['/bin/sh', '-c'];
      main.args = [`python3 -m dynamo.planner --config '${json}'`];
    } else {
      main.args = ['--config', json];
    }
    dgd.spec.components.push(planner);
    return dgd;
  };

  test('budget below the pools\' GPUs', () => {
    expectOne([withPlanner({ environment: 'kubernetes', max_gpu_budget: 1 })], 'DYN-DGD-002',
      "'spec.components[Planner].podTemplate.spec.containers[main].args' is 'max_gpu_budget 1'", 'allowed: at least 2 (prefill: 1 x 1, decode: 1 x 1)');
    expect(findings(withPlanner({ max_gpu_budget: 2 }))).toEqual([]);
  });

  test('the default budget (8) is checked too, and shell-quoted configs are read', () => {
    const dgd = withPlanner({ mode: 'disagg' }, true);
    dgd.spec.components[2].replicas = 8;
    expectOne([dgd], 'DYN-DGD-002', "is 'max_gpu_budget 8'", 'at least 9');
  });

  test('per-engine GPU counts must match the pools', () => {
    expectOne([withPlanner({ max_gpu_budget: 16, prefill_engine_num_gpu: 2 })], 'DYN-DGD-002',
      "is 'prefill_engine_num_gpu 2'", 'allowed: 1 (GPUs per prefill replica)');
  });

  test('agg mode scales the aggregated workers only', () => {
    expect(findings(withPlanner({ mode: 'agg', max_gpu_budget: 0 }))).toEqual([]);
  });

  test('a config file path cannot be checked', () => {
    expect(findings(withPlanner('/etc/planner/config.yaml'))).toEqual([]);
  });
});

describe('DYN-IMG-001/002 images', () => {
  test.each([
    ['nvcr.io/nvidia/ai-dynamo/vllm-runtime:latest', 'latest moves under you'],
    ['nvcr.io/nvidia/ai-dynamo/vllm-runtime', 'an untagged image means latest'],
    ['registry.local:5000/vllm-runtime', 'an untagged image means latest'],
  ])('%s is not pinned', (image, why) => {
    const dep = gpuDeployment({ image });
    expectOne([dep], 'DYN-IMG-001', `'spec.template.spec.containers[engine].image' is '${image}': ${why}`);
  });

  test('digests pin', () => {
    expect(findings(gpuDeployment({ image: `nvcr.io/nvidia/ai-dynamo/vllm-runtime@sha256:${'a'.repeat(64)}` }))).toEqual([]);
  });

  test('a DGD component needs a main image', () => {
    expectOne([b1((_d, _c, main) => { delete main.image; })], 'DYN-IMG-001', `'${DECODE_MAIN}.image' is undefined`);
  });

  test('non-semver tag needs runtimeVersionOverride', () => {
    const dgd = b1((_d, _c, main) => { main.image = 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:my-tag'; });
    expectOne([dgd], 'DYN-IMG-002', "'spec.components[decode].runtimeVersionOverride' is undefined",
      "image 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:my-tag' has no semver tag");
    dgd.spec.components[2].runtimeVersionOverride = '1.4.0';
    expect(findings(dgd)).toEqual([]);
    dgd.spec.components[2].runtimeVersionOverride = '1.4';
    expectOne([dgd], 'DYN-IMG-002', "is '1.4': the CRD pattern rejects it");
  });

  test('v1alpha1 runtimeVersionOverride sits on the service', () => {
    const dgd = a1((_d, svc) => { svc.extraPodSpec.mainContainer.image = 'vllm-runtime:v1.4.0-rc1'; });
    expect(findings(dgd)).toEqual([]);
    dgd.spec.services.decode.extraPodSpec.mainContainer.image = 'vllm-runtime:nightly';
    expectOne([dgd], 'DYN-IMG-002', "'spec.services.decode.runtimeVersionOverride' is undefined");
  });
});

describe('DYN-PRB-001/002 probes', () => {
  const qwen32 = (probe: (main: any) => void) => {
    const dgd = dgdV1beta1([b1Component('agg', 'worker', { args: ['--model', 'Qwen/Qwen3-32B', '--max-model-len', '8192'] })]);
    probe(dgd.spec.components[0].podTemplate.spec.containers[0]);
    return dgd;
  };

  test('the operator default startup probe (2h) covers a 32B model', () => {
    expect(findings(qwen32(() => undefined))).toEqual([]);
  });

  test('a 5-minute startup probe does not', () => {
    expectOne([qwen32(m => { m.startupProbe = { httpGet: { path: '/live', port: 9090 }, periodSeconds: 10, failureThreshold: 30 }; })],
      'DYN-PRB-001', "'spec.components[agg].podTemplate.spec.containers[main].startupProbe' is '300s'",
      'allowed: at least 550s (61.02Gi of weights at 250MiB/s + 300s engine start)');
  });

  test('storage throughput is an assumption the pack takes', () => {
    const dgd = qwen32(m => { m.startupProbe = { periodSeconds: 10, failureThreshold: 30 }; });
    const fast = policyChart([dgd], { storageThroughputMiBps: 2000, engineStartup: Duration.seconds(200) }).pack;
    expect(ruleIds(fast)).toEqual([]);
  });

  test('without a startup probe, the liveness probe bounds start-up (plain pods)', () => {
    const dep = gpuDeployment({ args: ['--model', 'Qwen/Qwen3-32B', '--max-model-len', '8192'] });
    dep.spec.template.spec.containers[0].livenessProbe = { httpGet: { path: '/health', port: 8000 }, initialDelaySeconds: 60, failureThreshold: 1 };
    const f = findings(dep);
    expect(f.map(x => x.ruleId)).toEqual(['DYN-PRB-001', 'DYN-PRB-002']);
    expect(f[0].message).toContain("'spec.template.spec.containers[engine].livenessProbe' is '70s'");
    expect(f[1].message).toContain("'spec.template.spec.containers[engine].livenessProbe.failureThreshold' is 1: one missed check restarts the engine");
  });

  test('a startup probe guards a strict liveness probe', () => {
    const dep = gpuDeployment();
    dep.spec.template.spec.containers[0].livenessProbe = { httpGet: { path: '/health', port: 8000 }, failureThreshold: 1 };
    dep.spec.template.spec.containers[0].startupProbe = { httpGet: { path: '/health', port: 8000 }, failureThreshold: 720 };
    expect(findings(dep)).toEqual([]);
  });
});

describe('DYN-SEC-001 secrets by reference', () => {
  const withEnv = (env: any[]) => b1((_d, _c, main) => { main.env = env; });

  test.each([
    ['HF_TOKEN'], ['AWS_SECRET_ACCESS_KEY'], ['DB_PASSWORD'], ['OPENAI_API_KEY'], ['my-secret'],
  ])('literal %s is refused', name => {
    expectOne([withEnv([{ name, value: 'hunter2' }])], 'DYN-SEC-001', `'${DECODE_MAIN}.env[${name}].value' is '<redacted literal>'`,
      'allowed: valueFrom.secretKeyRef or envFrom a Secret');
  });

  test.each([
    [{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'HF_TOKEN' } } }],
    [{ name: 'MAX_NUM_BATCHED_TOKENS', value: '8192' }],
    [{ name: 'HF_TOKEN_PATH', value: '/var/run/secrets/hf' }],
    [{ name: 'HF_TOKEN', value: '' }],
    [{ name: 'HF_TOKEN', value: '$(HF_TOKEN_FROM_SECRET)' }],
  ])('%j is fine', env => {
    expect(findings(withEnv([env]))).toEqual([]);
  });

  test('never prints the value', () => {
    const f = expectOne([withEnv([{ name: 'HF_TOKEN', value: 'hf_supersecret' }])], 'DYN-SEC-001');
    expect(f.message).not.toContain('hf_supersecret');
  });

  test('graph-wide envs (v1alpha1 spec.envs, v1beta1 spec.env) are reported once', () => {
    const a = dgdV1alpha1();
    a.spec.envs = [{ name: 'HF_TOKEN', value: 'x' }];
    expectOne([a], 'DYN-SEC-001', "'spec.envs[HF_TOKEN].value'");
    const b = dgdV1beta1();
    b.spec.env = [{ name: 'HF_TOKEN', value: 'x' }];
    expect(findings(b).filter(f => f.ruleId === 'DYN-SEC-001')).toHaveLength(3);
  });

  test('Secret data and credential-named ConfigMap keys', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hf' }, stringData: { HF_TOKEN: 'x' } };
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { HF_TOKEN: 'x', MODEL: 'q' } };
    const f = findings(secret, cm).filter(x => x.ruleId === 'DYN-SEC-001');
    expect(f.map(x => x.field)).toEqual(['stringData', 'data.HF_TOKEN']);
  });
});

describe('DYN-SEC-002..008 pod security', () => {
  test.each([
    ['DYN-SEC-002', (m: any) => { delete m.resources.requests.cpu; }, "resources' is", 'missing requests.cpu'],
    ['DYN-SEC-003', (m: any) => { delete m.securityContext.allowPrivilegeEscalation; }, 'securityContext.allowPrivilegeEscalation\' is undefined', 'allowed: false'],
    ['DYN-SEC-003', (m: any) => { m.securityContext.privileged = true; }, 'securityContext.privileged\' is true', 'allowed: false or unset'],
    ['DYN-SEC-004', (m: any) => { m.securityContext.capabilities = {}; }, 'capabilities.drop\' is undefined', 'allowed: [ALL]'],
    ['DYN-SEC-004', (m: any) => { m.securityContext.capabilities.add = ['SYS_ADMIN']; }, 'capabilities.add\' is ["SYS_ADMIN"]', 'NET_BIND_SERVICE only'],
    ['DYN-SEC-006', (m: any) => { m.securityContext.runAsUser = 0; }, 'runAsNonRoot\' is true', 'runAsUser other than 0'],
    ['DYN-SEC-006', (m: any) => { m.securityContext.runAsNonRoot = false; }, 'runAsNonRoot\' is false', 'the container may run as root'],
    ['DYN-SEC-007', (m: any) => { m.securityContext.readOnlyRootFilesystem = false; }, 'readOnlyRootFilesystem\' is false', 'allowed: true'],
  ])('%s', (id, mutate, ...fragments) => {
    expectOne([b1((_d, _c, main) => mutate(main))], id, ...fragments);
  });

  test('seccomp may come from the pod; missing everywhere is an error', () => {
    expect(findings(b1((_d, _c, main) => { delete main.securityContext.seccompProfile; }))).toEqual([]);
    expectOne([b1((_d, c, main) => {
      delete main.securityContext.seccompProfile;
      c.podTemplate.spec.securityContext = {};
    })], 'DYN-SEC-005', 'seccompProfile.type\' is undefined', 'allowed: RuntimeDefault or Localhost');
  });

  test('non-root may come from the pod', () => {
    expect(findings(b1((_d, _c, main) => { delete main.securityContext.runAsNonRoot; }))).toEqual([]);
  });

  test('init containers are containers too', () => {
    const dgd = b1((_d, c) => { c.podTemplate.spec.initContainers = [{ name: 'init', image: 'busybox:1.36' }]; });
    const ids = findings(dgd).map(f => f.ruleId);
    // runAsNonRoot comes from the pod security context, so DYN-SEC-006 holds.
    expect(ids).toEqual(['DYN-SEC-002', 'DYN-SEC-003', 'DYN-SEC-004', 'DYN-SEC-007']);
  });

  test('host namespaces, host paths and host ports', () => {
    const dep = gpuDeployment();
    const spec = dep.spec.template.spec;
    spec.hostIPC = true;
    spec.volumes = [{ name: 'models', hostPath: { path: '/mnt/models' } }];
    spec.containers[0].ports = [{ name: 'http', containerPort: 8000, hostPort: 8000 }];
    const f = findings(dep).filter(x => x.ruleId === 'DYN-SEC-008').map(x => x.field);
    expect(f).toEqual(['spec.template.spec.containers[engine].ports[http].hostPort', 'spec.template.spec.hostIPC', 'spec.template.spec.volumes[models].hostPath']);
  });

  test('v1alpha1 main container security context', () => {
    expectOne([a1((_d, svc) => { svc.extraPodSpec.mainContainer.securityContext.capabilities = {}; })], 'DYN-SEC-004',
      "'spec.services.decode.extraPodSpec.mainContainer.securityContext.capabilities.drop'");
  });
});

describe('other workloads', () => {
  test('LeaderWorkerSet groups count nodes; CronJob, Pod, StatefulSet templates are checked', () => {
    const dep = gpuDeployment({ gpus: 8, args: vllmArgs(undefined, '--tensor-parallel-size', '16') });
    const template = clone(dep.spec.template);
    template.spec.volumes = [{ name: 'shm', emptyDir: { medium: 'Memory' } }];
    template.spec.containers[0].volumeMounts = [{ name: 'shm', mountPath: '/dev/shm' }];
    const lws = {
      apiVersion: 'leaderworkerset.x-k8s.io/v1',
      kind: 'LeaderWorkerSet',
      metadata: { name: 'lws' },
      spec: { replicas: 1, leaderWorkerTemplate: { size: 2, workerTemplate: template } },
    };
    expect(findings(lws).map(f => f.ruleId)).toEqual([]);
    const broken = clone(template);
    broken.spec.containers[0].image = 'x:latest';
    const others = [
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '@daily', jobTemplate: { spec: { template: broken } } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: broken.spec },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { template: broken } },
    ];
    expect(findings(...others).filter(f => f.ruleId === 'DYN-IMG-001').map(f => f.field)).toEqual([
      'spec.jobTemplate.spec.template.spec.containers[engine].image',
      'spec.containers[engine].image',
      'spec.template.spec.containers[engine].image',
    ]);
  });

  test('node affinity listing several GPUs: the smallest one is checked', () => {
    const dgd = dgdV1beta1([b1Component('agg', 'worker', { args: ['--model', 'Qwen/Qwen3-32B'] })]);
    dgd.spec.components[0].podTemplate.spec.affinity = productAffinity('NVIDIA-H200', 'NVIDIA-H100-80GB-HBM3');
    expectOne([dgd], 'DYN-GPU-004', 'on 80Gi GPUs');
  });
});
