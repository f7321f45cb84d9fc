package io.tsuzuku.kit;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Each application context owns its Netty event loops and connection pools instead of Reactor
 * Netty's global ones. Where several contexts share a JVM (the local stack's four services, the
 * integration tests that close a context after each class), closing one context would otherwise
 * dispose the global resources under the others: their next request hangs. Every service gets
 * this, like the serde settings.
 */
@AutoConfiguration(beforeName = {
    "org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration",
    "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration"})
@ConditionalOnClass(name = "reactor.netty.http.HttpResources", value = ReactorResourceFactory.class)
public class OwnNettyResourcesAutoConfiguration {

  @Bean
  ReactorResourceFactory reactorResourceFactory() {
    var factory = new ReactorResourceFactory();
    factory.setUseGlobalResources(false);
    return factory;
  }
}
