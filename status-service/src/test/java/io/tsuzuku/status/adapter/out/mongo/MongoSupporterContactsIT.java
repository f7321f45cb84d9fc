package io.tsuzuku.status.adapter.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClients;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.status.application.ContactBudget;
import io.tsuzuku.status.application.port.SupporterContacts.Contact;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The budget is taken in one atomic write per supporter: two instances reserving a supporter's last
 * places at once never both get one; the same contact again is no new one; supporters and
 * organisations are apart.
 */
@WithEmbeddedInfrastructure
class MongoSupporterContactsIT {

  private static final Instant T0 = Instant.parse("2027-03-01T01:00:00Z");
  private static final ContactBudget.Policy TWO = ContactBudget.Policy.DEFAULT;

  @Test
  void instancesReservingAtOnceTakeNoMoreThanTheBudget(Endpoints endpoints) throws Exception {
    try (var client = MongoClients.create(endpoints.mongoUri())) {
      var database = client.getDatabase("supporter-contacts-it-" + UUID.randomUUID());
      var instances = List.of(new MongoSupporterContacts(database), new MongoSupporterContacts(database));
      var tries = new ArrayList<Callable<Boolean>>();
      for (int i = 0; i < 16; i++) {
        var contacts = instances.get(i % 2);
        var contact = new Contact("request-" + i + ":c-" + i, T0.plusMillis(i), "REPAYMENT_REQUEST");
        tries.add(() -> contacts.reserve("org-1", "s-1", contact, TWO));
      }
      var pool = Executors.newFixedThreadPool(8);
      long reserved;
      try {
        reserved = pool.invokeAll(tries).stream().filter(f -> {
          try {
            return f.get();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }).count();
      } finally {
        pool.shutdown();
      }

      assertThat(reserved).isEqualTo(2);
      var made = instances.get(0).since("org-1", List.of("s-1"), T0.minusSeconds(1)).get("s-1");
      assertThat(made).hasSize(2);
      assertThat(instances.get(1).reserve("org-1", "s-1", made.get(0), TWO)).as("a reserved contact again").isTrue();
      assertThat(instances.get(1).reserve("org-2", "s-1", new Contact("other-org", T0, "FINAL_NOTICE"), TWO)).isTrue();
      assertThat(instances.get(1).reserve("org-1", "s-2", new Contact("other-supporter", T0, "FINAL_NOTICE"), TWO)).isTrue();
      assertThat(instances.get(1).reserve("org-1", "s-1", new Contact("a month on", T0.plus(Duration.ofDays(31)), "FINAL_NOTICE"), TWO))
          .as("once the window has passed").isTrue();
    }
  }

  @Test
  void anOrganisationsPolicyIsItsOwnAndTheDefaultUntilItSetsOne(Endpoints endpoints) {
    try (var client = MongoClients.create(endpoints.mongoUri())) {
      var policies = new MongoContactPolicies(client.getDatabase("contact-policies-it-" + UUID.randomUUID()));
      var own = new ContactBudget.Policy(1, 14, java.time.LocalTime.of(20, 0), java.time.LocalTime.of(8, 30));

      policies.set("org-1", own);

      assertThat(policies.of("org-1")).isEqualTo(own);
      assertThat(policies.of("org-2")).isEqualTo(ContactBudget.Policy.DEFAULT);
    }
  }
}
