package io.tsuzuku.status.application;

import io.tsuzuku.status.application.RecoveryAnalytics.CohortMonth;
import io.tsuzuku.status.application.RecoveryAnalytics.Group;
import io.tsuzuku.status.application.RecoveryAnalytics.Recovered;
import io.tsuzuku.status.application.RecoveryAnalytics.Within;
import io.tsuzuku.status.application.Summary.Band;
import io.tsuzuku.status.application.port.FailureHistory;
import io.tsuzuku.status.domain.ChargeKind;
import io.tsuzuku.status.domain.Cohort;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Recovery analytics (docs/admin-api.md): which failures come back, by which path and how fast.
 * The histories are read one contract at a time and folded into counts and day histograms, so the
 * memory it takes grows with the kinds of failure, not with the contracts. An answer is kept for
 * the rest of the day (Asia/Tokyo): the same question asked again that day is not read again.
 */
public final class RecoveryAnalysis {

  /** How many answers are kept at once, across organisations and periods. */
  private static final int KEPT = 64;

  /** The declines' classes in the order an administrator reads them. */
  private static final List<String> CLASSES = List.of("SOFT_DECLINE", "HARD_DECLINE", "PROCESSOR_ERROR", "REFUSED", "UNKNOWN");

  private final FailureHistory history;
  private final AdminPolicy policy;
  private final Clock clock;
  private final Map<Question, RecoveryAnalytics> answers =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Question, RecoveryAnalytics> eldest) {
          return size() > KEPT;
        }
      };

  public RecoveryAnalysis(FailureHistory history, AdminPolicy policy, Clock clock) {
    this.history = history;
    this.policy = policy;
    this.clock = clock;
  }

  private record Question(String orgId, LocalDate from, LocalDate to, LocalDate asOf) {}

  public RecoveryAnalytics analyse(String orgId, LocalDate from, LocalDate to) {
    Reports.checked(from, to);
    var question = new Question(orgId, from, to, LocalDate.now(clock.withZone(policy.zone())));
    synchronized (answers) {
      var kept = answers.get(question);
      if (kept != null) {
        return kept;
      }
    }
    var answer = compute(question);
    synchronized (answers) {
      answers.put(question, answer);
    }
    return answer;
  }

  private RecoveryAnalytics compute(Question q) {
    var tally = new Tally(q.asOf());
    history.eachContract(q.orgId(), q.from().atStartOfDay(policy.zone()).toInstant(), lines -> {
      for (var failure : FailureEpisode.of(lines, policy.zone())) {
        if (!failure.began().isBefore(q.from()) && !failure.began().isAfter(q.to())) {
          tally.add(failure);
        }
      }
    });
    return tally.analytics(q);
  }

  /** The counts of every kind of failure, filled one failure at a time. */
  private static final class Tally {
    private final LocalDate asOf;
    private final Counts total = new Counts();
    private final Map<String, Counts> byClass = new HashMap<>();
    private final Map<String, Counts> byCode = new HashMap<>();
    private final Map<String, Counts> byCohort = new HashMap<>();
    private final Map<String, Counts> byAmount = new HashMap<>();
    private final Map<String, Counts> byPath = new HashMap<>();
    private final Map<String, Counts> byMonthsInError = new HashMap<>();
    private final Map<YearMonth, long[]> cohortMonths = new TreeMap<>();

    Tally(LocalDate asOf) {
      this.asOf = asOf;
    }

    void add(FailureEpisode f) {
      total.add(f);
      byClass.computeIfAbsent(f.declineClass() == null ? "UNKNOWN" : f.declineClass(), k -> new Counts()).add(f);
      byCode.computeIfAbsent(f.declineCode() == null ? "unknown" : f.declineCode(), k -> new Counts()).add(f);
      byCohort.computeIfAbsent(f.cohort() == null ? "UNKNOWN" : f.cohort(), k -> new Counts()).add(f);
      byAmount.computeIfAbsent(AmountBand.of(f.monthlyYen()).name(), k -> new Counts()).add(f);
      // failed, then recovered within each of COHORT_MONTHS
      var month = cohortMonths.computeIfAbsent(YearMonth.from(f.began()), k -> new long[1 + RecoveryAnalytics.COHORT_MONTHS.size()]);
      month[0]++;
      if (f.recovered()) {
        byPath.computeIfAbsent(f.path() == null ? "UNKNOWN" : f.path(), k -> new Counts()).add(f);
        byMonthsInError.computeIfAbsent(monthsInError(f), k -> new Counts()).add(f);
        for (int i = 0; i < RecoveryAnalytics.COHORT_MONTHS.size(); i++) {
          if (f.ended().isBefore(f.began().plusMonths(RecoveryAnalytics.COHORT_MONTHS.get(i)))) {
            month[i + 1]++;
          }
        }
      }
    }

    RecoveryAnalytics analytics(Question q) {
      var cohorts = new ArrayList<CohortMonth>();
      cohortMonths.forEach((month, counts) -> {
        var within = new ArrayList<Within>();
        for (int i = 0; i < RecoveryAnalytics.COHORT_MONTHS.size(); i++) {
          var months = RecoveryAnalytics.COHORT_MONTHS.get(i);
          // every failure of the month is at least this old once its last day is
          var seen = !month.atEndOfMonth().plusMonths(months).isAfter(asOf);
          within.add(new Within(months, counts[i + 1], seen ? (double) counts[i + 1] / counts[0] : null));
        }
        cohorts.add(new CohortMonth(month, counts[0], List.copyOf(within)));
      });
      return new RecoveryAnalytics(q.from(), q.to(), asOf, total.group("ALL"),
          groups(byClass, Comparator.comparing(CLASSES::indexOf)),
          groups(byCode, Comparator.comparing((String key) -> -byCode.get(key).failed).thenComparing(Function.identity())),
          groups(byCohort, Comparator.comparing((String key) -> key.equals(Cohort.CURRENT.name()) ? 0 : 1).thenComparing(Function.identity())),
          groups(byAmount, Comparator.comparing(AmountBand::valueOf)),
          recovered(byPath, Comparator.comparing(RecoveryAnalysis::pathOrder)),
          recovered(byMonthsInError, Comparator.comparing(RecoveryAnalysis::monthsInErrorOrder)),
          List.copyOf(cohorts));
    }

    private static List<Group> groups(Map<String, Counts> counts, Comparator<String> order) {
      return counts.keySet().stream().sorted(order).map(key -> counts.get(key).group(key)).toList();
    }

    private List<Recovered> recovered(Map<String, Counts> counts, Comparator<String> order) {
      return counts.keySet().stream().sorted(order).map(key -> counts.get(key).recovered(key, total.failed)).toList();
    }
  }

  /** How many failed, recovered, were cancelled or are open, and after how many days the recovered came back. */
  private static final class Counts {
    long failed;
    long recovered;
    long cancelled;
    long open;
    long recoveredYen;
    final TreeMap<Integer, Long> daysToRecover = new TreeMap<>();

    void add(FailureEpisode f) {
      failed++;
      if (f.endedIn() == null) {
        open++;
      } else if (f.recovered()) {
        recovered++;
        recoveredYen += f.monthlyYen();
        daysToRecover.merge((int) ChronoUnit.DAYS.between(f.began(), f.ended()), 1L, Long::sum);
      } else {
        cancelled++;
      }
    }

    Group group(String key) {
      return new Group(key, failed, recovered, cancelled, open, failed == 0 ? 0 : (double) recovered / failed,
          percentile(50), percentile(90), recoveredYen);
    }

    Recovered recovered(String key, long allFailed) {
      return new Recovered(key, recovered, allFailed == 0 ? 0 : (double) recovered / allFailed, percentile(50), percentile(90),
          recoveredYen);
    }

    /** The nearest-rank percentile of the days to recover: the least d with at least p% of them at most d. */
    Integer percentile(int p) {
      if (recovered == 0) {
        return null;
      }
      var rank = (recovered * p + 99) / 100;
      long seen = 0;
      for (var days : daysToRecover.entrySet()) {
        seen += days.getValue();
        if (seen >= rank) {
          return days.getKey();
        }
      }
      throw new IllegalStateException("the histogram holds fewer than " + recovered + " recoveries");
    }
  }

  /** The contracts' amounts in bands, the smallest first. */
  enum AmountBand {
    UNDER_1000(0),
    FROM_1000_TO_2999(1_000),
    FROM_3000_TO_4999(3_000),
    FROM_5000_TO_9999(5_000),
    FROM_10000(10_000);

    private final long lowest;

    AmountBand(long lowest) {
      this.lowest = lowest;
    }

    static AmountBand of(long amountYen) {
      var band = UNDER_1000;
      for (var candidate : values()) {
        if (amountYen >= candidate.lowest) {
          band = candidate;
        }
      }
      return band;
    }
  }

  /**
   * NOT_IN_ERROR (recovered while still retrying) or the summary's ERROR age band on the day of the
   * recovery: under 1 month when in ERROR since that day's date a month before or later, and so on.
   */
  private static String monthsInError(FailureEpisode f) {
    if (f.inErrorSince() == null) {
      return "NOT_IN_ERROR";
    }
    var bands = Band.values();
    for (int i = 0; i < Reports.BAND_MONTHS.length; i++) {
      if (!f.inErrorSince().isBefore(f.ended().minusMonths(Reports.BAND_MONTHS[i]))) {
        return bands[i].name();
      }
    }
    return bands[bands.length - 1].name();
  }

  private static int monthsInErrorOrder(String key) {
    return key.equals("NOT_IN_ERROR") ? -1 : Band.valueOf(key).ordinal();
  }

  private static int pathOrder(String key) {
    for (var kind : ChargeKind.values()) {
      if (kind.name().equals(key)) {
        return kind.ordinal();
      }
    }
    return ChargeKind.values().length;
  }
}
