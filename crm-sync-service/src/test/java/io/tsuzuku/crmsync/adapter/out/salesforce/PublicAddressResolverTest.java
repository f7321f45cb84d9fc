package io.tsuzuku.crmsync.adapter.out.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Which addresses a Salesforce call may connect to. */
class PublicAddressResolverTest {

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "0.0.0.0", "10.0.0.5", "172.16.0.1", "172.31.255.255", "192.168.1.1",
      "169.254.169.254", "100.64.0.1", "100.127.255.254", "192.0.0.8", "198.18.0.1", "224.0.0.1", "240.0.0.1", "255.255.255.255",
      "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::127.0.0.1"})
  void addressesOfThisNetworkOrNoneAreNotPublic(String address) throws Exception {
    assertThat(PublicAddressResolver.isPublic(InetAddress.getByName(address))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"13.110.1.1", "85.222.128.1", "100.63.255.255", "100.128.0.1", "172.32.0.1", "8.8.8.8",
      "2a01:4f8::1", "2001:4860:4860::8888", "::ffff:8.8.8.8"})
  void addressesOfTheInternetArePublic(String address) throws Exception {
    assertThat(PublicAddressResolver.isPublic(InetAddress.getByName(address))).isTrue();
  }

  @Test
  void aNameResolvingToLoopbackIsRefused() {
    assertThatThrownBy(() -> PublicAddressResolver.publicAddresses("localhost"))
        .isInstanceOf(PublicAddressResolver.NotPublic.class).hasMessageContaining("localhost");
  }
}
