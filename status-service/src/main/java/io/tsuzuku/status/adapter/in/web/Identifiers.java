package io.tsuzuku.status.adapter.in.web;

import io.tsuzuku.security.RequestRefused;
import java.util.regex.Pattern;

/** Ids are plain tokens: anything else (an operator shape such as {@code {"$ne": null}}) is a 400. */
final class Identifiers {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  private Identifiers() {}

  static String require(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw RequestRefused.invalid("INVALID_ID", "an id is 1 to 128 letters, digits, '.', '_', ':' or '-'");
    }
    return id;
  }
}
