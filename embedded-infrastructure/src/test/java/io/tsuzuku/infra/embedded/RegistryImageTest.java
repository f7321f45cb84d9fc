package io.tsuzuku.infra.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** compose's registry image builds from the very distribution the local stack and the tests run. */
class RegistryImageTest {

  @Test
  void theImageBuildsFromTheEmbeddedRegistrysVersionCheckedByItsDigest() throws Exception {
    var dockerfile = Files.readString(Path.of("..", "deployment", "registry.Dockerfile"));
    var digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(EmbeddedSchemaRegistry.distribution())));

    assertThat(argument(dockerfile, "VERSION")).isEqualTo(EmbeddedSchemaRegistry.version());
    assertThat(argument(dockerfile, "SHA256")).isEqualTo(digest);
    assertThat(dockerfile).containsPattern("FROM [^\\s]+@sha256:[0-9a-f]{64}");
  }

  private static String argument(String dockerfile, String name) {
    var value = Pattern.compile("^ARG " + name + "=(\\S+)$", Pattern.MULTILINE).matcher(dockerfile);
    assertThat(value.find()).as("ARG " + name).isTrue();
    return value.group(1);
  }
}
