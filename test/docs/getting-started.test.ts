import { App } from 'cdk8s';
import * as YAML from 'yaml';
import { blocksOf, run } from './snippets';
import { synthesize } from '../../examples/getting-started/getting-started';
import { expectValid } from '../support/validate';

// docs/getting-started.md walks a user from an empty cluster to a curl. Its commands must fit the YAML its program
// writes: every file applied exists, every namespace, Deployment, Job, DGD, Secret, storage class and Service named
// is the one the manifests have, and the GitOps manifests point at those files. The checks read the YAML that
// examples/getting-started synthesizes, which must be what the guide's program synthesizes.

const DOC = 'docs/getting-started.md';
const BLOCKS = blocksOf(DOC);
const app = new App({ outdir: 'dist' });
synthesize(app);
const FILES = new Map(app.charts.map(c => [`dist/${c.node.id}.k8s.yaml`, c.toJson()]));
const OBJECTS = [...FILES.values()].flat();

function find(kind: string, name: string, namespace?: string): any {
  return OBJECTS.find(o => o.kind === kind && o.metadata?.name === name && (namespace === undefined || o.metadata?.namespace === namespace));
}

/** The shell commands of a guide, continuation lines joined. */
const commandsOf = (blocks: typeof BLOCKS) => blocks.filter(b => b.language === 'sh').flatMap(b => b.code.replace(/\\\n\s*/g, ' ').split('\n').map(l => l.trim()).filter(Boolean)
  .map(command => ({ where: b.where, command })));
const COMMANDS = commandsOf(BLOCKS);
/** The migration guide's commands run against the platform file of the same app. */
const MIGRATION = commandsOf(blocksOf('docs/migrating-from-helm.md'));

/** Commands that set up the user's machine or app; what they produce is checked by .ci/run's packaging step. */
const LOCAL = [/^mkdir /, /^cd /, /^npx cdk8s-cli init typescript-app$/, /^npm install cdk8s-dynamo$/, /^npx cdk8s synth$/];

