package io.tsuzuku.status.adapter.in.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tsuzuku.infra.embedded.junit.WithEmbeddedInfrastructure;
import io.tsuzuku.security.LocalTokens;
import io.tsuzuku.status.application.ContractEvents;
import io.tsuzuku.status.application.RefundOwed;
import io.tsuzuku.status.application.port.RefundsOwed;
import io.tsuzuku.status.domain.Attempt;
import io.tsuzuku.status.domain.ChargeKind;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.ContractEvent;
import io.tsuzuku.status.domain.Failure;
import io.tsuzuku.status.domain.Supporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The admin console in a real browser (Debian's headless Chromium, driven by Selenium through
 * chromedriver): an administrator works through contracts in ERROR the way SPEC §4 describes.
 * Each flow leaves a screenshot under target/console-screenshots, which CI keeps.
 */
@WithEmbeddedInfrastructure
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsoleIT {

  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  private static final LocalDate PERIOD = LocalDate.of(2025, 9, 1);
  private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
  private static ChromeDriver browser;

  @LocalServerPort int port;
  @Autowired ContractEvents contracts;
  @Autowired RefundsOwed refunds;

  private String org;

  /**
   * Needs Debian's chromium and chromium-driver: .ci/run installs them and sets
   * TSUZUKU_REQUIRE_BROWSER=true, so CI fails rather than skips without them; elsewhere the test
   * is skipped, saying why.
   */
  @BeforeAll
  static void startTheBrowser() throws IOException {
    var chromium = Path.of(System.getProperty("tsuzuku.chromium", "/usr/bin/chromium"));
    var chromedriver = Path.of(System.getProperty("tsuzuku.chromedriver", "/usr/bin/chromedriver"));
    var present = Files.isExecutable(chromium) && Files.isExecutable(chromedriver);
    if (!"true".equals(System.getenv("TSUZUKU_REQUIRE_BROWSER"))) {
      Assumptions.assumeTrue(present, "no " + chromium + " or " + chromedriver + ": apt-get install chromium chromium-driver");
    }
    var options = new ChromeOptions();
    options.setBinary(chromium.toString());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1366,900",
        "--lang=ja-JP", "--user-data-dir=" + Files.createTempDirectory("console-it-chromium"));
    var driver = new ChromeDriverService.Builder()
        .usingDriverExecutable(chromedriver.toFile())
        .build();
    browser = new ChromeDriver(driver, options);
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  static void stopTheBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @BeforeEach
  void anOrganisationWithContractsInError() {
    org = "org-" + UUID.randomUUID().toString().substring(0, 8);
    var longAgo = Instant.now().minus(Duration.ofDays(420));
    for (var id : List.of("a-year-1", "a-year-2")) {
      inError(org + "-" + id, longAgo);
    }
    var lastMonth = Instant.now().minus(Duration.ofDays(40));
    for (var id : List.of("recent-1", "recent-2", "recent-3")) {
      inError(org + "-" + id, lastMonth);
    }
    register(org + "-active", lastMonth);
    open("#token=" + LocalTokens.mint(LocalTokens.LOCAL_SECRET, org, "admin@" + org, Instant.now(), Duration.ofHours(1)));
    await().until(() -> !rows().isEmpty());
  }

  @Test
  void aYearInErrorGetsAFinalNoticeThenIsCancelledWithAReason() throws IOException {
    filter("ERROR", "P1Y");
    await().untilAsserted(() -> assertThat(contractIdsShown()).containsExactly(org + "-a-year-1", org + "-a-year-2"));

    click("select-all-matching");
    assertThat(text("selection-summary")).isEqualTo("条件に一致するすべての契約を選択中");
    click("action-final-notice");
    awaitPreview("解約前の最終案内 の確認(まだ実行していません)");
    assertThat(previewOutcomes()).containsExactly("最終案内を送付", "最終案内を送付");
    click("confirm");
    awaitPreview("解約前の最終案内 の結果");
    var noticeDay = today().format(DateTimeFormatter.ofPattern("yyyy/MM/dd"));
    await().untilAsserted(() -> assertThat(cellsOf(8)).containsExactly(noticeDay, noticeDay)); // 最終案内, YYYY/MM/DD

    click("select-all-matching");
    browser.findElement(By.id("cancel-reason")).sendKeys("最終案内後もご連絡がないため");
    click("action-cancel");
    awaitPreview("解約 の確認(まだ実行していません)");
    click("confirm");
    awaitPreview("解約 の結果");
    assertThat(previewOutcomes()).containsExactly("解約", "解約");

    filter("CANCELLED", "");
    await().untilAsserted(() -> assertThat(contractIdsShown()).containsExactly(org + "-a-year-1", org + "-a-year-2"));
    assertThat(cellsOf(2)).containsOnly("解約");
    assertThat(cellsOf(5)).containsOnly("¥3,000");
    screenshot("cancelled-after-a-year");
  }

  @Test
  void twoContractsInErrorGetAManualRetryOnADatePickedInTheCalendar() throws IOException {
    filter("ERROR", "");
    await().untilAsserted(() -> assertThat(rows()).hasSize(5));
    var retryOn = today().plusDays(7);

    checkRow(org + "-recent-1");
    checkRow(org + "-recent-2");
    assertThat(text("selection-summary")).isEqualTo("2 件を選択中");
    browser.executeScript("arguments[0].value = arguments[1]", browser.findElement(By.id("retry-on")), retryOn.toString());
    click("action-manual-retry");
    awaitPreview("手動リトライ の確認(まだ実行していません)");
    assertThat(previewOutcomes()).containsExactly("予約", "予約");
    click("confirm");
    awaitPreview("手動リトライ の結果");

    browser.findElement(By.linkText(org + "-recent-1")).click();
    await().until(() -> text("detail-id").equals(org + "-recent-1") && !text("detail-pending-manual-retry").isEmpty());
    assertThat(text("detail-pending-manual-retry")).isEqualTo(retryOn.format(DateTimeFormatter.ofPattern("yyyy/MM/dd")) + " 10:00");
    assertThat(browser.findElements(By.cssSelector("#history tbody tr"))).isNotEmpty();
    screenshot("manual-retry-pending");
  }

  @Test
  void theRefundsOwedToTheOrganisationsSupportersAreListedWithTheirReasons() throws IOException {
    var chargedAt = Instant.now().minus(Duration.ofDays(2));
    refunds.record(RefundOwed.required(org + "-recent-1:2026-10-01:MANUAL_RETRY:4", org + "-recent-1", org, LocalDate.of(2026, 10, 1),
        3000, "pi_123", chargedAt, "charged_after_cancellation", chargedAt.plusSeconds(5)));
    refunds.record(RefundOwed.required("elsewhere:2026-10-01:MANUAL_RETRY:4", "elsewhere", "org-elsewhere", LocalDate.of(2026, 10, 1),
        5000, "pi_999", chargedAt, "period_already_paid", chargedAt.plusSeconds(5)));

    click("nav-refunds");
    await().until(() -> !browser.findElements(By.cssSelector("#refunds tbody tr")).isEmpty());

    assertThat(browser.findElements(By.cssSelector("#refunds tbody tr")).stream().map(WebElement::getText).toList())
        .singleElement().satisfies(row -> assertThat(row)
            .contains(org + "-recent-1", "2026/10/01", "¥3,000", "解約後に決済されました", "pi_123", "未返金"));

    refunds.issued(org + "-recent-1:2026-10-01:MANUAL_RETRY:4", chargedAt.plusSeconds(60), "re_1");
    browser.navigate().refresh();
    await().untilAsserted(() -> assertThat(browser.findElements(By.cssSelector("#refunds tbody tr")).stream()
        .map(WebElement::getText).toList()).singleElement().satisfies(row -> assertThat(row).contains("返金済み", "re_1")));
    screenshot("refunds-owed");
  }

  @Test
  void aReadOnlyTokenSeesTheContractsButNoBulkOperation() throws IOException {
    click("sign-out");
    open("#token=" + LocalTokens.mint(LocalTokens.LOCAL_SECRET, org, "viewer@" + org, Instant.now(), Duration.ofHours(1),
        "contracts:read"));
    await().until(() -> !rows().isEmpty());

    assertThat(text("org-name")).contains("閲覧のみ");
    assertThat(browser.findElement(By.cssSelector("section.actions")).isDisplayed()).isFalse();
    assertThat(browser.findElement(By.id("select-all-matching")).isDisplayed()).isFalse();
    assertThat(contractIdsShown()).contains(org + "-active");
    screenshot("read-only");
  }

  @Test
  void anotherOrganisationsContractIsNotFound() throws IOException {
    var elsewhere = "org-elsewhere-" + UUID.randomUUID().toString().substring(0, 8);
    register(elsewhere, Instant.now());

    open("#/contracts/" + elsewhere);
    await().until(() -> browser.findElement(By.id("message")).isDisplayed());

    assertThat(text("message")).isEqualTo("契約が見つかりません。");
    assertThat(browser.findElements(By.cssSelector("#detail dd"))).isEmpty();
    screenshot("not-found");
  }

  // --- the page, as a person uses it

  private void open(String fragment) {
    browser.get("http://127.0.0.1:" + port + "/console/" + fragment);
  }

  private void filter(String status, String errorFor) {
    new Select(browser.findElement(By.id("filter-status"))).selectByValue(status);
    new Select(browser.findElement(By.id("filter-error-for"))).selectByValue(errorFor);
    click("search");
  }

  private void checkRow(String contractId) {
    browser.findElement(By.cssSelector("input.select-row[value='" + contractId + "']")).click();
  }

  private void click(String id) {
    browser.findElement(By.id(id)).click();
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private void awaitPreview(String title) {
    await().until(() -> title.equals(text("preview-title")));
  }

  private List<String> previewOutcomes() {
    return browser.findElements(By.cssSelector("#preview-items tbody tr td:nth-child(2)")).stream().map(WebElement::getText).toList();
  }

  private List<WebElement> rows() {
    return browser.findElements(By.cssSelector("#contracts tbody tr"));
  }

  private List<String> contractIdsShown() {
    return cellsOf(1);
  }

  /** The texts of column {@code index} (0: the checkbox) of the contract list. */
  private List<String> cellsOf(int index) {
    return browser.findElements(By.cssSelector("#contracts tbody tr td:nth-child(" + (index + 1) + ")")).stream()
        .map(WebElement::getText).toList();
  }

  private void screenshot(String name) throws IOException {
    var file = browser.getScreenshotAs(OutputType.FILE);
    Files.copy(file.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  private static LocalDate today() {
    return LocalDate.now(TOKYO);
  }

  // --- contracts, as the status-service's events leave them

  private void inError(String contractId, Instant failedAt) {
    register(contractId, failedAt.minus(Duration.ofDays(30)));
    contracts.apply(contractId, new ContractEvent.PaymentFailed("f-" + contractId, failedAt,
        new Attempt(contractId + ":" + PERIOD + ":SCHEDULED:0", PERIOD, ChargeKind.SCHEDULED, 0), 3000,
        new Failure("insufficient_funds", "SOFT_DECLINE", failedAt)));
    contracts.apply(contractId, new ContractEvent.RetriesExhausted("x-" + contractId, failedAt.plus(Duration.ofDays(21)), PERIOD));
  }

  private void register(String contractId, Instant at) {
    var orgId = contractId.startsWith("org-elsewhere") ? contractId : org;
    contracts.register(
        Contract.register(contractId, orgId, Cohort.CURRENT, new Supporter("s-" + contractId, "山田 花子", contractId + "@example.org"), 3000, at),
        "reg-" + contractId);
  }
}
