package io.tsuzuku.status.adapter.in.web;

/** Input the API refuses, with a machine-readable code; nothing was changed. */
class BadRequestException extends RuntimeException {

  private final String code;

  BadRequestException(String code, String message) {
    super(message);
    this.code = code;
  }

  String code() {
    return code;
  }
}
