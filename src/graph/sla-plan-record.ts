import { createHash } from 'crypto';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { DynamoGraph } from './dynamo-graph';
import { CALIBRATION } from '../optimizer/calibration/data';
import { PlanCandidate, PlanResult, PoolPlan } from '../optimizer/plan-result';

/** The embedded calibration changes only with a release; hash it once. */
let calibrationId: string | undefined;

/**
 * What `DynamoGraph.fromSla` chose, written where a reviewer of the GitOps diff sees it: short annotations on the DGD
 * (`sla.cdk8s-dynamo.io/*`) and a ConfigMap `<graph>-sla-plan` with the whole plan as JSON (`plan.json`) and as tables
 * (`plan.txt`): the chosen configuration, its predictions, the best configuration per layout and the Pareto front.
 * @internal
 */
export class SlaPlanRecord extends Construct {
  /** Prefix of the DGD annotations. */
  public static readonly PREFIX = 'sla.cdk8s-dynamo.io/';

  /** First 12 hex digits of the SHA-256 of the embedded kernel calibration: which measurements the predictions rest on. */
  public static calibrationId(): string {
    calibrationId ??= createHash('sha256').update(JSON.stringify(CALIBRATION)).digest('hex').slice(0, 12);
    return calibrationId;
  }

  /** JSON with one line per top-level key and per candidate: readable, and a changed candidate is a one-line diff. */
  private static json(record: { [key: string]: unknown }): string {
    const entries = Object.entries(record).map(([key, value]) => {
      const shown = Array.isArray(value) && value.length > 0
        ? `[\n${value.map(v => `    ${JSON.stringify(v)}`).join(',\n')}\n  ]`
        : JSON.stringify(value);
      return `  ${JSON.stringify(key)}: ${shown}`;
    });
    return `{\n${entries.join(',\n')}\n}\n`;
  }

  /** `workers=2,tp=4,pp=1,ep=1,batch=64`. */
  private static poolLine(p: PoolPlan): string {
    return `workers=${p.workers},tp=${p.tensorParallel},pp=${p.pipelineParallel},ep=${p.expertParallel},batch=${p.batchSize}`;
  }

  /** A fixed-width table of candidates; `>` marks the chosen one, `*` those that meet the SLA. */
  private static table(rows: PlanCandidate[], chosen: PlanCandidate): string[] {
    const pool = (p: PoolPlan) => `${p.workers}x TP${p.tensorParallel}${p.pipelineParallel > 1 ? ` PP${p.pipelineParallel}` : ''}`
      + `${p.expertParallel > 1 ? ` EP${p.expertParallel}` : ''} b${p.batchSize}`;
    const header = ['', 'mode', 'backend', 'workers', 'GPUs', 'TTFT ms', 'ITL ms', 'tok/s/GPU', 'tok/s/user', 'req/s'];
    const same = (c: PlanCandidate) => JSON.stringify(PlanResult._candidateJson(c)) === JSON.stringify(PlanResult._candidateJson(chosen));
    const body = rows.map(c => [
      `${same(c) ? '>' : ' '}${c.meetsSla ? '*' : ' '}`, c.mode, c.backend,
      c.aggregated ? pool(c.aggregated) : `P ${pool(c.prefill!)} + D ${pool(c.decode!)}`,
      String(c.gpus), c.ttftMs.toFixed(1), c.itlMs.toFixed(1), c.tokensPerSecondPerGpu.toFixed(1), c.tokensPerSecondPerUser.toFixed(1),
      c.requestsPerSecond.toFixed(2),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map(r => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => (i >= 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
    return [line(header), ...body.map(line)];
  }

  private static text(graph: DynamoGraph, plan: PlanResult, calibration: string): string {
    const r = plan.toJson().request;
    const sized = r.requestRate !== undefined ? `sized for ${r.requestRate} req/s` : `within ${r.totalGpus} GPUs`;
    const lines = [
      `SLA plan of DynamoGraphDeployment ${graph.name}: ${r.model} on ${r.gpu}, ${sized}`,
      `targets:    TTFT <= ${r.ttftMs} ms, ITL <= ${r.itlMs} ms at ISL ${r.isl}, OSL ${r.osl} tokens`,
      `searched:   ${plan.candidatesEvaluated} configurations (${r.backends.join(', ')}; ${r.modes.join(', ')}; `
        + `weights ${r.quantization}, KV cache ${r.kvCacheDtype}); calibration ${calibration}`,
      `${plan.meetsSla ? 'chosen:    ' : 'closest:   '} ${plan.summary()}${plan.meetsSla ? '' : ' (misses the SLA: best effort)'}`,
      `why:        ${plan.best.rationale}`,
      '',
      'Best configuration per parallel layout (> chosen, * meets the SLA):',
      ...(plan.top.length > 0 ? SlaPlanRecord.table(plan.top, plan.best) : ['  (none meets the SLA)']),
      '',
      'Pareto front, tokens/s/user against tokens/s/GPU (> chosen, * meets the SLA):',
      ...SlaPlanRecord.table(plan.pareto, plan.best),
    ];
    return `${lines.join('\n')}\n`;
  }

  /** The ConfigMap holding the plan. */
  public readonly configMap: k8s.KubeConfigMap;

  public constructor(graph: DynamoGraph, id: string, plan: PlanResult) {
    super(graph, id);
    const name = `${graph.name}-sla-plan`;
    const json = plan.toJson();
    const calibration = SlaPlanRecord.calibrationId();
    this.configMap = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: { name, namespace: graph.namespace },
      data: {
        'plan.json': SlaPlanRecord.json({ ...json, calibration }),
        'plan.txt': SlaPlanRecord.text(graph, plan, calibration),
      },
    });
    const best = plan.best;
    const r = json.request;
    const annotations: { [key: string]: string } = {
      'mode': best.mode,
      'backend': best.backend,
      ...(best.aggregated ? { agg: SlaPlanRecord.poolLine(best.aggregated) } : {
        prefill: SlaPlanRecord.poolLine(best.prefill!),
        decode: SlaPlanRecord.poolLine(best.decode!),
      }),
      'targets': `ttft<=${r.ttftMs}ms,itl<=${r.itlMs}ms,isl=${r.isl},osl=${r.osl}`,
      'predicted': `ttft=${best.ttftMs}ms,itl=${best.itlMs}ms,tok/s/gpu=${best.tokensPerSecondPerGpu},tok/s/user=${best.tokensPerSecondPerUser},gpus=${best.gpus}`,
      'meets-sla': String(best.meetsSla),
      'calibration': calibration,
      'plan': name,
    };
    for (const [key, value] of Object.entries(annotations)) graph.apiObject.metadata.addAnnotation(`${SlaPlanRecord.PREFIX}${key}`, value);
  }
}
