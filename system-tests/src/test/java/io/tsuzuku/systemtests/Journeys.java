package io.tsuzuku.systemtests;

import io.tsuzuku.standins.LocalSealingKeys;
import io.tsuzuku.schemas.KafkaAccess;
import io.tsuzuku.localstack.DemoOrganisation;
import io.tsuzuku.localstack.LocalSystem;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import io.tsuzuku.events.BillingInterval;
import io.tsuzuku.events.Cohort;
import io.tsuzuku.events.ContractCancellationRequested;
import io.tsuzuku.events.Requester;
import io.tsuzuku.events.ContractRegistered;
import io.tsuzuku.events.EventHeader;
import io.tsuzuku.events.PaymentFailed;
import io.tsuzuku.events.PaymentMethodUpdated;
import io.tsuzuku.events.PaymentSucceeded;
import io.tsuzuku.events.RepaymentSubmitted;
import io.tsuzuku.events.Supporter;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.testkit.MovableClock;
import io.tsuzuku.testkit.TestEvents;
import io.tsuzuku.standins.FakeSalesforce;
import io.tsuzuku.localstack.LocalSystem.Service;
import io.tsuzuku.schemas.AvroSerdes;
import io.tsuzuku.schemas.Topic;
import io.tsuzuku.schemas.Topics;
import io.tsuzuku.standins.LocalIdentityProvider;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.bson.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole system for the end-to-end tests: the four services (as the local stack runs them) on
 * the real broker, registry and MongoDB-wire server, the payment simulator, a WireMock Salesforce
 * org, and one movable clock, JVM-wide, that only moves forward (a billing day that has run stays
 * run). Every record on every topic is read and kept, so a test can say which events and charges
 * happened and which did not. Tests speak to the system as its users do: events from the forms,
 * the admin API, the Salesforce integration API.
 */
final class Journeys implements AutoCloseable {

  static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  static final MovableClock CLOCK = new MovableClock(Instant.parse("2030-01-06T00:00:00Z"));
  private static final JsonMapper JSON = JsonMapper.builder().build();
  /**
   * The identity provider whose tokens the services verify (issuer, keys, audience), as a production
   * provider's: every journey's requests carry its tokens. Started once for the test JVM.
   */
  static final LocalIdentityProvider IDENTITY = LocalIdentityProvider.start(0, "nobody", "nobody");

  final FakeSalesforce salesforce;
  final LocalSystem system;
  private final Endpoints endpoints;
  /** Every record read, by contract, in the order read. */
  private final Map<String, List<SpecificRecord>> events = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong read = new java.util.concurrent.atomic.AtomicLong();
  private final Thread reader;
  private volatile boolean reading = true;
  private volatile boolean formsTwice;
  /** The forms' producer: one for every event a journey sends, each sent and acknowledged in turn. */
  private final org.apache.kafka.clients.producer.KafkaProducer<String, SpecificRecord> forms;

