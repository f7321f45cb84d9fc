package io.tsuzuku.status.adapter.in.web;

import io.tsuzuku.security.CommonProblemResponses;
import io.tsuzuku.security.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Every refusal as RFC 9457 problem details with a machine-readable {@code code}; the common ones from {@link CommonProblemResponses}. */
@RestControllerAdvice
class ProblemResponses extends CommonProblemResponses {

  @ExceptionHandler(ContractNotFoundException.class)
  ProblemDetail notFound(ContractNotFoundException e) {
    return problem(HttpStatus.NOT_FOUND, "CONTRACT_NOT_FOUND", "No such contract.");
  }

  @ExceptionHandler(RefundsController.RefundNotFoundException.class)
  ProblemDetail refundNotFound(RefundsController.RefundNotFoundException e) {
    return problem(HttpStatus.NOT_FOUND, "REFUND_NOT_FOUND", "No such refund owed.");
  }

  static ProblemDetail problem(HttpStatus status, String code, String detail) {
    return Problems.of(status, code, detail);
  }
}
