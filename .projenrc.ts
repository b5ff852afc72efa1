import { cdk8s, javascript } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-dynamo',
  packageName: 'cdk8s-dynamo',
  description: 'cdk8s constructs that deploy NVIDIA Dynamo LLM inference graphs on GPU Kubernetes clusters, with a synth-time SLA optimizer.',
  author: 'cdk8s-dynamo developers',
  authorAddress: 'dev@cdk8s-dynamo.dev',
  // Where the project is to be published from; nothing is on a registry yet (README: Install).
  repositoryUrl: 'https://github.com/cdk8s-dynamo/cdk8s-dynamo.git',
  homepage: 'https://github.com/cdk8s-dynamo/cdk8s-dynamo#readme',
  defaultReleaseBranch: 'main',
  keywords: ['cdk8s', 'kubernetes', 'nvidia', 'dynamo', 'llm', 'inference', 'gpu', 'vllm', 'sglang', 'tensorrt-llm'],
  license: 'Apache-2.0',

  // cdk8s 2.x explicitly: projen's default is 1.x.
  cdk8sVersion: '2.70.106',
  cdk8sPlusVersionPinning: false,
  constructsVersion: '10.3.0',
  jsiiVersion: '~5.9.0',
  typescriptVersion: '~5.9.3',
  packageManager: javascript.NodePackageManager.NPM,
  // The highest floor among the dependencies (jsii 5.9: 20.16; eslint 9's eslint-visitor-keys 5: 20.19).
  minNodeVersion: '20.19.0',
  projenrcTs: true,

  // The cdk8s-plus that `cdk8s init typescript-app` installs today, so a new app gets one copy, not two.
  peerDeps: ['cdk8s-plus-33@^2.5.57'],
  devDeps: [
    'cdk8s-plus-33@2.5.57',
    '@types/node@^20',
    'fast-check@^4',
    'ajv@^8',
    'ajv-formats@^3',
    // 5.x wants Node >= 22 (EBADENGINE on the Node 20 floor); 4.5 has the same schemas layout.
    'kubernetes-models@4.5.1',
    // ts-jest resolves jest-util from the top level; npm does not hoist it on its own.
    'jest-util@^29',
    // Drives the system Chromium (Debian's package) for the report's browser test; downloads no browser.
    'playwright-core@^1.64.1',
    // Translates README's and the API docs' TypeScript examples for the other jsii languages (docs:rosetta).
    'jsii-rosetta@~5.9.0',
  ],
  // Non-jsii runtime dependencies are bundled into the package.
  bundledDeps: ['yaml@^2'],

  // The CLI ships with the package.
  bin: { 'cdk8s-dynamo': 'lib/cli/main.js' },

  // CI is .ci/run on a clean clone; no GitHub workflows, no release pipeline.
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  docgen: true,

  // Polyglot: the same constructs for Python, Java, Go and .NET (`jsii-pacmak --code-only` builds all four in CI).
  publishToPypi: { distName: 'cdk8s-dynamo', module: 'cdk8s_dynamo' },
  publishToMaven: { javaPackage: 'dev.cdk8sdynamo', mavenGroupId: 'dev.cdk8s-dynamo', mavenArtifactId: 'cdk8s-dynamo' },
  publishToGo: { moduleName: 'github.com/cdk8s-dynamo/cdk8s-dynamo-go', packageName: 'cdk8sdynamo' },
  publishToNuget: { dotNetNamespace: 'Cdk8sDynamo', packageId: 'Cdk8sDynamo' },

  jestOptions: {
    jestVersion: '^29',
    // Never rewrite snapshots in CI; `npx projen test:update` does it on purpose.
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/lib/', '/dist/'],
    },
  },
  tsconfigDev: {
    include: ['examples/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    compilerOptions: {},
  },
  gitignore: ['/dist/', '.jsii.tabl.json'],
});

// Releases are cut by hand from CHANGELOG.md (release: false keeps projen's 0.0.0 otherwise).
project.package.addVersion('0.1.0');

for (const pattern of ['/examples/', '/bench/', '/scripts/', '/.ci/']) {
  project.npmignore?.exclude(pattern);
}

// eslint-import-resolver-typescript 3.8 resolves with pure JS (enhanced-resolve); later versions pull per-platform
// native binaries that `npm ci` wants in the lockfile for every OS, which a restricted registry may not serve.
project.addDevDeps('eslint-import-resolver-typescript@~3.8.7');

// Lint the examples, benchmarks and scripts too (each folder has a tsconfig.json extending test/tsconfig.json).
for (const dir of ['examples', 'bench', 'scripts']) {
  project.eslint?.addLintPattern(dir);
}

project.addTask('synth:examples', {
  description: 'Synthesize every example app into dist/examples/',
  exec: 'ts-node --transpile-only --project test/tsconfig.json examples/synth-all.ts',
});

// Strict rosetta: an example in the API docs (README or TSDoc) that does not compile fails docs:rosetta, and any
// later jsii-pacmak or jsii-docgen translation of the assembly. Fixtures for their context live in rosetta/.
project.package.file.addOverride('jsii.metadata.jsii.rosetta.strict', true);

project.addTask('docs:rosetta', {
  description: 'Compile and translate every example of the API docs (README and TSDoc) with jsii-rosetta, strictly (after compile)',
  exec: 'jsii-rosetta extract --strict --compile --fail',
});
project.addTask('docs:python', {
  description: "Rewrite README's Python quick start from the rosetta translation of the TypeScript one (after docs:rosetta)",
  exec: 'ts-node --transpile-only --project test/tsconfig.json scripts/readme-python.ts',
});
project.addTask('docs:check', {
  description: "Strict rosetta check, and README's Python quick start is the current translation (after compile)",
  steps: [
    { spawn: 'docs:rosetta' },
    { exec: 'ts-node --transpile-only --project test/tsconfig.json scripts/readme-python.ts --check' },
  ],
});
project.addTask('package:polyglot-check', {
  description: 'Generate the Python, Java, Go and .NET sources (jsii-pacmak --code-only) and byte-compile the Python (after compile)',
  steps: [
    { exec: 'rm -rf dist/polyglot' },
    { exec: 'jsii-pacmak --code-only --outdir dist/polyglot --target python --target java --target go --target dotnet' },
    { exec: 'python3 -m compileall -q dist/polyglot/python' },
    { exec: 'node -e "for (const t of [\'python\', \'java\', \'go\', \'dotnet\']) { if (!require(\'fs\').readdirSync(\'dist/polyglot/\' + t).length) throw new Error(t + \': nothing generated\'); } console.log(\'jsii-pacmak --code-only: python, java, go, dotnet generated; Python byte-compiles\')"' },
  ],
});

project.addTask('bench', {
  description: 'Run the optimizer benchmarks (prints medians and ratios)',
  exec: 'ts-node --transpile-only --project test/tsconfig.json bench/run-all.ts',
});

project.synth();
