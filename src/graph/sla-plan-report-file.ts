import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { Construct } from 'constructs';
import type { DynamoGraph } from './dynamo-graph';
import { PlanResult } from '../optimizer/plan-result';
import { PlanReport } from '../report/plan-report';

/**
 * The plan report (`PlanReport.html`) of a `DynamoGraph.fromSla` graph, written into the app's output directory
 * beside the synthesized YAML as `<graph>-sla-plan.html`, so it lands in the same GitOps pull request. It is written
 * when the app synthesizes (at validation, before the YAML) and is deterministic, so a re-synth without a change
 * leaves it byte-identical.
 * @internal
 */
export class SlaPlanReportFile extends Construct {
  /** Which graph wrote which file, per app: two graphs of one app must not write the same report. */
  private static readonly written = new WeakMap<App, Map<string, string>>();

  /** File name of the report, in the app's output directory. */
  public readonly fileName: string;

  public constructor(graph: DynamoGraph, id: string, plan: PlanResult) {
    super(graph, id);
    this.fileName = `${graph.name}-sla-plan.html`;
    const html = PlanReport.html(plan);
    this.node.addValidation({
      validate: () => {
        const app = App.of(this);
        const files = SlaPlanReportFile.written.get(app) ?? new Map<string, string>();
        SlaPlanReportFile.written.set(app, files);
        const owner = files.get(this.fileName);
        if (owner !== undefined && owner !== graph.node.path) {
          return [`'planReport' of ${graph.node.path} and of ${owner} would both write ${this.fileName}: give the graphs different names`];
        }
        files.set(this.fileName, graph.node.path);
        fs.mkdirSync(app.outdir, { recursive: true });
        fs.writeFileSync(path.join(app.outdir, this.fileName), html);
        return [];
      },
    });
  }
}
