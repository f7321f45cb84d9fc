package io.tsuzuku.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Gives an integration test the real Kafka broker, schema registry and MongoDB-wire server,
 * started at most once per JVM and stopped when the JVM's tests are done.
 *
 * <p>Before any test of the class runs, the addresses are set as the system properties {@code
 * KAFKA_BOOTSTRAP_SERVERS}, {@code SCHEMA_REGISTRY_URL} and {@code MONGODB_URI}, which every
 * service's {@code application.yaml} reads: put this annotation before {@code @SpringBootTest} and
 * the application context is wired to the servers. A test method or constructor may also take an
 * {@link io.tsuzuku.infra.embedded.Endpoints} parameter.
 *
 * <p>A Spring test's application context is closed when its class is done ({@link
 * DirtiesContext}), while the servers still run: a context cached until the JVM exits would close
 * after them, its Kafka clients waiting for a broker that is gone (tens of seconds per module).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EmbeddedInfrastructureExtension.class)
@DirtiesContext
public @interface WithEmbeddedInfrastructure {}
