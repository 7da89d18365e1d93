package dev.anet.boot.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.anet.boot.AnetExceptionHandler;
import dev.anet.boot.AnetHandler;
import dev.anet.broker.Broker;
import dev.anet.server.AnetServer;
import dev.anet.server.ServerConfig;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static dev.anet.boot.autoconfigure.TestClients.ascii;
import static dev.anet.boot.autoconfigure.TestClients.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of {@code @AnetHandler} methods that answer later ({@code CompletableFuture},
 * {@code CompletionStage}): the server is then asynchronous, no thread waits for the answer, and
 * the other routes answer as before.
 */
class AnetAsyncHandlerIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AnetAutoConfiguration.class))
		.withPropertyValues("anet.server.address=127.0.0.1", "anet.server.port=0");

	@Test
	void whenAMethodAnswersLaterThenNoHandlerThreadOrPermitWaitsForItsAnswer() {
		this.contextRunner.withBean(LaterHandlers.class)
			.withPropertyValues("anet.server.max-concurrent-handlers=1")
			.run((context) -> {
				LaterHandlers handlers = context.getBean(LaterHandlers.class);
				AnetServer server = server(context);
				try (Broker client = client(context)) {
					CompletableFuture<byte[]> first = client.sendAsync(ascii("L1"));
					CompletableFuture<byte[]> second = client.sendAsync(ascii("L2"));
					CompletableFuture<byte[]> third = client.sendAsync(ascii("S3"));
					await().atMost(WAIT).until(() -> handlers.pending.size() == 3);
					assertThat(server.pendingAsync()).isEqualTo(3);
					assertThat(server.handlersRunning()).isZero();
					// a route that answers at once is served meanwhile, with the only handler permit
					assertThat(text(client.send(ascii("N4")))).isEqualTo("now:N4");
					handlers.pending.forEach((request, answer) -> answer.complete("later:" + request));
					assertThat(text(first.get(5, TimeUnit.SECONDS))).isEqualTo("later:L1");
					assertThat(text(second.get(5, TimeUnit.SECONDS))).isEqualTo("later:L2");
					assertThat(text(third.get(5, TimeUnit.SECONDS))).isEqualTo("later:S3");
				}
				assertThat(context.getBean(AnetHandlerRegistrar.class).getRouter().isAsync()).isTrue();
			});
	}

	@Test
	void whenTheStageFailsThenTheExceptionHandlerAnswers() {
		this.contextRunner.withBean(LaterHandlers.class).run((context) -> {
			try (Broker client = client(context)) {
				assertThat(text(client.send(ascii("Fx")))).isEqualTo("handled:IllegalStateException");
				assertThat(text(client.send(ascii("Tx")))).isEqualTo("handled:IllegalStateException");
			}
		});
	}

	@Test
	void whenTheContextClosesWhileAnAnswerIsPendingThenTheAnswerStillGoesOut() {
		this.contextRunner.withBean(LaterHandlers.class)
			.withPropertyValues("anet.server.shutdown-timeout=10s")
			.run((context) -> {
				LaterHandlers handlers = context.getBean(LaterHandlers.class);
				AnetServer server = server(context);
				try (Broker client = client(context)) {
					CompletableFuture<byte[]> answer = client.sendAsync(ascii("Lslow"));
					await().atMost(WAIT).until(() -> handlers.pending.size() == 1);
					CompletableFuture<Void> closed = CompletableFuture.runAsync(context::close);
					await().atMost(WAIT).until(() -> !server.isRunning());
					assertThat(answer).isNotDone();
					handlers.pending.get("Lslow").complete("done");
					assertThat(text(answer.get(5, TimeUnit.SECONDS))).isEqualTo("done");
					closed.get(10, TimeUnit.SECONDS);
				}
			});
	}

	@Test
	void whenTheStoppingServerGivesUpWaitingThenTheMethodsFutureIsCancelled() {
		this.contextRunner.withBean(LaterHandlers.class)
			.withPropertyValues("anet.server.shutdown-timeout=0s")
			.run((context) -> {
				LaterHandlers handlers = context.getBean(LaterHandlers.class);
				try (Broker client = client(context)) {
					client.sendAsync(ascii("Labandoned"));
					// through its exception handlers too (the bean has one)
					client.sendAsync(ascii("Sabandoned"));
					await().atMost(WAIT).until(() -> handlers.pending.size() == 2);
					context.close();
				}
				assertThat(handlers.pending.get("Labandoned")).isCancelled();
				assertThat(handlers.pending.get("Sabandoned")).as("behind a minimal stage, which cannot be cancelled")
					.isNotDone();
			});
	}

	@Test
	void whenNoMethodAnswersLaterThenTheServerIsNotAsynchronous() {
		this.contextRunner.withBean(NowHandlers.class).run((context) -> {
			assertThat(context.getBean(AnetHandlerRegistrar.class).getRouter().isAsync()).isFalse();
			try (Broker client = client(context)) {
				assertThat(text(client.send(ascii("N1")))).isEqualTo("now:N1");
			}
		});
	}

	@Test
	void maxPendingAsyncReachesTheServerAndAnInvalidValueNamesTheKey() {
		this.contextRunner.withPropertyValues("anet.server.max-pending-async=7")
			.run((context) -> assertThat(context.getBean(AnetServerLifecycle.class).getServerConfig())
				.isEqualTo(ServerConfig.builder().address("127.0.0.1").port(0).maxPendingAsync(7).build()));
		this.contextRunner.withPropertyValues("anet.server.max-pending-async=0").run((context) -> {
			assertThat(context).hasFailed();
			InvalidConfigurationPropertyValueException failure = AnetAutoConfigurationTests
				.invalidProperty(context.getStartupFailure());
			assertThat(failure.getName()).isEqualTo("anet.server.max-pending-async");
		});
	}

	private static AnetServer server(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return context.getBean(AnetServerLifecycle.class).getServer();
	}

	private static Broker client(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return TestClients.broker(context.getEnvironment().getProperty("local.anet.server.port", Integer.class, -1));
	}

	static class LaterHandlers {

		final Map<String, CompletableFuture<String>> pending = new ConcurrentHashMap<>();

		@AnetHandler(prefix = "L")
		CompletableFuture<String> later(String request) {
			CompletableFuture<String> answer = new CompletableFuture<>();
			this.pending.put(request, answer);
			return answer;
		}

		@AnetHandler(prefix = "S")
		CompletionStage<String> stage(String request) {
			CompletableFuture<String> answer = new CompletableFuture<>();
			this.pending.put(request, answer);
			return answer.minimalCompletionStage();
		}

		@AnetHandler(prefix = "F")
		CompletableFuture<String> failsLater(String request) {
			return CompletableFuture.supplyAsync(() -> {
				throw new IllegalStateException("backend down");
			});
		}

		@AnetHandler(prefix = "T")
		CompletableFuture<String> throwsAtOnce(String request) {
			throw new IllegalStateException("refused");
		}

		@AnetHandler(prefix = "N")
		String now(String request) {
			return "now:" + request;
		}

		@AnetExceptionHandler
		String handled(IllegalStateException ex) {
			return "handled:" + ex.getClass().getSimpleName();
		}

	}

	static class NowHandlers {

		@AnetHandler(prefix = "N")
		String now(String request) {
			return "now:" + request;
		}

	}

}
