import { Backend } from '../../src/engines/backend';
import { EngineCommands } from '../../src/engines/engine-commands';
import { EngineSettings, WorkerRole } from '../../src/engines/engine-settings';

/**
 * The command lines of NVIDIA Dynamo's own examples (operator-facts §5: `examples/backends/{vllm,sglang,trtllm}/deploy`)
 * must be contained in ours, flag by flag, for every backend and pattern; order does not matter and extra flags of
 * ours are allowed. Aliases are spelled as we render them (SGLang `--tp` = `--tp-size`).
 */
const M = 'Qwen/Qwen3-0.6B';
const NIXL = '{"kv_connector":"NixlConnector","kv_role":"kv_both"}';
const VLLM_KV_EVENTS = '{"publisher":"zmq","topic":"kv-events","endpoint":"tcp://*:20080","enable_kv_cache_events":true}';
const SGLANG_KV_EVENTS = '{"publisher":"zmq","topic":"kv-events","endpoint":"tcp://*:5557"}';

function render(backend: Backend, role: WorkerRole, kvEvents = false, nodeCount = 1, tensorParallel = 1) {
  const s: EngineSettings = {
    backend,
    role,
    disaggregated: role !== 'aggregated',
    model: M,
    tensorParallel,
    pipelineParallel: 1,
    dataParallel: 1,
    expertParallel: 1,
    kvEvents,
    nodeCount,
    extraArgs: [],
  };
  return EngineCommands.render(s);
}

/** `--flag value` pairs and bare flags of an argv, for order-insensitive containment. */
function options(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const next = args[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      out.push(`${args[i]} ${next}`);
      i++;
    } else {
      out.push(args[i]);
    }
  }
  return out;
}

type Case = [string, Backend, WorkerRole, boolean, string[]];
const cases: Case[] = [
  ['vLLM agg', Backend.VLLM, 'aggregated', false, ['--model', M]],
  ['vLLM agg_router', Backend.VLLM, 'aggregated', true, ['--model', M, '--kv-events-config', VLLM_KV_EVENTS]],
  ['vLLM disagg decode', Backend.VLLM, 'decode', false, ['--model', M, '--disaggregation-mode', 'decode']],
  ['vLLM disagg prefill', Backend.VLLM, 'prefill', false, ['--model', M, '--disaggregation-mode', 'prefill', '--kv-transfer-config', NIXL]],
  ['vLLM disagg_router decode', Backend.VLLM, 'decode', true, ['--disaggregation-mode', 'decode', '--kv-events-config', VLLM_KV_EVENTS]],
  ['SGLang agg', Backend.SGLANG, 'aggregated', false,
    ['--model-path', M, '--served-model-name', M, '--page-size', '16', '--tp-size', '1', '--trust-remote-code', '--skip-tokenizer-init']],
  ['SGLang agg_router', Backend.SGLANG, 'aggregated', true, ['--model-path', M, '--kv-events-config', SGLANG_KV_EVENTS]],
  ...(['prefill', 'decode'] as const).map((role): Case => [`SGLang disagg ${role}`, Backend.SGLANG, role, false, [
    '--model-path', M, '--served-model-name', M, '--page-size', '16', '--tp-size', '1', '--trust-remote-code', '--skip-tokenizer-init',
    '--disaggregation-mode', role, '--disaggregation-transfer-backend', 'nixl', '--disaggregation-bootstrap-port', '12345', '--host', '0.0.0.0',
  ]]),
  ['TRT-LLM agg', Backend.TRTLLM, 'aggregated', false, ['--model-path', M, '--served-model-name', M]],
  ['TRT-LLM agg_router', Backend.TRTLLM, 'aggregated', true, ['--model-path', M, '--publish-events-and-metrics']],
  ['TRT-LLM disagg prefill', Backend.TRTLLM, 'prefill', false, ['--model-path', M, '--served-model-name', M, '--disaggregation-mode', 'prefill']],
  ['TRT-LLM disagg decode', Backend.TRTLLM, 'decode', true, ['--disaggregation-mode', 'decode', '--publish-events-and-metrics']],
];

describe('engine command lines contain what upstream examples run (operator-facts §5)', () => {
  test.each(cases)('%s', (_name, backend, role, kvEvents, upstream) => {
    const cmd = render(backend, role, kvEvents);
    expect(cmd.command).toEqual(['python3', '-m', `dynamo.${backend}`]);
    expect(options(cmd.args)).toEqual(expect.arrayContaining(options(upstream)));
  });

  test('TRT-LLM reads an engine YAML named after the role, like upstream\'s engine_configs/<model>/{agg,prefill,decode}.yaml', () => {
    for (const role of ['aggregated', 'prefill', 'decode'] as const) {
      const cmd = render(Backend.TRTLLM, role);
      const path = cmd.args[cmd.args.indexOf('--extra-engine-args') + 1];
      expect(path).toBe(`${cmd.configFiles[0].mountPath}/${{ aggregated: 'agg', prefill: 'prefill', decode: 'decode' }[role]}.yaml`);
      // An absolute path: no reliance on upstream's workingDir /workspace.
      expect(path.startsWith('/')).toBe(true);
    }
  });

  test('multinode env as upstream sets it: SGLang GLOO_SOCKET_IFNAME, TRT-LLM mpirun as root; no launch flags of the operator\'s', () => {
    expect(render(Backend.SGLANG, 'decode', false, 2, 8).env).toEqual([{ name: 'GLOO_SOCKET_IFNAME', value: 'eth0' }]);
    expect(render(Backend.TRTLLM, 'decode', false, 2, 8).env).toEqual([
      { name: 'OMPI_ALLOW_RUN_AS_ROOT', value: '1' }, { name: 'OMPI_ALLOW_RUN_AS_ROOT_CONFIRM', value: '1' },
    ]);
    // operator-facts §3: the operator appends --nnodes/--node-rank/--master-addr (vLLM) and --dist-init-addr (SGLang).
    for (const backend of [Backend.VLLM, Backend.SGLANG, Backend.TRTLLM]) {
      const args = render(backend, 'decode', false, 2, 8).args;
      for (const flag of ['--nnodes', '--node-rank', '--master-addr', '--dist-init-addr', '--distributed-executor-backend', '--headless']) {
        expect(args).not.toContain(flag);
      }
    }
  });
});
