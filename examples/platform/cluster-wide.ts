// Users import from 'cdk8s-dynamo'.
import { App, Chart } from 'cdk8s';
import { DynamoPlatform } from '../../src';

/**
 * The Dynamo operator as the upstream `dynamo-platform` chart installs it with default values: cluster-wide, CRDs
 * installed by the operator's crd-apply init container, self-managed webhook certificates. Commit the YAML and let
 * ArgoCD sync it; the sync waves order namespace, RBAC, webhooks and operator.
 */
export function synthesize(app: App): void {
  const chart = new Chart(app, 'dynamo-platform', { disableResourceNameHashes: true });
  new DynamoPlatform(chart, 'Dynamo');
}
