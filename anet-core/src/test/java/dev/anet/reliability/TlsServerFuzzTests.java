package dev.anet.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLSocket;

import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.pool.Addresses;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.pool.PoolListener;
import dev.anet.server.AnetServer;
import dev.anet.server.ServerConfig;
import dev.anet.testsupport.TestCertificates;
import dev.anet.tls.TlsConfig;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Random bytes into a TLS {@link AnetServer}: instead of a ClientHello, or as records after a real
 * handshake. Each case's connection must be closed by the server (it reads end of stream, or a
 * reset), at once or, for part of a record, after the handshake timeout or the read timeout; and a
 * healthy TLS broker beside them must be served after every case.
 */
class TlsServerFuzzTests {

	private static final byte[] PING = "ping".getBytes(StandardCharsets.US_ASCII);

	/** Attacked before the handshake: incomplete records wait for its short handshake timeout. */
	private AnetServer beforeHandshake;

	/** Attacked after the handshake: incomplete records wait for its short read timeout. */
	private AnetServer afterHandshake;

	private final List<AutoCloseable> resources = new ArrayList<>();

	private Broker healthyBefore;

	private Broker healthyAfter;

	@BeforeProperty
	void start() {
		this.beforeHandshake = server(Duration.ofMillis(500), ServerConfig.DEFAULT_READ_TIMEOUT);
		this.afterHandshake = server(Duration.ofSeconds(10), Duration.ofMillis(500));
		this.healthyBefore = healthy(this.beforeHandshake);
		this.healthyAfter = healthy(this.afterHandshake);
	}

	private AnetServer server(Duration handshakeTimeout, Duration readTimeout) {
		AnetServer server = new AnetServer(ServerConfig.builder()
			.address("127.0.0.1")
			.port(0)
			.shutdownTimeout(Duration.ofSeconds(1))
			.readTimeout(readTimeout)
			.tls(TlsConfig.builder().sslContext(TestCertificates.server()).handshakeTimeout(handshakeTimeout).build())
			.build(), (connection, request) -> request);
		server.start();
		this.resources.add(server::stop);
		return server;
	}

	/** A broker whose one connection is open (dialled until a handshake made it in time). */
	private Broker healthy(AnetServer server) {
		Broker broker = new Broker(new PoolGroup(List.of(Addresses.parse("127.0.0.1:" + server.port())),
				PoolConfig.builder().capacity(1).tls(TlsConfig.builder().sslContext(TestCertificates.client()).build())
					.build(),
				PoolListener.NONE), BrokerConfig.defaults());
		this.resources.add(broker);
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
			.untilAsserted(() -> assertThat(broker.send(PING)).isEqualTo(PING));
		return broker;
	}

	@AfterProperty
	void stop() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
		this.resources.clear();
	}

	@Property(tries = 15)
	void randomBytesInsteadOfAHandshakeCloseOnlyTheirOwnConnection(@ForAll @Size(min = 1, max = 600) byte[] bytes)
			throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.beforeHandshake.port())) {
			sendAndExpectClose(socket, socket, bytes);
		}
		assertThat(this.healthyBefore.send(PING)).isEqualTo(PING);
	}

	@Property(tries = 15)
	void randomRecordsAfterAHandshakeCloseOnlyTheirOwnConnection(@ForAll @Size(min = 1, max = 600) byte[] bytes)
			throws IOException {
		int port = this.afterHandshake.port();
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
				SSLSocket tls = (SSLSocket) TestCertificates.client()
					.getSocketFactory()
					.createSocket(socket, "127.0.0.1", port, true)) {
			tls.startHandshake();
			sendAndExpectClose(socket, tls, bytes);
		}
		assertThat(this.healthyAfter.send(PING)).isEqualTo(PING);
	}

	/** Write the bytes on the raw socket, then expect the server to close (read through {@code reader}). */
	private void sendAndExpectClose(Socket raw, Socket reader, byte[] bytes) throws IOException {
		OutputStream out = raw.getOutputStream();
		out.write(bytes);
		out.flush();
		// a handshake fragment that is merely incomplete waits for the handshake timeout
		reader.setSoTimeout(10_000);
		InputStream in = reader.getInputStream();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			try {
				return in.read() < 0;
			}
			catch (IOException ex) {
				// reset, or the server's alert seen as an error: closed either way
				return true;
			}
		});
	}

}
