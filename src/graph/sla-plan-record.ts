import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import type { DynamoGraph } from './dynamo-graph';
import { PlanResult, PoolPlan } from '../optimizer/plan-result';

/**
 * What `DynamoGraph.fromSla` chose, written where a reviewer of the GitOps diff sees it: short annotations on the DGD
 * (`sla.cdk8s-dynamo.io/*`) and a ConfigMap `<graph>-sla-plan` with the whole plan as JSON (`plan.json`) and as tables
 * (`plan.txt`): the chosen configuration, its predictions, the best configuration per layout and the Pareto front.
 * @internal
 */
export class SlaPlanRecord extends Construct {
  /** Prefix of the DGD annotations. */
  public static readonly PREFIX = 'sla.cdk8s-dynamo.io/';

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

  /** The ConfigMap holding the plan. */
  public readonly configMap: k8s.KubeConfigMap;

  public constructor(graph: DynamoGraph, id: string, plan: PlanResult) {
    super(graph, id);
    const name = `${graph.name}-sla-plan`;
    this.configMap = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: { name, namespace: graph.namespace },
      data: {
        'plan.json': SlaPlanRecord.json(plan.toJson()),
        'plan.txt': plan.toText({ title: `SLA plan of DynamoGraphDeployment ${graph.name}` }),
      },
    });
    const best = plan.best;
    const r = plan.request;
    const annotations: { [key: string]: string } = {
      'mode': best.mode,
      'backend': best.backend,
      ...(best.aggregated ? { agg: SlaPlanRecord.poolLine(best.aggregated) } : {
        prefill: SlaPlanRecord.poolLine(best.prefill!),
        decode: SlaPlanRecord.poolLine(best.decode!),
      }),
      'targets': `ttft<=${r.ttftMs}ms,itl<=${r.itlMs}ms,isl=${r.inputSequenceLength},osl=${r.outputSequenceLength}`,
      'predicted': `ttft=${best.ttftMs}ms,itl=${best.itlMs}ms,tok/s/gpu=${best.tokensPerSecondPerGpu},tok/s/user=${best.tokensPerSecondPerUser},gpus=${best.gpus}`,
      'meets-sla': String(best.meetsSla),
      'calibration': plan.calibrationId,
      'plan': name,
    };
    for (const [key, value] of Object.entries(annotations)) graph.apiObject.metadata.addAnnotation(`${SlaPlanRecord.PREFIX}${key}`, value);
  }
}
