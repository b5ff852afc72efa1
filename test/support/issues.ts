/** Formatting shared by the validators: `<Kind>/<name> <path>: <message>`. */

/** `Kind/namespace/name` (namespace only when set), for messages. */
function objectLabel(obj: any): string {
  const kind = typeof obj?.kind === 'string' ? obj.kind : '<no kind>';
  const name = typeof obj?.metadata?.name === 'string' ? obj.metadata.name : '<no name>';
  const ns = typeof obj?.metadata?.namespace === 'string' ? `${obj.metadata.namespace}/` : '';
  return `${kind}/${ns}${name}`;
}

/** JSON pointer `/spec/containers/0/name` → `.spec.containers[0].name` (odd keys quoted). */
function pointerToPath(pointer: string): string {
  if (pointer === '') return '.';
  return pointer.split('/').slice(1).map(seg => seg.replace(/~1/g, '/').replace(/~0/g, '~')).map(seg =>
    /^\d+$/.test(seg) ? `[${seg}]` : /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`,
  ).join('');
}

/** One line per issue, naming the object and the JSON path. */
export function formatIssue(obj: any, pointer: string, message: string): string {
  return `${objectLabel(obj)} ${pointerToPath(pointer)}: ${message}`;
}

/** JSON pointer segment escaping (RFC 6901). */
export function pointerSegment(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}
