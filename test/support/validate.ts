/**
 * Strict offline validation of synthesized objects (stub: generic checks only;
 * the Kubernetes and Dynamo CRD schema checks land next with the same API).
 */

/** Validates objects; returns one message per problem (`[] = valid`). */
export function validateObjects(objects: any[]): string[] {
  const errors: string[] = [];
  objects.forEach((o, i) => {
    const where = `objects[${i}]`;
    if (o === null || typeof o !== 'object' || Array.isArray(o)) {
      errors.push(`${where}: not an object`);
      return;
    }
    if (typeof o.apiVersion !== 'string' || !o.apiVersion) errors.push(`${where}: missing apiVersion`);
    if (typeof o.kind !== 'string' || !o.kind) errors.push(`${where}: missing kind`);
    if (typeof o.metadata?.name !== 'string' || !o.metadata.name) errors.push(`${where}: missing metadata.name`);
  });
  return errors;
}

/** Jest assertion: fails listing every validation error. */
export function expectValid(objects: any[]): void {
  const errors = validateObjects(objects);
  if (errors.length > 0) {
    throw new Error(`${errors.length} validation error(s):\n  ${errors.join('\n  ')}`);
  }
}

/** True when the upstream Dynamo CRD schemas (/work/shared or ../shared) are present. */
export function crdSchemasAvailable(): boolean {
  return false;
}
