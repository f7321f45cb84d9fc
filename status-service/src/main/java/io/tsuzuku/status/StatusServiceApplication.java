package io.tsuzuku.status;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The contract state machine, the only writer of contract-status-changed, and the administrators' API. */
@SpringBootApplication
public class StatusServiceApplication {

  public static void main(String[] args) {
    SpringApplication.run(StatusServiceApplication.class, args);
  }
}
