package io.tsuzuku.crmsync.adapter.in.web;

import io.tsuzuku.crmsync.application.SettingsException;
import io.tsuzuku.security.CommonProblemResponses;
import io.tsuzuku.security.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Every refusal as RFC 9457 problem details with a machine-readable {@code code}; the common ones from {@link CommonProblemResponses}. */
@RestControllerAdvice
class ProblemResponses extends CommonProblemResponses {

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
}
