package io.tsuzuku.crmsync.domain;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * When records are sent and how failures wait, as data (docs/salesforce-mapping.md renders it).
 *
 * @param batchSize records per sObject Collections upsert (Salesforce accepts at most 200)
 * @param linger how long a change waits for others to fill its batch
 * @param rejected the wait before a rejected record is sent again on its own
 * @param unavailable the pause of an organisation after a 5xx, a timeout or a refused login
 * @param requestLimit the pause of an organisation after 403 REQUEST_LIMIT_EXCEEDED
 * @param slowdown the spacing between calls once the org's daily API usage reaches a share
 */
public record SyncPolicy(
    int batchSize,
    Duration linger,
    Backoff rejected,
    Backoff unavailable,
    Backoff requestLimit,
    List<UsageStep> slowdown) {

  /** From {@code share} of the daily limit on, calls are at least {@code spacing} apart. */
  public record UsageStep(double share, Duration spacing) {}

  public static final SyncPolicy DEFAULT =
      new SyncPolicy(
          200,
          Duration.ofSeconds(2),
          new Backoff(Duration.ofMinutes(1), 4, Duration.ofHours(6)),
          new Backoff(Duration.ofSeconds(5), 2, Duration.ofMinutes(5)),
          new Backoff(Duration.ofMinutes(15), 2, Duration.ofHours(2)),
          List.of(
              new UsageStep(0.80, Duration.ofSeconds(30)),
              new UsageStep(0.90, Duration.ofMinutes(5)),
              new UsageStep(0.98, Duration.ofMinutes(30))));

  public SyncPolicy {
    if (batchSize < 1 || batchSize > 200) {
      throw new IllegalArgumentException("batchSize must be 1..200 (the sObject Collections limit)");
    }
    slowdown = slowdown.stream().sorted(Comparator.comparingDouble(UsageStep::share)).toList();
  }

  public SyncPolicy withLinger(Duration newLinger) {
    return new SyncPolicy(batchSize, newLinger, rejected, unavailable, requestLimit, slowdown);
  }

  public SyncPolicy withBatchSize(int size) {
    return new SyncPolicy(size, linger, rejected, unavailable, requestLimit, slowdown);
  }

  /** The least time between two calls for an org at this usage: zero while it is far from its limit. */
  public Duration spacing(ApiUsage usage) {
    var spacing = Duration.ZERO;
    if (usage != null) {
      for (var step : slowdown) {
        if (usage.share() >= step.share()) {
          spacing = step.spacing();
        }
      }
    }
    return spacing;
  }
}
