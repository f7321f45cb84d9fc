package io.tsuzuku.status.domain;

/** How often a contract is charged; the administrators compare contracts by their yen per month. */
public enum Interval {
  MONTHLY(1),
  YEARLY(12);

  private final int months;

  Interval(int months) {
    this.months = months;
  }

  /** The amount of each charge spread over the months it pays for, rounded down to the yen. */
  public long monthlyYen(long amountYen) {
    return amountYen / months;
  }
}
