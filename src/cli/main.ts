#!/usr/bin/env node
// `cdk8s-dynamo` command line: plan and estimate LLM serving configurations with the synth-time SLA optimizer.
// Start-up stays light: no cdk8s import on this path, arguments parsed by hand.
import * as fs from 'fs';
import { Backend } from '../engines/backend';
import { GpuProfile } from '../gpu/gpu-profile';
import { ModelArchitecture } from '../model/model-architecture';
import { KvCacheDtype, Quantization } from '../model/precision';
import { EstimateMode, ServingMode } from '../optimizer/sla';
import { SlaOptimizer } from '../optimizer/sla-optimizer';

/**
 * Where the CLI writes (the process streams in the bin; buffers in tests).
 * @internal
 */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const USAGE = `Usage:
  cdk8s-dynamo plan --model <hf-id|config.json> --gpu <name> --total-gpus N [--isl N] [--osl N] [--max-seq-len N]
                    [--ttft MS] [--itl MS] [--backend vllm|sglang|trtllm|auto] [--mode agg|disagg|auto]
                    [--request-rate R] [--best-effort] [--quant bf16|fp8|fp8_block|nvfp4|mxfp4] [--kv-cache-dtype bf16|fp8] [--json]
                    [--arrival-variability CA2] [--service-variability CS2] [--max-prefill-util U] [--max-agg-load U]
                    [--decode-occupancy U]
  cdk8s-dynamo estimate --model <hf-id|config.json> --gpu <name> --backend vllm|sglang|trtllm --tp N [--pp N] [--ep N]
                    --batch N --isl N --osl N [--max-seq-len N] [--mode agg|prefill|decode] [--quant ...] [--kv-cache-dtype ...] [--json]

Defaults: ISL 512, OSL 128, TTFT 100 ms, ITL 15 ms, all backends and modes; precision follows the checkpoint.
ISL and OSL are averages; --max-seq-len is the longest request (prompt + output) engines accept (plan: the model's
context length, lowered per engine to what its KV cache holds; estimate: ISL + OSL).
Queueing (TTFT at the planned load): arrivals with squared coefficient of variation CA2 (1 = Poisson), prompt
prefill times CS2 (0 = equal prompts: M/D/1); caps prefill 0.9, aggregated load 0.95, decode slots 0.95.
--gpu takes AIConfigurator system names (h100_sxm, h200_sxm, b200_sxm, a100_sxm, l40s) and GpuProfile names.
Exit codes: 0 success, 1 no configuration meets the SLA, 2 invalid arguments.`;

/** A usage error: exit code 2. */
class UsageError extends Error {}

const FLAGS: Record<string, 'value' | 'switch'> = {
  'model': 'value',
  'gpu': 'value',
  'total-gpus': 'value',
  'isl': 'value',
  'osl': 'value',
  'max-seq-len': 'value',
  'ttft': 'value',
  'itl': 'value',
  'backend': 'value',
  'mode': 'value',
  'request-rate': 'value',
  'quant': 'value',
  'kv-cache-dtype': 'value',
  'tp': 'value',
  'pp': 'value',
  'ep': 'value',
  'batch': 'value',
  'arrival-variability': 'value',
  'service-variability': 'value',
  'max-prefill-util': 'value',
  'max-agg-load': 'value',
  'decode-occupancy': 'value',
  'best-effort': 'switch',
  'json': 'switch',
  'help': 'switch',
};

/**
 * Runs the CLI with arguments (without `node` and the script) and returns the exit code.
 * @internal
 */
export function main(argv: string[], io: CliIo): number {
  try {
    const [command, ...rest] = argv;
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      io.out(USAGE);
      return command ? 0 : 2;
    }
    const args = parseFlags(rest);
    if (args.help) {
      io.out(USAGE);
      return 0;
    }
    if (command === 'plan') return plan(args, io);
    if (command === 'estimate') return estimate(args, io);
    throw new UsageError(`unknown command '${command}'; allowed: plan, estimate`);
  } catch (e) {
    io.err(`cdk8s-dynamo: ${(e as Error).message}`);
    if (e instanceof UsageError) {
      io.err('Run `cdk8s-dynamo --help` for usage.');
      return 2;
    }
    return SlaOptimizer._isSlaMiss(e) ? 1 : 2;
  }
}

function parseFlags(argv: string[]): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h') { out.help = true; continue; }
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${arg}'`);
    let [name, value] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const kind = FLAGS[name];
    if (!kind) throw new UsageError(`unknown option '--${name}'; allowed: ${Object.keys(FLAGS).map(f => `--${f}`).join(', ')}`);
    if (kind === 'switch') {
      out[name] = true;
      continue;
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`option '--${name}' needs a value`);
    }
    out[name] = value;
  }
  return out;
}

function str(args: Record<string, string | true>, name: string, required: boolean): string | undefined {
  const v = args[name];
  if (v === undefined && required) throw new UsageError(`missing required option '--${name}'`);
  return v === undefined ? undefined : String(v);
}

function num(args: Record<string, string | true>, name: string,
  opts: { required?: boolean; integer?: boolean; zero?: boolean } = {}): number | undefined {
  const v = str(args, name, !!opts.required);
  if (v === undefined) return undefined;
  const n = Number(v);
  const ok = Number.isFinite(n) && (n > 0 || (opts.zero && n === 0)) && (!opts.integer || Number.isInteger(n));
  const allowed = opts.integer ? 'a whole number >= 1' : opts.zero ? 'a number >= 0' : 'a positive number';
  if (!ok) throw new UsageError(`option '--${name}' is '${v}'; allowed: ${allowed}`);
  return n;
}

