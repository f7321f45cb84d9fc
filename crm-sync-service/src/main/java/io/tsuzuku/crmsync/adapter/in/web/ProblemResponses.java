package io.tsuzuku.crmsync.adapter.in.web;

import io.tsuzuku.crmsync.application.SettingsException;
import io.tsuzuku.security.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.beans.BeansException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.ResponseStatusException;

/** Every refusal as RFC 9457 problem details with a machine-readable {@code code}. */
@RestControllerAdvice
class ProblemResponses {

  private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

  @ExceptionHandler(SettingsException.class)
  ProblemDetail refused(SettingsException e) {
    var status =
        switch (e.kind()) {
          case INVALID -> HttpStatus.BAD_REQUEST;
          case NOT_FOUND -> HttpStatus.NOT_FOUND;
          case CONFLICT -> HttpStatus.CONFLICT;
        };
    return Problems.of(status, e.code(), e.getMessage());
  }

  /** Spring's own refusals and the codecs' limits keep their 4xx status ({@link Problems#ofRefusal}). */
  @ExceptionHandler({ResponseStatusException.class, ErrorResponseException.class, DataBufferLimitException.class, BeansException.class})
  ProblemDetail refusedBySpring(Exception e) {
    return Problems.ofRefusal(e).orElseGet(() -> unexpected((RuntimeException) e));
  }

  /** Where an unexpected failure of a request is finally handled: logged once, a 500 problem. */
  @ExceptionHandler(RuntimeException.class)
  ProblemDetail unexpected(RuntimeException e) {
    var refusal = Problems.ofRefusal(e);
    if (refusal.isPresent()) {
      return refusal.get();
    }
    log.error("integration request failed reason='{}'", e.getMessage(), e);
    return Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "An unexpected error occurred; it was logged.");
  }
}
