package dev.anet.boot.test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import dev.anet.boot.autoconfigure.AnetAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The {@link AnetTestClient} of {@link AnetHandlerTest @AnetHandlerTest}: it calls the
 * application's anet server at {@code anet.server.address} (the loopback address when that is a
 * wildcard) and {@code local.anet.server.port}, read when the first request is sent.
 */
@AutoConfiguration(after = AnetAutoConfiguration.class)
public final class AnetTestClientAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	AnetTestClient anetTestClient(Environment environment) {
		return new AnetTestClient(() -> address(environment), AnetTestClient.DEFAULT_TIMEOUT);
	}

	private static InetSocketAddress address(Environment environment) {
		Integer port = environment.getProperty("local.anet.server.port", Integer.class);
		if (port == null) {
			throw new IllegalStateException("No anet server is running (local.anet.server.port is not set): "
					+ "the test's context has no @AnetHandler bean, or anet.server.enabled is false");
		}
		String host = environment.getProperty("anet.server.address", "127.0.0.1");
		try {
			InetAddress address = InetAddress.getByName(host);
			return new InetSocketAddress(address.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : address, port);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("anet.server.address '" + host + "' cannot be resolved", ex);
		}
	}

}
