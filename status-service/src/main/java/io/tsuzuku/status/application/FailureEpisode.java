package io.tsuzuku.status.application;

import io.tsuzuku.status.domain.Status;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * One failure of a contract as its history tells it (docs/admin-api.md, "Recovery analytics"): it
 * begins when a payment of the ACTIVE contract fails and ends when the contract is ACTIVE again or
 * cancelled. Days are Asia/Tokyo dates; the recovery analytics count these, the backtest replays them.
 *
 * @param declineCode the first decline of the failure (null: not recorded)
 * @param interval MONTHLY or YEARLY (null: not recorded, taken as monthly)
 * @param inErrorSince the day it entered ERROR (null: never)
 * @param endedIn ACTIVE (recovered), CANCELLED, or null (still open)
 * @param endedBy the line's trigger that ended it (PAYMENT_SUCCEEDED, CANCELLED_BY_SUPPORTER, …)
 * @param path how it recovered: the successful payment's kind
 * @param nextBegan the day the contract's next failure began (null: none since)
 */
public record FailureEpisode(
    String contractId, LocalDate began, String declineCode, String declineClass, String cohort, String interval, long amountYen,
    LocalDate inErrorSince, Status endedIn, LocalDate ended, String endedBy, String path, LocalDate nextBegan) {

  public boolean recovered() {
    return endedIn == Status.ACTIVE;
  }

  /** The amount a month: a twelfth of a yearly contract's, as the summary counts it. */
  public long monthlyYen() {
    return "YEARLY".equals(interval) ? amountYen / 12 : amountYen;
  }

  /** The failures in one contract's applied history lines, in time order. */
  public static List<FailureEpisode> of(List<HistoryEntry> lines, ZoneId zone) {
    var failures = new ArrayList<FailureEpisode>();
    Open current = null;
    for (var line : lines) {
      var day = LocalDate.ofInstant(line.at(), zone);
      if (current == null) {
        if (line.from() == Status.ACTIVE && (line.to() == Status.RETRYING || line.to() == Status.ERROR)) {
          if (!failures.isEmpty()) {
            failures.set(failures.size() - 1, failures.get(failures.size() - 1).followedOn(day));
          }
          current = new Open(line, day);
        }
        continue;
      }
      current.read(line, day);
      if (line.to() == Status.ACTIVE || line.to() == Status.CANCELLED) {
        failures.add(current.endedBy(line, day));
        current = null;
      }
    }
    if (current != null) {
      failures.add(current.endedBy(null, null));
    }
    return failures;
  }

  private FailureEpisode followedOn(LocalDate day) {
    return new FailureEpisode(contractId, began, declineCode, declineClass, cohort, interval, amountYen, inErrorSince, endedIn, ended, endedBy,
        path, day);
  }

  /** A failure being read. */
  private static final class Open {
    final HistoryEntry first;
    final LocalDate began;
    String declineCode;
    String declineClass;
    LocalDate inErrorSince;

    Open(HistoryEntry first, LocalDate began) {
      this.first = first;
      this.began = began;
      read(first, began);
    }

    void read(HistoryEntry line, LocalDate day) {
      if (declineClass == null && line.declineClass() != null) {
        declineCode = line.declineCode();
        declineClass = line.declineClass();
      }
      if (line.to() == Status.ERROR && inErrorSince == null) {
        inErrorSince = day;
      }
    }

    FailureEpisode endedBy(HistoryEntry last, LocalDate day) {
      return new FailureEpisode(first.contractId(), began, declineCode, declineClass, first.cohort(), first.interval(), first.amountYen(),
          inErrorSince, last == null ? null : last.to(), day, last == null ? null : last.trigger(),
          last == null ? null : last.path(), null);
    }
  }
}
