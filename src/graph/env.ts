import { k8s } from 'cdk8s-plus-33';
import { IConstruct } from 'constructs';
import { DynamoNames } from './names';
import { PropError } from '../common/errors';

/**
 * A key of a Kubernetes Secret, used to pass credentials (such as `HF_TOKEN`) by reference.
 */
export interface SecretKeyRef {
  /** Name of the Secret, in the graph's namespace. */
  readonly secretName: string;
  /** Key inside the Secret. */
  readonly key: string;
}

/** Env names that carry credentials: they must come from a Secret, never a literal in Git. */
const CREDENTIAL_NAME = new RegExp([
  '^(HF_TOKEN|HUGGING_FACE_HUB_TOKEN|HUGGINGFACE_TOKEN|NGC_API_KEY)$',
  '(PASSWORD|PASSWD|_SECRET|SECRET_ACCESS_KEY|_API_KEY)$',
].join('|'), 'i');
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/**
 * Turns env props into container env: literals first, then Secret references, each in the order given.
 * @internal
 */
export class EnvVars {
  public static check(
    scope: IConstruct,
    env: { [name: string]: string } = {},
    secretEnv: { [name: string]: SecretKeyRef } = {},
    envFromSecret?: string,
  ): void {
    for (const [name, value] of Object.entries(env)) {
      PropError.check(ENV_NAME.test(name), scope, `env.${name}`, name, 'a C-identifier-like env name (letters, digits, \'_\', \'-\', \'.\')');
      PropError.check(!CREDENTIAL_NAME.test(name), scope, `env.${name}`, '<redacted>',
        `a secret reference in 'secretEnv' (e.g. secretEnv: { ${name}: { secretName: 'hf-token-secret', key: '${name}' } })`,
        'credentials must not be written into manifests as literals');
      PropError.check(typeof value === 'string', scope, `env.${name}`, value, 'a string');
    }
    for (const [name, ref] of Object.entries(secretEnv)) {
      PropError.check(ENV_NAME.test(name), scope, `secretEnv.${name}`, name, 'a C-identifier-like env name');
      DynamoNames.checkSubdomain(scope, `secretEnv.${name}.secretName`, ref.secretName);
      PropError.check(/^[-._a-zA-Z0-9]+$/.test(ref.key), scope, `secretEnv.${name}.key`, ref.key, 'a Secret key (letters, digits, \'-\', \'_\', \'.\')');
    }
    if (envFromSecret !== undefined) DynamoNames.checkSubdomain(scope, 'envFromSecret', envFromSecret);
  }

  public static render(env: { [name: string]: string } = {}, secretEnv: { [name: string]: SecretKeyRef } = {}): k8s.EnvVar[] {
    return [
      ...Object.entries(env).map(([name, value]) => ({ name, value })),
      ...Object.entries(secretEnv).map(([name, ref]) => ({ name, valueFrom: { secretKeyRef: { name: ref.secretName, key: ref.key } } })),
    ];
  }

  private constructor() {}
}
