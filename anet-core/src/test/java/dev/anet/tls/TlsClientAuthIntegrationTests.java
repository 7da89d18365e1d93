package dev.anet.tls;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.anet.AnetException;
import dev.anet.broker.Broker;
import dev.anet.server.AnetServer;
import dev.anet.server.Handler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Mutual TLS: {@code need} refuses a client without a trusted certificate, {@code want} takes both
 * and tells the handler which it got.
 */
class TlsClientAuthIntegrationTests {

	private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);

	private final TlsFixture fixture = new TlsFixture();

	private final AtomicReference<Principal> principal = new AtomicReference<>();

	private final AtomicReference<List<?>> chain = new AtomicReference<>();

	private final Handler recording = (connection, request) -> {
		this.principal.set(connection.peerPrincipal());
		this.chain.set(connection.peerCertificates());
		return request;
	};

	@AfterEach
	void cleanUp() throws Exception {
		this.fixture.close();
	}

	private AnetServer server(TlsClientAuth clientAuth) {
		return this.fixture.server(TlsFixture.serverTls().clientAuth(clientAuth).build(), this.recording);
	}

	private Broker broker(AnetServer server, String keyStore) {
		return this.fixture.broker("127.0.0.1", server,
				TlsConfig.builder().sslContext(TlsFixture.context(keyStore, "truststore.p12")).build(), 1);
	}

	@Test
	void whenClientAuthIsNeedAndTheClientHasATrustedCertificateThenTheHandlerSeesItsPrincipal() {
		Broker broker = broker(server(TlsClientAuth.NEED), "client.p12");

		assertThat(broker.send(HELLO)).isEqualTo(HELLO);
		assertThat(this.principal.get().getName()).isEqualTo("CN=anet test client");
		assertThat(this.chain.get()).hasSize(2);
	}

	@Test
	void whenClientAuthIsNeedAndTheClientHasNoCertificateThenTheBrokerSaysAClientCertificateWasRequired() {
		Broker broker = broker(server(TlsClientAuth.NEED), null);

		assertThatThrownBy(() -> broker.send(HELLO)).isInstanceOf(AnetException.class)
			.hasStackTraceContaining("client certificate required");
		// one failed handshake, or two: a request not yet written when the first connection failed
		// goes over a new connection (which fails the same way), as every unwritten request does
		await().untilAsserted(() -> assertThat(this.fixture.handshakes.failures(TlsSide.SERVER)).isNotEmpty()
			.hasSizeLessThanOrEqualTo(2)
			.allSatisfy((h) -> assertThat(h.failure()).hasMessageContaining("client certificate required")));
		assertThat(this.principal.get()).isNull();
	}

	@Test
	void whenClientAuthIsNeedAndTheCertificateIsFromAnotherCaThenTheClientIsRefused() {
		// a JDK client offers only certificates of the CAs the server names: this one always offers its own
		Broker broker = this.fixture.broker("127.0.0.1", server(TlsClientAuth.NEED),
				TlsConfig.builder().sslContext(AlwaysPresent.context("other-client.p12", "truststore.p12")).build(), 1);

		assertThatThrownBy(() -> broker.send(HELLO)).isInstanceOf(AnetException.class);
		// under TLS 1.3 the client's handshake ends before the server refuses it: the broker may
		// requeue the request and dial once more, and that handshake is refused the same way
		await().untilAsserted(() -> assertThat(this.fixture.handshakes.failures(TlsSide.SERVER)).isNotEmpty()
			.allSatisfy((h) -> assertThat(h.failure()).hasMessageContaining("unknown certificate authority")));
		assertThat(this.chain.get()).isNull();
	}

	@Test
	void whenClientAuthIsWantThenClientsWithAndWithoutCertificateAreServedAndTheHandlerSeesWhich() {
		AnetServer server = server(TlsClientAuth.WANT);

		assertThat(broker(server, null).send(HELLO)).isEqualTo(HELLO);
		assertThat(this.principal.get()).isNull();
		assertThat(this.chain.get()).isEmpty();

		assertThat(broker(server, "client.p12").send(HELLO)).isEqualTo(HELLO);
		assertThat(this.principal.get().getName()).isEqualTo("CN=anet test client");
		assertThat(this.chain.get()).hasSize(2);
	}

}