/** Checks one command against the synthesized objects; returns what is wrong, or undefined. Throws on a command it cannot read. */
function check(command: string): string | undefined {
  const ns = /(?:^|\s)-n (\S+)/.exec(command)?.[1];
  let m: RegExpExecArray | null;
  if (LOCAL.some(r => r.test(command))) return undefined;
  if ((m = /^kubectl -n (\S+) delete secret -l owner=helm,name=(\S+)$/.exec(command))) {
    // Helm keeps a release's record in Secrets labelled owner=helm,name=<release>; ours must be that release.
    const operator = OBJECTS.find(o => o.kind === 'Deployment' && o.metadata.namespace === m![1] && o.metadata.labels?.['app.kubernetes.io/name'] === 'dynamo-operator');
    return operator?.metadata.labels['app.kubernetes.io/instance'] === m[2] ? undefined : `no operator of release ${m[2]} in ${m[1]}`;
  }
  if ((m = /^kubectl (?:apply|delete|diff) -f (\S+)$/.exec(command))) return FILES.has(m[1]) ? undefined : `no file ${m[1]} (synth writes ${[...FILES.keys()].join(', ')})`;
  if ((m = /^kubectl create namespace (\S+)$/.exec(command))) {
    if (find('Namespace', m[1])) return `the manifests create namespace ${m[1]} themselves`;
    return OBJECTS.some(o => o.metadata?.namespace === m![1]) ? undefined : `nothing is deployed to namespace ${m[1]}`;
  }
  if ((m = /^kubectl -n (\S+) create secret generic (\S+) --from-literal=(\w+)=\S/.exec(command))) {
    const [, n, secret, key] = m;
    const refs = OBJECTS.filter(o => o.metadata?.namespace === n).flatMap(o => JSON.stringify(o).match(/"secretKeyRef":\{[^}]*\}/g) ?? []);
    return refs.some(r => r.includes(`"name":"${secret}"`) && r.includes(`"key":"${key}"`)) ? undefined : `nothing in ${n} reads key ${key} of Secret ${secret}`;
  }
  if ((m = /^kubectl get storageclass (\S+)$/.exec(command))) {
    return OBJECTS.some(o => o.kind === 'PersistentVolumeClaim' && o.spec.storageClassName === m![1]) ? undefined : `no claim uses storage class ${m[1]}`;
  }
  if ((m = /^kubectl get nodes -L nvidia\.com\/gpu\.product$/.exec(command))) return undefined;
  if ((m = /^kubectl version$/.exec(command))) return undefined;
  if ((m = /^kubectl -n (\S+) rollout status deployment\/(\S+) --timeout=\S+$/.exec(command))) {
    return find('Deployment', m[2], m[1]) ? undefined : `no Deployment ${m[2]} in ${m[1]}`;
  }
  if ((m = /^kubectl wait --for condition=established crd\/(\w+)\.([\w.]+) --timeout=\S+$/.exec(command))) {
    const [, plural, group] = m;
    return OBJECTS.some(o => o.apiVersion.startsWith(`${group}/`) && `${o.kind.toLowerCase()}s` === plural) ? undefined : `no object of CRD ${plural}.${group}`;
  }
  if ((m = /^kubectl -n (\S+) wait --for=condition=complete job\/(\S+) --timeout=\S+$/.exec(command))) {
    return find('Job', m[2], m[1]) ? undefined : `no Job ${m[2]} in ${m[1]}`;
  }
  if ((m = /^kubectl -n (\S+) (?:wait --for=condition=Ready dynamographdeployment\/|get dynamographdeployment )(\S+)(?: --timeout=\S+)?$/.exec(command))
    || (m = /^kubectl -n (\S+) get pods -l nvidia\.com\/dynamo-graph-deployment-name=(\S+)$/.exec(command))) {
    return find('DynamoGraphDeployment', m[2], m[1]) ? undefined : `no DynamoGraphDeployment ${m[2]} in ${m[1]}`;
  }
  if ((m = /^kubectl -n (\S+) port-forward svc\/(\S+)-frontend (\d+):(\d+)$/.exec(command))) {
    const dgd = find('DynamoGraphDeployment', m[2], m[1]);
    if (!dgd) return `no DynamoGraphDeployment ${m[2]} in ${m[1]} (the operator names the frontend Service <dgd>-frontend)`;
    if (!dgd.spec.components.some((c: any) => (c.type ?? c.componentType) === 'frontend')) return `${m[2]} has no frontend`;
    return m[4] === '8000' ? undefined : 'the frontend Service listens on 8000';
  }
  if ((m = /^curl -s localhost:8000\/v1\/(models|chat\/completions)(.*)$/.exec(command))) {
    if (m[1] === 'models') return undefined;
    const body = /-d '([^']*)'/.exec(m[2]);
    if (!body) return 'the chat request has no body';
    const model = JSON.parse(body[1]).model;
    // Clients ask for the name the engines serve: --served-model-name when the weights come from a cache, else --model.
    const served = OBJECTS.filter(o => o.kind === 'DynamoGraphDeployment').some(o => JSON.stringify(o).includes(`"--served-model-name","${model}"`)
      || JSON.stringify(o).includes(`"--model","${model}"`));
    return served ? undefined : `no worker serves model ${model}`;
  }
  if ((m = /^cp ((?:dist\/\S+ )+)(deploy\/\S+)\/$/.exec(command))) {
    const missing = m[1].trim().split(' ').filter(f => !FILES.has(f));
    return missing.length === 0 ? undefined : `no file ${missing.join(', ')}`;
  }
  throw new Error(`no check for '${command}': add one to ${__filename}`);
}

test('the guide\'s program is examples/getting-started: both synthesize the same objects', () => {
  const program = BLOCKS.filter(b => b.language === 'ts');
  expect(program.length).toBe(1);
  const [docApp] = run(program[0]);
  docApp.synthYaml();
  expect(docApp.charts.map(c => [c.node.id, c.toJson()])).toEqual(app.charts.map(c => [c.node.id, c.toJson()]));
  expectValid(OBJECTS);
});

