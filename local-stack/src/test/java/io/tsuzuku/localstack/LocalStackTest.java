package io.tsuzuku.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local stack attaches to servers on this machine only. */
class LocalStackTest {

  @Test
  void serversOnTheLoopbackAddressAreUsed() {
    assertThat(LocalStack.notOnThisMachine(Map.of())).isEmpty();
    assertThat(LocalStack.notOnThisMachine(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092,localhost:9093",
        "SCHEMA_REGISTRY_URL", "http://localhost:8081", "MONGODB_URI", "mongodb://user:pw@127.0.0.1:27017,[::1]:27018/db?x=1"))).isEmpty();
  }

  @Test
  void aServerElsewhereIsRefusedNamingTheVariable() {
    assertThat(LocalStack.notOnThisMachine(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092,10.0.0.7:9092")))
        .hasValueSatisfying(why -> assertThat(why).startsWith("KAFKA_BOOTSTRAP_SERVERS names 10.0.0.7, which is not this machine"));
    assertThat(LocalStack.notOnThisMachine(Map.of("SCHEMA_REGISTRY_URL", "https://registry.example.com/apis")))
        .hasValueSatisfying(why -> assertThat(why).startsWith("SCHEMA_REGISTRY_URL names registry.example.com"));
    assertThat(LocalStack.notOnThisMachine(Map.of("MONGODB_URI", "mongodb+srv://u:p@cluster0.example.net/tsuzuku")))
        .hasValueSatisfying(why -> assertThat(why).startsWith("MONGODB_URI names cluster0.example.net"));
    assertThat(LocalStack.notOnThisMachine(Map.of("MONGODB_URI", "mongodb://127.0.0.1:27017,192.168.1.5:27017")))
        .hasValueSatisfying(why -> assertThat(why).startsWith("MONGODB_URI names 192.168.1.5"));
  }
}
