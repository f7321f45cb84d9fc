package io.tsuzuku.schemas.compatibility;

import io.tsuzuku.schemas.compatibility.CompatibilityGate.Released;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/**
 * The released versions of the event schemas, kept in the repository under {@code
 * schemas/released/<full record name>/v<N>.avsc}, each self-contained (shared types inline), just
 * as the registry holds them. Released files are never edited: a release adds a file.
 */
public final class ReleasedSchemas {

  private static final Pattern VERSION_FILE = Pattern.compile("v(\\d+)\\.avsc");

  private final Path root;

  public ReleasedSchemas(Path root) {
    this.root = root;
  }

  /** The folder of the build: the {@code tsuzuku.schemas.released} property, else ./released. */
  public static ReleasedSchemas ofBuild() {
    return new ReleasedSchemas(Path.of(System.getProperty("tsuzuku.schemas.released", "released")));
  }

  public Path root() {
    return root;
  }

  /** Every released version of the record with this full name, oldest first. */
  public List<Released> versionsOf(String fullName) {
    var folder = root.resolve(fullName);
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(file -> VERSION_FILE.matcher(file.getFileName().toString()).matches())
          .map(ReleasedSchemas::read)
          .sorted(Comparator.comparingInt(Released::version))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Keeps {@code schema} as the next released version of its record, returning that version. */
  public int release(Schema schema) throws IOException {
    var versions = versionsOf(schema.getFullName());
    var next = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
    var folder = Files.createDirectories(root.resolve(schema.getFullName()));
    Files.writeString(folder.resolve("v" + next + ".avsc"), schema.toString(true) + "\n");
    return next;
  }

  private static Released read(Path file) {
    var matcher = VERSION_FILE.matcher(file.getFileName().toString());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(file.toString());
    }
    try {
      return new Released(
          Integer.parseInt(matcher.group(1)), new Schema.Parser().parse(file.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
