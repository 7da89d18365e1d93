package dev.anet.boot.autoconfigure.observation;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.anet.boot.AnetHandler;
import dev.anet.boot.autoconfigure.AnetAutoConfiguration;
import dev.anet.boot.autoconfigure.AnetServerLifecycle;
import dev.anet.boot.observation.AnetServerRequestContext;
import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.server.AnetServer;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.transport.Kind;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Observations of {@code @AnetHandler} methods that answer later: the server observation is in
 * scope while the method starts the work, stops when the future completes (on the thread that
 * completes it), and no handler thread or permit waits for it meanwhile.
 */
class AnetObservationAsyncHandlerTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	/** The server observations as they stopped: on the test's backend thread or the server's, with which outcome. */
	private final List<String> stops = new CopyOnWriteArrayList<>();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AnetAutoConfiguration.class, AnetObservationAutoConfiguration.class))
		.withBean(TestObservationRegistry.class, this::registry)
		.withBean(LaterHandlers.class)
		.withPropertyValues("anet.server.address=127.0.0.1", "anet.server.port=0");

	@Test
	void whenARouteAnswersLaterThenItsObservationStopsWithTheAnswerAndNoThreadOrPermitWaits() {
		this.contextRunner.withPropertyValues("anet.server.max-concurrent-handlers=1").run((context) -> {
			LaterHandlers handlers = context.getBean(LaterHandlers.class);
			AnetServer server = server(context);
			try (Broker client = client(context)) {
				CompletableFuture<byte[]> first = client.sendAsync(ascii("L1"));
				CompletableFuture<byte[]> second = client.sendAsync(ascii("L2"));
				// both started with the one handler permit: neither waits for its answer on a thread
				await().atMost(WAIT).until(() -> handlers.pending.size() == 2);
				assertThat(server.pendingAsync()).isEqualTo(2);
				assertThat(server.handlersRunning()).isZero();
				assertThat(handlers.inScope).containsOnlyKeys("L1", "L2").allSatisfy((request, observed) -> {
					assertThat(observed).isInstanceOf(AnetServerRequestContext.class);
					assertThat(((AnetServerRequestContext) observed).getRoute()).isEqualTo("L");
					assertThat(((AnetServerRequestContext) observed).getKind()).isEqualTo(Kind.SERVER);
				});
				assertThat(this.stops).isEmpty();
				completeOnAnotherThread(() -> handlers.pending.forEach((request, answer) -> answer.complete("later:" + request)));
				assertThat(first.get(5, TimeUnit.SECONDS)).asString().isEqualTo("later:L1");
				assertThat(second.get(5, TimeUnit.SECONDS)).asString().isEqualTo("later:L2");
			}
			assertThat(this.stops).containsExactly("backend success", "backend success");
			assertThat(context.getBean(TestObservationRegistry.class))
				.hasNumberOfObservationsWithNameEqualTo("anet.server.requests", 2)
				.hasHandledContextsThatSatisfy((contexts) -> assertThat(contexts)
					.containsExactlyInAnyOrderElementsOf(handlers.inScope.values()))
				.forAllObservationsWithNameEqualTo("anet.server.requests", (observation) -> observation
					.hasContextualNameEqualTo("anet handle L")
					.hasLowCardinalityKeyValue("route", "L")
					.hasLowCardinalityKeyValue("outcome", "success")
					.hasHighCardinalityKeyValue("anet.body.size", "2")
					.doesNotHaveError());
		});
	}

	@Test
	void whenTheFutureFailsOrTheMethodThrowsOrAnswersNothingThenTheObservationSaysSo() {
		this.contextRunner.run((context) -> {
			LaterHandlers handlers = context.getBean(LaterHandlers.class);
			try (Broker client = client(context)) {
				client.sendAsync(ascii("L-fails"));
				client.sendAsync(ascii("L-none"));
				client.sendAsync(ascii("T"));
				await().atMost(WAIT).until(() -> handlers.pending.size() == 2 && this.stops.size() == 1);
				assertThat(this.stops).containsExactly("server error");
				completeOnAnotherThread(() -> {
					handlers.pending.get("L-fails").completeExceptionally(new IllegalStateException("backend down"));
					handlers.pending.get("L-none").complete(null);
				});
				await().atMost(WAIT).until(() -> this.stops.size() == 3);
			}
			assertThat(this.stops).containsExactlyInAnyOrder("server error", "backend error",
					"backend no-response");
			TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
			assertThat(registry).hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("route", "T")
				.hasLowCardinalityKeyValue("outcome", "error")
				.assertThatError()
				.hasMessage("refused"));
			assertThat(registry).hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("route", "L")
				.hasLowCardinalityKeyValue("outcome", "error")
				.hasHighCardinalityKeyValue("anet.body.size", "7")
				.assertThatError()
				.isInstanceOf(IllegalStateException.class)
				.hasMessage("backend down"));
			assertThat(registry).hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("route", "L")
				.hasLowCardinalityKeyValue("outcome", "no-response")
				.doesNotHaveError());
		});
	}

	@Test
	void whenTheStoppingServerGivesUpWaitingThenTheMethodsFutureIsCancelledAndTheObservationStops() {
		this.contextRunner.withPropertyValues("anet.server.shutdown-timeout=0s").run((context) -> {
			LaterHandlers handlers = context.getBean(LaterHandlers.class);
			TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
			try (Broker client = client(context)) {
				client.sendAsync(ascii("L-abandoned"));
				await().atMost(WAIT).until(() -> handlers.pending.size() == 1);
				context.close();
			}
			assertThat(handlers.pending.get("L-abandoned")).isCancelled();
			assertThat(this.stops).containsExactly("server error");
			assertThat(registry).hasObservationWithNameEqualTo("anet.server.requests")
				.that()
				.hasLowCardinalityKeyValue("outcome", "error")
				.assertThatError()
				.isInstanceOf(CancellationException.class);
		});
	}

	private TestObservationRegistry registry() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		registry.observationConfig().observationHandler(new ObservationHandler<>() {
			@Override
			public boolean supportsContext(Observation.Context context) {
				return context instanceof AnetServerRequestContext;
			}

			@Override
			public void onStop(Observation.Context context) {
				KeyValue outcome = context.getLowCardinalityKeyValue("outcome");
				String thread = "backend".equals(Thread.currentThread().getName()) ? "backend" : "server";
				AnetObservationAsyncHandlerTests.this.stops
					.add(thread + " " + ((outcome != null) ? outcome.getValue() : "?"));
			}
		});
		return registry;
	}

	/** Complete the handlers' futures on a thread of the test's own, named {@code backend}. */
	private static void completeOnAnotherThread(Runnable completion) throws InterruptedException {
		Thread backend = new Thread(completion, "backend");
		backend.start();
		backend.join(WAIT.toMillis());
		assertThat(backend.isAlive()).isFalse();
	}

	private static AnetServer server(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return context.getBean(AnetServerLifecycle.class).getServer();
	}

	private static Broker client(AssertableApplicationContext context) {
		PoolGroup pools = PoolGroup.of(List.of("127.0.0.1:" + server(context).port()), PoolConfig.builder().build());
		return new Broker(pools, BrokerConfig.builder().closeTimeout(Duration.ZERO).build());
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	static class LaterHandlers {

		final Map<String, CompletableFuture<String>> pending = new ConcurrentHashMap<>();

		/** The context of the observation in scope while each method ran, by request. */
		final Map<String, Observation.Context> inScope = new ConcurrentHashMap<>();

		private final ObservationRegistry registry;

		LaterHandlers(ObservationRegistry registry) {
			this.registry = registry;
		}

		@AnetHandler(prefix = "L")
		CompletableFuture<String> later(String request) {
			Observation current = this.registry.getCurrentObservation();
			if (current != null) {
				this.inScope.put(request, current.getContext());
			}
			CompletableFuture<String> answer = new CompletableFuture<>();
			this.pending.put(request, answer);
			return answer;
		}

		@AnetHandler(prefix = "T")
		CompletableFuture<String> throwsAtOnce(String request) {
			throw new IllegalStateException("refused");
		}

	}

}
