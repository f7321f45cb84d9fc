package io.tsuzuku.crmsync.adapter.out.salesforce;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Resolves the host names of Salesforce calls as the connection is made and refuses any whose
 * addresses are not public (loopback, private, link-local such as a cloud's metadata address,
 * shared, multicast, unspecified): the check a URL allow-list cannot make, since a name may point
 * elsewhere by the time it is used (DNS rebinding). The address checked is the address connected
 * to. An IP literal is not resolved; the allow-list admits one only where an entry names it (the
 * local stack's stub org).
 */
final class PublicAddressResolver extends AddressResolverGroup<InetSocketAddress> {

  /** A host name that resolved to an address that is not public. */
  static final class NotPublic extends UnknownHostException {
    final String host;

    NotPublic(String host) {
      super(host + " resolves to an address that is not public");
      this.host = host;
    }
  }

  @Override
  protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
    return new InetNameResolver(executor) {
      @Override
      protected void doResolve(String host, Promise<InetAddress> promise) {
        try {
          promise.setSuccess(publicAddresses(host).get(0));
        } catch (UnknownHostException e) {
          promise.setFailure(e);
        }
      }

      @Override
      protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
        try {
          promise.setSuccess(publicAddresses(host));
        } catch (UnknownHostException e) {
          promise.setFailure(e);
        }
      }
    }.asAddressResolver();
  }

  /** Every address of {@code host}, all of them public, or a refusal: one address elsewhere is enough to refuse. */
  static List<InetAddress> publicAddresses(String host) throws UnknownHostException {
    var addresses = Arrays.asList(InetAddress.getAllByName(host));
    if (addresses.stream().anyMatch(address -> !isPublic(address))) {
      throw new NotPublic(host);
    }
    return addresses;
  }

  static boolean isPublic(InetAddress address) {
    if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
        || address.isMulticastAddress()) {
      return false;
    }
    var bytes = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = bytes[0] & 0xff;
      int second = bytes[1] & 0xff;
      return first != 0 // "this network"
          && !(first == 100 && second >= 64 && second < 128) // shared address space (carrier-grade NAT)
          && !(first == 192 && second == 0 && (bytes[2] & 0xff) == 0) // IETF protocol assignments
          && !(first == 198 && (second == 18 || second == 19)) // benchmarking
          && first < 240; // reserved and broadcast
    }
    if (address instanceof Inet6Address) {
      return (bytes[0] & 0xfe) != 0xfc // unique local fc00::/7
          && !carriesIpv4ThatIsNotPublic(bytes);
    }
    return false;
  }

  /** ::ffff:a.b.c.d and ::a.b.c.d (the JDK reads the mapped form as IPv4 already), judged by the IPv4 address they carry. */
  private static boolean carriesIpv4ThatIsNotPublic(byte[] bytes) {
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    if (!((bytes[10] == 0 && bytes[11] == 0) || (bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff))) {
      return false;
    }
    try {
      return !isPublic(InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16)));
    } catch (UnknownHostException impossible) {
      return true;
    }
  }
}
