import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GpuProfile, ModelArchitecture, SlaOptimizer } from '../../src';
import { main } from '../../src/cli/main';

function run(...argv: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, { out: t => out.push(t), err: t => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('cdk8s-dynamo plan', () => {
  test('text: the plan as PlanResult.toText renders it, then the search time', () => {
    const r = run('plan', '--model', 'Qwen/Qwen3-32B', '--gpu', 'h200_sxm', '--total-gpus', '8');
    expect(r.code).toBe(0);
    const text = SlaOptimizer.plan({ model: ModelArchitecture.of('Qwen/Qwen3-32B'), gpu: GpuProfile.H200_SXM, hardware: { totalGpus: 8 } }).toText();
    expect(r.out).toMatch(/^SLA plan: Qwen\/Qwen3-32B on h200-sxm, within 8 GPUs\n/);
    expect(r.out.startsWith(text)).toBe(true);
    expect(r.out.slice(text.length)).toMatch(/^\nsearch: [\d.]+ ms$/);
  });

  test('--max-seq-len reaches the engines; --best-effort says the SLA is missed', () => {
    const json = JSON.parse(run('plan', '--model', 'Qwen/Qwen3-8B', '--gpu', 'h100_sxm', '--total-gpus', '4', '--max-seq-len', '16384', '--json').out);
    expect(json.request).toEqual(expect.objectContaining({ maxSequenceLength: 16384, maxSequenceLengthRequired: true }));
    const pools = json.best.mode === 'agg' ? [json.best.agg] : [json.best.prefill, json.best.decode];
    for (const pool of pools) expect(pool.maxModelLen).toBe(16384);
    const r = run('plan', '--model', 'Qwen/Qwen3-32B', '--gpu', 'h100_sxm', '--total-gpus', '8', '--itl', '1', '--best-effort');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\nclosest: +.* \(misses the SLA: best effort\)\n/);
  });

  test('queueing flags reach the plan; a negative variability is a usage error', () => {
    const json = JSON.parse(run('plan', '--model', 'Qwen/Qwen3-8B', '--gpu', 'h100_sxm', '--total-gpus', '4', '--arrival-variability', '0',
      '--service-variability', '1', '--max-prefill-util', '0.8', '--max-agg-load', '0.9', '--decode-occupancy', '0.85', '--json').out);
    expect(json.request.queueing).toEqual({
      arrivalVariability: 0, serviceVariability: 1, maxPrefillUtilisation: 0.8, maxAggregatedLoad: 0.9, decodeOccupancy: 0.85,
    });
    const r = run('plan', '--model', 'Qwen/Qwen3-8B', '--gpu', 'h100_sxm', '--total-gpus', '4', '--arrival-variability', '-1');
    expect(r.code).toBe(2);
    expect(r.err).toContain("option '--arrival-variability' is '-1'; allowed: a number >= 0");
    const cap = run('plan', '--model', 'Qwen/Qwen3-8B', '--gpu', 'h100_sxm', '--total-gpus', '4', '--max-agg-load', '2');
    expect(cap.code).toBe(2);
    expect(cap.err).toContain("'queueing.maxAggregatedLoad' is 2");
  });

  test('--json: one object with best, pareto, searchMs and the documented entry keys', () => {
    const r = run('plan', '--model', 'meta-llama/Llama-3.1-8B-Instruct', '--gpu', 'H100_SXM', '--total-gpus', '4', '--isl', '1024', '--osl', '256',
      '--ttft', '200', '--itl', '20', '--backend', 'vllm', '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['best', 'pareto', 'searchMs']));
    expect(typeof json.searchMs).toBe('number');
    for (const entry of [json.best, ...json.pareto]) {
      expect(['agg', 'disagg']).toContain(entry.mode);
      expect(entry.backend).toBe('vllm');
      for (const pool of entry.mode === 'agg' ? [entry.agg] : [entry.prefill, entry.decode]) {
        const numbers = { workers: expect.any(Number), tp: expect.any(Number), pp: expect.any(Number), batch: expect.any(Number) };
        expect(pool).toEqual(expect.objectContaining(numbers));
      }
      for (const k of ['gpus', 'ttftMs', 'itlMs', 'tokensPerSecondPerGpu', 'tokensPerSecondPerUser']) expect(typeof entry[k]).toBe('number');
    }
    expect(json.best.ttftMs).toBeLessThanOrEqual(200);
    expect(json.best.itlMs).toBeLessThanOrEqual(20);
  });

  test('--model accepts a local config.json; --quant and --kv-cache-dtype override the checkpoint', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, JSON.stringify({
      num_hidden_layers: 32,
      hidden_size: 4096,
      num_attention_heads: 32,
      num_key_value_heads: 8,
      intermediate_size: 14336,
      vocab_size: 128256,
      max_position_embeddings: 131072,
    }));
    const r = run('plan', '--model', file, '--gpu', 'l40s', '--total-gpus', '4', '--quant', 'fp8', '--kv-cache-dtype', 'fp8', '--json', '--best-effort');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).request).toEqual(expect.objectContaining({ quantization: 'fp8', kvCacheDtype: 'fp8', gpu: 'l40s' }));
  });

  test('unreachable SLA: exit 1 naming the closest configuration', () => {
    const r = run('plan', '--model', 'Qwen/Qwen3-32B', '--gpu', 'h100_sxm', '--total-gpus', '8', '--itl', '1');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/closest: .*misses ITL/);
  });

  test.each([
    [['plan', '--model', 'Qwen/Qwen3-32B', '--gpu', 'tpu-v5', '--total-gpus', '8'], /unknown GPU 'tpu-v5'; known: .*h100_sxm.*l40s/],
    [['plan', '--model', 'acme/x', '--gpu', 'h100_sxm', '--total-gpus', '8'], /unknown model 'acme\/x'; known: .*Qwen\/Qwen3-32B/],
    [['plan', '--model', 'Qwen/Qwen3-32B', '--gpu', 'h100_sxm'], /missing required option '--total-gpus'/],
    [['plan', '--model', 'Qwen/Qwen3-32B', '--gpu', 'h100_sxm', '--total-gpus', 'x'], /option '--total-gpus' is 'x'; allowed: a whole number >= 1/],
    [['plan', '--model', 'Qwen/Qwen3-32B', '--gpu', 'h100_sxm', '--total-gpus', '8', '--backend', 'tgi'], /option '--backend' is 'tgi'; allowed: auto, vllm, sglang, trtllm/],
    [['plan', '--frobnicate'], /unknown option '--frobnicate'/],
    [['deploy'], /unknown command 'deploy'; allowed: plan, estimate/],
  ])('usage error %j exits 2', (argv, message) => {
    const r = run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  test('--help', () => {
    const r = run('--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('cdk8s-dynamo plan --model');
    expect(run().code).toBe(2);
  });
});

describe('cdk8s-dynamo estimate', () => {
  const args = ['estimate', '--model', 'Qwen/Qwen3-32B', '--gpu', 'h200_sxm', '--backend', 'vllm', '--tp', '2', '--batch', '64', '--isl', '512', '--osl', '128'];

  test('text', () => {
    const r = run(...args);
    expect(r.code).toBe(0);
    for (const label of ['TTFT', 'ITL', 'tokens/s per GPU', 'tokens/s per user', 'memory per GPU', 'fits']) expect(r.out).toContain(label);
  });

  test('--json keys; decode and prefill modes', () => {
    const json = JSON.parse(run(...args, '--mode', 'decode', '--json').out);
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['ttftMs', 'itlMs', 'tokensPerSecondPerGpu', 'tokensPerSecondPerUser', 'memoryGiBPerGpu', 'fits']));
    expect(json.fits).toBe(true);
    // The KV budget holds one sequence of the model's whole context: it fits.
    expect(JSON.parse(run(...args, '--max-seq-len', '40960', '--json').out).fits).toBe(true);
    expect(JSON.parse(run(...args, '--max-seq-len', '40960', '--json').out).longestSequence).toBe(40960);
    expect(run(...args, '--max-seq-len', '100').err).toMatch(/'maxSequenceLength' is 100: allowed: a whole number from ISL \+ OSL \(640\) to the model's context length \(40960\)/);
    expect(JSON.parse(run(...args, '--mode', 'prefill', '--json').out).itlMs).toBe(0);
  });

  test('invalid tp names the model limit', () => {
    const r = run(...args.map(a => (a === '2' ? '3' : a)));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/'tensorParallel' is 3: allowed: a divisor of the model's 64 attention heads/);
  });
});

test('bin wiring: the script runs under node with a shebang and prints JSON', () => {
  const script = path.join(__dirname, '..', '..', 'src', 'cli', 'main.ts');
  expect(fs.readFileSync(script, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', script, 'plan', '--model', 'Qwen/Qwen3-8B', '--gpu', 'h100_sxm',
    '--total-gpus', '2', '--json'], { encoding: 'utf8', cwd: path.join(__dirname, '..', '..') });
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout).best.gpus).toBeLessThanOrEqual(2);
});

test('a reader that closes the pipe early (| head) ends the CLI quietly', () => {
  const script = path.join(__dirname, '..', '..', 'src', 'cli', 'main.ts');
  // `true` exits without reading, long before Node starts writing: every write hits a closed pipe.
  const cmd = `"${process.execPath}" -r ts-node/register/transpile-only "${script}" plan --model Qwen/Qwen3-8B --gpu h100_sxm --total-gpus 8 | true`;
  const r = spawnSync('/bin/sh', ['-c', cmd], { encoding: 'utf8', cwd: path.join(__dirname, '..', '..') });
  expect(r.status).toBe(0);
  expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
});
