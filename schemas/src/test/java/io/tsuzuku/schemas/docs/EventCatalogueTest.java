package io.tsuzuku.schemas.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/events.md holds the catalogue rendered from the code. This test fails when the two differ;
 * {@code ./mvnw -pl schemas test -Dtsuzuku.docs.update=true} rewrites the generated part.
 */
class EventCatalogueTest {

  @Test
  void theEventCatalogueInTheDocsIsTheOneTheCodeRenders() throws IOException {
    var file = Path.of(System.getProperty("tsuzuku.docs.dir", "../docs")).resolve("events.md");
    var text = Files.readString(file);
    var begin = text.indexOf(EventCatalogue.BEGIN);
    var end = text.indexOf(EventCatalogue.END);
    assertThat(begin).as("%s has the generated-part markers", file).isNotNegative();
    assertThat(end).isGreaterThan(begin);

    var expected =
        text.substring(0, begin + EventCatalogue.BEGIN.length())
            + "\n\n"
            + EventCatalogue.render()
            + "\n"
            + text.substring(end);
    if (Boolean.getBoolean("tsuzuku.docs.update")) {
      Files.writeString(file, expected);
      text = expected;
    }
    assertThat(text)
        .as("%s is stale: run ./mvnw -pl schemas test -Dtsuzuku.docs.update=true", file)
        .isEqualTo(expected);
  }
}
