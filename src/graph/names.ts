import { IConstruct } from 'constructs';
import { PropError } from '../common/errors';

const COMPONENT = /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?$/;
/** Lower-case DNS-1035 label: the operator turns `<dgd>-<component>` into Service names. */
const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Name rules of the Kubernetes objects the library writes and the operator derives.
 * @internal
 */
export class DynamoNames {
  /** A DGD component name (CRD pattern, at most 63). */
  public static checkComponent(scope: IConstruct, prop: string, value: string): void {
    PropError.check(COMPONENT.test(value) && value.length <= 63, scope, prop, value,
      'letters, digits and \'-\', starting and ending with a letter or digit, at most 63 characters');
  }

  /** A DGD name: a DNS-1035 label, since the operator prefixes Service names with it. */
  public static checkGraph(scope: IConstruct, prop: string, value: string): void {
    PropError.check(DNS_1035.test(value) && value.length <= 63, scope, prop, value,
      'lower-case letters, digits and \'-\', starting with a letter, at most 63 characters');
  }

  /** A DNS-1123 label (namespaces, PVCs, Secrets, ConfigMaps). */
  public static checkLabel(scope: IConstruct, prop: string, value: string | undefined): void {
    if (value === undefined) return;
    PropError.check(DNS_1123.test(value) && value.length <= 63, scope, prop, value,
      'lower-case letters, digits and \'-\', starting and ending with a letter or digit, at most 63 characters');
  }

  /** A DNS-1123 subdomain (Secret and ConfigMap names). */
  public static checkSubdomain(scope: IConstruct, prop: string, value: string): void {
    PropError.check(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(value) && value.length <= 253, scope, prop, value,
      'a DNS-1123 subdomain: lower-case letters, digits, \'-\' and \'.\', at most 253 characters');
  }

  /** A construct id lower-cased into a DNS-1035 label, for default names. */
  public static fromId(id: string): string {
    return id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '').slice(0, 63).replace(/-+$/, '');
  }
}