test.each(COMMANDS.map(c => [c.where, c.command] as const))('%s: %s fits the manifests', (_where, command) => {
  expect(check(command)).toBeUndefined();
});

test.each(MIGRATION.map(c => [c.where, c.command] as const))('%s: %s fits the manifests', (_where, command) => {
  expect(check(command)).toBeUndefined();
});

test('the walkthrough applies the platform before the model cache and the graph, and removes the graph without the cache', () => {
  const order = COMMANDS.map(c => /^kubectl (apply|delete) -f dist\/(\w+)/.exec(c.command)).filter(Boolean).map(m => `${m![1]} ${m![2]}`);
  expect(order.slice(0, 3)).toEqual(['apply platform', 'apply models', 'apply serving']);
  const firstDelete = order.findIndex(o => o.startsWith('delete'));
  expect(order[firstDelete]).toBe('delete serving');
  // The claim with the weights is in models.k8s.yaml, apart from the graph, and GitOps tools never prune it.
  const claim = FILES.get('dist/models.k8s.yaml')!.find((o: any) => o.kind === 'PersistentVolumeClaim');
  expect(claim.metadata.annotations).toEqual(expect.objectContaining({
    'argocd.argoproj.io/sync-options': 'Prune=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled',
  }));
  expect(FILES.get('dist/serving.k8s.yaml')!.some((o: any) => o.kind === 'PersistentVolumeClaim')).toBe(false);
});

describe('GitOps manifests of the guide', () => {
  const yamlBlocks = BLOCKS.filter(b => b.language === 'yaml').map(b => YAML.parseAllDocuments(b.code).map(d => d.toJS()));
  const applied = new Set([...FILES.keys()].map(f => f.slice(0, f.lastIndexOf('/'))));

  test('Argo CD: one automated Application over the directory the apply commands use', () => {
    const apps = yamlBlocks.flat().filter(o => o.kind === 'Application');
    expect(apps).toHaveLength(1);
    const a = apps[0];
    expect(a.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(applied).toEqual(new Set([a.spec.source.path]));
    expect(a.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(a.spec.destination.server).toBe('https://kubernetes.default.svc');
  });

  test('Flux: a GitRepository and Kustomizations over the directories the cp commands fill, graphs after the platform', () => {
    const flux = yamlBlocks.find(docs => docs.some(o => o.kind === 'GitRepository'))!;
    const repo = flux.find(o => o.kind === 'GitRepository');
    expect(repo.apiVersion).toBe('source.toolkit.fluxcd.io/v1');
    const kustomizations = flux.filter(o => o.kind === 'Kustomization');
    expectValid(kustomizations);
    const filled = new Map(COMMANDS.map(c => /^cp ((?:dist\/\S+ )+)(deploy\/\S+)\/$/.exec(c.command)).filter(Boolean)
      .map(m => [`./${m![2]}`, m![1].trim().split(' ')]));
    expect(new Set(kustomizations.map(k => k.spec.path))).toEqual(new Set(filled.keys()));
    for (const k of kustomizations) {
      expect(k.spec.sourceRef).toEqual({ kind: 'GitRepository', name: repo.metadata.name });
      for (const dep of k.spec.dependsOn ?? []) expect(kustomizations.map(x => x.metadata.name)).toContain(dep.name);
    }
    const platformDir = [...filled].find(([, files]) => files.includes('dist/platform.k8s.yaml'))![0];
    const graphs = kustomizations.find(k => filled.get(k.spec.path)!.includes('dist/serving.k8s.yaml'))!;
    const platform = kustomizations.find(k => k.spec.path === platformDir)!;
    expect(graphs.spec.dependsOn).toEqual([{ name: platform.metadata.name }]);
    expect(filled.get(platformDir)).toEqual(['dist/platform.k8s.yaml']);
  });
});
