import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { EXAMPLES } from './index';

/** Synthesizes every example into dist/examples/<name>/ (one YAML file per chart) and prints a summary line each. */
const root = path.join(__dirname, '..', 'dist', 'examples');
fs.rmSync(root, { recursive: true, force: true });
for (const example of EXAMPLES) {
  const outdir = path.join(root, example.name);
  const app = new App({ outdir });
  example.synthesize(app);
  app.synth();
  const files = fs.readdirSync(outdir).sort();
  const objects = app.charts.flatMap(chart => chart.toJson());
  const kinds = [...new Set(objects.map((o: any) => o.kind))].sort().join(', ');
  console.log(`${example.name}: ${objects.length} objects (${kinds}) in ${files.map(f => path.join('dist/examples', example.name, f)).join(', ')}`);
}