function choice<T extends string>(args: Record<string, string | true>, name: string, allowed: readonly T[], required = false): T | undefined {
  const v = str(args, name, required);
  if (v === undefined) return undefined;
  const found = allowed.find(a => a === v.toLowerCase());
  if (!found) throw new UsageError(`option '--${name}' is '${v}'; allowed: ${allowed.join(', ')}`);
  return found;
}

function model(args: Record<string, string | true>): ModelArchitecture {
  const id = str(args, 'model', true)!;
  if (id.endsWith('.json') || fs.existsSync(id)) return ModelArchitecture.fromConfigJson(id);
  const found = ModelArchitecture.tryOf(id);
  if (!found) throw new UsageError(`unknown model '${id}'; known: ${ModelArchitecture.knownIds().join(', ')} (or give a path to a config.json)`);
  return found;
}

function gpu(args: Record<string, string | true>): GpuProfile {
  const name = str(args, 'gpu', true)!;
  try {
    return GpuProfile.of(name);
  } catch {
    throw new UsageError(`unknown GPU '${name}'; known: ${GpuProfile.knownNames().join(', ')}`);
  }
}

function precision(args: Record<string, string | true>): { quantization?: Quantization; kvCacheDtype?: KvCacheDtype } {
  return {
    quantization: choice(args, 'quant', Object.values(Quantization)),
    kvCacheDtype: choice(args, 'kv-cache-dtype', Object.values(KvCacheDtype)),
  };
}

function plan(args: Record<string, string | true>, io: CliIo): number {
  const backend = choice(args, 'backend', ['auto', ...Object.values(Backend)] as const) ?? 'auto';
  const mode = choice(args, 'mode', ['auto', 'agg', 'disagg'] as const) ?? 'auto';
  const requestRate = num(args, 'request-rate');
  const totalGpus = num(args, 'total-gpus', { required: requestRate === undefined, integer: true });
  const m = model(args);
  const g = gpu(args);
  const started = performance.now();
  const result = SlaOptimizer.plan({
    model: m,
    gpu: g,
    ...precision(args),
    backends: backend === 'auto' ? undefined : [backend as Backend],
    modes: mode === 'auto' ? undefined : [mode === 'agg' ? ServingMode.AGGREGATED : ServingMode.DISAGGREGATED],
    workload: {
      inputSequenceLength: num(args, 'isl', { integer: true }),
      outputSequenceLength: num(args, 'osl', { integer: true }),
      maxSequenceLength: num(args, 'max-seq-len', { integer: true }),
      requestRate,
    },
    sla: { ttftMs: num(args, 'ttft'), itlMs: num(args, 'itl') },
    hardware: { totalGpus },
    queueing: {
      arrivalVariability: num(args, 'arrival-variability', { zero: true }),
      serviceVariability: num(args, 'service-variability', { zero: true }),
      maxPrefillUtilisation: num(args, 'max-prefill-util'),
      maxAggregatedLoad: num(args, 'max-agg-load'),
      decodeOccupancy: num(args, 'decode-occupancy'),
    },
    bestEffort: args['best-effort'] === true,
  });
  const searchMs = Math.round((performance.now() - started) * 10) / 10;
  if (args.json) {
    io.out(JSON.stringify({ ...result.toJson(), searchMs }, undefined, 2));
    return 0;
  }
  io.out(result.toText());
  io.out(`search: ${searchMs} ms`);
  return 0;
}

function estimate(args: Record<string, string | true>, io: CliIo): number {
  const backend = choice(args, 'backend', Object.values(Backend), true)!;
  const mode = choice(args, 'mode', Object.values(EstimateMode)) ?? EstimateMode.AGGREGATED;
  const e = SlaOptimizer.estimate({
    model: model(args),
    gpu: gpu(args),
    backend,
    mode,
    ...precision(args),
    tensorParallel: num(args, 'tp', { required: true, integer: true })!,
    pipelineParallel: num(args, 'pp', { integer: true }),
    expertParallel: num(args, 'ep', { integer: true }),
    batchSize: num(args, 'batch', { required: true, integer: true })!,
    inputSequenceLength: num(args, 'isl', { required: true, integer: true }),
    outputSequenceLength: num(args, 'osl', { required: true, integer: true }),
    maxSequenceLength: num(args, 'max-seq-len', { integer: true }),
  });
  if (args.json) {
    io.out(JSON.stringify(e, undefined, 2));
    return 0;
  }
  io.out([
    `TTFT              ${e.ttftMs} ms`,
    `ITL               ${e.itlMs} ms`,
    `tokens/s per GPU  ${e.tokensPerSecondPerGpu}`,
    `tokens/s per user ${e.tokensPerSecondPerUser}`,
    `requests/s        ${e.requestsPerSecond}`,
    `memory per GPU    ${e.memoryGiBPerGpu} GiB (weights ${e.weightGiBPerGpu} GiB, KV budget ${e.kvCacheGiBPerGpu} GiB)`,
    `admits            ${e.admissibleSequences} sequences of ISL + OSL tokens; longest sequence ${e.longestSequence} tokens`,
    `fits              ${e.fits ? 'yes' : 'no'}`,
  ].join('\n'));
  return 0;
}

if (require.main === module) {
  // `cdk8s-dynamo plan | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  process.exitCode = main(process.argv.slice(2), {
    out: text => process.stdout.write(text + '\n'),
    err: text => process.stderr.write(text + '\n'),
  });
}
