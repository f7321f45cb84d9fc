package io.tsuzuku.deployment;

import io.tsuzuku.schemas.KafkaAccess;
import static org.assertj.core.api.Assertions.assertThat;

import io.tsuzuku.events.ChargeKind;
import io.tsuzuku.events.EventHeader;
import io.tsuzuku.events.FailureClass;
import io.tsuzuku.events.PaymentFailed;
import io.tsuzuku.events.PaymentSucceeded;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.schemas.AvroSerdes;
import io.tsuzuku.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The event contract's round-trip proof, on the real broker and the real registry: every record
 * type is registered as a deployment does it ({@link RegisterSchemas}), an event goes through the
 * registry-backed serializer to the broker and back in the Confluent wire format with an id the
 * registry knows, the registry refuses an incompatible schema, and it takes schemas from the
 * deployment only.
 */
class EventContractRoundTripIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Endpoints endpoints;

  @BeforeAll
  static void deployTheContract() {
    endpoints = DeployedServers.endpoints();
  }

  @Test
  void paymentOutcomesTravelInTheConfluentWireFormatWithIdsTheRegistryKnows()
      throws Exception {
    var contractId = "contract-" + UUID.randomUUID();
    var failed = paymentFailed(contractId);
    var succeeded = paymentSucceeded(contractId);
    var topic = Topics.PAYMENT_OUTCOMES.name();

    try (var producer = new KafkaProducer<String, SpecificRecord>(producerSettings(endpoints))) {
      producer.send(new ProducerRecord<>(topic, contractId, failed)).get();
      producer.send(new ProducerRecord<>(topic, contractId, succeeded)).get();
    }

    var raw =
        readAll(
            endpoints,
            topic,
            contractId,
            Map.of(
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()),
            2);
    var ids = new ArrayList<Integer>();
    for (var record : raw) {
      var bytes = (byte[]) record.value();
      assertThat(bytes[0]).as("Confluent magic byte").isZero();
      assertThat(record.headers().toArray()).as("no Apicurio headers").isEmpty();
      ids.add(ByteBuffer.wrap(bytes, 1, 4).getInt());
    }
    assertThat(ids).doesNotHaveDuplicates();
    assertThat(get(endpoints.schemaRegistryUrl() + "/apis/registry/v3/ids/contentIds/" + ids.get(0)))
        .contains("\"name\":\"PaymentFailed\"");
    assertThat(get(endpoints.confluentCompatibleRegistryUrl() + "/schemas/ids/" + ids.get(1)))
        .contains("PaymentSucceeded");
    assertThat(get(endpoints.confluentCompatibleRegistryUrl() + "/subjects"))
        .contains("io.tsuzuku.events.PaymentFailed", "io.tsuzuku.events.PaymentSucceeded");

    var decoded =
        readAll(
            endpoints,
            topic,
            contractId,
            AvroSerdes.consumerSettings(endpoints.schemaRegistryUrl()),
            2);
    assertThat(decoded).extracting(ConsumerRecord::value).containsExactly(failed, succeeded);
    assertThat(decoded.get(0).value()).isInstanceOf(PaymentFailed.class);
  }

  @Test
  void everyRecordTypeIsRegisteredBeforeAnyServiceWritesOne() throws Exception {
    var subjects = get(endpoints.confluentCompatibleRegistryUrl() + "/subjects");

    for (var type : Topics.recordTypes()) {
      assertThat(subjects).contains("\"" + org.apache.avro.specific.SpecificData.get().getSchema(type).getFullName() + "\"");
    }
  }

  @Test
  void anIncompatibleSchemaRegisteredThroughTheConfluentApiIsRefusedByTheRegistry() throws Exception {
    var current = io.tsuzuku.events.ContractRegistered.getClassSchema();
    var withoutAmount = new ArrayList<org.apache.avro.Schema.Field>();
    for (var field : current.getFields()) {
      if (!field.name().equals("amountYen")) { // a required field removed: old readers cannot read it
        withoutAmount.add(new org.apache.avro.Schema.Field(field, field.schema()));
      }
    }
    var incompatible = org.apache.avro.Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, withoutAmount);
    var subject = endpoints.confluentCompatibleRegistryUrl() + "/subjects/" + current.getFullName() + "/versions";

    var deployment = DeployedServers.DEPLOYMENT.accessToken();

    assertThat(post(subject, current.toString(), deployment).statusCode()).as("the current schema").isEqualTo(200);
    var refused = post(subject, incompatible.toString(), deployment);

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
  }

  @Test
  void onlyTheDeploymentWritesToTheRegistryWhoseConfluentApiShowsTheRuleItEnforces() throws Exception {
    var current = io.tsuzuku.events.ContractRegistered.getClassSchema();
    var subject = endpoints.confluentCompatibleRegistryUrl() + "/subjects/" + current.getFullName() + "/versions";
    var organisation = DeployedServers.IDENTITY.token("org-1");
    var guessedSecret = new RegistryCredentials(DeployedServers.IDENTITY.tokenEndpoint(),
        io.tsuzuku.standins.LocalIdentityProvider.DEPLOYMENT_CLIENT, "deployment").accessToken();
    var renamed = current.toString().replace("\"ContractRegistered\"", "\"ContractRegisteredElsewhere\"");
    var elsewhere = endpoints.confluentCompatibleRegistryUrl() + "/subjects/io.tsuzuku.events.ContractRegisteredElsewhere/versions";

    assertThat(post(elsewhere, renamed, null).statusCode()).as("no token").isEqualTo(401);
    assertThat(post(elsewhere, renamed, organisation).statusCode()).as("an organisation's token").isEqualTo(403);
    assertThat(post(elsewhere, renamed, guessedSecret).statusCode()).as("the deployment's client with a guessed secret").isEqualTo(403);
    assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(endpoints.confluentCompatibleRegistryUrl() + "/config"))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"NONE\"}")).build(), HttpResponse.BodyHandlers.ofString())
        .statusCode()).as("the rule, changed without a token").isEqualTo(401);
    assertThat(get(endpoints.confluentCompatibleRegistryUrl() + "/subjects")).as("refused writes left nothing")
        .doesNotContain("ContractRegisteredElsewhere");

    assertThat(post(subject, current.toString(), DeployedServers.DEPLOYMENT.accessToken()).statusCode()).as("the deployment")
        .isEqualTo(200);
    assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(subject)).header("Authorization", "Bearer " + organisation).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).as("a team with a token reads").isEqualTo(200);
    assertThat(get(endpoints.confluentCompatibleRegistryUrl() + "/config")).contains("\"" + RegisterSchemas.COMPATIBILITY + "\"");
    assertThat(get(endpoints.confluentCompatibleRegistryUrl() + "/config/" + current.getFullName() + "?defaultToGlobal=true"))
        .contains("\"" + RegisterSchemas.COMPATIBILITY + "\"");
  }

  private static HttpResponse<String> post(String url, String schema, String token) throws Exception {
    var body = "{\"schema\":\"" + schema.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    var request = HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, Object> producerSettings(Endpoints endpoints) {
    var settings = new HashMap<>(AvroSerdes.producerSettings(endpoints.schemaRegistryUrl()));
    settings.putAll(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT));
    return settings;
  }

  private static List<ConsumerRecord<String, Object>> readAll(
      Endpoints endpoints,
      String topic,
      String key,
      Map<String, Object> serdeSettings,
      int expected) {
    var settings = new HashMap<String, Object>(serdeSettings);
    settings.putAll(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT));
    settings.put(ConsumerConfig.GROUP_ID_CONFIG, "round-trip-" + UUID.randomUUID());
    settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    var found = new ArrayList<ConsumerRecord<String, Object>>();
    try (var consumer = new KafkaConsumer<String, Object>(settings)) {
      consumer.subscribe(List.of(topic));
      var deadline = Instant.now().plusSeconds(30);
      while (found.size() < expected && Instant.now().isBefore(deadline)) {
        for (var record : consumer.poll(Duration.ofMillis(500))) {
          if (key.equals(record.key())) {
            found.add(record);
          }
        }
      }
    }
    assertThat(found).as("records of %s on %s", key, topic).hasSize(expected);
    return found;
  }

  private static String get(String url) throws Exception {
    var response =
        HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(200);
    return response.body();
  }

  private static EventHeader header(String contractId) {
    return EventHeader.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOrgId("org-1")
        .setContractId(contractId)
        .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
        .build();
  }

  private static PaymentFailed paymentFailed(String contractId) {
    return PaymentFailed.newBuilder()
        .setHeader(header(contractId))
        .setAttemptId(contractId + ":2026-11-01:SCHEDULED:0")
        .setKind(ChargeKind.SCHEDULED)
        .setAttemptNumber(0)
        .setPeriod(LocalDate.of(2026, 11, 1))
        .setAmountYen(3000)
        .setFailureCode("expired_card")
        .setFailureClass(FailureClass.HARD_DECLINE)
        .build();
  }

  private static PaymentSucceeded paymentSucceeded(String contractId) {
    return PaymentSucceeded.newBuilder()
        .setHeader(header(contractId))
        .setAttemptId(contractId + ":2026-11-01:AUTO_RETRY:1")
        .setKind(ChargeKind.AUTO_RETRY)
        .setAttemptNumber(1)
        .setPeriod(LocalDate.of(2026, 11, 1))
        .setAmountYen(3000)
        .build();
  }
}
