package io.tsuzuku.schemas;

import io.apicurio.registry.resolver.config.SchemaResolverConfig;
import io.apicurio.registry.serde.Default4ByteIdHandler;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import io.apicurio.registry.serde.avro.strategy.QualifiedRecordIdStrategy;
import io.apicurio.registry.serde.config.IdOption;
import io.apicurio.registry.serde.config.SerdeConfig;
import io.apicurio.registry.serde.kafka.config.KafkaSerdeConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The serde settings of every tsuzuku producer and consumer, in one place.
 *
 * <p>Values are Avro in the Confluent wire format: magic byte 0, a 4-byte schema id, the Avro
 * binary; no Kafka header is needed to decode them. The id is the registry's content id, which is what the registry's
 * Confluent-compatible API ({@code /apis/ccompat/v7/schemas/ids/{id}}) serves, so a team on
 * Confluent's own deserializer reads our topics unchanged.
 *
 * <p>Several topics carry more than one record type ({@code payment-outcomes}, {@code
 * retry-events}, {@code manual-retry-requested}). The default topic strategy would make every
 * record type of a topic a version of one artifact ({@code <topic>-value}), and the registry's
 * compatibility rule would then reject the second type. So each record type is its own artifact,
 * named by its full Avro name ({@link QualifiedRecordIdStrategy}, the equivalent of Confluent's
 * {@code RecordNameStrategy}): a type evolves on its own, and its compatibility is checked against
 * its own earlier versions, whatever topic carries it.
 *
 * <p>Schemas are registered dereferenced: one self-contained schema per record type, with the
 * shared types ({@code EventHeader}, the enums) inline, so readers need no schema references.
 */
public final class AvroSerdes {

  private AvroSerdes() {}

  /**
   * How long a schema's id, once resolved, is used without asking the registry again. A content id
   * never changes for its content, so an hour only spares the registry a lookup (and the log a
   * line) for every record type every 30 seconds, the serde's default.
   */
  static final Duration SCHEMA_ID_KEPT = Duration.ofHours(1);

  /** Registry settings shared by serializer and deserializer. */
  public static Map<String, Object> registrySettings(String registryUrl) {
    return Map.of(
        SerdeConfig.REGISTRY_URL, registryApiUrl(registryUrl),
        SchemaResolverConfig.CHECK_PERIOD_MS, SCHEMA_ID_KEPT.toMillis(),
        KafkaSerdeConfig.ENABLE_HEADERS, false,
        SerdeConfig.ID_HANDLER, Default4ByteIdHandler.class.getName(),
        SerdeConfig.USE_ID, IdOption.contentId.name(),
        SerdeConfig.ARTIFACT_RESOLVER_STRATEGY, QualifiedRecordIdStrategy.class.getName());
  }

  /**
   * Producer properties: String keys (the contract id), Avro values whose schema the registry
   * already holds (the deployment registered every record type; the registry lets no one else write).
   */
  public static Map<String, Object> producerSettings(String registryUrl) {
    return producerSettings(registryUrl, false);
  }

  /**
   * Producer properties. Without {@code autoRegister}, the serializer finds the schema the
   * registry already holds (the deployment's {@code RegisterSchemas} registered it) and registers
   * nothing.
   */
  public static Map<String, Object> producerSettings(String registryUrl, boolean autoRegister) {
    var settings = new HashMap<String, Object>(registrySettings(registryUrl));
    settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroKafkaSerializer.class.getName());
    settings.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, autoRegister);
    settings.put(SerdeConfig.AUTO_REGISTER_ARTIFACT_IF_EXISTS, "FIND_OR_CREATE_VERSION");
    settings.put(SerdeConfig.DEREFERENCE_SCHEMA, true);
    return Map.copyOf(settings);
  }

  /**
   * Consumer properties: String keys, Avro values read as the generated SpecificRecords and
   * checked against {@link RecordRules} ({@link CheckedAvroDeserializer}).
   */
  public static Map<String, Object> consumerSettings(String registryUrl) {
    var settings = new HashMap<String, Object>(registrySettings(registryUrl));
    settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    settings.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, CheckedAvroDeserializer.class.getName());
    settings.put(AvroSerdeConfig.USE_SPECIFIC_AVRO_READER, true);
    return Map.copyOf(settings);
  }

  /**
   * The serde's base URL: the registry's core API. Accepts the bare server address ({@code
   * http://host:port}), which is what the launchers and {@code SCHEMA_REGISTRY_URL} hold.
   */
  public static String registryApiUrl(String registryUrl) {
    var trimmed = registryUrl.replaceAll("/+$", "");
    return trimmed.contains("/apis/") ? trimmed : trimmed + "/apis/registry/v3";
  }
}
