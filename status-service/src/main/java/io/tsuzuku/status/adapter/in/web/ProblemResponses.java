package io.tsuzuku.status.adapter.in.web;

import io.tsuzuku.security.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebInputException;
import io.tsuzuku.status.application.AdminRequestException;
import org.springframework.beans.BeansException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.ResponseStatusException;

/** Every refusal as RFC 9457 problem details with a machine-readable {@code code}. */
@RestControllerAdvice
class ProblemResponses {

  private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

  @ExceptionHandler(ContractNotFoundException.class)
  ProblemDetail notFound(ContractNotFoundException e) {
    return problem(HttpStatus.NOT_FOUND, "CONTRACT_NOT_FOUND", "No such contract.");
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

  @ExceptionHandler(DataBufferLimitException.class)
  ProblemDetail tooLarge(DataBufferLimitException e) {
    return problem(HttpStatus.CONTENT_TOO_LARGE, "REQUEST_TOO_LARGE", "the request body is too large");
  }

  /** A query parameter the binder cannot map (a property path such as {@code status[$ne]}). */
  @ExceptionHandler({BeansException.class, WebExchangeBindException.class})
  ProblemDetail unknownParameter(Exception e) {
    return problem(HttpStatus.BAD_REQUEST, "UNKNOWN_PARAMETER", "a query parameter is not one this endpoint knows");
  }

  /**
   * Spring's own refusals (a body over the codec's limit, an unsupported media type, a method not
   * allowed, a path that matches nothing) keep their 4xx status, as problem details with a code.
   */
  @ExceptionHandler({ResponseStatusException.class, ErrorResponseException.class})
  ProblemDetail spring(Exception e) {
    var status = HttpStatus.resolve(((ErrorResponse) e).getStatusCode().value());
    if (status == null || status.is5xxServerError()) {
      return unexpected((RuntimeException) e);
    }
    var code = switch (status) {
      case CONTENT_TOO_LARGE -> "REQUEST_TOO_LARGE";
      case NOT_FOUND -> "NOT_FOUND";
      case METHOD_NOT_ALLOWED -> "METHOD_NOT_ALLOWED";
      case UNSUPPORTED_MEDIA_TYPE -> "UNSUPPORTED_MEDIA_TYPE";
      case NOT_ACCEPTABLE -> "NOT_ACCEPTABLE";
      default -> "MALFORMED_REQUEST";
    };
    return problem(status, code, ((ErrorResponse) e).getBody().getDetail() == null ? status.getReasonPhrase()
        : ((ErrorResponse) e).getBody().getDetail());
  }

  @ExceptionHandler(ServerWebInputException.class)
  ProblemDetail badInput(ServerWebInputException e) {
    if (causedBy(e, DataBufferLimitException.class)) {
      return problem(HttpStatus.CONTENT_TOO_LARGE, "REQUEST_TOO_LARGE", "the request body is too large");
    }
    return problem(HttpStatus.BAD_REQUEST, "MALFORMED_REQUEST",
        "the request is malformed: " + (e.getReason() == null ? "unreadable" : e.getReason()));
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (var cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }

  /** Where an unexpected failure of an admin request is finally handled: logged once, a 500 problem. */
  @ExceptionHandler(RuntimeException.class)
  ProblemDetail unexpected(RuntimeException e) {
    if (causedBy(e, DataBufferLimitException.class)) {
      return problem(HttpStatus.CONTENT_TOO_LARGE, "REQUEST_TOO_LARGE", "the request body is too large");
    }
    log.error("admin request failed reason='{}'", e.getMessage(), e);
    return problem(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "An unexpected error occurred; it was logged.");
  }

  static ProblemDetail problem(HttpStatus status, String code, String detail) {
    return Problems.of(status, code, detail);
  }
}
