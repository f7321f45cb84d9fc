package io.tsuzuku.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;

/**
 * The shape every service keeps: {@code domain} and {@code application} are plain
 * Java, free of Spring, Kafka, MongoDB, Avro and the generated events; the domain depends on
 * nothing outside itself; no cycle joins two packages. A service's ArchitectureTest applies these
 * to its own package.
 */
public final class ServiceArchitecture {

  private ServiceArchitecture() {}

  public static ArchRule domainAndApplicationUseNoFramework(String servicePackage) {
    return noClasses()
        .that().resideInAnyPackage(servicePackage + ".domain..", servicePackage + ".application..")
        .should().dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..", "org.apache.kafka..", "com.mongodb..", "org.bson..",
            "org.apache.avro..", "io.tsuzuku.events..", "io.apicurio..");
  }

  /** Production code (and the run command) never uses the test kit: it is test scope everywhere. */
  public static ArchRule productionCodeStaysOffTheTestKit(String rootPackage) {
    return noClasses()
        .that().resideInAPackage(rootPackage + "..")
        .should().dependOnClassesThat().resideInAPackage(ServiceArchitecture.class.getPackageName() + "..")
        .because("the test kit is for tests; the event contract's EventSender sends events for anyone");
  }

  /** No two layers of a service (domain, application, adapter, config) depend on each other, however indirectly. */
  public static ArchRule packagesAreFreeOfCycles(String servicePackage) {
    return slices().matching(servicePackage + ".(*)..").should().beFreeOfCycles();
  }

  public static ArchRule domainDependsOnNothingOutside(String servicePackage) {
    return noClasses()
        .that().resideInAPackage(servicePackage + ".domain..")
        .should().dependOnClassesThat()
        .resideInAnyPackage(servicePackage + ".application..", servicePackage + ".adapter..", servicePackage + ".config..");
  }
}
