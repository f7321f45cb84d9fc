package io.tsuzuku.security;

/**
 * A request a use case refuses as a whole, with a machine-readable code; nothing changed. Use
 * cases throw it, and every API answers it as a problem whose status is its {@link Kind}'s
 * ({@link CommonProblemResponses}).
 */
public final class RequestRefused extends RuntimeException {

  /** Why the request is refused, which decides the HTTP status of the answer. */
  public enum Kind {
    /** 400: the request is malformed or incomplete. */
    INVALID,
    /** 404: what the request names does not exist (or is another organisation's). */
    NOT_FOUND,
    /** 409: what the request changes changed meanwhile; read it again and retry. */
    CONFLICT,
    /** 413: the request asks for more than one call may do. */
    TOO_LARGE,
    /** 422: the request contradicts an earlier one, such as an idempotency key reused for another body. */
    UNPROCESSABLE
  }

  private final Kind kind;
  private final String code;

  public RequestRefused(Kind kind, String code, String message) {
    super(message);
    this.kind = kind;
    this.code = code;
  }

  /** A malformed or incomplete request. */
  public static RequestRefused invalid(String code, String message) {
    return new RequestRefused(Kind.INVALID, code, message);
  }

  public Kind kind() {
    return kind;
  }

  public String code() {
    return code;
  }
}
