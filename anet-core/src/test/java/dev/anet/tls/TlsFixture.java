package dev.anet.tls;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLContext;

import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.pool.PoolListener;
import dev.anet.server.AnetServer;
import dev.anet.server.Handler;
import dev.anet.server.ServerConfig;
import dev.anet.server.ServerListener;
import dev.anet.testsupport.TestCertificates;
import org.jspecify.annotations.Nullable;

/**
 * Servers and brokers over TLS on loopback for the TLS tests, with the test certificates; close it
 * from {@code @AfterEach}.
 */
final class TlsFixture implements AutoCloseable {

	private final List<AutoCloseable> resources = new ArrayList<>();

	/** Every handshake the servers and pools of this fixture reported. */
	final Handshakes handshakes = new Handshakes();

	static TlsConfig.Builder serverTls() {
		return TlsConfig.builder().sslContext(TestCertificates.server());
	}

	static TlsConfig.Builder clientTls() {
		return TlsConfig.builder().sslContext(TestCertificates.client());
	}

	AnetServer server(@Nullable TlsConfig tls, Handler handler) {
		return server(ServerConfig.builder().tls(tls), handler);
	}

	AnetServer server(ServerConfig.Builder config, Handler handler) {
		AnetServer server = new AnetServer(config.address("127.0.0.1").port(0).build(), handler, this.handshakes);
		this.resources.add(server::stop);
		server.start();
		return server;
	}

	Broker broker(String host, AnetServer server, @Nullable TlsConfig tls, int capacity) {
		return broker(host + ":" + server.port(), PoolConfig.builder().capacity(capacity).tls(tls), BrokerConfig.defaults());
	}

	Broker broker(String address, PoolConfig.Builder pool, BrokerConfig config) {
		PoolGroup pools = new PoolGroup(List.of(dev.anet.pool.Addresses.parse(address)), pool.build(),
				this.handshakes);
		Broker broker = new Broker(pools, config);
		this.resources.add(broker);
		return broker;
	}

	static SSLContext context(String keyStore, String trustStore) {
		return TestCertificates.context(keyStore, trustStore);
	}

	@Override
	public void close() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	/** One reported handshake. */
	record Handshake(TlsSide side, InetSocketAddress peer, long nanos, @Nullable Throwable failure) {

		boolean succeeded() {
			return this.failure == null;
		}

	}

	/** Records the handshakes of pools and servers. */
	static final class Handshakes implements ServerListener, PoolListener {

		final List<Handshake> all = new CopyOnWriteArrayList<>();

		@Override
		public void tlsHandshake(TlsSide side, InetSocketAddress peer, long nanos, @Nullable Throwable failure) {
			this.all.add(new Handshake(side, peer, nanos, failure));
		}

		long count(TlsSide side, boolean success) {
			return this.all.stream().filter((h) -> h.side() == side && h.succeeded() == success).count();
		}

		List<Handshake> failures(TlsSide side) {
			return this.all.stream().filter((h) -> h.side() == side && !h.succeeded()).toList();
		}

	}

	static Duration seconds(int n) {
		return Duration.ofSeconds(n);
	}

}
