package io.tsuzuku.localstack;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.tsuzuku.testkit.ServiceArchitecture;

/** The run command is not a test: it uses no part of the test kit. */
@AnalyzeClasses(packages = "io.tsuzuku.localstack", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule productionCodeStaysOffTheTestKit =
      ServiceArchitecture.productionCodeStaysOffTheTestKit("io.tsuzuku.localstack");
}
