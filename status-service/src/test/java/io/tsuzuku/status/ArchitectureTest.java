package io.tsuzuku.status;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The domain and the use cases stay plain Java: frameworks live in adapters and config. */
@AnalyzeClasses(packages = "io.tsuzuku.status", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule domainAndApplicationUseNoFramework =
      noClasses()
          .that().resideInAnyPackage("..status.domain..", "..status.application..")
          .should().dependOnClassesThat()
          .resideInAnyPackage(
              "org.springframework..", "org.apache.kafka..", "com.mongodb..", "org.bson..",
              "org.apache.avro..", "io.tsuzuku.events..", "io.apicurio..");

  @ArchTest
  static final ArchRule domainDependsOnNothingOutside =
      noClasses()
          .that().resideInAPackage("..status.domain..")
          .should().dependOnClassesThat()
          .resideInAnyPackage("..status.application..", "..status.adapter..", "..status.config..");
}
