package dev.anet.boot.test.slice;

import java.time.Duration;

import dev.anet.boot.test.AnetHandlerTest;
import dev.anet.boot.test.AnetTestClient;
import dev.anet.boot.test.LocalAnetServerPort;
import dev.anet.broker.Broker;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link AnetHandlerTest @AnetHandlerTest} with every handler of the application.
 */
@AnetHandlerTest
class AnetHandlerTestTests {

	@Autowired
	private AnetTestClient client;

	@Autowired
	private ApplicationContext context;

	@LocalAnetServerPort
	private int port;

	@Test
	void whenTheSliceStartsThenOnlyHandlersAreBeansAndTheServerIsOnAFreePort() {
		assertThat(this.context.getBeansOfType(EchoHandlers.class)).hasSize(1);
		assertThat(this.context.getBeansOfType(UpperCaseHandler.class)).hasSize(1);
		assertThat(this.context.getBeansOfType(PaymentService.class)).isEmpty();
		assertThat(this.context.getBeansOfType(Broker.class)).isEmpty();
		assertThat(this.port).isPositive().isNotEqualTo(9000);
	}

	@Test
	void whenHandlersAnswerThenTheClientSeesEachAnswer() {
		this.client.send("EC hello").andExpectAnswer("EC hello");
		this.client.sendHex("0200ff").andExpectAnswerHex("0210ff");
		assertThat(this.client.send("default route").answerText()).isEqualTo("DEFAULT ROUTE");
	}

	@Test
	void whenRequestsArePipelinedThenEachAnswerGoesToItsRequest() {
		AnetTestClient.Exchange first = this.client.send("EC 1");
		AnetTestClient.Exchange second = this.client.send("EC 2");
		second.andExpectAnswer("EC 2");
		first.andExpectAnswer("EC 1");
	}

	@Test
	void whenAHandlerAnswersNothingThenNoAnswerComesWithinTheTime() {
		this.client.send("LOG x").andExpectNoAnswerWithin(Duration.ofMillis(200));
	}

	@Test
	void whenAnAnswerComesThenExpectingNoAnswerFails() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.client.send("EC x").andExpectNoAnswerWithin(Duration.ofSeconds(5)))
			.withMessageContaining("Expected no answer to request 45432078 \"EC x\" (task id 1) within 5s")
			.withMessageContaining("but got 45432078 \"EC x\"");
	}

	@Test
	void whenTheAnswerDiffersThenExpectingItFailsShowingBoth() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.client.send("EC x").andExpectAnswer("something else"))
			.withMessageContaining("expected: 736f6d657468696e6720656c7365 \"something else\"")
			.withMessageContaining("but was:  45432078 \"EC x\"");
	}

	@Test
	void whenNoAnswerComesThenExpectingOneFailsNamingTheTime() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.client.send("LOG y").answer(Duration.ofMillis(200)))
			.withMessageContaining("No answer to request 4c4f472079 \"LOG y\"")
			.withMessageContaining("within 200ms");
	}

}
