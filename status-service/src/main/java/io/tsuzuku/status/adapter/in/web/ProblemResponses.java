package io.tsuzuku.status.adapter.in.web;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebInputException;

/** Every refusal as RFC 9457 problem details with a machine-readable {@code code}. */
@RestControllerAdvice
class ProblemResponses {

  @ExceptionHandler(ContractNotFoundException.class)
  ProblemDetail notFound(ContractNotFoundException e) {
    return problem(HttpStatus.NOT_FOUND, "CONTRACT_NOT_FOUND", "No such contract.");
  }

  @ExceptionHandler(BadRequestException.class)
  ProblemDetail badRequest(BadRequestException e) {
    return problem(HttpStatus.BAD_REQUEST, e.code(), e.getMessage());
  }

  @ExceptionHandler(ServerWebInputException.class)
  ProblemDetail badInput(ServerWebInputException e) {
    return problem(HttpStatus.BAD_REQUEST, "MALFORMED_REQUEST", e.getReason());
  }

  static ProblemDetail problem(HttpStatus status, String code, String detail) {
    var problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(URI.create("https://tsuzuku.io/problems/" + code.toLowerCase().replace('_', '-')));
    problem.setProperty("code", code);
    return problem;
  }
}
