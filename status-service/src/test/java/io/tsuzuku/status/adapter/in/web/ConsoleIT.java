package io.tsuzuku.status.adapter.in.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import io.tsuzuku.standins.LocalIdentityProvider;
import io.tsuzuku.standins.LocalTokens;
import io.tsuzuku.status.application.Backtest;
import io.tsuzuku.status.application.ContractEvents;
import io.tsuzuku.status.application.RefundOwed;
import io.tsuzuku.status.application.port.HistoryReader;
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
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The admin console in a real browser (Debian's headless Chromium, driven by Selenium through
 * chromedriver): an administrator works through contracts in ERROR the way docs/admin-console.md describes.
 * The browser speaks English, as many administrators' do: the console is Japanese all the same,
 * its dates included. Each flow leaves a screenshot under target/console-screenshots, which CI keeps.
 */
@WithEmbeddedInfrastructure
// a deployment that kept the old label of RETRYING: the console shows the labels the API serves
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "tsuzuku.status.labels.RETRYING=再決済待ち")
class ConsoleIT {

  /**
   * The crm-sync-service's integration API, answering cross-origin as the service does for a
   * configured console; its answers are checked against the service's OpenAPI description.
   */
  private static final WireMockServer INTEGRATION_API = startIntegrationApi();

  /** The identity provider the console signs in through and whose tokens the service verifies. */
  private static final LocalIdentityProvider IDENTITY = LocalIdentityProvider.start(0, "nobody", "nobody");

  @DynamicPropertySource
  static void integrationApiAndIdentityProvider(DynamicPropertyRegistry properties) {
    properties.add("tsuzuku.admin.console.salesforce-api", INTEGRATION_API::baseUrl);
    properties.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", IDENTITY::issuer);
    properties.add("tsuzuku.admin.console.issuer", IDENTITY::issuer);
    properties.add("tsuzuku.admin.console.client-id", () -> LocalIdentityProvider.CONSOLE_CLIENT);
  }

  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  private static final LocalDate PERIOD = LocalDate.of(2025, 9, 1);
  private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
  private static final DateTimeFormatter JAPANESE_DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd");
  private static ChromeDriver browser;

  @LocalServerPort int port;
  @Autowired ContractEvents contracts;
  @Autowired RefundsOwed refunds;
  @Autowired HistoryReader history;
  @Autowired io.tsuzuku.status.application.StandingRetries standingPlans;
  @Autowired io.tsuzuku.status.application.ContactBudget contactBudget;

