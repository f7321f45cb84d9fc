package io.tsuzuku.status.adapter.in.web;

import io.tsuzuku.security.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import io.tsuzuku.status.application.AdminRequestException;
import org.springframework.beans.BeansException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.ResponseStatusException;

/** Every refusal as RFC 9457 problem details with a machine-readable {@code code}. */
@RestControllerAdvice
class ProblemResponses {

  private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

  @ExceptionHandler(ContractNotFoundException.class)
  ProblemDetail notFound(ContractNotFoundException e) {
    return problem(HttpStatus.NOT_FOUND, "CONTRACT_NOT_FOUND", "No such contract.");
  }

  @ExceptionHandler(RefundsController.RefundNotFoundException.class)
  ProblemDetail refundNotFound(RefundsController.RefundNotFoundException e) {
    return problem(HttpStatus.NOT_FOUND, "REFUND_NOT_FOUND", "No such refund owed.");
  }

  @ExceptionHandler(BadRequestException.class)
  ProblemDetail badRequest(BadRequestException e) {
    return problem(HttpStatus.BAD_REQUEST, e.code(), e.getMessage());
  }

  @ExceptionHandler(AdminRequestException.class)
  ProblemDetail refused(AdminRequestException e) {
    var status =
        switch (e.kind()) {
          case INVALID -> HttpStatus.BAD_REQUEST;
          case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
          case CONFLICT -> HttpStatus.UNPROCESSABLE_CONTENT;
        };
    return problem(status, e.code(), e.getMessage());
  }

  /** Spring's own refusals and the codecs' limits keep their 4xx status ({@link Problems#ofRefusal}). */
  @ExceptionHandler({ResponseStatusException.class, ErrorResponseException.class, DataBufferLimitException.class, BeansException.class})
  ProblemDetail refusedBySpring(Exception e) {
    return Problems.ofRefusal(e).orElseGet(() -> unexpected((RuntimeException) e));
  }

  /** Where an unexpected failure of an admin request is finally handled: logged once, a 500 problem. */
  @ExceptionHandler(RuntimeException.class)
  ProblemDetail unexpected(RuntimeException e) {
    var refusal = Problems.ofRefusal(e);
    if (refusal.isPresent()) {
      return refusal.get();
    }
    log.error("admin request failed reason='{}'", e.getMessage(), e);
    return problem(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "An unexpected error occurred; it was logged.");
  }

  static ProblemDetail problem(HttpStatus status, String code, String detail) {
    return Problems.of(status, code, detail);
  }
}
