// Users import from 'cdk8s-dynamo'.
import { App } from 'cdk8s';
import { platformAndGraphs } from './charts';
import { GitOps } from '../../src';

/**
 * One ArgoCD Application over both files: sync waves apply the platform first and wait for the operator (which
 * installs the Dynamo CRDs), then the graph, then its monitors; `SkipDryRunOnMissingResource` lets the first sync
 * of a fresh cluster start although those CRDs do not exist yet.
 */
export function synthesize(app: App): void {
  const { platform, graphs } = platformAndGraphs(app);
  GitOps.argoCd(platform);
  GitOps.argoCd(graphs);
}
