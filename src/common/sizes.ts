import { Size, SizeRoundingBehavior } from 'cdk8s';

/**
 * `Size` to Kubernetes quantity strings, in whole MiB: what every size the library writes is rounded to.
 * @internal
 */
export class Sizes {
  /** A size in whole MiB, rounded up. */
  public static mebibytes(size: Size): number {
    return Math.ceil(size.toMebibytes({ rounding: SizeRoundingBehavior.NONE }));
  }

  /** MiB as a Quantity string: whole GiB as `Gi`, else `Mi`. */
  public static quantityOfMebibytes(mib: number): string {
    return mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi`;
  }

  /** A size as a Quantity string: whole GiB as `Gi`, else `Mi` (rounded up). */
  public static quantity(size: Size): string {
    return Sizes.quantityOfMebibytes(Sizes.mebibytes(size));
  }

  private constructor() {}
}
