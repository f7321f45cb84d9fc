package io.tsuzuku.kit.outbox;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import io.tsuzuku.schemas.Topics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.bson.Document;

/**
 * The schemas outbox messages were written with, referenced by fingerprint (Avro's 64-bit
 * parsing fingerprint, 16 hex digits) instead of carried whole in every message. This version's
 * schemas are known by their classes; a store that keeps outboxes holds every schema of the
 * version that writes into it ({@code writer_schemas}, stored when a service opens its outboxes),
 * so an instance of another version (a rolling deploy, a roll-back) resolves a fingerprint it does
 * not know there, once. A message of an older version that carries its schema's JSON still reads.
 */
public final class WriterSchemas {

  /** The collection, in every database that holds outboxes, of the schemas written into it. */
  public static final String COLLECTION = "writer_schemas";

  private static final ClassValue<String> FINGERPRINTS = new ClassValue<>() {
    @Override
    protected String computeValue(Class<?> type) {
      var schema = SpecificData.get().getSchema(type);
      var fingerprint = fingerprint(schema);
      KNOWN.put(fingerprint, schema);
      return fingerprint;
    }
  };
  private static final Map<String, Schema> KNOWN = new ConcurrentHashMap<>();
  private static final Map<String, Schema> PARSED = new ConcurrentHashMap<>();
  private static final List<Function<String, String>> STORES = new CopyOnWriteArrayList<>();
  private static final Set<String> STORED_IN = ConcurrentHashMap.newKeySet();

  private WriterSchemas() {}

  /** The fingerprint of the schema this version writes records of {@code type} with. */
  public static String of(Class<? extends SpecificRecord> type) {
    return FINGERPRINTS.get(type);
  }

  static String fingerprint(Schema schema) {
    return String.format("%016x", SchemaNormalization.parsingFingerprint64(schema));
  }

  /**
   * The schema a message's {@code writerSchema} names: a fingerprint, or the schema's JSON (a
   * message of an older version); null when no store this instance reads knows the fingerprint.
   */
  static Schema schema(Class<? extends SpecificRecord> type, String writerSchema) {
    if (writerSchema.startsWith("{")) {
      return PARSED.computeIfAbsent(writerSchema, json -> new Schema.Parser().parse(json));
    }
    if (writerSchema.equals(of(type))) {
      return SpecificData.get().getSchema(type);
    }
    var known = KNOWN.get(writerSchema);
    if (known != null) {
      return known;
    }
    for (var store : STORES) {
      var json = store.apply(writerSchema);
      if (json != null) {
        var schema = new Schema.Parser().parse(json);
        KNOWN.put(writerSchema, schema);
        return schema;
      }
    }
    return null;
  }

  /**
   * Stores this version's schema of every record type on the bus in {@code database}'s {@link
   * #COLLECTION} (once per database and process, before the first message is written there), and
   * reads the schemas of other versions from it.
   */
  public static void storeIn(MongoDatabase database) {
    if (!STORED_IN.add(database.getName())) {
      return;
    }
    var collection = database.getCollection(COLLECTION);
    List<WriteModel<Document>> upserts = Topics.all().stream().flatMap(topic -> topic.recordTypes().stream()).distinct()
        .<WriteModel<Document>>map(type -> new UpdateOneModel<>(eq("_id", of(type)),
            Updates.setOnInsert("schema", SpecificData.get().getSchema(type).toString()), new UpdateOptions().upsert(true)))
        .toList();
    try {
      collection.bulkWrite(upserts, new BulkWriteOptions().ordered(false));
    } catch (RuntimeException e) {
      STORED_IN.remove(database.getName()); // tried again by the next store that opens
      throw e;
    }
    readFrom(fingerprint -> {
      var stored = collection.find(eq("_id", fingerprint)).first();
      return stored == null ? null : stored.getString("schema");
    });
  }

  /** Resolves fingerprints this version does not know from {@code store} too (a schema's JSON, or null). */
  static void readFrom(Function<String, String> store) {
    STORES.add(store);
  }
}
