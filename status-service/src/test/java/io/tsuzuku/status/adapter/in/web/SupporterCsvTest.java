package io.tsuzuku.status.adapter.in.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.Status;
import io.tsuzuku.status.domain.Supporter;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Supporters' names and e-mails come from public forms: none of them runs as a formula in Excel. */
class SupporterCsvTest {

  private static final StatusLabels LABELS = new StatusLabels(
      Map.of(Status.ACTIVE, "継続中", Status.RETRYING, "リトライ中", Status.ERROR, "エラー", Status.CANCELLED, "解約"));

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"=HYPERLINK(\"http://evil.example\",\"開く\")", "+81-3-0000", "-2+3", "@SUM(A1:A9)", "\tcmd", "\rcmd"})
  void aCellThatExcelWouldReadAsAFormulaIsNeutralised(String name) throws Exception {
    var cells = export(name, "mallory@example.org");

    assertThat(cells.get("支援者名")).isEqualTo("'" + name);
    assertThat(cells.get("メールアドレス")).isEqualTo("mallory@example.org");
  }

  @Test
  void ordinaryTextIsLeftAsItIs() throws Exception {
    var cells = export("山田 花子", "=cmd@example.org");

    assertThat(cells.get("支援者名")).isEqualTo("山田 花子");
    assertThat(cells.get("メールアドレス")).isEqualTo("'=cmd@example.org");
    assertThat(cells.get("金額(円)")).isEqualTo("3000");
  }

  private static Map<String, String> export(String name, String email) throws Exception {
    var contract = Contract.register("c-1", "org-1", Cohort.CURRENT, new Supporter("s-1", name, email), 3000,
        Instant.parse("2026-11-01T00:00:00Z"));
    var text = new String(SupporterCsv.render(List.of(contract), LABELS, ZoneId.of("Asia/Tokyo")), StandardCharsets.UTF_8)
        .substring(1); // the byte-order mark
    var records = CSVFormat.EXCEL.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(text)).getRecords();
    return records.get(0).toMap();
  }
}
