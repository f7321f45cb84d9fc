package io.tsuzuku.crmsync.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Updates;
import io.tsuzuku.crmsync.application.Organisation;
import io.tsuzuku.crmsync.application.Organisation.Connection;
import io.tsuzuku.crmsync.application.Organisation.Reconfiguration;
import io.tsuzuku.crmsync.application.Organisation.SyncState;
import io.tsuzuku.crmsync.application.port.OrganisationStore;
import io.tsuzuku.crmsync.domain.ApiUsage;
import io.tsuzuku.crmsync.domain.ExtraFields;
import io.tsuzuku.crmsync.domain.MappingMode;
import io.tsuzuku.crmsync.domain.SalesforceMapping;
import io.tsuzuku.crmsync.domain.Status;
import io.tsuzuku.crmsync.domain.WrittenValue;
import io.tsuzuku.kit.MongoInserts;
import io.tsuzuku.kit.MongoLeases;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * One document per organisation in {@code crm_organisations}: its settings (written by the API,
 * guarded by their revision) and its sync's state (written by the sync). Each writer sets only its
 * own fields. The sync's lease, one instance at a time per organisation, is the service kit's
 * ({@link MongoLeases}, {@code salesforce-sync:<orgId>}).
 */
public final class MongoOrganisationStore implements OrganisationStore {

  private final MongoCollection<Document> organisations;
  private final MongoLeases leases;
  private final SecretCipher cipher;

  /** @param cipher seals the client secrets: they are never stored as given */
  public MongoOrganisationStore(MongoDatabase database, SecretCipher cipher) {
    this.organisations = database.getCollection("crm_organisations");
    this.leases = new MongoLeases(database);
    this.cipher = cipher;
  }

  /**
   * Seals every client secret with the current key: those sealed with a previous key (after a
   * rotation) and those stored before secrets were encrypted. Returns how many it sealed again.
   */
  public int sealSecretsWithTheCurrentKey() {
    int sealed = 0;
    for (var document : organisations.find().into(new ArrayList<>())) {
      var settings = document.get("settings", Document.class);
      if (settings == null) {
        continue;
      }
      var stored = sealedOf(settings);
      if (stored != null && cipher.isCurrent(stored)) {
        continue;
      }
      var secret = stored != null ? cipher.open(stored) : settings.getString("clientSecret");
      if (secret == null) {
        continue;
      }
      organisations.updateOne(eq("_id", document.get("_id")), com.mongodb.client.model.Updates.combine(
          com.mongodb.client.model.Updates.set("settings.secret", sealed(cipher.seal(secret))),
          com.mongodb.client.model.Updates.unset("settings.clientSecret")));
      sealed++;
    }
    return sealed;
  }

  private static Document sealed(SecretCipher.Sealed sealed) {
    return new Document("keyId", sealed.keyId()).append("cipherText", sealed.cipherText());
  }

  private static SecretCipher.Sealed sealedOf(Document settings) {
    var secret = settings.get("secret", Document.class);
    return secret == null ? null : new SecretCipher.Sealed(secret.getString("keyId"), secret.getString("cipherText"));
  }

  @Override
  public Optional<Organisation> find(String orgId) {
    return Optional.ofNullable(organisations.find(eq("_id", orgId)).first()).map(this::organisation);
  }

  @Override
  public List<String> organisationIds() {
    var ids = new ArrayList<String>();
    organisations.find().projection(Projections.include("_id")).forEach(d -> ids.add(d.getString("_id")));
    return ids;
  }

  /** Saving the settings also ends a pause: the administrator may just have fixed what failed. */
  @Override
  public boolean save(Organisation organisation, long expectedRevision) {
    var settings = settings(organisation);
    if (expectedRevision == 0) {
      return MongoInserts.insertOnce(organisations, new Document("_id", organisation.orgId()).append("failures", 0)
          .append("settings", settings).append("revision", organisation.revision()));
    }
    var updates = new ArrayList<Bson>(List.of(
        Updates.set("settings", settings), Updates.set("revision", organisation.revision()), Updates.unset("pausedUntil")));
    var reconfiguration = organisation.state().reconfiguration();
    if (reconfiguration != null) {
      updates.add(Updates.set("reconfiguration", reconfiguration(reconfiguration)));
    }
    return organisations.updateOne(new Document("_id", organisation.orgId()).append("revision", expectedRevision), Updates.combine(updates))
        .getMatchedCount() > 0;
  }

  @Override
  public boolean claim(String orgId, String owner, Instant now, Instant until) {
    return leases.named("salesforce-sync:" + orgId).hold(owner, now, until);
  }

  @Override
  public void release(String orgId, String owner) {
    leases.named("salesforce-sync:" + orgId).release(owner);
  }

  @Override
  public void recordCall(String orgId, ApiUsage usage, Instant at, Instant nextCallAt) {
    var updates = new ArrayList<Bson>(List.of(
        Updates.set("failures", 0), Updates.unset("pausedUntil"), Updates.set("lastCallAt", Date.from(at)), Updates.set("nextCallAt", Date.from(nextCallAt))));
    if (usage != null) {
      updates.add(Updates.set("apiUsage", new Document("used", usage.used()).append("limit", usage.limit())));
    }
    organisations.updateOne(eq("_id", orgId), Updates.combine(updates));
  }

