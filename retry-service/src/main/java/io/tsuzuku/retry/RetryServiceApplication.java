package io.tsuzuku.retry;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Weekly automatic retries, manual retries on a chosen date and legacy re-payment deadlines, on a durable multi-instance scheduler. */
@SpringBootApplication
public class RetryServiceApplication {

  public static void main(String[] args) {
    SpringApplication.run(RetryServiceApplication.class, args);
  }
}
