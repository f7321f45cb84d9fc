package io.tsuzuku.crmsync.adapter.out.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

/** What the sync keeps of a failed call: Salesforce's own words, never another server's page. */
class SalesforceErrorTest {

  @org.junit.jupiter.api.Test
  void anErrorKeepsSalesforcesCodeAndMessageNeverAForeignBody() {
    assertThat(SalesforceRestClient.salesforceError("[{\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\",\"message\":\"TotalRequests Limit exceeded.\"}]"))
        .isEqualTo("REQUEST_LIMIT_EXCEEDED TotalRequests Limit exceeded.");
    assertThat(SalesforceRestClient.salesforceError("<html>internal admin page: db password hunter2</html>"))
        .isEqualTo("not a Salesforce error answer");
    assertThat(SalesforceRestClient.salesforceError("{\"errorCode\":\"<script>\",\"message\":\"x\"}"))
        .isEqualTo("not a Salesforce error answer");
  }
}