  @Override
  public void pause(String orgId, int failures, Instant until, String reason, Instant at) {
    organisations.updateOne(
        eq("_id", orgId),
        Updates.combine(
            Updates.set("failures", failures), Updates.set("pausedUntil", Date.from(until)),
            Updates.set("lastError", reason), Updates.set("lastErrorAt", Date.from(at))));
  }

  @Override
  public boolean reconfigurationProgress(String orgId, long revision, String cursor, long scanned, long marked, boolean scanFinished) {
    return organisations.updateOne(
        new Document("_id", orgId).append("reconfiguration.revision", revision),
        Updates.combine(
            Updates.set("reconfiguration.cursor", cursor), Updates.set("reconfiguration.scanned", scanned),
            Updates.set("reconfiguration.marked", marked), Updates.set("reconfiguration.scanFinished", scanFinished)))
        .getMatchedCount() > 0;
  }

  private Document settings(Organisation organisation) {
    var connection = organisation.connection();
    var mapping = organisation.mapping();
    var values = new Document();
    mapping.values().forEach((mode, table) -> {
      var byStatus = new Document();
      table.forEach((status, value) -> byStatus.append(status.name(), new Document("status", value.status()).append("reason", value.reason())));
      values.append(mode.name(), byStatus);
    });
    var extra = mapping.extraFields();
    return new Document("loginUrl", connection.loginUrl())
        .append("clientId", connection.clientId())
        .append("secret", connection.clientSecret() == null ? null : sealed(cipher.seal(connection.clientSecret())))
        .append("objectApiName", mapping.objectApiName())
        .append("externalIdField", mapping.externalIdField())
        .append("statusField", mapping.statusField())
        .append("statusReasonField", mapping.statusReasonField())
        .append("mode", mapping.mode().name())
        .append("values", values)
        .append("extraFields", new Document("errorSince", extra.errorSince()).append("lastFailure", extra.lastFailure())
            .append("nextRetry", extra.nextRetry()).append("lastRepaymentRequest", extra.lastRepaymentRequest())
            .append("repaymentRequests", extra.repaymentRequests()).append("cardUpdated", extra.cardUpdated()));
  }

  private static Document reconfiguration(Reconfiguration r) {
    return new Document("revision", r.revision()).append("from", r.from().name()).append("to", r.to().name())
        .append("startedAt", Date.from(r.startedAt())).append("cursor", r.cursor()).append("scanned", r.scanned())
        .append("marked", r.marked()).append("scanFinished", r.scanFinished());
  }

  private Organisation organisation(Document d) {
    var s = d.get("settings", Document.class);
    var values = new EnumMap<MappingMode, Map<Status, WrittenValue>>(MappingMode.class);
    s.get("values", Document.class).forEach((mode, table) -> {
      var byStatus = new EnumMap<Status, WrittenValue>(Status.class);
      ((Document) table).forEach((status, value) -> {
        var v = (Document) value;
        byStatus.put(Status.valueOf(status), new WrittenValue(v.getString("status"), v.getString("reason")));
      });
      values.put(MappingMode.valueOf(mode), byStatus);
    });
    var extra = s.get("extraFields", Document.class);
    var mapping = new SalesforceMapping(
        s.getString("objectApiName"), s.getString("externalIdField"), s.getString("statusField"), s.getString("statusReasonField"),
        MappingMode.valueOf(s.getString("mode")), values,
        new ExtraFields(extra.getString("errorSince"), extra.getString("lastFailure"), extra.getString("nextRetry"),
            extra.getString("lastRepaymentRequest"), extra.getString("repaymentRequests"), extra.getString("cardUpdated")));
    var sealed = sealedOf(s);
    var connection = new Connection(s.getString("loginUrl"), s.getString("clientId"),
        sealed != null ? cipher.open(sealed) : s.getString("clientSecret"));
    var usage = d.get("apiUsage", Document.class);
    var r = d.get("reconfiguration", Document.class);
    var state = new SyncState(
        d.get("failures", 0), instant(d.getDate("pausedUntil")), d.getString("lastError"), instant(d.getDate("lastErrorAt")),
        usage == null ? null : new ApiUsage(usage.get("used", Number.class).longValue(), usage.get("limit", Number.class).longValue()),
        instant(d.getDate("lastCallAt")), instant(d.getDate("nextCallAt")),
        r == null ? null : new Reconfiguration(
            r.get("revision", Number.class).longValue(), MappingMode.valueOf(r.getString("from")), MappingMode.valueOf(r.getString("to")),
            instant(r.getDate("startedAt")), r.getString("cursor"), r.get("scanned", Number.class).longValue(),
            r.get("marked", Number.class).longValue(), r.getBoolean("scanFinished")));
    return new Organisation(d.getString("_id"), connection, mapping, d.get("revision", Number.class).longValue(), state);
  }

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }
}
