package io.tsuzuku.status.adapter.in.web;

import io.tsuzuku.status.application.RecoveryAnalytics;
import io.tsuzuku.status.application.RecoveryAnalytics.Group;
import io.tsuzuku.status.application.RecoveryAnalytics.Recovered;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVPrinter;

/**
 * The recovery analytics as one sheet (docs/admin-api.md): a row per group of failures, then per
 * path and age in ERROR of the recovered, then per month of the cohort table. A cell that does not
 * apply to a row, or is not known yet, is empty.
 */
final class RecoveryAnalyticsCsv {

  static final String[] HEADER = {
    "区分", "項目", "失敗", "回復", "解約", "未回復", "回復率", "回復までの日数(中央値)", "回復までの日数(90パーセンタイル)",
    "回復した金額(円)", "1か月以内の回復率", "2か月以内の回復率", "3か月以内の回復率", "6か月以内の回復率", "12か月以内の回復率"
  };
  private static final int COHORT_COLUMNS = RecoveryAnalytics.COHORT_MONTHS.size();

  private RecoveryAnalyticsCsv() {}

  static byte[] render(RecoveryAnalytics a) {
    return SupporterCsv.excel(HEADER, printer -> {
      groups(printer, "全体", List.of(a.total()));
      groups(printer, "拒否の分類", a.byDeclineClass());
      groups(printer, "拒否コード", a.byDeclineCode());
      groups(printer, "契約の種類", a.byCohort());
      groups(printer, "金額帯", a.byAmountBand());
      recovered(printer, "回復の経路", a.byPath());
      recovered(printer, "回復時のエラー期間", a.byMonthsInError());
      for (var month : a.cohorts()) {
        var row = new ArrayList<Object>(List.of("初回失敗月", month.month().toString(), month.failed(), "", "", "", "", "", "", ""));
        month.recoveredWithin().forEach(w -> row.add(w.share() == null ? "" : w.share()));
        printer.printRecord(row);
      }
    });
  }

  private static void groups(CSVPrinter printer, String section, List<Group> groups) throws IOException {
    for (var g : groups) {
      printer.printRecord(withoutCohort(section, SupporterCsv.text(g.key()), g.failed(), g.recovered(), g.cancelled(), g.open(),
          g.recoveryRate(), orEmpty(g.medianDaysToRecover()), orEmpty(g.p90DaysToRecover()), g.recoveredMonthlyYen()));
    }
  }

  private static void recovered(CSVPrinter printer, String section, List<Recovered> recovered) throws IOException {
    for (var r : recovered) {
      printer.printRecord(withoutCohort(section, r.key(), "", r.recovered(), "", "", r.shareOfFailed(),
          orEmpty(r.medianDaysToRecover()), orEmpty(r.p90DaysToRecover()), r.recoveredMonthlyYen()));
    }
  }

  private static List<Object> withoutCohort(Object... cells) {
    var row = new ArrayList<Object>(Arrays.asList(cells));
    for (int i = 0; i < COHORT_COLUMNS; i++) {
      row.add("");
    }
    return row;
  }

  private static Object orEmpty(Integer value) {
    return value == null ? "" : value;
  }
}
