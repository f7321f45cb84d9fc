package io.tsuzuku.security;

import java.net.URI;
import java.util.Locale;
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

  static URI type(String code) {
    return URI.create("https://tsuzuku.io/problems/" + code.toLowerCase(Locale.ROOT).replace('_', '-'));
  }
}
