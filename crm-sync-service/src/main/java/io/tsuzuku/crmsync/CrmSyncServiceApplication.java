package io.tsuzuku.crmsync;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Mirrors contract statuses into each organisation's Salesforce org. */
@SpringBootApplication
public class CrmSyncServiceApplication {

  public static void main(String[] args) {
    SpringApplication.run(CrmSyncServiceApplication.class, args);
  }
}
