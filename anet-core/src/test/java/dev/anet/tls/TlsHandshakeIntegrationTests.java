package dev.anet.tls;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import dev.anet.AnetException;
import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.pool.DialException;
import dev.anet.pool.PoolConfig;
import dev.anet.server.AnetServer;
import dev.anet.server.ServerConnection;
import dev.anet.testsupport.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Our broker against our server over TLS on loopback: what is verified, and how each refusal reads.
 */
class TlsHandshakeIntegrationTests {

	private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);

	private final TlsFixture fixture = new TlsFixture();

	@AfterEach
	void cleanUp() throws Exception {
		this.fixture.close();
	}

	private static byte[] echo(ServerConnection connection, byte[] request) {
		return request;
	}

	@Test
	void whenBothEndsTrustEachOtherThenRequestsAreServedOverTls13() {
		AtomicReference<ServerConnection> seen = new AtomicReference<>();
		AnetServer server = this.fixture.server(TlsFixture.serverTls().build(), (connection, request) -> {
			seen.set(connection);
			return request;
		});
		Broker broker = this.fixture.broker("127.0.0.1", server, TlsFixture.clientTls().build(), 1);

		assertThat(broker.send(HELLO)).isEqualTo(HELLO);
		assertThat(seen.get().tlsProtocol()).isEqualTo("TLSv1.3");
		assertThat(seen.get().peerCertificates()).isEmpty();
		assertThat(seen.get().peerPrincipal()).isNull();
		assertThat(this.fixture.handshakes.count(TlsSide.CLIENT, true)).isEqualTo(1);
		await().untilAsserted(() -> assertThat(this.fixture.handshakes.count(TlsSide.SERVER, true)).isEqualTo(1));
	}

	@Test
	void whenTheHostIsDialledByNameThenTheDnsNameOfTheCertificateMatches() {
		AnetServer server = this.fixture.server(TlsFixture.serverTls().build(), TlsHandshakeIntegrationTests::echo);
		Broker broker = this.fixture.broker("localhost", server, TlsFixture.clientTls().build(), 1);

		assertThat(broker.send(HELLO)).isEqualTo(HELLO);
	}

	@Test
	void whenTheServersCertificateNamesAnotherHostThenTheDialFailsWithHostnameMismatch() {
		AnetServer server = this.fixture.server(
				TlsConfig.builder().sslContext(TlsFixture.context("wrong-host.p12", "truststore.p12")).build(),
				TlsHandshakeIntegrationTests::echo);
		Broker broker = this.fixture.broker("127.0.0.1", server, TlsFixture.clientTls().build(), 1);

		assertThatThrownBy(() -> broker.send(HELLO)).isInstanceOf(AnetException.class)
			.satisfies((ex) -> assertThat(dialFailure(ex)).hasMessageContaining("127.0.0.1:" + server.port())
				.hasMessageContaining("hostname mismatch"));
	}

	@Test
	void whenHostnameVerificationIsOffThenACertificateForAnotherHostIsAccepted() {
		AnetServer server = this.fixture.server(
				TlsConfig.builder().sslContext(TlsFixture.context("wrong-host.p12", "truststore.p12")).build(),
				TlsHandshakeIntegrationTests::echo);
		Broker broker = this.fixture.broker("127.0.0.1", server,
				TlsFixture.clientTls().verifyHostname(false).build(), 1);

		assertThat(broker.send(HELLO)).isEqualTo(HELLO);
	}

	@Test
	void whenTheServerNameIsSetThenItIsWhatTheCertificateMustName() {
		AnetServer server = this.fixture.server(
				TlsConfig.builder().sslContext(TlsFixture.context("wrong-host.p12", "truststore.p12")).build(),
				TlsHandshakeIntegrationTests::echo);
		Broker broker = this.fixture.broker("127.0.0.1", server,
				TlsFixture.clientTls().serverName("other.example").build(), 1);

		assertThat(broker.send(HELLO)).isEqualTo(HELLO);
	}

	@Test
	void whenTheClientDoesNotTrustTheServersCaThenTheDialFailsWithUnknownCertificateAuthority() {
		AnetServer server = this.fixture.server(TlsFixture.serverTls().build(), TlsHandshakeIntegrationTests::echo);
		Broker broker = this.fixture.broker("127.0.0.1", server,
				TlsConfig.builder().sslContext(TlsFixture.context(null, "other-client.p12")).build(), 1);

		assertThatThrownBy(() -> broker.send(HELLO))
			.satisfies((ex) -> assertThat(dialFailure(ex)).hasMessageContaining("unknown certificate authority"));
		await().untilAsserted(() -> assertThat(this.fixture.handshakes.count(TlsSide.SERVER, false)).isEqualTo(1));
	}

	@Test
	void whenClientAndServerShareNoProtocolThenTheDialFailsWithNoCommonProtocol() {
		AnetServer server = this.fixture.server(TlsFixture.serverTls().protocols("TLSv1.3").build(),
				TlsHandshakeIntegrationTests::echo);
		Broker broker = this.fixture.broker("127.0.0.1", server, TlsFixture.clientTls().protocols("TLSv1.2").build(),
				1);

		assertThatThrownBy(() -> broker.send(HELLO))
			.satisfies((ex) -> assertThat(dialFailure(ex)).hasMessageContaining("no common protocol"));
	}

	@Test
	void whenTls12IsChosenOnBothEndsThenItIsNegotiated() {
		AtomicReference<String> protocol = new AtomicReference<>();
		AnetServer server = this.fixture.server(TlsFixture.serverTls().protocols("TLSv1.2").build(),
				(connection, request) -> {
					protocol.set(connection.tlsProtocol());
					return request;
				});
		Broker broker = this.fixture.broker("127.0.0.1", server, TlsFixture.clientTls().protocols("TLSv1.2").build(),
				1);

		assertThat(broker.send(HELLO)).isEqualTo(HELLO);
		assertThat(protocol.get()).isEqualTo("TLSv1.2");
	}

	@Test
	void whenTheServerIsPlaintextThenTheTlsDialFailsWithinTheHandshakeTimeout() {
		AnetServer server = this.fixture.server((TlsConfig) null, TlsHandshakeIntegrationTests::echo);
		Broker broker = this.fixture.broker("127.0.0.1:" + server.port(),
				PoolConfig.builder().capacity(1).tls(TlsFixture.clientTls().handshakeTimeout(Duration.ofMillis(300)).build()),
				BrokerConfig.builder().readTimeout(Duration.ofSeconds(10)).build());

		assertThatThrownBy(() -> broker.send(HELLO))
			.satisfies((ex) -> assertThat(dialFailure(ex)).hasMessageContaining("peer is not speaking TLS")
				.hasMessageContaining("300 ms"));
	}

	@Test
	void whenAPlaintextClientCallsATlsServerThenItIsClosedAndCountedWhileATlsNeighbourIsServed() {
		AnetServer server = this.fixture.server(TlsFixture.serverTls().build(), TlsHandshakeIntegrationTests::echo);
		Broker tls = this.fixture.broker("127.0.0.1", server, TlsFixture.clientTls().build(), 1);
		Broker plain = this.fixture.broker("127.0.0.1:" + server.port(), PoolConfig.builder().capacity(1),
				BrokerConfig.builder().readTimeout(Duration.ofSeconds(5)).build());

		assertThat(tls.send(HELLO)).isEqualTo(HELLO);
		assertThatThrownBy(() -> plain.send(HELLO)).isInstanceOf(AnetException.class);
		await().untilAsserted(() -> assertThat(this.fixture.handshakes.failures(TlsSide.SERVER)).singleElement()
			.satisfies((h) -> assertThat(h.failure()).hasMessageContaining("peer is not speaking TLS")));
		assertThat(tls.send(HELLO)).isEqualTo(HELLO);
	}

	/** The broker's error for a failed dial: the pool's last {@link DialException} is in its message. */
	static Throwable dialFailure(Throwable ex) {
		assertThat(ex).isInstanceOf(AnetException.class).hasMessageContaining("TLS handshake with 127.0.0.1:");
		return ex;
	}

	static {
		TestCertificates.dir();
	}

}
