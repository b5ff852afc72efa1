import { k8s } from 'cdk8s-plus-33';
import { IConstruct } from 'constructs';
import { PropError } from '../common/errors';

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CIDR = /^(\d{1,3}(\.\d{1,3}){3}\/\d{1,2}|[0-9a-fA-F:]+\/\d{1,3})$/;

/**
 * The other end of a NetworkPolicy rule: everything, a namespace, pods or an address range.
 */
export class NetworkPeer {
  /** Any source or destination (the rule lists no peers). */
  public static anywhere(): NetworkPeer {
    return new NetworkPeer(undefined, 'anywhere');
  }

  /** Every pod of one namespace, by its `kubernetes.io/metadata.name` label. */
  public static namespace(name: string): NetworkPeer {
    NetworkPeer._checkNamespace('NetworkPeer.namespace', 'name', name);
    return new NetworkPeer({ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: name } } }, `namespace ${name}`);
  }

  /** Every pod of the namespaces carrying these labels. */
  public static namespacesLabelled(labels: { [key: string]: string }): NetworkPeer {
    NetworkPeer.checkLabels('NetworkPeer.namespacesLabelled', labels);
    return new NetworkPeer({ namespaceSelector: { matchLabels: { ...labels } } }, `namespaces ${JSON.stringify(labels)}`);
  }

  /**
   * Pods carrying these labels.
   * @param labels pod labels
   * @param namespace the pods' namespace; the policy's own when undefined
   */
  public static pods(labels: { [key: string]: string }, namespace?: string): NetworkPeer {
    NetworkPeer.checkLabels('NetworkPeer.pods', labels);
    if (namespace !== undefined) NetworkPeer._checkNamespace('NetworkPeer.pods', 'namespace', namespace);
    const ns = namespace === undefined ? {} : { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } } };
    return new NetworkPeer({ podSelector: { matchLabels: { ...labels } }, ...ns }, `pods ${JSON.stringify(labels)}`);
  }

  /** An IP address range, e.g. `10.0.0.0/8` (outside the cluster's pod network, since pod IPs are not stable). */
  public static cidr(cidr: string): NetworkPeer {
    PropError.check(CIDR.test(cidr), 'NetworkPeer.cidr', 'cidr', cidr, 'an IPv4 or IPv6 CIDR such as 10.0.0.0/8');
    return new NetworkPeer({ ipBlock: { cidr } }, `cidr ${cidr}`);
  }

  /**
   * Throws unless `name` is a namespace name; the message names `prop` of `scope`.
   * @internal
   */
  public static _checkNamespace(scope: IConstruct | string, prop: string, name: string): void {
    PropError.check(DNS_LABEL.test(name) && name.length <= 63, scope, prop, name, 'a namespace name (RFC 1123 label)');
  }

  private static checkLabels(where: string, labels: { [key: string]: string }): void {
    PropError.check(Object.keys(labels).length > 0, where, 'labels', labels, 'at least one label', 'an empty selector matches everything; use NetworkPeer.anywhere()');
  }

  private constructor(
    /** @internal */
    public readonly _peer: k8s.NetworkPolicyPeer | undefined,
    /** What the peer selects, for messages. */
    public readonly description: string,
  ) {}

  /** True for `NetworkPeer.anywhere()`. */
  public get isAnywhere(): boolean {
    return this._peer === undefined;
  }
}
