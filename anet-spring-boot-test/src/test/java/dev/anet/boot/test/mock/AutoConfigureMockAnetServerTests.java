package dev.anet.boot.test.mock;

import dev.anet.AnetTimeoutException;
import dev.anet.boot.test.AutoConfigureMockAnetServer;
import dev.anet.boot.test.MockAnetServer;
import dev.anet.broker.ConnectionLostException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

import static dev.anet.boot.test.AnetRequestMatchers.prefix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link AutoConfigureMockAnetServer @AutoConfigureMockAnetServer}: the application's broker calls
 * the mock server, whatever {@code anet.pool.addresses} said, and the server is reset between
 * tests.
 */
@SpringBootTest(properties = { "anet.pool.addresses=192.0.2.1:1500", "anet.broker.read-timeout=300ms" })
@AutoConfigureMockAnetServer
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoConfigureMockAnetServerTests {

	@Autowired
	private MockAnetServer hsm;

	@Autowired
	private HsmClient client;

	@Value("${local.mock.anet.server.port}")
	private int mockPort;

	@Test
	@Order(1)
	void whenTheServiceCallsThenTheMockServerAnswers() {
		this.hsm.expect(prefix("NC")).andRespond("ND00");
		this.hsm.expect(prefix("never sent")).andRespond("x");

		assertThat(this.client.call("NC00")).isEqualTo("ND00");
		assertThat(this.mockPort).isEqualTo(this.hsm.port());
	}

	@Test
	@Order(2)
	void whenATestEndsThenTheServerIsResetForTheNext() {
		this.hsm.verify();
		assertThat(this.hsm.receivedRequests()).isEmpty();
	}

	@Test
	@Order(3)
	void whenTheMockAnswersNothingThenTheBrokerTimesOut() {
		this.hsm.expect(prefix("A0")).andNoAnswer();

		assertThatExceptionOfType(AnetTimeoutException.class).isThrownBy(() -> this.client.call("A0"));
		this.hsm.verify();
	}

	@Test
	@Order(4)
	void whenTheMockResetsTheConnectionThenTheBrokerReportsItLost() {
		this.hsm.expect(prefix("A0")).andResetConnection();
		this.hsm.expect(prefix("A0")).andRespond("A1");

		assertThatExceptionOfType(ConnectionLostException.class).isThrownBy(() -> this.client.call("A0"))
			.withMessageContaining(this.hsm.address());
		assertThat(this.client.call("A0")).isEqualTo("A1");
		this.hsm.verify();
	}

	@Test
	@Order(5)
	void whenARequestIsUnexpectedThenVerifyReportsIt() {
		assertThatExceptionOfType(AnetTimeoutException.class).isThrownBy(() -> this.client.call("ZZ"));
		assertThatExceptionOfType(AssertionError.class).isThrownBy(this.hsm::verify)
			.withMessageContaining("5a5a \"ZZ\"");
	}

}
