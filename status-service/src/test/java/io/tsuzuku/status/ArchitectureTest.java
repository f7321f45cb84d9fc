package io.tsuzuku.status;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.tsuzuku.testkit.ServiceArchitecture;

/** The domain and the use cases stay plain Java: frameworks live in adapters and config. */
@AnalyzeClasses(packages = "io.tsuzuku.status", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule domainAndApplicationUseNoFramework =
      ServiceArchitecture.domainAndApplicationUseNoFramework("io.tsuzuku.status");

  @ArchTest
  static final ArchRule packagesAreFreeOfCycles =
      ServiceArchitecture.packagesAreFreeOfCycles("io.tsuzuku.status");

  @ArchTest
  static final ArchRule domainDependsOnNothingOutside =
      ServiceArchitecture.domainDependsOnNothingOutside("io.tsuzuku.status");

  @ArchTest
  static final ArchRule productionCodeStaysOffTheTestKit =
      ServiceArchitecture.productionCodeStaysOffTheTestKit("io.tsuzuku.status");
}
