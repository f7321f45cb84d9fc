package io.tsuzuku.status.adapter.in.web;

import io.tsuzuku.status.domain.Contract;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The export for contacting supporters, as Japanese administrators open it in Excel: UTF-8 with a
 * byte-order mark, CRLF line ends, quoting by the CSV library. Names and e-mails come from public
 * forms: a text cell that Excel would read as a formula (it starts with {@code =}, {@code +},
 * {@code -}, {@code @}, a tab or a carriage return) is neutralised with a leading apostrophe, as
 * OWASP recommends against CSV injection.
 */
final class SupporterCsv {

  static final String[] HEADER = {
    "契約ID", "支援者名", "メールアドレス", "金額(円)", "ステータス", "エラー発生日時", "最終失敗コード", "最終失敗日時",
    "最終再決済依頼日", "再決済依頼回数"
  };
  private static final char BOM = '\uFEFF';
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  private SupporterCsv() {}

  static byte[] render(List<Contract> contracts, StatusLabels labels, ZoneId zone) {
    return excel(HEADER, printer -> {
      for (var c : contracts) {
        printer.printRecord(
            text(c.contractId()),
            c.supporter() == null ? "" : text(c.supporter().name()),
            c.supporter() == null ? "" : text(c.supporter().email()),
            c.amountYen(),
            text(labels.of(c.status())),
            time(c.errorSince(), zone),
            c.lastFailure() == null ? "" : text(c.lastFailure().code()),
            c.lastFailure() == null ? "" : time(c.lastFailure().at(), zone),
            c.lastRepaymentRequestOn() == null ? "" : c.lastRepaymentRequestOn().toString(),
            c.repaymentRequestsSent());
      }
    });
  }

  /** What prints a file's records. */
  @FunctionalInterface
  interface Records {
    void print(CSVPrinter printer) throws IOException;
  }

  /** A CSV file as Excel opens it: the byte-order mark, the header, the records. */
  static byte[] excel(String[] header, Records records) {
    var out = new StringWriter();
    out.write(BOM);
    var format = CSVFormat.EXCEL.builder().setHeader(header).get();
    try (var printer = new CSVPrinter(out, format)) {
      records.print(printer);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The text as a cell that no spreadsheet evaluates. */
  static String text(String value) {
    if (value == null || value.isEmpty()) {
      return value == null ? "" : value;
    }
    return "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
  }

  private static String time(Instant instant, ZoneId zone) {
    return instant == null ? "" : TIME.format(instant.atZone(zone));
  }
}
