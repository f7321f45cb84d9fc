package io.tsuzuku.crmsync.config;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tsuzuku.crmsync.domain.ApiUsage;
import com.mongodb.client.MongoClient;
import io.tsuzuku.crmsync.adapter.out.mongo.MongoMirrorStore;
import io.tsuzuku.crmsync.adapter.out.mongo.MongoOrganisationStore;
import io.tsuzuku.crmsync.adapter.out.mongo.SecretCipher;
import io.tsuzuku.crmsync.application.LoginUrlPolicy;
import io.tsuzuku.crmsync.adapter.out.salesforce.SalesforceRestClient;
import io.micrometer.observation.ObservationRegistry;
import io.tsuzuku.crmsync.application.ConnectionChecks;
import io.tsuzuku.crmsync.application.IntegrationSettings;
import io.tsuzuku.crmsync.application.RejectedRecords;
import io.tsuzuku.crmsync.application.SalesforceSync;
import io.tsuzuku.crmsync.application.StatusMirror;
import io.tsuzuku.kit.PeriodicTask;
import java.time.Clock;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Wires the crm-sync service: stores, the Salesforce client, the use cases and the sync loop. */
@Configuration(proxyBeanMethods = false)
class CrmSyncConfiguration {

  @Bean
  CrmSyncSettings crmSyncSettings(Environment environment) {
    return Binder.get(environment).bind("tsuzuku.crm-sync", CrmSyncSettings.class)
        .orElseThrow(() -> new IllegalStateException("tsuzuku.crm-sync settings are missing"));
  }

  /** The system's clock, unless the local stack or a test brings one (a simulated or a movable clock). */
  @Bean
  @ConditionalOnMissingBean(Clock.class)
  Clock clock() {
    return Clock.systemUTC();
  }

  /** The mirror, and its backlog as operators watch it: records waiting to be written, and rejected ones. */
  @Bean
  MongoMirrorStore mirrorStore(MongoClient client, @Value("${spring.mongodb.database}") String database, MeterRegistry meters) {
    var mirror = new MongoMirrorStore(client.getDatabase(database));
    Gauge.builder("tsuzuku.salesforce.backlog", mirror, m -> m.count(false)).tag("state", "pending")
        .description("contracts whose Salesforce record waits to be written, every organisation").register(meters);
    Gauge.builder("tsuzuku.salesforce.backlog", mirror, m -> m.count(true)).tag("state", "rejected")
        .description("contracts whose record Salesforce rejected, every organisation").register(meters);
    return mirror;
  }

  @Bean
  MongoOrganisationStore organisationStore(MongoClient client, @Value("${spring.mongodb.database}") String database,
      CrmSyncSettings settings) {
    var previous = settings.previousSecretsKeys() == null ? java.util.List.<String>of() : settings.previousSecretsKeys();
    var store = new MongoOrganisationStore(client.getDatabase(database), new SecretCipher(settings.secretsKey(), previous));
    store.sealSecretsWithTheCurrentKey();
    return store;
  }

  /** Where organisations may log in and call: Salesforce's My Domain hosts and the deployment's entries. */
  @Bean
  LoginUrlPolicy loginUrlPolicy(CrmSyncSettings settings) {
    var allowed = settings.salesforce().allowedLoginUrls() == null ? java.util.List.<String>of() : settings.salesforce().allowedLoginUrls();
    return LoginUrlPolicy.salesforceAnd(allowed);
  }

  @Bean
  SalesforceRestClient salesforceClient(MongoOrganisationStore organisations, CrmSyncSettings settings, LoginUrlPolicy loginUrls,
      ObservationRegistry observations) {
    var salesforce = settings.salesforce();
    return new SalesforceRestClient(organisations, loginUrls, salesforce.apiVersion(), salesforce.timeout(), salesforce.tokenLifetime(),
        observations);
  }

  @Bean
  SalesforceSync salesforceSync(
      MongoOrganisationStore organisations, MongoMirrorStore mirror, SalesforceRestClient salesforce, CrmSyncSettings settings, Clock clock,
      MeterRegistry meters) {
    var usage = new java.util.concurrent.ConcurrentHashMap<String, ApiUsage>();
    return new SalesforceSync(organisations, mirror, salesforce, settings.policy(), clock, Clock.systemUTC(), settings.lease(),
        new SalesforceSync.Measures() {
          @Override
          public void upserted(String orgId, int written, int rejected, ApiUsage apiUsage) {
            meters.counter("tsuzuku.salesforce.records", "org", orgId, "result", "written").increment(written);
            meters.counter("tsuzuku.salesforce.records", "org", orgId, "result", "rejected").increment(rejected);
            if (apiUsage != null && usage.put(orgId, apiUsage) == null) {
              // the share of the organisation's daily API limit used, as its last answer said
              Gauge.builder("tsuzuku.salesforce.api.usage", usage,
                      u -> u.get(orgId).limit() == 0 ? 0 : (double) u.get(orgId).used() / u.get(orgId).limit())
                  .tag("org", orgId).register(meters);
            }
          }

          @Override
          public void paused(String orgId, String reason) {
            meters.counter("tsuzuku.salesforce.pauses", "org", orgId, "reason", reason).increment();
          }
        });
  }

  /** Looks for batches to send every poll interval, and at once when a batch fills or settings change. */
  @Bean
  PeriodicTask salesforceSyncLoop(SalesforceSync sync, CrmSyncSettings settings, @Value("${spring.application.name}") String application) {
    var owner = application + "-" + UUID.randomUUID();
    return new PeriodicTask("salesforce-sync", settings.pollInterval(), () -> sync.runPass(owner));
  }

  @Bean
  StatusMirror statusMirror(MongoMirrorStore mirror, Clock clock, CrmSyncSettings settings, PeriodicTask salesforceSyncLoop) {
    return new StatusMirror(mirror, clock, settings.policy().batchSize(), salesforceSyncLoop::nudge);
  }

  @Bean
  IntegrationSettings integrationSettings(
      MongoOrganisationStore organisations, MongoMirrorStore mirror, SalesforceRestClient salesforce, Clock clock, PeriodicTask salesforceSyncLoop,
      LoginUrlPolicy loginUrls) {
    return new IntegrationSettings(organisations, mirror, salesforce, clock, salesforceSyncLoop::nudge, loginUrls);
  }

  @Bean
  ConnectionChecks connectionChecks(IntegrationSettings settings, SalesforceRestClient salesforce, Clock clock) {
    return new ConnectionChecks(settings, salesforce, clock);
  }

  @Bean
  RejectedRecords rejectedRecords(MongoOrganisationStore organisations, MongoMirrorStore mirror, Clock clock,
      PeriodicTask salesforceSyncLoop) {
    return new RejectedRecords(organisations, mirror, clock, salesforceSyncLoop::nudge);
  }
}
