package dev.anet.sample;

import java.time.Duration;

import dev.anet.boot.test.AnetHandlerTest;
import dev.anet.boot.test.AnetTestClient;
import dev.anet.broker.Broker;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's {@link HsmHandlers} alone, over a real socket: {@code @AnetHandlerTest} starts only
 * the handlers and the anet server on a free port (no web server, no broker, no demo load).
 */
@AnetHandlerTest
class HsmHandlersTests {

	@Autowired
	private AnetTestClient client;

	@Autowired
	private ApplicationContext context;

	@Test
	void whenDiagnosticsAreAskedThenTheCheckValueAndFirmwareAreAnswered() {
		this.client.send("NC00").andExpectAnswer("ND00" + HsmHandlers.LMK_CHECK_VALUE + HsmHandlers.FIRMWARE);
	}

	@Test
	void whenAnEchoIsSentThenTheRequestComesBackUnchanged() {
		this.client.send("EC binary\u0001").andExpectAnswer("EC binary\u0001");
	}

	@Test
	void whenNoPrefixMatchesThenTheDefaultRouteUpperCases() {
		this.client.send("balance inquiry").andExpectAnswer("BALANCE INQUIRY");
	}

	@Test
	void whenTheSliceStartsThenOnlyTheHandlersAreLoaded() {
		assertThat(this.context.getBeansOfType(HsmHandlers.class)).hasSize(1);
		assertThat(this.context.getBeansOfType(AnetController.class)).isEmpty();
		assertThat(this.context.getBeansOfType(DemoLoad.class)).isEmpty();
		assertThat(this.context.getBeansOfType(Broker.class)).isEmpty();
	}

	@Test
	void whenAnEmptyRequestIsSentThenTheDefaultRouteAnswersItEmpty() {
		assertThat(this.client.send(new byte[0]).answer(Duration.ofSeconds(5))).isEmpty();
	}

}
