/**
 * Options of webhook certificates that the user provisions.
 */
export interface ExternalCertificateOptions {
  /**
   * Secret (type `kubernetes.io/tls`, keys `tls.crt`, `tls.key`, `ca.crt`) in the platform namespace.
   * @default 'webhook-server-cert'
   */
  readonly secretName?: string;

  /**
   * Base64-encoded PEM CA bundle written into the webhook configurations.
   * @default - none; something else injects it
   */
  readonly caBundle?: string;
}

/**
 * How the TLS certificate of the operator's webhook server (admission and CRD conversion) is provisioned.
 */
export class WebhookCertificates {
  /**
   * The operator creates a self-signed CA and serving certificate in Secret `webhook-server-cert`, rotates them, and
   * injects the CA into its webhook configurations and CRDs (`certProvisionMode: auto`, the upstream default).
   */
  public static auto(): WebhookCertificates {
    return new WebhookCertificates('auto', 'webhook-server-cert');
  }

  /**
   * cert-manager issues the certificates: renders the upstream self-signed CA chain (two Issuers, two Certificates)
   * and lets cert-manager's CA injector fill the webhook configurations. Requires cert-manager in the cluster.
   */
  public static certManager(): WebhookCertificates {
    return new WebhookCertificates('cert-manager', 'webhook-server-cert');
  }

  /**
   * You create the certificate Secret yourself (`certProvisionMode: manual`).
   * @param options the Secret that holds the certificate, and the CA bundle if nothing injects it
   */
  public static external(options: ExternalCertificateOptions = {}): WebhookCertificates {
    return new WebhookCertificates('external', options.secretName ?? 'webhook-server-cert', options.caBundle);
  }

  private constructor(
    /** @internal */ public readonly _mode: 'auto' | 'cert-manager' | 'external',
    /** Name of the Secret that holds the serving certificate. */
    public readonly secretName: string,
    /** @internal */ public readonly _caBundle?: string,
  ) {}
}
