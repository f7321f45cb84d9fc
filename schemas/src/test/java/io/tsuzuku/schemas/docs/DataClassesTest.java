package io.tsuzuku.schemas.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsuzuku.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

/**
 * The catalogue's "Personal and secret data" is only as true as the schemas' marks: every card
 * token is marked secret, every field of a supporter personal, and no field carries another mark.
 */
class DataClassesTest {

  @Test
  void everyTokenIsSecretEverySupporterFieldPersonalAndNoOtherMarkIsUsed() {
    var unmarked = new ArrayList<String>();
    var unknownMarks = new ArrayList<String>();
    for (var topic : Topics.all()) {
      for (var type : topic.recordTypes()) {
        var schema = SpecificData.get().getSchema(type);
        check(schema, schema.getName(), unmarked, unknownMarks);
      }
    }

    assertThat(unmarked).as("fields that carry a token or a supporter's data without their mark").isEmpty();
    assertThat(unknownMarks).as("marks other than personal and secret").isEmpty();
  }

  /**
   * A token reaches one reader only: on a topic several read, each field marked secret is sealed
   * for one of them, and a sealed field names a reader of its topic, or, when the topic's reader
   * passes it on sealed ({@code relayedTo}), a reader of the topic that reader writes it to.
   */
  @Test
  void everySecretFieldOnATopicSeveralReadIsSealedForOneOfThem() {
    var exposed = new ArrayList<String>();
    for (var topic : Topics.all()) {
      for (var type : topic.recordTypes()) {
        var schema = SpecificData.get().getSchema(type);
        for (var field : schema.getFields()) {
          var sealedFor = field.getProp(EventCatalogue.SEALED_FOR);
          var readers = Optional.ofNullable(field.getProp(EventCatalogue.RELAYED_TO)).map(name -> Topics.byName(name)
              .filter(next -> topic.readers().contains(next.writer()))
              .orElseThrow(() -> new AssertionError(schema.getName() + "." + field.name() + " relayed to " + name
                  + ", which no reader of " + topic.name() + " writes")).readers()).orElse(topic.readers());
          if (sealedFor != null && !readers.contains(sealedFor)) {
            exposed.add(schema.getName() + "." + field.name() + " sealed for " + sealedFor + ", who does not read " + topic.name());
          }
          if ("secret".equals(field.getProp(EventCatalogue.DATA)) && topic.readers().size() > 1 && sealedFor == null) {
            exposed.add(schema.getName() + "." + field.name() + " read by " + topic.readers());
          }
          // a secret meant for the supporter goes to the mailers alone, who put it in the message
          if (field.getProp("deliveredTo") != null && (!"secret".equals(field.getProp(EventCatalogue.DATA))
              || !topic.readers().equals(java.util.List.of(Topics.MAILERS)))) {
            exposed.add(schema.getName() + "." + field.name() + " delivered to the supporter by " + topic.readers());
          }
        }
      }
    }
    assertThat(exposed).isEmpty();
  }

  private static void check(Schema schema, String path, List<String> unmarked, List<String> unknownMarks) {
    if (schema.getType() == Schema.Type.UNION) {
      schema.getTypes().forEach(member -> check(member, path, unmarked, unknownMarks));
      return;
    }
    if (schema.getType() != Schema.Type.RECORD) {
      return;
    }
    for (var field : schema.getFields()) {
      var at = path + "." + field.name();
      var mark = field.getProp(EventCatalogue.DATA);
      if (mark != null && !List.of("personal", "secret").contains(mark)) {
        unknownMarks.add(at + "=" + mark);
      }
      if (field.name().toLowerCase().endsWith("token") && !"secret".equals(mark)
          || schema.getName().equals("Supporter") && !"personal".equals(mark)) {
        unmarked.add(at);
      }
      check(field.schema(), at, unmarked, unknownMarks);
    }
  }
}