  private Journeys(Endpoints endpoints, List<String> settings, int instances) {
    this.endpoints = endpoints;
    this.salesforce = FakeSalesforce.start();
    var ports = new java.util.EnumMap<Service, Integer>(Service.class);
    for (var service : Service.values()) {
      ports.put(service, 0);
    }
    var all = new ArrayList<>(List.of(
        "tsuzuku.billing.poll-interval=PT0.2S", "tsuzuku.retry.poll-interval=PT0.2S", "tsuzuku.status.relay.interval=PT0.2S",
        "tsuzuku.status.plans.poll-interval=PT0.2S", "tsuzuku.status.plans.lease=PT5S",
        "tsuzuku.status.first-failure-requests.poll-interval=PT0.2S", "logging.level.org.apache.kafka=WARN"));
    all.addAll(settings);
    this.system = LocalSystem.start(endpoints, CLOCK, ports, all, IDENTITY.issuer(), instances);
    var producerSettings = new HashMap<String, Object>(AvroSerdes.producerSettings(endpoints.schemaRegistryUrl()));
    producerSettings.putAll(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT));
    this.forms = new org.apache.kafka.clients.producer.KafkaProducer<>(producerSettings);
    awaitEveryConsumerAssigned();
    this.reader = new Thread(this::read, "journeys-reader");
    reader.start();
  }

  /**
   * Waits until every listener of every instance has its partitions: the consumer groups are
   * stable, so no journey starts while the instances still share the partitions out.
   */
  private void awaitEveryConsumerAssigned() {
    await().atMost(Duration.ofSeconds(60)).until(() -> java.util.Arrays.stream(Service.values())
        .flatMap(service -> system.instances(service).stream())
        .flatMap(instance -> instance.getBean(org.springframework.kafka.config.KafkaListenerEndpointRegistry.class)
            .getListenerContainers().stream())
        .allMatch(container -> container.getAssignedPartitions() != null && !container.getAssignedPartitions().isEmpty()));
  }

  /** One instance of each service. */
  static Journeys start(Endpoints endpoints, List<String> settings) {
    return new Journeys(endpoints, settings, 1);
  }

  /** {@code instances} instances of each service, sharing the work as a deployment's do. */
  static Journeys start(Endpoints endpoints, List<String> settings, int instances) {
    return new Journeys(endpoints, settings, instances);
  }

  private void read() {
    var consumerSettings = new HashMap<>(AvroSerdes.consumerSettings(endpoints.schemaRegistryUrl()));
    consumerSettings.putAll(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT));
    consumerSettings.put(ConsumerConfig.GROUP_ID_CONFIG, "journeys-" + UUID.randomUUID());
    consumerSettings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (var consumer = new KafkaConsumer<String, Object>(consumerSettings)) {
      consumer.subscribe(Topics.all().stream().map(Topic::name).toList());
      while (reading) {
        org.apache.kafka.clients.consumer.ConsumerRecords<String, Object> records;
        try {
          records = consumer.poll(Duration.ofMillis(200));
        } catch (org.apache.kafka.common.errors.RecordDeserializationException poison) {
          // a record that is not ours to read (a test's poison): the services dead-letter it, the reader passes it by
          consumer.seek(poison.topicPartition(), poison.offset() + 1);
          continue;
        }
        records.forEach(r -> {
          if (r.value() instanceof SpecificRecord record) {
            events.computeIfAbsent(header(record).getContractId(), id -> new CopyOnWriteArrayList<>()).add(record);
            read.incrementAndGet();
          }
        });
      }
    }
  }

  // --- time

  LocalDate today() {
    return LocalDate.now(CLOCK.withZone(TOKYO));
  }

  /** Moves the clock forward to {@code time} (Asia/Tokyo) on {@code day}. */
  void at(LocalDate day, LocalTime time) {
    var instant = day.atTime(time).atZone(TOKYO).toInstant();
    if (instant.isBefore(CLOCK.instant())) {
      throw new IllegalArgumentException("the clock only moves forward: " + instant + " is before " + CLOCK.instant());
    }
    CLOCK.set(instant);
  }

  // --- what other systems send

  /** From now on, every event of the forms is sent twice (with the same event id). */
  void deliverFormsEventsTwice() {
    formsTwice = true;
  }

  private void send(SpecificRecord event) {
    for (int copy = 0; copy < (formsTwice ? 2 : 1); copy++) {
      try {
        forms.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.of(event.getClass()).name(),
            header(event).getContractId(), event)).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted sending " + event.getClass().getSimpleName(), e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("the broker did not take " + event.getClass().getSimpleName(), e.getCause());
      }
    }
  }

  void register(String orgId, String contractId, Cohort cohort, String token, LocalDate firstCharge) {
    send(registration(orgId, contractId, cohort, BillingInterval.MONTHLY, firstCharge.getDayOfMonth(), firstCharge, 3_000, token));
  }

  /**
   * A contract of {@code supporterId}, who may have others in the organisation, applied for at
   * {@code appliedAt} (its registration may travel for a while).
   */
  void register(String orgId, String contractId, String supporterId, String token, LocalDate firstCharge, Instant appliedAt) {
    var registration = LocalSealingKeys.opened(registration(orgId, contractId, Cohort.CURRENT, BillingInterval.MONTHLY,
        firstCharge.getDayOfMonth(), firstCharge, 3_000, token));
    registration.getSupporter().setSupporterId(supporterId);
    registration.getHeader().setOccurredAt(appliedAt);
    send(LocalSealingKeys.sealed(registration));
  }

  /** A contract the donation form registered; its anchor day may be one the first charge's month lacks. */
  ContractRegistered registration(String orgId, String contractId, Cohort cohort, BillingInterval interval, int anchorDay,
      LocalDate firstCharge, long amountYen, String token) {
    return LocalSealingKeys.sealed(ContractRegistered.newBuilder()
        .setHeader(header(orgId, contractId))
        .setSupporter(Supporter.newBuilder().setSupporterId("s-" + contractId).setName("支援者").setEmail(contractId + "@example.org").build())
        .setAmountYen(amountYen).setInterval(interval).setAnchorDay(anchorDay)
        .setFirstChargeOn(firstCharge)
        .setAppliedOn(cohort == Cohort.LEGACY ? LocalDate.of(2022, 4, 1) : LocalDate.of(2029, 4, 1))
        .setCohort(cohort).setPaymentMethodToken(cardOf(token, contractId)).build());
  }

  /**
   * The simulator's token named as the contract's own card ({@code tok_visa.c-1}): a supporter's
   * card is theirs, and contracts that share a behaviour do not share one attempt budget.
   */
  static String cardOf(String token, String contractId) {
    return token == null || token.contains(".") ? token : token + "." + contractId;
  }

  /**
   * A new contract id, starting with {@code prefix}, whose records go to the same partition of
   * {@code topic} as {@code key}'s (the producer's default partitioner: murmur2 of the key).
   */
  String onTheSamePartition(Topic topic, String key, String prefix) {
    var partitions = forms.partitionsFor(topic.name()).size();
    for (int n = 0; ; n++) {
      var candidate = prefix + "-" + n;
      if (partition(candidate, partitions) == partition(key, partitions)) {
        return candidate;
      }
    }
  }

  private static int partition(String key, int partitions) {
    var bytes = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(bytes)) % partitions;
  }

  /** Many events from the forms through one producer. */
  void sendAll(List<? extends SpecificRecord> events) {
    TestEvents.sendMany(endpoints, events.size(), events::get);
  }

  void repay(String orgId, String contractId, LocalDate period, String newToken) {
    repay(orgId, contractId, period, newToken, null);
  }

  /** The supporter re-pays through the link of a re-payment request, which brought {@code linkToken}. */
  void repay(String orgId, String contractId, LocalDate period, String newToken, String linkToken) {
    send(RepaymentSubmitted.newBuilder().setHeader(header(orgId, contractId)).setPeriod(period).setAmountYen(3_000)
        .setPaymentMethodToken(cardOf(newToken, contractId)).setLinkToken(linkToken).build());
  }

  /**
   * The supporter gives a new card on the re-payment form, reached from {@code contractId}, for every
   * contract of theirs; the update is delivered {@code deliveries} times (the same event id).
   */
  void updateCard(String orgId, String contractId, String newToken, int deliveries) {
    var update = LocalSealingKeys.sealed(
        PaymentMethodUpdated.newBuilder().setHeader(header(orgId, contractId)).setPaymentMethodToken(newToken).build());
    for (int i = 0; i < deliveries; i++) {
      send(update);
    }
  }

  /** The supporter ends the contract through the donation form. */
  void cancel(String orgId, String contractId) {
    send(ContractCancellationRequested.newBuilder()
        .setHeader(header(orgId, contractId)).setRequestedBy(Requester.SUPPORTER).setReason("supporter's choice").build());
  }

  /**
   * Waits until nothing new has been read on any topic for a while: the services are done with
   * what the last move of the clock made due.
   */
  void awaitQuiet() {
    awaitQuiet(Duration.ofSeconds(60));
  }

  /** As {@link #awaitQuiet()}, for a system that may stay busy up to {@code atMost} (a soak's large day). */
  void awaitQuiet(Duration atMost) {
    var seen = new java.util.concurrent.atomic.AtomicLong(-1);
    await().atMost(atMost).pollInterval(Duration.ofMillis(700))
        .until(() -> seen.getAndSet(read.get()) == read.get());
  }

  /** How many records were read so far, on every topic. */
  long eventsRead() {
    return read.get();
  }

  private EventHeader header(String orgId, String contractId) {
    return EventHeader.newBuilder().setEventId(UUID.randomUUID().toString()).setOrgId(orgId).setContractId(contractId)
        .setOccurredAt(CLOCK.instant()).build();
  }

  // --- what the system shows

  /** The contract as the admin API shows it. */
  JsonNode contract(String orgId, String contractId) {
    return get(Service.STATUS, "/api/orgs/" + orgId + "/contracts/" + contractId, orgId);
  }

  /**
   * Waits until every service knows the new contract (the status-service's API shows it ACTIVE,
   * the billing-service's book and the retry-service's view hold it), so that moving the clock to
   * its first charge cannot outrun a service still reading its registration.
   */
  void awaitRegistered(String orgId, String contractId) {
    awaitStatus(orgId, contractId, "ACTIVE");
    await().atMost(Duration.ofSeconds(30)).until(() ->
        registeredInBilling(contractId) && stored(Service.RETRY, "contract_views", contractId));
  }

  /** Billing's ledger holds the registration (a status snapshot may have come first and made a stub of it). */
  private boolean registeredInBilling(String contractId) {
    var ledger = document(Service.BILLING, "billed_contracts", contractId);
    return ledger != null && Boolean.TRUE.equals(ledger.getBoolean("registered"));
  }

  /** Waits until billing's ledger holds the status for the contract (it reads the snapshots on its own). */
  void awaitBillingKnows(String contractId, String status) {
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      var ledger = document(Service.BILLING, "billed_contracts", contractId);
      return ledger != null && status.equals(ledger.getString("status"));
    });
  }

  /** Billing's ledger has a charge of the contract at the processor, its answer not back yet. */
  boolean chargeInFlight(String contractId) {
    var ledger = document(Service.BILLING, "billed_contracts", contractId);
    return ledger != null && ledger.get("inFlight") != null;
  }

  private boolean stored(Service service, String collection, String contractId) {
    return document(service, collection, contractId) != null;
  }

  void awaitStatus(String orgId, String contractId, String status) {
    await().atMost(Duration.ofSeconds(30)).until(() -> status.equals(statusOf(orgId, contractId)));
  }

  String statusOf(String orgId, String contractId) {
    try {
      return contract(orgId, contractId).get("status").asString();
    } catch (IllegalStateException notYetKnown) {
      return null;
    }
  }

  /**
   * The charges made for the contract, succeeded or failed, as the billing-service published them
   * (one per event id, as every consumer de-duplicates; refusals are not charges).
   */
  List<String> charges(String contractId) {
    var charges = new ArrayList<String>();
    var seen = new java.util.HashSet<String>();
    for (var event : events(contractId)) {
      if (event instanceof PaymentSucceeded s && seen.add(s.getHeader().getEventId())) {
        charges.add(s.getKind() + " paid");
      } else if (event instanceof PaymentFailed f
          && !"REFUSED".equals(f.getFailureClass().name()) && seen.add(f.getHeader().getEventId())) {
        charges.add(f.getKind() + " failed");
      }
    }
    return charges;
  }

  /** The codes of the charges billing refused for the contract (nothing reached the processor). */
  List<String> refusals(String contractId) {
    return events(contractId, PaymentFailed.class).stream()
        .filter(f -> "REFUSED".equals(f.getFailureClass().name()))
        .map(f -> f.getKind() + " " + f.getFailureCode()).distinct().toList();
  }

  /** How many records of {@code type} about the contract were read more than once (the same event id). */
  long duplicated(String contractId, Class<? extends SpecificRecord> type) {
    var counts = new HashMap<String, Integer>();
    for (var event : events(contractId)) {
      if (type.isInstance(event)) {
        counts.merge(header(event).getEventId(), 1, Integer::sum);
      }
    }
    return counts.values().stream().filter(n -> n > 1).count();
  }

  static EventHeader header(SpecificRecord event) {
    return (EventHeader) event.get(event.getSchema().getField("header").pos());
  }

  /** Every event about the contract, by record type, in the order read. */
  List<String> eventTypes(String contractId) {
    return events(contractId).stream().map(event -> event.getClass().getSimpleName()).toList();
  }

  <T extends SpecificRecord> List<T> events(String contractId, Class<T> type) {
    return events(contractId).stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Every record about the contract, in the order read. */
  List<SpecificRecord> events(String contractId) {
    return events.getOrDefault(contractId, List.of());
  }

  // --- the APIs

  JsonNode get(Service service, String path, String orgId) {
    return JSON.readTree(DemoOrganisation.Http.send(request(service, path, orgId).GET().build()));
  }

  JsonNode post(Service service, String path, String orgId, String body) {
    return JSON.readTree(DemoOrganisation.Http.send(request(service, path, orgId)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build()));
  }

  JsonNode put(Service service, String path, String orgId, String body) {
    return JSON.readTree(DemoOrganisation.Http.send(request(service, path, orgId)
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build()));
  }

  /**
   * The sum of a service's Prometheus measure {@code name} over the series whose labels contain
   * every one of {@code labels} (such as {@code outcome="FAILED"}), as the endpoints of all its
   * instances show it now.
   */
  double measure(Service service, String name, String... labels) {
    return system.instances(service).stream()
        .map(instance -> DemoOrganisation.Http.send(HttpRequest.newBuilder(URI.create(LocalSystem.url(instance) + "/actuator/prometheus"))
            .header("Authorization", "Bearer " + operatorToken()).GET().build()))
        .flatMap(String::lines)
        .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
        .filter(line -> java.util.Arrays.stream(labels).allMatch(line::contains))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** The names of the measures every instance of every service serves now. */
  java.util.Set<String> measureNames() {
    var names = new java.util.TreeSet<String>();
    for (var service : Service.values()) {
      for (var instance : system.instances(service)) {
        DemoOrganisation.Http.send(HttpRequest.newBuilder(URI.create(LocalSystem.url(instance) + "/actuator/prometheus"))
                .header("Authorization", "Bearer " + operatorToken()).GET().build())
            .lines().filter(line -> !line.startsWith("#") && !line.isBlank())
            .map(line -> line.split("[{ ]", 2)[0]).forEach(names::add);
      }
    }
    return names;
  }

  private HttpRequest.Builder request(Service service, String path, String orgId) {
    return HttpRequest.newBuilder(URI.create(system.url(service) + path)).header("Authorization", "Bearer " + token(orgId));
  }

  /** An administrator's token of {@code orgId}, issued by the identity provider the services trust. */
  static String token(String orgId) {
    return IDENTITY.token(orgId);
  }

  /** An operator's token: the measures are the operators', not an organisation's. */
  static String operatorToken() {
    return IDENTITY.operatorToken(Duration.ofMinutes(10));
  }

  /**
   * A request of the console's page, as a browser on the status-service's console sends it to the
   * crm-sync-service's integration API at the address the console is given: {@code method} with
   * the console's origin, or the preflight of such a request from {@code origin} when {@code
   * preflight}. The answer as it is, whatever its status.
   */
  HttpResponse<String> fromTheConsole(String orgId, String method, String path, String origin, boolean preflight) {
    var config = DemoOrganisation.Http.send(HttpRequest.newBuilder(URI.create(system.url(Service.STATUS) + "/console/config.json")).build());
    var api = JSON.readTree(config).path("salesforceApi").asString();
    var request = HttpRequest.newBuilder(URI.create(api + "/api/orgs/" + orgId + "/salesforce" + path)).header("Origin", origin);
    request = preflight
        ? request.method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Access-Control-Request-Method", method)
            .header("Access-Control-Request-Headers", "authorization,content-type")
        : request.method(method, HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + token(orgId));
    try {
      return java.net.http.HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The console's own address, the origin of its pages. */
  String consoleOrigin() {
    return system.url(Service.STATUS);
  }

  void configureSalesforce(String orgId) {
    DemoOrganisation.configureSalesforce(system.url(Service.CRM_SYNC), orgId, token(orgId), salesforce);
  }

  /** What the stub org shows in the status field of the contract's record. */
  Object salesforceStatus(String contractId) {
    return salesforce.record(contractId).get("Status__c");
  }

  /**
   * Waits until the stub org shows {@code value} for the contract, moving the clock past the
   * crm-sync's linger (a part batch leaves when its oldest change has waited that long) on every
   * look: the change may reach the crm-sync only after the first move, and would then wait for a
   * clock that no longer moves. At most a few simulated minutes pass, never a schedule's hour.
   */
  void awaitSalesforceShows(String contractId, String value) {
    try {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
        CLOCK.advance(Duration.ofSeconds(3));
        return value.equals(salesforceStatus(contractId));
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("Salesforce shows " + salesforceStatus(contractId) + " for " + contractId + ", not " + value
          + "; where the change stands: " + whereItStands(contractId), e);
    }
  }

  /** The contract as each store on its way to Salesforce holds it, and the leases on that way. */
  private String whereItStands(String contractId) {
    var status = document(Service.STATUS, "contracts", contractId);
    var mirror = document(Service.CRM_SYNC, "crm_contracts", contractId);
    var organisation = mirror == null ? null : document(Service.CRM_SYNC, "crm_organisations", mirror.getString("orgId"));
    return "clock " + CLOCK.instant()
        + "; status-service " + (status == null ? null : new Document("status", status.get("status"))
            .append("version", status.get("version")).append("hasPendingWork", status.get("hasPendingWork")).toJson())
        + "; status relay lease " + document(Service.STATUS, "leases", "status-outbox")
        + "; crm-sync mirror " + (mirror == null ? null : mirror.toJson())
        + "; crm-sync organisation " + (organisation == null ? null : new Document("pausedUntil", organisation.get("pausedUntil"))
            .append("nextCallAt", organisation.get("nextCallAt")).toJson())
        + "; crm-sync lease " + (mirror == null ? null : document(Service.CRM_SYNC, "leases", "salesforce-sync:" + mirror.getString("orgId")));
  }

  private Document document(Service service, String collection, String id) {
    return collection(service, collection).find(new Document("_id", id)).first();
  }

  /** Where the service's database holds {@code text}: "collection/id" of every document whose JSON contains it. */
  List<String> stored(Service service, String text) {
    var context = system.context(service);
    var database = context.getBean(MongoClient.class).getDatabase(context.getEnvironment().getProperty("spring.mongodb.database"));
    var found = new java.util.ArrayList<String>();
    for (var name : database.listCollectionNames()) {
      for (var document : database.getCollection(name).find()) {
        if (document.toJson().contains(text)) {
          found.add(name + "/" + document.get("_id"));
        }
      }
    }
    return found;
  }

  /** A collection of the service's database, as its first instance reaches it. */
  com.mongodb.client.MongoCollection<Document> collection(Service service, String collection) {
    var context = system.context(service);
    var database = context.getEnvironment().getProperty("spring.mongodb.database");
    return context.getBean(MongoClient.class).getDatabase(database).getCollection(collection);
  }

  Endpoints endpoints() {
    return endpoints;
  }

  Map<String, Object> salesforceRecord(String contractId) {
    return salesforce.record(contractId);
  }

  @Override
  public void close() throws InterruptedException {
    reading = false;
    reader.join(5_000);
    forms.close();
    system.close();
    salesforce.close();
  }
}
