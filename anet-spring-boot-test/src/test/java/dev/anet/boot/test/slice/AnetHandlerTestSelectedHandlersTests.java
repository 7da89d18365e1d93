package dev.anet.boot.test.slice;

import java.time.Duration;

import dev.anet.boot.test.AnetHandlerTest;
import dev.anet.boot.test.AnetTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AnetHandlerTest @AnetHandlerTest} naming one handler class, with a server property of the
 * test's own: a quiet connection is closed after 300 ms.
 */
@AnetHandlerTest(handlers = EchoHandlers.class, properties = "anet.server.idle-timeout=300ms")
class AnetHandlerTestSelectedHandlersTests {

	@Autowired
	private AnetTestClient client;

	@Autowired
	private ApplicationContext context;

	@Test
	void whenHandlersAreNamedThenOnlyThoseAreBeans() {
		assertThat(this.context.getBeansOfType(EchoHandlers.class)).hasSize(1);
		assertThat(this.context.getBeansOfType(UpperCaseHandler.class)).isEmpty();
		this.client.send("default route").andExpectNoAnswerWithin(Duration.ofMillis(100));
	}

	@Test
	void whenTheServerClosesTheConnectionThenTheClientSeesIt() {
		this.client.send("LOG x").andExpectConnectionClosed();
		// the next request opens a new connection
		this.client.send("EC again").andExpectAnswer("EC again");
	}

}
