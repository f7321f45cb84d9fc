package io.tsuzuku.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps an API's OpenAPI description in {@code docs/openapi/}, as the service serves it, with its
 * keys sorted so that the file changes only when the API does. Like {@link GeneratedDocs}: a stale
 * file fails the build; {@code -Dtsuzuku.docs.update=true} writes it.
 */
public final class OpenApiDescription {

  private static final JsonMapper SORTED = JsonMapper.builder()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).enable(SerializationFeature.INDENT_OUTPUT).build();

  private OpenApiDescription() {}

  public static void assertUpToDate(String fileName, String served) {
    var file = Path.of(System.getProperty("tsuzuku.docs.dir", "../docs")).resolve("openapi").resolve(fileName);
    var description = SORTED.readValue(served, Map.class);
    description.remove("servers"); // where the test's server listened, not part of the API
    var expected = SORTED.writeValueAsString(description) + "\n";
    try {
      if (Boolean.getBoolean("tsuzuku.docs.update")) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, expected);
      } else if (!Files.exists(file) || !Files.readString(file).equals(expected)) {
        throw new AssertionError(file + " is stale: run the tests with -Dtsuzuku.docs.update=true and commit the file");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
