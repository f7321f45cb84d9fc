package io.tsuzuku.schemas.compatibility;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * The rule every change of an event schema must pass: FULL compatibility (backward and forward)
 * with every released version, as Avro's own {@link SchemaCompatibility} decides, plus two rules
 * Avro alone does not enforce:
 *
 * <ul>
 *   <li>no enum symbol of a released version disappears: with an enum default Avro calls that
 *       compatible, but old records would silently read as the default symbol;
 *   <li>every enum has a default symbol, so that a symbol added later does not break old readers.
 * </ul>
 *
 * <p>Each problem names the schema, the released version and what is wrong, so that a failing
 * build says which change to undo.
 */
public final class CompatibilityGate {

  private CompatibilityGate() {}

  /** A released version of a schema, as kept in {@code schemas/released}. */
  public record Released(int version, Schema schema) {}

  /** Every problem of {@code current} against the released versions; empty when it may ship. */
  public static List<String> problems(Schema current, List<Released> released) {
    var problems = new ArrayList<String>();
    var name = current.getFullName();
    enums(current).values().stream()
        .filter(enumSchema -> enumSchema.getEnumDefault() == null)
        .forEach(
            enumSchema ->
                problems.add(
                    "%s: enum %s has no default symbol; old readers would fail on a new symbol"
                        .formatted(name, enumSchema.getFullName())));
    for (var old : released) {
      describe(
          problems,
          name,
          old.version(),
          "backward (a reader of the current schema cannot read data written with version %d)",
          SchemaCompatibility.checkReaderWriterCompatibility(current, old.schema()));
      describe(
          problems,
          name,
          old.version(),
          "forward (a reader of version %d cannot read data written with the current schema)",
          SchemaCompatibility.checkReaderWriterCompatibility(old.schema(), current));
      removedEnumSymbols(problems, name, old, current);
    }
    return problems;
  }

  private static void describe(
      List<String> problems,
      String name,
      int version,
      String direction,
      SchemaCompatibility.SchemaPairCompatibility result) {
    for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
      problems.add(
          "%s: not %s: %s at %s: %s"
              .formatted(
                  name,
                  direction.formatted(version),
                  incompatibility.getType(),
                  incompatibility.getLocation(),
                  incompatibility.getMessage()));
    }
  }

  private static void removedEnumSymbols(
      List<String> problems, String name, Released old, Schema current) {
    var currentEnums = enums(current);
    enums(old.schema())
        .forEach(
            (enumName, oldEnum) -> {
              var now = currentEnums.get(enumName);
              if (now == null) {
                return; // a removed field or type is reported by Avro's check
              }
              var removed = new ArrayList<>(oldEnum.getEnumSymbols());
              removed.removeAll(now.getEnumSymbols());
              if (!removed.isEmpty()) {
                problems.add(
                    "%s: enum %s lost symbols %s of released version %d; records written with them would read as %s"
                        .formatted(
                            name, enumName, removed, old.version(), now.getEnumDefault()));
              }
            });
  }

  /** Every enum reachable from a schema, by full name. */
  static Map<String, Schema> enums(Schema schema) {
    var found = new LinkedHashMap<String, Schema>();
    collect(schema, found, new ArrayList<>());
    return found;
  }

  private static void collect(Schema schema, Map<String, Schema> enums, List<String> seen) {
    switch (schema.getType()) {
      case ENUM -> enums.putIfAbsent(schema.getFullName(), schema);
      case RECORD -> {
        if (seen.contains(schema.getFullName())) {
          return;
        }
        seen.add(schema.getFullName());
        schema.getFields().forEach(field -> collect(field.schema(), enums, seen));
      }
      case UNION -> schema.getTypes().forEach(type -> collect(type, enums, seen));
      case ARRAY -> collect(schema.getElementType(), enums, seen);
      case MAP -> collect(schema.getValueType(), enums, seen);
      default -> {
        // primitives and fixed carry no enum
      }
    }
  }
}
