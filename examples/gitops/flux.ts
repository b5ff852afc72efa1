// Users import from 'cdk8s-dynamo'.
import { App, Chart, Duration } from 'cdk8s';
import { platformAndGraphs } from './charts';
import { FluxKustomization } from '../../src';

/**
 * Flux: the platform and the graphs live in separate directories of the Git repository (`deploy/platform`,
 * `deploy/graphs`), each applied by its own Kustomization; the graphs wait for the platform to be ready.
 * A third file holds the two Kustomizations (apply it once, or from the `flux-system` Kustomization).
 * The graphs' Kustomization is ready once the graph is (weights downloaded and loaded), hence its longer timeout.
 */
export function synthesize(app: App): void {
  platformAndGraphs(app);
  const flux = new Chart(app, 'flux', { disableResourceNameHashes: true });
  const platform = new FluxKustomization(flux, 'Platform', { name: 'dynamo-platform', path: './deploy/platform' });
  new FluxKustomization(flux, 'Graphs', { name: 'dynamo-graphs', path: './deploy/graphs', dependsOn: [platform], timeout: Duration.hours(1) });
}
