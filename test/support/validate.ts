/**
 * Strict offline validation of everything the library synthesizes. Every test
 * that renders objects should end with `expectValid(objects)`.
 *
 * - Built-in Kubernetes kinds: the OpenAPI schemas in the `kubernetes-models`
 *   devDependency, with unknown fields as errors (k8s-schemas.ts).
 * - Dynamo kinds (`nvidia.com`): the upstream CRD schemas read at test time from
 *   `../shared/reference/dynamo/crds/`, structural-schema semantics plus CEL
 *   rules (crd-schemas.ts, cel.ts); skipped with a notice when absent.
 * - Prometheus Operator / KEDA kinds: hand-written strict shapes (third-party-crds.ts).
 * - The Dynamo operator's admission rules (admission.ts), API-server rules on
 *   names, labels and annotations (object-checks.ts) and on pod specs,
 *   selectors, Service ports, ConfigMap/Secret data and claims
 *   (api-server-rules.ts), always.
 * Any other apiVersion/kind is an error: add a schema before emitting it.
 */
import { admissionErrors } from './admission';
import { apiServerErrors } from './api-server-rules';
import { CrdValidator, dynamoCrdDirectory } from './crd-schemas';
import { formatIssue } from './issues';
import { isKubernetesKind, SchemaIssue, validateKubernetesObject } from './k8s-schemas';
import { duplicateErrors, objectErrors } from './object-checks';
import { THIRD_PARTY_CRDS } from './third-party-crds';

export { admissionErrors, admissionWarnings } from './admission';

const DYNAMO_GROUP = 'nvidia.com';

let dynamoCrds: CrdValidator | null | undefined;
let thirdPartyCrds: CrdValidator | undefined;
let skipNoticeShown = false;

/** Validates objects; returns one message per problem, `[]` when all are valid. Each message names `Kind/name` and the JSON path. */
export function validateObjects(objects: any[]): string[] {
  const errors = duplicateErrors(objects);
  for (const obj of objects) {
    const basic = objectErrors(obj);
    errors.push(...basic);
    if (basic.some(e => / \.(apiVersion|kind): missing/.test(e)) || typeof obj !== 'object' || obj === null) continue;
    errors.push(...schemaErrors(obj), ...admissionErrors(obj), ...apiServerErrors(obj));
  }
  return errors;
}

/** Jest assertion: fails listing every validation error. */
export function expectValid(objects: any[]): void {
  const errors = validateObjects(objects);
  if (errors.length > 0) {
    throw new Error(`${errors.length} validation error(s) in ${objects.length} object(s):\n  ${errors.join('\n  ')}`);
  }
}

/** True when the upstream Dynamo CRD schemas (../shared beside the repository) are present. */
export function crdSchemasAvailable(): boolean {
  return dynamoCrdDirectory() !== undefined;
}

/** CEL rules in the CRDs used so far that the evaluator does not support (reported, not guessed). */
export function unevaluatedCelRules(): string[] {
  return [...(dynamoValidator()?.unevaluatedRules() ?? []), ...thirdPartyValidator().unevaluatedRules()];
}

function schemaErrors(obj: any): string[] {
  const format = (issues: SchemaIssue[]) => issues.map(i => formatIssue(obj, i.pointer, i.message));
  const { apiVersion, kind } = obj;
  if (apiVersion.split('/')[0] === DYNAMO_GROUP && apiVersion.includes('/')) {
    const crds = dynamoValidator();
    if (!crds) {
      noteSkip();
      return [];
    }
    if (!crds.handles(apiVersion, kind)) return [formatIssue(obj, '/kind', `no Dynamo CRD defines kind ${kind}`)];
    return format(crds.validate(obj));
  }
  if (thirdPartyValidator().handles(apiVersion, kind)) return format(thirdPartyValidator().validate(obj));
  if (isKubernetesKind(apiVersion, kind)) return format(validateKubernetesObject(obj)!);
  return [formatIssue(obj, '/kind', `no schema known for ${apiVersion} ${kind}: add one to test/support before emitting it`)];
}

function dynamoValidator(): CrdValidator | undefined {
  if (dynamoCrds === undefined) {
    const dir = dynamoCrdDirectory();
    dynamoCrds = dir ? CrdValidator.fromDirectory(dir) : null;
  }
  return dynamoCrds ?? undefined;
}

function thirdPartyValidator(): CrdValidator {
  return (thirdPartyCrds ??= CrdValidator.fromDocuments(THIRD_PARTY_CRDS));
}

function noteSkip(): void {
  if (skipNoticeShown) return;
  skipNoticeShown = true;
  // eslint-disable-next-line no-console
  console.info('validate: Dynamo CRD schemas not found (../shared/reference/dynamo/crds); Dynamo objects get admission checks only, no schema checks.');
}
