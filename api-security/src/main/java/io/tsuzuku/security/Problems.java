package io.tsuzuku.security;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import org.springframework.beans.BeansException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** RFC 9457 problem details with tsuzuku's machine-readable {@code code}, the same in every API. */
public final class Problems {

  private Problems() {}

  public static ProblemDetail of(HttpStatus status, String code, String detail) {
    var problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(type(code));
    problem.setProperty("code", code);
    return problem;
  }

  /**
   * A refusal by Spring itself or by its codecs, as a 4xx problem: a body over the codec's limit
   * (413 {@code REQUEST_TOO_LARGE}), a query parameter the binder cannot map, such as {@code
   * status[$ne]} (400 {@code UNKNOWN_PARAMETER}), and every exception that carries its own 4xx
   * status ({@link ErrorResponse}: unreadable input, a path that matches nothing, a method not
   * allowed, an unsupported media type). Empty for anything else: an unexpected failure.
   */
  public static Optional<ProblemDetail> ofRefusal(Throwable failure) {
    for (var cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof DataBufferLimitException) {
        return Optional.of(of(HttpStatus.CONTENT_TOO_LARGE, "REQUEST_TOO_LARGE", "the request body is too large"));
      }
      if (cause instanceof BeansException || cause instanceof WebExchangeBindException) {
        return Optional.of(of(HttpStatus.BAD_REQUEST, "UNKNOWN_PARAMETER", "a query parameter is not one this endpoint knows"));
      }
    }
    if (failure instanceof ErrorResponse refusal) {
      var status = HttpStatus.resolve(refusal.getStatusCode().value());
      if (status != null && status.is4xxClientError()) {
        var code = switch (status) {
          case CONTENT_TOO_LARGE -> "REQUEST_TOO_LARGE";
          case NOT_FOUND -> "NOT_FOUND";
          case METHOD_NOT_ALLOWED -> "METHOD_NOT_ALLOWED";
          case UNSUPPORTED_MEDIA_TYPE -> "UNSUPPORTED_MEDIA_TYPE";
          case NOT_ACCEPTABLE -> "NOT_ACCEPTABLE";
          default -> "MALFORMED_REQUEST";
        };
        var reason = failure instanceof ResponseStatusException e && e.getReason() != null ? e.getReason() : status.getReasonPhrase();
        return Optional.of(of(status, code, code.equals("MALFORMED_REQUEST") ? "the request is malformed: " + reason : reason));
      }
    }
    return Optional.empty();
  }

  static URI type(String code) {
    return URI.create("https://tsuzuku.io/problems/" + code.toLowerCase(Locale.ROOT).replace('_', '-'));
  }
}
