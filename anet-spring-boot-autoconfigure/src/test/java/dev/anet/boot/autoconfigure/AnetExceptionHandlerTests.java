package dev.anet.boot.autoconfigure;

import java.time.Duration;
import java.util.function.Consumer;

import dev.anet.AnetTimeoutException;
import dev.anet.boot.AnetAdvice;
import dev.anet.boot.AnetExceptionHandler;
import dev.anet.boot.AnetHandler;
import dev.anet.broker.Broker;
import dev.anet.server.ServerConnection;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.Order;

import static dev.anet.boot.autoconfigure.TestClients.ascii;
import static dev.anet.boot.autoconfigure.TestClients.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests of {@code @AnetExceptionHandler} methods, in handler beans and {@code @AnetAdvice} beans,
 * through a real server.
 */
class AnetExceptionHandlerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AnetAutoConfiguration.class))
		.withPropertyValues("anet.server.address=127.0.0.1", "anet.server.port=0");

	private void call(AssertableApplicationContext context, Consumer<Broker> calls) {
		assertThat(context).hasNotFailed();
		int port = context.getEnvironment().getProperty("local.anet.server.port", Integer.class, -1);
		try (Broker client = TestClients.broker(port)) {
			calls.accept(client);
		}
	}

	@Test
	void whenTheHandlerBeanHasAnExceptionHandlerThenItAnswersBeforeTheAdvice() {
		this.contextRunner.withBean(HsmHandlers.class).withBean(CatchAllAdvice.class).run((context) -> call(context,
				(client) -> assertThat(text(client.send(ascii("NCkey")))).isEqualTo("ND15 NCkey")));
	}

	@Test
	void whenOnlyTheAdviceTakesTheExceptionThenTheAdviceAnswers() {
		this.contextRunner.withBean(HsmHandlers.class).withBean(CatchAllAdvice.class).run((context) -> call(context,
				(client) -> assertThat(text(client.send(ascii("NCstate")))).isEqualTo("ADVICE IllegalStateException")));
	}

	@Test
	void whenTheClosestTypeMatchesThenItWinsOverASuperclass() {
		this.contextRunner.withBean(HsmHandlers.class).run((context) -> call(context, (client) -> {
			assertThat(text(client.send(ascii("NCkey")))).isEqualTo("ND15 NCkey");
			assertThat(text(client.send(ascii("NCarg")))).isEqualTo("ND99");
		}));
	}

	@Test
	void whenOnlyACauseMatchesThenTheCauseIsHandled() {
		this.contextRunner.withBean(HsmHandlers.class).run((context) -> call(context,
				(client) -> assertThat(text(client.send(ascii("NCwrapped")))).isEqualTo("ND15 NCwrapped")));
	}

	@Test
	void whenSeveralAdviceBeansExistThenTheyAreAskedInOrder() {
		this.contextRunner.withBean(PlainHandlers.class)
			.withBean(CatchAllAdvice.class)
			.withBean(FirstAdvice.class)
			.run((context) -> call(context,
					(client) -> assertThat(text(client.send(ascii("boom")))).isEqualTo("FIRST")));
	}

	@Test
	void whenNoExceptionHandlerTakesTheExceptionThenNothingIsAnswered() {
		this.contextRunner.withBean(HsmHandlers.class).run((context) -> call(context, (client) -> {
			assertThatExceptionOfType(AnetTimeoutException.class)
				.isThrownBy(() -> client.send(ascii("NCstate"), Duration.ofMillis(300)));
			assertThat(text(client.send(ascii("NCkey")))).isEqualTo("ND15 NCkey");
		}));
	}

	@Test
	void whenAnExceptionHandlerHasABadParameterThenStartUpFailsNamingIt() {
		this.contextRunner.withBean(BadExceptionHandler.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(AnetHandlerRegistrarTests.messages(context.getStartupFailure())).contains(
					"Method BadExceptionHandler.handle of bean", "cannot be an @AnetExceptionHandler",
					"parameter 2 is a java.lang.String");
		});
	}

	static class KeyNotFoundException extends IllegalArgumentException {

		KeyNotFoundException(String message) {
			super(message);
		}

	}

	static class HsmHandlers {

		@AnetHandler(prefix = "NC")
		String diagnostics(String request) {
			switch (request) {
				case "NCkey" -> throw new KeyNotFoundException("no key");
				case "NCarg" -> throw new IllegalArgumentException("bad argument");
				case "NCwrapped" -> throw new IllegalStateException("wrapped", new KeyNotFoundException("no key"));
				case "NCstate" -> throw new IllegalStateException("bad state");
				default -> {
					return "ND00";
				}
			}
		}

		@AnetExceptionHandler
		String keyNotFound(byte[] request, KeyNotFoundException ex, ServerConnection connection) {
			return "ND15 " + text(request);
		}

		@AnetExceptionHandler(IllegalArgumentException.class)
		byte[] badArgument() {
			return ascii("ND99");
		}

	}

	static class PlainHandlers {

		@AnetHandler
		byte[] fail(byte[] request) {
			throw new UnsupportedOperationException("boom");
		}

	}

	@AnetAdvice
	@Order(2)
	static class CatchAllAdvice {

		@AnetExceptionHandler
		String any(Exception ex) {
			return "ADVICE " + ex.getClass().getSimpleName();
		}

	}

	@AnetAdvice
	@Order(1)
	static class FirstAdvice {

		@AnetExceptionHandler
		String unsupported(UnsupportedOperationException ex) {
			return "FIRST";
		}

	}

	static class BadExceptionHandler {

		@AnetHandler
		byte[] echo(byte[] request) {
			return request;
		}

		@AnetExceptionHandler
		String handle(Exception ex, String what) {
			return "x";
		}

	}

}
