package dev.anet.tls;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import dev.anet.frame.Frames;
import dev.anet.pool.Addresses;
import dev.anet.pool.AnetConnection;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.pool.ValidationStrategy;
import dev.anet.server.AnetServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Validation of idle TLS connections that nobody reads: a session ticket is no reason to drop one,
 * the server's {@code close_notify} is.
 */
class TlsPoolValidationTests {

	private final TlsFixture fixture = new TlsFixture();

	private PoolGroup group;

	@AfterEach
	void cleanUp() throws Exception {
		if (this.group != null) {
			this.group.close();
		}
		this.fixture.close();
	}

	@ParameterizedTest
	@EnumSource(value = ValidationStrategy.class, names = { "PING", "READ" })
	void anIdleTlsConnectionIsKeptWhileHealthyAndDroppedOnceTheServerClosedIt(ValidationStrategy strategy)
			throws Exception {
		AnetServer server = this.fixture.server(TlsFixture.serverTls().build(), (connection, request) -> request);
		this.group = new PoolGroup(List.of(Addresses.parse("127.0.0.1:" + server.port())),
				PoolConfig.builder()
					.validationInterval(Duration.ZERO)
					.validationStrategy(strategy)
					.tls(TlsFixture.clientTls().build())
					.build(),
				this.fixture.handshakes);
		AnetConnection connection = this.group.get();
		this.group.put(connection);
		await().untilAsserted(() -> assertThat(this.fixture.handshakes.count(TlsSide.SERVER, true)).isEqualTo(1));

		this.group.housekeep();
		assertThat(connection.isClosed()).isFalse();

		// still usable: one request and its answer through the transport
		AnetConnection again = this.group.get();
		assertThat(again.id()).isEqualTo(connection.id());
		byte[] frame = Frames.encode(7, "ping".getBytes(StandardCharsets.US_ASCII));
		again.transport().write(ByteBuffer.wrap(frame));
		ByteBuffer answer = ByteBuffer.allocate(frame.length);
		for (int i = 0; i < 100 && answer.hasRemaining(); i++) {
			assertThat(again.transport().read(answer)).isNotNegative();
		}
		assertThat(answer.array()).isEqualTo(frame);
		this.group.put(again);

		server.stop();
		await().untilAsserted(() -> {
			this.group.housekeep();
			assertThat(connection.isClosed()).isTrue();
		});
	}

}
