import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Include, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { PropError } from '../common/errors';

/** Annotations that keep GitOps tools from deleting CRDs: deleting a CRD deletes every object of its kind. */
const PROTECTION: Array<[string, string]> = [
  // Server-side apply: the Dynamo CRDs exceed the 256 KiB last-applied annotation of client-side apply.
  ['argocd.argoproj.io/sync-options', 'Prune=false,ServerSideApply=true'],
  ['kustomize.toolkit.fluxcd.io/prune', 'disabled'],
];

/**
 * Conversion webhook target of the vendored CRDs.
 * @internal
 */
export interface ConversionService {
  readonly name: string;
  readonly namespace: string;
}

/**
 * Where the Dynamo CRDs come from.
 */
export class CrdSource {
  /**
   * The operator's `crd-apply` init container applies the CRDs shipped in the operator image, at the operator's
   * version (the upstream default; cluster-wide operators only). Objects whose CRDs it installs need ArgoCD's
   * `SkipDryRunOnMissingResource=true` on a fresh cluster.
   */
  public static fromOperatorImage(): CrdSource {
    return new CrdSource('image', []);
  }

  /**
   * CRDs vendored into your repository, as one multi-document YAML file (for clusters where the operator may not
   * write CRDs, or to review CRD changes in Git). The conversion webhooks are pointed at this platform's webhook
   * Service, the objects are protected from GitOps pruning, and `crd-apply` is turned off.
   *
   * @param file path of the YAML file, relative to the directory `cdk8s synth` runs in
   */
  public static fromFile(file: string): CrdSource {
    return new CrdSource('files', [file]);
  }

  /**
   * Like `fromFile`, for every `*.yaml` and `*.yml` file of a directory (such as a copy of the operator's
   * `config/crd/bases`), in file-name order.
   *
   * @param directory path of the directory, relative to the directory `cdk8s synth` runs in
   */
  public static fromDirectory(directory: string): CrdSource {
    return new CrdSource('directory', [directory]);
  }

  /**
   * Someone else installs the CRDs, e.g. a cluster-wide operator (required context of a namespace-restricted one).
   */
  public static preinstalled(): CrdSource {
    return new CrdSource('preinstalled', []);
  }

  /** Adds the pruning protection and points a conversion webhook at this platform's Service, without a CA bundle. */
  private static protect(crd: ApiObject, conversion: ConversionService): void {
    for (const [key, value] of PROTECTION) crd.metadata.addAnnotation(key, value);
    const spec = crd.toJson().spec ?? {};
    if (spec.conversion?.strategy !== 'Webhook') return;
    // The operator injects the CA at runtime; a stale bundle from another cluster would break conversion.
    const previous = spec.conversion.webhook.clientConfig?.service ?? {};
    crd.addJsonPatch(JsonPatch.add('/spec/conversion/webhook/clientConfig', {
      service: {
        name: conversion.name,
        namespace: conversion.namespace,
        path: previous.path ?? '/convert',
        ...(previous.port !== undefined ? { port: previous.port } : {}),
      },
    }));
  }

  private constructor(private readonly kind: 'image' | 'files' | 'directory' | 'preinstalled', private readonly paths: string[]) {}

  /**
   * True when the operator's `crd-apply` init container installs the CRDs.
   */
  public get installedByOperator(): boolean {
    return this.kind === 'image';
  }

  /**
   * True when the CRDs are part of the synthesized manifests.
   */
  public get vendored(): boolean {
    return this.kind === 'files' || this.kind === 'directory';
  }

  /**
   * Includes the vendored CRDs into `scope`; throws naming `prop` when a file is missing or holds anything but CRDs.
   * @internal
   */
  public _include(scope: Construct, prop: string, conversion: ConversionService): void {
    if (!this.vendored) return;
    const files = this.kind === 'files' ? this.paths : this.filesOf(scope, prop, this.paths[0]);
    const seen = new Set<string>();
    files.forEach((file, i) => {
      PropError.check(fs.existsSync(file) && fs.statSync(file).isFile(), scope, prop, file,
        'a readable YAML file of CustomResourceDefinitions', 'the file does not exist');
      const included = new Include(scope, `Crds${i}`, { url: file }).apiObjects;
      PropError.check(included.length > 0, scope, prop, file, 'a file with at least one CustomResourceDefinition', 'the file has no objects');
      for (const crd of included) {
        const what = `${crd.apiVersion} ${crd.kind} '${crd.name}' in ${file}`;
        PropError.check(crd.apiVersion === 'apiextensions.k8s.io/v1' && crd.kind === 'CustomResourceDefinition', scope, prop, file,
          'files that hold only apiextensions.k8s.io/v1 CustomResourceDefinitions', `it holds ${what}`);
        PropError.check(!seen.has(crd.name), scope, prop, file, 'each CRD once', `CRD '${crd.name}' is defined twice`);
        seen.add(crd.name);
        const spec = crd.toJson().spec ?? {};
        PropError.check(spec.conversion?.strategy !== 'Webhook' || spec.conversion.webhook !== undefined, scope, prop, file,
          'CRDs whose Webhook conversion has spec.conversion.webhook', `${what} has none`);
        CrdSource.protect(crd, conversion);
      }
    });
  }

  private filesOf(scope: Construct, prop: string, directory: string): string[] {
    PropError.check(fs.existsSync(directory) && fs.statSync(directory).isDirectory(), scope, prop, directory,
      'a directory of CRD YAML files', 'the directory does not exist');
    const files = fs.readdirSync(directory).filter((f) => /\.ya?ml$/.test(f)).sort();
    PropError.check(files.length > 0, scope, prop, directory, 'a directory with at least one *.yaml or *.yml file', 'it has none');
    return files.map((f) => path.join(directory, f));
  }
}