  private static final String ADMINISTRATOR = LocalTokens.READ + " " + LocalTokens.WRITE;

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
        "--lang=en-US", "--accept-lang=en-US", "--user-data-dir=" + Files.createTempDirectory("console-it-chromium"));
    // the browser's console, where a refusal by the Content-Security-Policy would show
    options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
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
    INTEGRATION_API.stop();
    IDENTITY.close();
  }

  private static WireMockServer startIntegrationApi() {
    var server = new WireMockServer(com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().dynamicPort().stubCorsEnabled(true));
    server.start();
    return server;
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
    // the tests run at any hour of the real clock: this organisation writes to its supporters at night too
    contactBudget.set(org, new io.tsuzuku.status.application.ContactBudget.Policy(10, 30, java.time.LocalTime.NOON,
        java.time.LocalTime.NOON));
    browser.get("about:blank"); // each test on a page loaded afresh, as a new tab
    signIn("admin@" + org, ADMINISTRATOR, Duration.ofHours(1));
    awaitSummary();
  }

  @Test
  void theSummaryComesFirstAndEachFigureLeadsToItsContracts() throws IOException {
    assertThat(browser.getCurrentUrl()).endsWith("#/summary");
    assertThat(tableRows("summary-status")).containsExactly(
        "継続中 1 件 ¥3,000", "再決済待ち 0 件 ¥0", "エラー 5 件 ¥15,000", "解約 0 件 ¥0");
    assertThat(tableRows("summary-error-age")).containsExactly(
        "1か月未満 3 件 ¥9,000", "1〜3か月 0 件 ¥0", "3〜6か月 0 件 ¥0", "6〜12か月 0 件 ¥0", "12か月以上 2 件 ¥6,000");
    assertThat(chartSeries("chart-error-age")).containsExactly(List.of(3L, 0L, 0L, 0L, 2L));
    assertThat(chartCategories("chart-error-age")).containsExactly("1か月未満", "1〜3か月", "3〜6か月", "6〜12か月", "12か月以上");
    assertThat(text("summary-retries-none")).isEqualTo("予定された手動リトライはありません。");
    assertThat(accessibilityViolations()).isEmpty();
    screenshot("summary");
    printed("summary");

    browser.findElement(By.cssSelector("#summary-error-age tbody tr:nth-child(5) a")).click();

    await().untilAsserted(() -> assertThat(contractIdsShown()).containsExactly(org + "-a-year-1", org + "-a-year-2"));
    var statusFilter = new Select(browser.findElement(By.id("filter-status")));
    assertThat(statusFilter.getFirstSelectedOption().getText()).isEqualTo("エラー");
    assertThat(statusFilter.getOptions()).extracting(WebElement::getText).containsExactly("すべて", "継続中", "再決済待ち", "エラー", "解約");
    assertThat(browser.findElement(By.id("filter-error-since-before")).getDomProperty("value"))
        .isEqualTo(today().minusMonths(12).format(JAPANESE_DATE));
    assertThat(accessibilityViolations()).isEmpty();
    screenshot("summary-followed-to-the-list");
  }

  @Test
  void theReportChartsRecoveriesByMonthAndPathAndManualRetriesByDayOfTheMonth() throws IOException {
    var anHourAgo = Instant.now().minus(Duration.ofHours(1));
    succeed(org + "-recent-1", ChargeKind.MANUAL_RETRY, anHourAgo);
    fail(org + "-recent-2", ChargeKind.MANUAL_RETRY, anHourAgo);
    succeed(org + "-recent-3", ChargeKind.SUPPORTER_REPAYMENT, anHourAgo);
    var dayOfMonth = anHourAgo.atZone(TOKYO).getDayOfMonth();

    click("nav-report");
    await().until(() -> !tableRows("report").isEmpty());

    assertThat(tableRows("report")).containsExactly("エラー 手動リトライ 1 件 ¥3,000", "エラー 支援者の再決済 1 件 ¥3,000");
    assertThat(chartCategories("chart-recoveries")).hasSize(12).last().isEqualTo(YearMonth.from(anHourAgo.atZone(TOKYO)).toString());
    var recoveries = chartSeries("chart-recoveries"); // automatic retry, manual retry, supporter re-payment: yen by month
    assertThat(recoveries.get(0)).containsOnly(0L);
    assertThat(recoveries.get(1)).last().isEqualTo(3000L);
    assertThat(recoveries.get(2)).last().isEqualTo(3000L);
    var days = chartSeries("chart-manual-days"); // attempts, then recoveries, by day of the month
    assertThat(chartCategories("chart-manual-days")).hasSize(31);
    assertThat(days.get(0).get(dayOfMonth - 1)).isEqualTo(2L);
    assertThat(days.get(1).get(dayOfMonth - 1)).isEqualTo(1L);
    assertThat(days.get(0).stream().mapToLong(Long::longValue).sum()).isEqualTo(2L);
    assertThat(accessibilityViolations()).isEmpty();
    screenshot("report");
  }

  @Test
  void theAnalyticsPageShowsRecoveryByDeclineByPathByAgeInErrorAndByTheMonthTheFailureBegan() throws IOException {
    var anHourAgo = twoRecoveriesAnHourAgo();
    var began = LocalDate.ofInstant(Instant.now().minus(Duration.ofDays(40)), TOKYO);
    var days = java.time.temporal.ChronoUnit.DAYS.between(began, LocalDate.ofInstant(anHourAgo, TOKYO)) + " 日";

    click("nav-analytics");
    await().until(() -> !tableRows("analytics-class").isEmpty());

    // the twelve months to today: the failures of 40 days ago, not those of 420 days ago
    assertThat(tableRows("analytics-class")).containsExactly("一時的な拒否 3 件 2 件 0 件 1 件 66.7% " + days + " " + days);
    assertThat(tableRows("analytics-code")).containsExactly("insufficient_funds 3 件 2 件 0 件 1 件 66.7% " + days + " " + days);
    assertThat(chartCategories("chart-analytics-class")).containsExactly("一時的な拒否");
    assertThat(String.valueOf(chartSeries("chart-analytics-class"))).isEqualTo("[[66.7]]");
    assertThat(tableRows("analytics-path")).containsExactly(
        "手動リトライ 1 件 33.3% " + days + " " + days + " ¥3,000", "支援者の再決済 1 件 33.3% " + days + " " + days + " ¥3,000");
    assertThat(chartCategories("chart-analytics-path")).containsExactly("手動リトライ", "支援者の再決済");
    // in ERROR 21 days after the failure, back 19 days later
    assertThat(tableRows("analytics-error")).containsExactly("1か月未満 2 件 66.7% " + days + " " + days + " ¥6,000");
    assertThat(tableRows("analytics-cohorts")).singleElement().asString()
        .startsWith(began.getYear() + "/" + String.format("%02d", began.getMonthValue()) + " 3 件 ");
    assertThat(chartSeries("chart-analytics-cohorts")).hasSize(1);
    assertThat(tableRows("analytics-groups")).first().asString().startsWith("新しい決済(毎週の自動リトライ) 3 件 2 件");
    assertThat(text("analytics-total")).startsWith("失敗 3 件のうち回復 2 件(66.7%)");
    assertThat(accessibilityViolations()).isEmpty();
    screenshot("analytics");
  }

  @Test
  void theBacktestPageReplaysTheFailuresWithoutRetriesBesideWhatHappenedAndPrintsForABoardMeeting() throws IOException {
    var anHourAgo = twoRecoveriesAnHourAgo();

    click("nav-backtest");
    await().until(() -> !browser.findElement(By.id("backtest-from")).getDomProperty("value").isEmpty());
    var retries = browser.findElement(By.id("backtest-retries"));
    retries.clear();
    retries.sendKeys("0");
    browser.findElement(By.cssSelector("#backtest-form button[type=submit]")).click();
    await().until(() -> browser.findElement(By.id("backtest-result")).isDisplayed());

    // without retries only the supporter's own re-payment comes back
    var month = YearMonth.from(anHourAgo.atZone(TOKYO));
    assertThat(tableRows("backtest-months")).last().isEqualTo(
        month.getYear() + "/" + String.format("%02d", month.getMonthValue()) + " 2 件 1 件 0 件 0 件 ¥6,000 ¥3,000");
    assertThat(chartSeries("chart-backtest")).hasSize(4);
    assertThat(chartSeries("chart-backtest").get(0)).last().isEqualTo(2L);
    assertThat(chartSeries("chart-backtest").get(1)).last().isEqualTo(1L);
    // the model's assumptions, each in Japanese
    assertThat(browser.findElements(By.cssSelector("#backtest-assumptions li"))).hasSize(Backtest.ASSUMPTIONS.size())
        .allSatisfy(li -> assertThat(li.getText()).matches(".*[ぁ-んァ-ン一-龥].*").doesNotContain("A card"));
    assertThat(text("backtest-total")).contains("失敗 3 件");
    assertThat(accessibilityViolations()).isEmpty();
    screenshot("backtest");

    browser.executeCdpCommand("Emulation.setEmulatedMedia", java.util.Map.of("media", "print"));
    try {
      assertThat(browser.findElement(By.id("backtest-form")).isDisplayed()).isFalse();
      assertThat(browser.findElement(By.cssSelector("#chart-backtest svg")).isDisplayed()).isTrue();
      assertThat(browser.findElement(By.id("backtest-months")).isDisplayed()).isTrue();
    } finally {
      browser.executeCdpCommand("Emulation.setEmulatedMedia", java.util.Map.of("media", ""));
    }
  }

  /**
   * A standing plan for the contracts a year in ERROR, made on the page: listed with its day, its
   * dry run says what its next run would retry and for how much, and it is paused and deleted there.
   */
  @Test
  void aStandingPlanIsMadePreviewedPausedAndDeletedOnThePlansPage() throws IOException {
    click("nav-plans");
    await().until(() -> browser.findElement(By.id("plans-empty")).isDisplayed());
    assertThat(browser.findElement(By.id("plan-nth")).isDisplayed()).as("only the day of the month's fields").isFalse();
    browser.findElement(By.id("plan-name")).sendKeys("給料日");
    var day = browser.findElement(By.id("plan-day"));
    day.clear();
    day.sendKeys("25");
    browser.findElement(By.id("plan-min-months")).sendKeys("12");
    browser.findElement(By.cssSelector("#plan-form button[type=submit]")).click();
    await().until(() -> tableRows("plans").size() == 1);
    var next = today().getDayOfMonth() < 25 ? today().withDayOfMonth(25) : today().plusMonths(1).withDayOfMonth(25);
    assertThat(tableRows("plans").get(0)).startsWith("給料日 毎月25日 10:00 エラーの契約(エラーになってから12か月以上) "
        + next.format(JAPANESE_DATE) + " 10:00 有効");
    assertThat(text("message")).isEqualTo("定期リトライを作成しました。");

    browser.findElement(By.cssSelector("#plans button[aria-label='給料日: 次回の試算']")).click();
    await().until(() -> browser.findElement(By.id("plan-preview")).isDisplayed());
    assertThat(text("plan-preview-summary")).isEqualTo("今の契約では、対象 2 件のうち 2 件をリトライします(¥6,000)。見送り 0 件。");
    browser.findElement(By.cssSelector("#plans button[aria-label='給料日: 実行履歴']")).click();
    await().until(() -> browser.findElement(By.id("plan-runs-empty")).isDisplayed());
    assertThat(accessibilityViolations()).isEmpty();
    screenshot("standing-plans");

    browser.findElement(By.cssSelector("#plans button[aria-label='給料日: 停止']")).click();
    await().until(() -> tableRows("plans").get(0).contains("停止中"));
    browser.executeScript("window.confirm = () => true");
    browser.findElement(By.cssSelector("#plans button[aria-label='給料日: 削除']")).click();
    await().until(() -> browser.findElement(By.id("plans-empty")).isDisplayed());
    assertThat(standingPlans.list(org)).isEmpty();
  }

  @Test
  void aSessionWhoseTokenExpiredSaysSoAndAsksToSignInAgain() throws IOException {
    click("sign-out");
    signIn("admin@" + org, ADMINISTRATOR, Duration.ofHours(-1)); // the provider's token has expired already
    await().until(() -> browser.findElement(By.id("sign-in")).isDisplayed() && !text("message").isEmpty());
    assertThat(text("message")).isEqualTo("セッションの有効期限が切れました。もう一度サインインしてください。");
    screenshot("session-expired");

    IDENTITY.signInAs(org, "admin@" + org, ADMINISTRATOR, Duration.ofSeconds(3));
    click("sign-in-button");
    awaitSummary();
    assertThat(browser.findElement(By.id("message")).isDisplayed()).isFalse();
    await().atMost(Duration.ofSeconds(20)).until(() -> browser.findElement(By.id("sign-in")).isDisplayed());
    assertThat(text("message")).isEqualTo("セッションの有効期限が切れました。もう一度サインインしてください。");
  }

  /**
   * The recent ERROR contracts are asked to re-pay from the list: previewed, confirmed, then shown
   * on the contract with the request in its history.
   */
  @Test
  void contractsInErrorAreAskedToRepayAndTheContractShowsTheRequest() {
    filter("ERROR", "");
    await().untilAsserted(() -> assertThat(contractIdsShown()).hasSize(5));

    click("select-all-matching");
    click("action-repayment-request");
    awaitPreview("再決済依頼 の確認(まだ実行していません)");
    assertThat(previewOutcomes()).containsExactly("送付", "送付", "送付", "送付", "送付");
    click("confirm");
    awaitPreview("再決済依頼 の結果");

    browser.findElement(By.linkText(org + "-recent-1")).click();
    await().until(() -> text("detail-id").equals(org + "-recent-1") && !text("detail-repayment-requests").equals("なし"));
    assertThat(text("detail-repayment-requests")).isEqualTo(today().format(JAPANESE_DATE) + "(計1回)");
    assertThat(tableRows("history")).anySatisfy(row -> assertThat(row).contains("再決済依頼の送付", "admin@" + org));
  }

  @Test
  void aYearInErrorGetsAFinalNoticeThenIsCancelledWithAReason() throws IOException {
    filter("ERROR", "P1Y");
    await().untilAsserted(() -> assertThat(contractIdsShown()).containsExactly(org + "-a-year-1", org + "-a-year-2"));

    click("select-all-matching");
    assertThat(text("selection-summary")).isEqualTo("条件に一致するすべての契約を選択中");
    click("action-final-notice");
    awaitPreview("解約前の最終案内 の確認(まだ実行していません)");
    assertThat(previewOutcomes()).containsExactly("送付", "送付");
    click("confirm");
    awaitPreview("解約前の最終案内 の結果");
    var noticeDay = today().format(JAPANESE_DATE);
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
  void twoContractsInErrorGetAManualRetryOnADateTypedInJapaneseFormatInAnEnglishBrowser() throws IOException {
    assertThat((String) browser.executeScript("return navigator.language")).startsWith("en");
    filter("ERROR", "");
    await().untilAsserted(() -> assertThat(rows()).hasSize(5));
    var retryOn = today().plusDays(7);

    checkRow(org + "-recent-1");
    checkRow(org + "-recent-2");
    assertThat(text("selection-summary")).isEqualTo("2 件を選択中");
    var date = browser.findElement(By.id("retry-on"));
    assertThat(date.getDomAttribute("placeholder")).isEqualTo("2027/05/25");
    date.sendKeys("2027/02/30");
    click("action-manual-retry");
    await().until(() -> browser.findElement(By.id("message")).isDisplayed());
    assertThat(text("message")).isEqualTo("日付は 2027/05/25 の形で入力してください(「2027/02/30」)。");
    assertThat(date.getDomAttribute("aria-invalid")).isEqualTo("true");
    assertThat(browser.findElement(By.id("preview")).isDisplayed()).isFalse();
    date.clear();
    date.sendKeys(retryOn.format(JAPANESE_DATE));
    click("action-manual-retry");
    awaitPreview("手動リトライ の確認(まだ実行していません)");
    assertThat(previewOutcomes()).containsExactly("予約", "予約");
    click("confirm");
    awaitPreview("手動リトライ の結果");

    browser.findElement(By.linkText(org + "-recent-1")).click();
    await().until(() -> text("detail-id").equals(org + "-recent-1") && !text("detail-pending-manual-retry").isEmpty());
    assertThat(text("detail-pending-manual-retry")).isEqualTo(retryOn.format(JAPANESE_DATE) + " 10:00");
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
    refunds.record(RefundOwed.required(org + "-recent-2:2026-10-01:SCHEDULED:0", org + "-recent-2", org, LocalDate.of(2026, 10, 1),
        3000, "pi_456", chargedAt.minusSeconds(60), "period_already_paid", chargedAt));
    reload();
    await().until(() -> tableRows("refunds").size() == 2);
    assertThat(tableRows("refunds").get(0)).contains("返金済み", "re_1").doesNotContain("返金済みにする");
    assertThat(tableRows("refunds").get(1)).contains(org + "-recent-2", "同じ期間が二重に決済されました", "未返金", "返金済みにする")
        .doesNotContain("確定する");
    assertThat(accessibilityViolations()).isEmpty();

    browser.findElement(By.cssSelector("#refunds button.settle")).click();
    assertThat(browser.findElement(By.cssSelector("#refunds button.settle")).isDisplayed()).isFalse();
    browser.findElement(By.cssSelector("#refunds button.settle-confirm")).click();

    await().untilAsserted(() -> assertThat(tableRows("refunds").get(1)).contains("対応済み", "admin@" + org));
    assertThat(browser.findElements(By.cssSelector("#refunds button.settle"))).isEmpty();
    assertThat(refunds.ofOrganisation(org)).filteredOn(r -> r.contractId().equals(org + "-recent-2"))
        .singleElement().satisfies(r -> assertThat(r.settledBy()).isEqualTo("admin@" + org));
    screenshot("refunds-owed");
  }

  @Test
  void aReadOnlyTokenSeesTheContractsButNoBulkOperation() throws IOException {
    var chargedAt = Instant.now().minus(Duration.ofDays(2));
    refunds.record(RefundOwed.required(org + "-recent-1:2026-10-01:MANUAL_RETRY:4", org + "-recent-1", org, LocalDate.of(2026, 10, 1),
        3000, "pi_123", chargedAt, "charged_after_cancellation", chargedAt));
    click("sign-out");
    signIn("viewer@" + org, LocalTokens.READ, Duration.ofHours(1));
    awaitSummary();
    click("nav-refunds");
    await().until(() -> tableRows("refunds").size() == 1);
    assertThat(tableRows("refunds").get(0)).contains("未返金");
    assertThat(browser.findElements(By.cssSelector("#refunds button.settle"))).isEmpty();
    click("nav-contracts");
    await().until(() -> !rows().isEmpty());

    assertThat(text("org-name")).contains("閲覧のみ");
    assertThat(browser.findElement(By.cssSelector("section.actions")).isDisplayed()).isFalse();
    assertThat(browser.findElement(By.id("select-all-matching")).isDisplayed()).isFalse();
    assertThat(contractIdsShown()).contains(org + "-active");
    screenshot("read-only");
  }

  @Test
  void aPageCaughtBeforeItsDataArrivesSaysItIsLoadingAndAnEmptyReportSaysSo() throws IOException {
    holdRequests();
    click("nav-report");
    await().until(() -> browser.findElement(By.id("loading")).isDisplayed());

    assertThat(text("loading")).isEqualTo("読み込み中…");
    assertThat(browser.findElement(By.id("main")).getDomAttribute("aria-busy")).isEqualTo("true");
    assertThat(browser.findElement(By.id("report-empty")).isDisplayed()).isFalse();
    screenshot("loading");

    releaseRequests();
    await().until(() -> browser.findElement(By.id("report-empty")).isDisplayed());
    assertThat(text("report-empty")).isEqualTo("この期間に回復した契約はありません。");
    assertThat(text("report-manual-days-empty")).isEqualTo("この期間に手動リトライはありません。");
    assertThat(browser.findElement(By.id("report")).isDisplayed()).isFalse();
    assertThat(browser.findElement(By.id("loading")).isDisplayed()).isFalse();
    assertThat(browser.findElement(By.id("main")).getDomAttribute("aria-busy")).isEqualTo("false");
    assertThat(browser.findElement(By.id("report-from")).getDomProperty("value")).matches("\\d{4}/\\d{2}/01");
    assertThat(accessibilityViolations()).isEmpty();
    screenshot("report-without-data");
  }

  /**
   * A page's link opened without a session leads there through the identity provider (the code
   * flow with PKCE); the navigation shows only once signed in; neither the code nor the token is
   * left in the address, and the token is kept in no storage.
   */
  @Test
  void aLinkToAPageLeadsThereThroughSignInWithTheNavigationShownOnlyOnceSignedIn() throws IOException {
    click("sign-out");
    await().until(() -> browser.findElement(By.id("sign-in")).isDisplayed());
    assertThat(browser.findElement(By.cssSelector("header nav")).isDisplayed()).isFalse();

    open("#/contracts/" + org + "-recent-1");
    await().until(() -> browser.findElement(By.id("sign-in")).isDisplayed());
    assertThat(browser.findElement(By.cssSelector("header nav")).isDisplayed()).isFalse();
    screenshot("sign-in");
    click("sign-in-button");

    await().until(() -> text("detail-id").equals(org + "-recent-1") && !tableRows("history").isEmpty());
    assertThat(browser.getCurrentUrl()).endsWith("/console/#/contracts/" + org + "-recent-1").doesNotContain("code=");
    assertThat(browser.findElement(By.cssSelector("header nav")).isDisplayed()).isTrue();
    assertThat((String) browser.executeScript("return JSON.stringify(sessionStorage) + JSON.stringify(localStorage) + document.cookie"))
        .as("no token kept in the browser's storage").doesNotContain("eyJ");
  }

  /** The console's responses allow its own scripts only, and calls to this service, the integration API and the identity provider. */
  @Test
  void theConsoleIsServedWithAContentSecurityPolicy() throws Exception {
    var page = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + port + "/console/")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    var policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(policy).contains("script-src 'self';", "frame-ancestors 'none'", "object-src 'none'")
        .contains("connect-src 'self' " + INTEGRATION_API.baseUrl() + " " + IDENTITY.issuer().replace("/" + LocalIdentityProvider.ISSUER_ID, ""));
    assertThat(browser.manage().logs().get("browser").getAll()).as("nothing the policy refused")
        .noneMatch(entry -> entry.getMessage().contains("Content Security Policy"));
  }

  @Test
  void theHistoryShowsTheConfiguredLabelsAndSaysWhenAnEventChangedNothing() throws IOException {
    fail(org + "-recent-1", ChargeKind.MANUAL_RETRY, Instant.now().minus(Duration.ofHours(1)));
    // the relay appends the history after it published the event: the page shows what is appended
    await().until(() -> history.historyOf(org + "-recent-1").stream().anyMatch(entry -> entry.eventId().equals("f2-" + org + "-recent-1")));

    open("#/contracts/" + org + "-recent-1");
    await().untilAsserted(() -> assertThat(browser.findElements(By.cssSelector("#history tbody tr td:nth-child(4)")).stream()
        .map(WebElement::getText)).containsExactly("→ 継続中", "継続中 → 再決済待ち", "再決済待ち → エラー", "変化なし(エラーのまま)"));
    assertThat(browser.findElements(By.cssSelector("#history tbody tr.unchanged"))).singleElement()
        .satisfies(row -> assertThat(row.getText()).contains("手動リトライの失敗"));
    assertThat(accessibilityViolations()).isEmpty();
    screenshot("history");
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

  /** The page's requests wait, as on a slow network, until {@link #releaseRequests()}. */
  /**
   * The administrator opens Salesforce連携: what is wrong comes first with what to do, the records
   * Salesforce did not take are listed, the connection is checked on request, the settings are
   * saved with what the form does not show kept, and the setup guide is one link away.
   */
  @Test
  void theSalesforcePageSaysWhatIsWrongChecksTheConnectionSavesTheSettingsAndLinksTheGuide() throws Exception {
    INTEGRATION_API.resetAll();
    var settings = integrationAnswer("SettingsView", """
        {"orgId": "%s", "revision": 3, "loginUrl": "https://tsuzuku-demo.my.salesforce.com", "clientId": "3MVG9demo",
         "clientSecretSet": true, "objectApiName": "Recurring_Contract__c", "externalIdField": "Tsuzuku_Contract_Id__c",
         "statusField": "Status__c", "statusReasonField": null, "mode": "LEGACY",
         "values": {"LEGACY": {"ACTIVE": {"status": "継続中", "reason": null}, "ERROR": {"status": "再決済待ち", "reason": null}}},
         "extraFields": {"errorSince": "Error_Since__c", "lastFailure": null, "nextRetry": null},
         "sync": {"pending": 3, "rejected": 1, "pausedUntil": null, "waitingForSettings": true, "failuresInARow": 1,
                  "lastError": "INVALID_FIELD 400: INVALID_FIELD No such column 'Status__c' on entity 'Recurring_Contract__c'.",
                  "lastErrorAt": "2026-12-01T03:00:00Z", "lastCallAt": "2026-12-01T03:00:00Z", "apiCallsUsed": 12,
                  "apiCallsLimit": 15000, "reconfiguration": null}}""".formatted(org));
    INTEGRATION_API.stubFor(WireMock.get("/api/orgs/" + org + "/salesforce").willReturn(WireMock.okJson(settings)));
    INTEGRATION_API.stubFor(WireMock.put("/api/orgs/" + org + "/salesforce").willReturn(WireMock.okJson(settings)));
    INTEGRATION_API.stubFor(WireMock.get(WireMock.urlPathEqualTo("/api/orgs/" + org + "/salesforce/rejections"))
        .willReturn(WireMock.okJson(integrationAnswer("RejectionPage", """
            {"items": [{"contractId": "%s-recent-1", "status": "ERROR", "version": 4, "record": {"Status__c": "再決済待ち"},
              "written": null, "writtenAt": null, "pending": true,
              "rejection": {"code": "NOT_IN_SALESFORCE", "message": "No Recurring_Contract__c record has Tsuzuku_Contract_Id__c = %s-recent-1",
                            "hint": "tsuzuku does not create records: create or link the record, then resend", "attempts": 2,
                            "rejectedAt": "2026-12-01T03:00:00Z", "nextAttemptAt": "2026-12-01T04:00:00Z"}}],
             "nextCursor": null}""".formatted(org, org)))));
    INTEGRATION_API.stubFor(WireMock.post("/api/orgs/" + org + "/salesforce/check").willReturn(WireMock.okJson(integrationAnswer("CheckView", """
        {"connected": false, "code": "INVALID_FIELD", "message": "400: INVALID_FIELD No such column 'Status__c' on entity 'Recurring_Contract__c'.",
         "objectApiName": "Recurring_Contract__c", "checkedAt": "2026-12-01T03:05:00Z", "apiCallsUsed": null, "apiCallsLimit": null}"""))));

    click("nav-salesforce");
    await().until(() -> !tableRows("salesforce-rejections").isEmpty());

    assertThat(text("salesforce-verdict")).contains("設定を受け付けませんでした", "No such column 'Status__c'", "保存すると、同期を再開します");
    assertThat(tableRows("salesforce-rejections")).singleElement().satisfies(row -> assertThat(row)
        .contains(org + "-recent-1", "NOT_IN_SALESFORCE", "create or link the record", "2"));
    assertThat(browser.findElement(By.id("sf-status-field")).getAttribute("value")).isEqualTo("Status__c");
    assertThat(browser.findElement(By.id("sf-preset-label")).isDisplayed()).as("an integration's object is edited by name").isFalse();
    assertThat(accessibilityViolations()).isEmpty();
    screenshot("salesforce");

    click("salesforce-check");
    await().until(() -> browser.findElement(By.id("salesforce-check-result")).isDisplayed());
    assertThat(text("salesforce-check-result")).contains("接続できませんでした", "項目が見つかりません", "INVALID_FIELD");

    var statusField = browser.findElement(By.id("sf-status-field"));
    statusField.clear();
    statusField.sendKeys("Contract_Status__c");
    click("salesforce-save");
    await().until(() -> text("message").contains("保存しました"));
    var sent = INTEGRATION_API.findAll(WireMock.putRequestedFor(WireMock.urlEqualTo("/api/orgs/" + org + "/salesforce")));
    assertThat(sent).singleElement().satisfies(put -> {
      assertThat(put.getHeader("Authorization")).startsWith("Bearer ");
      var body = JSON.readTree(put.getBodyAsString());
      assertThat(body.path("statusField").asString()).isEqualTo("Contract_Status__c");
      assertThat(body.path("clientSecret").isNull()).as("the stored secret is kept").isTrue();
      assertThat(body.path("preset").asString()).isEqualTo("CUSTOM");
      assertThat(body.path("values").path("LEGACY").path("ERROR").path("status").asString()).as("what the form does not show, kept")
          .isEqualTo("再決済待ち");
      assertThat(body.path("extraFields").path("errorSince").asString()).isEqualTo("Error_Since__c");
      assertThat(body.path("revision").asLong()).as("the revision read: a change made meanwhile is not undone").isEqualTo(3);
    });

    INTEGRATION_API.stubFor(WireMock.get("/api/orgs/" + org + "/salesforce").willReturn(WireMock.okJson(integrationAnswer("SettingsView",
        settings.replace("\"pausedUntil\": null, \"waitingForSettings\": true", "\"pausedUntil\": \"2026-12-01T03:30:00Z\", \"waitingForSettings\": false")
            .replace("INVALID_FIELD 400: INVALID_FIELD No such column 'Status__c' on entity 'Recurring_Contract__c'.", "503: Service Unavailable")))));
    reload();
    await().until(() -> text("salesforce-verdict").contains("503"));
    assertThat(text("salesforce-verdict")).contains("2026/12/01 12:30 まで Salesforce への送信を止めています", "自動で再開します");

    var guide = browser.findElement(By.id("guide-setup"));
    guide.click();
    await().until(() -> browser.getCurrentUrl().endsWith("/console/guides/salesforce-setup"));
    assertThat(browser.findElement(By.tagName("h1")).getText()).startsWith("Setting up Salesforce");
    assertThat(browser.findElements(By.cssSelector("main.guide h2")).stream().map(WebElement::getText))
        .contains("3. The app (External Client App)", "5. Check the connection");
    assertThat(accessibilityViolations()).isEmpty();
    screenshot("salesforce-setup-guide");
    browser.findElement(By.cssSelector("a[href=\"/console/guides/salesforce-mapping#api\"]")).click(); // between the guides, to a heading
    await().until(() -> browser.getCurrentUrl().endsWith("/console/guides/salesforce-mapping#api"));
    assertThat(browser.findElement(By.id("api")).getText()).isEqualTo("API");
    browser.findElement(By.linkText("Salesforce連携に戻る")).click();
    // a page loaded afresh: the token was in the console's memory, so it signs in again and comes back here
    await().until(() -> browser.findElement(By.id("sign-in")).isDisplayed());
    click("sign-in-button");
    await().until(() -> browser.findElement(By.id("salesforce-view")).isDisplayed());
  }

  private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

  /** A stub answer of the integration API, checked against the service's OpenAPI description first. */
  private static String integrationAnswer(String schema, String json) throws IOException {
    var description = JSON.readTree(Files.readString(Path.of("..", "docs", "openapi", "crm-sync-service.json")));
    var unknown = new java.util.ArrayList<String>();
    undescribed(description, description.path("components").path("schemas").path(schema), JSON.readTree(json), "$", unknown);
    assertThat(unknown).as("properties the crm-sync-service's API does not have").isEmpty();
    return json;
  }

  private static void undescribed(tools.jackson.databind.JsonNode description, tools.jackson.databind.JsonNode schema,
      tools.jackson.databind.JsonNode value, String at, List<String> unknown) {
    while (schema.has("$ref")) {
      schema = description.at(schema.path("$ref").asString().substring(1));
    }
    if (value.isObject()) {
      for (var property : value.properties()) {
        var described = schema.path("properties").get(property.getKey());
        if (described == null && schema.path("additionalProperties").isObject()) {
          described = schema.path("additionalProperties");
        }
        if (described == null) {
          unknown.add(at + "." + property.getKey());
        } else {
          undescribed(description, described, property.getValue(), at + "." + property.getKey(), unknown);
        }
      }
    } else if (value.isArray()) {
      for (var item : value) {
        undescribed(description, schema.path("items"), item, at + "[]", unknown);
      }
    }
  }

  private void holdRequests() {
    browser.executeScript("const realFetch = window.fetch; window.heldRequests = [];"
        + "window.fetch = (...args) => new Promise((resolve, reject) => window.heldRequests.push(() => realFetch(...args).then(resolve, reject)));"
        + "window.releaseRequests = () => { window.fetch = realFetch; window.heldRequests.splice(0).forEach((go) => go()); };");
  }

  private void releaseRequests() {
    browser.executeScript("window.releaseRequests()");
  }

  /** Signs in through the identity provider as {@code org}'s {@code subject} with {@code scope}, the token valid for {@code validity}. */
  private void signIn(String subject, String scope, Duration validity) {
    IDENTITY.signInAs(org, subject, scope, validity);
    open("");
    await().until(() -> browser.findElement(By.id("sign-in")).isDisplayed());
    click("sign-in-button");
  }

  /** The page loaded again: the token lived in its memory, so it signs in again and comes back to the same page. */
  private void reload() {
    browser.navigate().refresh();
    await().until(() -> browser.findElement(By.id("sign-in")).isDisplayed());
    click("sign-in-button");
  }

  /**
   * Waits on the page: an element found while the console redraws it can be replaced before it is
   * read, and is then looked up again rather than failing the wait.
   */
  private static ConditionFactory await() {
    return Awaitility.await().ignoreException(StaleElementReferenceException.class);
  }

  private void open(String fragment) {
    browser.get("http://127.0.0.1:" + port + "/console/" + fragment);
  }

  private void awaitSummary() {
    await().until(() -> browser.findElement(By.id("summary-view")).isDisplayed()
        && !browser.findElements(By.cssSelector("#summary-status tbody tr")).isEmpty());
  }

  private void filter(String status, String errorFor) {
    if (!browser.findElement(By.id("filters")).isDisplayed()) {
      click("nav-contracts");
      await().until(() -> browser.findElement(By.id("filters")).isDisplayed());
    }
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

  /** The texts of a table's body rows, cells joined by a space. */
  private List<String> tableRows(String tableId) {
    return browser.findElements(By.cssSelector("#" + tableId + " tbody tr")).stream()
        .map(row -> String.join(" ", row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList()))
        .toList();
  }

  /** What a chart draws, read from the chart itself: each series' values. */
  @SuppressWarnings("unchecked")
  private List<List<Long>> chartSeries(String id) {
    return (List<List<Long>>) browser.executeScript(
        "return echarts.getInstanceByDom(document.getElementById(arguments[0])).getOption().series.map(s => s.data)", id);
  }

  @SuppressWarnings("unchecked")
  private List<String> chartCategories(String id) {
    return ((List<Object>) browser.executeScript(
        "return echarts.getInstanceByDom(document.getElementById(arguments[0])).getOption().xAxis[0].data", id))
        .stream().map(String::valueOf).toList();
  }

  /** The serious and critical findings of axe-core's WCAG 2.1 A and AA rules on the page as it is now. */
  @SuppressWarnings("unchecked")
  private List<String> accessibilityViolations() throws IOException {
    try (var axe = ConsoleIT.class.getResourceAsStream("/axe.min.js")) {
      browser.executeScript(new String(axe.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
    return (List<String>) browser.executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })"
            + "  .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')"
            + "    .map(v => v.id + ': ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))))"
            + "  .catch(e => done(['axe did not run: ' + e]));");
  }

  /** The whole page, not only the window: the window grows to the page's height for the picture. */
  private void screenshot(String name) throws IOException {
    var window = browser.manage().window();
    var size = window.getSize();
    var height = ((Number) browser.executeScript("return document.documentElement.scrollHeight")).intValue();
    window.setSize(new Dimension(size.getWidth(), Math.min(Math.max(height + 140, size.getHeight()), 4000)));
    var file = browser.getScreenshotAs(OutputType.FILE);
    window.setSize(size);
    Files.copy(file.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  /** The page as paper shows it: the print style leaves the figures and charts, not the controls. */
  private void printed(String name) throws IOException {
    browser.executeCdpCommand("Emulation.setEmulatedMedia", java.util.Map.of("media", "print"));
    try {
      assertThat(browser.findElement(By.cssSelector("header nav")).isDisplayed()).isFalse();
      assertThat(browser.findElement(By.cssSelector("#chart-error-age svg")).isDisplayed()).isTrue();
      assertThat(browser.findElement(By.id("summary-status")).isDisplayed()).isTrue();
    } finally {
      browser.executeCdpCommand("Emulation.setEmulatedMedia", java.util.Map.of("media", ""));
    }
    var pdf = browser.print(new org.openqa.selenium.print.PrintOptions());
    Files.write(SCREENSHOTS.resolve(name + ".pdf"), java.util.Base64.getDecoder().decode(pdf.getContent()));
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

  /**
   * recent-1 back by a manual retry and recent-3 by the supporter's re-payment an hour ago, once
   * both are in the history (the analytics are kept for the day: a page opened before would keep
   * what it saw); answers when.
   */
  private Instant twoRecoveriesAnHourAgo() {
    var anHourAgo = Instant.now().minus(Duration.ofHours(1));
    succeed(org + "-recent-1", ChargeKind.MANUAL_RETRY, anHourAgo);
    succeed(org + "-recent-3", ChargeKind.SUPPORTER_REPAYMENT, anHourAgo);
    for (var recovered : List.of(org + "-recent-1", org + "-recent-3")) {
      await().until(() -> history.historyOf(recovered).stream().anyMatch(h -> h.trigger().equals("PAYMENT_SUCCEEDED")));
    }
    return anHourAgo;
  }

  private void succeed(String contractId, ChargeKind kind, Instant at) {
    contracts.apply(contractId, new ContractEvent.PaymentSucceeded("s-" + contractId, at,
        new Attempt(contractId + ":" + PERIOD + ":" + kind + ":5", PERIOD, kind, 5), 3000));
  }

  private void fail(String contractId, ChargeKind kind, Instant at) {
    contracts.apply(contractId, new ContractEvent.PaymentFailed("f2-" + contractId, at,
        new Attempt(contractId + ":" + PERIOD + ":" + kind + ":5", PERIOD, kind, 5), 3000,
        new Failure("insufficient_funds", "SOFT_DECLINE", at)));
  }

  private void register(String contractId, Instant at) {
    var orgId = contractId.startsWith("org-elsewhere") ? contractId : org;
    contracts.register(
        Contract.register(contractId, orgId, Cohort.CURRENT, new Supporter("s-" + contractId, "山田 花子", contractId + "@example.org"), 3000, at),
        "reg-" + contractId);
  }
}
