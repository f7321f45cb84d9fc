package io.tsuzuku.schemas.compatibility;

import io.tsuzuku.schemas.Topics;
import org.apache.avro.specific.SpecificData;

/**
 * Releases the current event schemas: keeps each schema that differs from its latest released
 * version as a new version under {@code schemas/released}. Run it when a schema change ships (see
 * docs/events.md), after the compatibility gate passed, and commit the new files.
 */
public final class ReleaseSchemas {

  private ReleaseSchemas() {}

  public static void main(String[] args) throws Exception {
    var released = ReleasedSchemas.ofBuild();
    for (var type : Topics.recordTypes()) {
      var current = SpecificData.get().getSchema(type);
      var versions = released.versionsOf(current.getFullName());
      var problems = CompatibilityGate.problems(current, versions);
      if (!problems.isEmpty()) {
        throw new IllegalStateException(String.join("\n", problems));
      }
      if (versions.isEmpty() || !versions.get(versions.size() - 1).schema().equals(current)) {
        System.out.printf(
            "released %s as v%d%n", current.getFullName(), released.release(current));
      }
    }
  }
}
