import { Chart, Testing } from 'cdk8s';
import { expectValid } from '../support/validate';

/** Runs the constructs' validations like `cdk8s synth` does, synthesizes the chart and validates every object strictly. */
export function synthValid(chart: Chart): any[] {
  const errors = chart.node.findAll().flatMap(c => c.node.validate().map(e => e));
  if (errors.length > 0) throw new Error(errors.join('\n'));
  const objects = Testing.synth(chart);
  expectValid(objects);
  return objects;
}

/** Runs the validations only, returning their messages. */
export function validationErrors(chart: Chart): string[] {
  return chart.node.findAll().flatMap(c => c.node.validate());
}

/** The DGD among synthesized objects. */
export function dgd(objects: any[]): any {
  const found = objects.find(o => o.kind === 'DynamoGraphDeployment');
  if (!found) throw new Error('no DynamoGraphDeployment');
  return found;
}

/** A v1beta1 component's main container. */
export function mainContainer(component: any): any {
  return component.podTemplate.spec.containers.find((c: any) => c.name === 'main');
}
