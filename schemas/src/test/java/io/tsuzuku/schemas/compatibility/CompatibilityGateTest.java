package io.tsuzuku.schemas.compatibility;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsuzuku.schemas.Topics;
import io.tsuzuku.schemas.compatibility.CompatibilityGate.Released;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The build's compatibility gate, and proof on fixtures that it rejects breaking changes. */
class CompatibilityGateTest {

  private static final ReleasedSchemas RELEASED = ReleasedSchemas.ofBuild();

  @TestFactory
  List<DynamicTest> everyCurrentSchemaIsFullyCompatibleWithEveryReleasedVersion() {
    return Topics.recordTypes().stream()
        .map(
            type ->
                DynamicTest.dynamicTest(
                    type.getSimpleName(),
                    () -> {
                      var current = SpecificData.get().getSchema(type);
                      var versions = RELEASED.versionsOf(current.getFullName());
                      assertThat(versions)
                          .as(
                              "%s has no released version in %s: release it (docs/events.md)",
                              current.getFullName(), RELEASED.root().toAbsolutePath())
                          .isNotEmpty();
                      var problems = CompatibilityGate.problems(current, versions);
                      assertThat(problems)
                          .as("compatibility gate:%n%s", String.join("\n", problems))
                          .isEmpty();
                    }))
        .toList();
  }

  @Test
  void aNewFieldWithoutDefaultIsRejectedNamingTheSchemaAndTheField() {
    var problems =
        CompatibilityGate.problems(fixture("new-field-without-default"), releasedV1());

    assertThat(problems)
        .singleElement()
        .asString()
        .startsWith("io.tsuzuku.fixtures.Donation: not backward")
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
        .contains("supporterEmail");
  }

  @Test
  void removingAFieldWithoutDefaultIsRejectedAsNotForwardCompatible() {
    var problems =
        CompatibilityGate.problems(fixture("removed-field-without-default"), releasedV1());

    assertThat(problems)
        .singleElement()
        .asString()
        .startsWith("io.tsuzuku.fixtures.Donation: not forward")
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
        .contains("amountYen");
  }

  @Test
  void aRemovedEnumSymbolIsRejectedEvenThoughTheEnumHasADefault() {
    var problems = CompatibilityGate.problems(fixture("removed-enum-symbol"), releasedV1());

    assertThat(problems)
        .singleElement()
        .asString()
        .contains("io.tsuzuku.fixtures.Donation")
        .contains("enum io.tsuzuku.fixtures.FixtureStatus lost symbols [ERROR]");
  }

  @Test
  void anEnumWithoutDefaultSymbolIsRejected() {
    var problems = CompatibilityGate.problems(fixture("enum-without-default"), releasedV1());

    assertThat(problems)
        .singleElement()
        .asString()
        .contains("enum io.tsuzuku.fixtures.Channel has no default symbol");
  }

  @Test
  void aNewOptionalFieldAndANewEnumSymbolPass() {
    assertThat(CompatibilityGate.problems(fixture("new-optional-field"), releasedV1())).isEmpty();
  }

  private static List<Released> releasedV1() {
    return List.of(new Released(1, fixture("v1")));
  }

  private static Schema fixture(String variant) {
    var path = "/compatibility-fixtures/Donation-" + variant + ".avsc";
    try (InputStream in = CompatibilityGateTest.class.getResourceAsStream(path)) {
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new IllegalStateException(path, e);
    }
  }
}
