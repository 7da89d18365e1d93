package dev.anet.boot.observation;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.anet.AnetTimeoutException;
import dev.anet.boot.TestServerConnection;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler.IgnoredMeters;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests that {@link AnetMeterObservationHandler} makes the meters Micrometer's
 * {@link DefaultMeterObservationHandler} (the one Spring Boot configures) makes for the same
 * observations: ids (name, tags, type, base unit, description), counts and recorded times.
 */
class AnetMeterObservationHandlerTests {

	private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 7000);

	/** The clock of the registry of the handler under test. */
	private MockClock clock = new MockClock();

	@Test
	void whenObservationsOfEveryOutcomeStopThenTheMetersAreTheDefaultHandlersMeters() {
		Map<String, String> expected = meters(DefaultMeterObservationHandler::new, this::observeMany);
		Map<String, String> actual = meters(AnetMeterObservationHandler::new, this::observeMany);
		assertThat(actual).isEqualTo(expected);
		assertThat(actual).containsKeys(
				"TIMER anet.broker.requests [client=default, error=none, exception=none, outcome=success] unit=seconds",
				"TIMER anet.broker.requests [client=hsm, error=AnetTimeoutException, exception=AnetTimeoutException, outcome=timeout] unit=seconds",
				"LONG_TASK_TIMER anet.broker.requests.active [client=default] unit=seconds",
				"TIMER anet.server.requests [error=IllegalStateException, outcome=error, route=NC] unit=seconds",
				"LONG_TASK_TIMER anet.server.requests.active [route=none] unit=seconds",
				"COUNTER anet.broker.requests.retry [client=default]");
	}

	@Test
	void whenTheLongTaskTimerIsIgnoredThenNeitherHandlerMakesIt() {
		Map<String, String> expected = meters(
				(registry) -> new DefaultMeterObservationHandler(registry, IgnoredMeters.LONG_TASK_TIMER),
				this::observeMany);
		Map<String, String> actual = meters(
				(registry) -> new AnetMeterObservationHandler(registry, IgnoredMeters.LONG_TASK_TIMER),
				this::observeMany);
		assertThat(actual).isEqualTo(expected);
		assertThat(actual.keySet()).noneMatch((id) -> id.contains(".active"));
	}

	@Test
	void whenObservationsAreUnderWayThenTheLongTaskTimersCountThemAsTheDefaultHandlersDo() {
		Function<ObservationRegistry, Observation[]> open = (registry) -> new Observation[] {
				broker("default", registry).start(), broker("default", registry).start(), broker("hsm", registry).start(),
				server("NC", registry).start() };
		Map<String, String> expected = meters(DefaultMeterObservationHandler::new, open::apply);
		Map<String, String> actual = meters(AnetMeterObservationHandler::new, open::apply);
		assertThat(actual).isEqualTo(expected)
			.containsEntry("LONG_TASK_TIMER anet.broker.requests.active [client=default] unit=seconds",
					"active=2 duration=0.0");
	}

	@Test
	void whenAConventionMakesMoreTagSetsThanAreKeptThenEverySetStillHasItsMeters() {
		AnetBrokerObservationConvention manyTags = new AnetBrokerObservationConvention() {
			@Override
			public String getName() {
				return "hsm.calls";
			}

			@Override
			public KeyValues getLowCardinalityKeyValues(AnetBrokerRequestContext context) {
				return KeyValues.of("task", Integer.toString(context.getTaskId()));
			}
		};
		Function<ObservationRegistry, Object> observe = (registry) -> {
			for (int i = 0; i < AnetMeterObservationHandler.CACHE_LIMIT + 20; i++) {
				for (int times = 0; times < 2; times++) {
					AnetBrokerRequestContext context = new AnetBrokerRequestContext(new byte[4], AnetTracePropagation.NONE);
					context.setTaskId(i);
					Observation observation = AnetObservationDocumentation.BROKER_REQUEST
						.observation(manyTags, DefaultAnetBrokerObservationConvention.INSTANCE, () -> context, registry)
						.start();
					context.setOutcome("success");
					observation.stop();
				}
			}
			return null;
		};
		Map<String, String> expected = meters(DefaultMeterObservationHandler::new, observe);
		Map<String, String> actual = meters(AnetMeterObservationHandler::new, observe);
		assertThat(actual).isEqualTo(expected)
			.hasSize(2 * (AnetMeterObservationHandler.CACHE_LIMIT + 20))
			.containsEntry("TIMER hsm.calls [error=none, task=" + (AnetMeterObservationHandler.CACHE_LIMIT + 10)
					+ "] unit=seconds", "count=2 total=0.0");
	}

	@Test
	void supportsAnetContextsOnly() {
		MeterObservationHandler<Observation.Context> handler = new AnetMeterObservationHandler(new SimpleMeterRegistry());
		assertThat(handler.supportsContext(new AnetBrokerRequestContext(new byte[0], AnetTracePropagation.NONE)))
			.isTrue();
		assertThat(handler.supportsContext(
				new AnetServerRequestContext(new TestServerConnection(), 1, new byte[0], "NC", AnetTracePropagation.NONE)))
			.isTrue();
		assertThat(handler.supportsContext(new Observation.Context())).isFalse();
	}

	@Test
	void whenAnObservationStopsWithoutStartingThenItSaysSo() {
		AnetMeterObservationHandler handler = new AnetMeterObservationHandler(new SimpleMeterRegistry());
		AnetBrokerRequestContext context = new AnetBrokerRequestContext(new byte[0], AnetTracePropagation.NONE);
		context.setName("anet.broker.requests");
		assertThatIllegalStateException().isThrownBy(() -> handler.onStop(context))
			.withMessageContaining("anet.broker.requests");
	}

	/**
	 * Every outcome of both observations, several times each, and an event, each observation
	 * lasting 3 ms of the registry's clock.
	 */
	private Object observeMany(ObservationRegistry registry) {
		for (int i = 0; i < 3; i++) {
			stop(broker("default", registry), "success", null);
			stop(broker("hsm", registry), "timeout", new AnetTimeoutException("timed out after 10 ms"));
			stop(server("NC", registry), "success", null);
			stop(server("NC", registry), "error", new IllegalStateException("handler failed"));
		}
		stop(broker("default", registry), "error", new IllegalArgumentException("too large"));
		stop(broker("default", registry), "rejected", new IllegalStateException("queue full"));
		stop(server(null, registry), "unrouted", null);
		stop(server("NC", registry), "no-response", null);
		Observation withEvent = broker("default", registry).start();
		withEvent.event(Observation.Event.of("retry"));
		withEvent.event(Observation.Event.of("retry"));
		stopStarted(withEvent, "success", null);
		return null;
	}

	private static Observation broker(String client, ObservationRegistry registry) {
		AnetBrokerRequestContext context = new AnetBrokerRequestContext(new byte[8], AnetTracePropagation.NONE, client);
		return AnetObservationDocumentation.BROKER_REQUEST.observation(null,
				DefaultAnetBrokerObservationConvention.INSTANCE, () -> context, registry);
	}

	private static Observation server(@Nullable String route, ObservationRegistry registry) {
		AnetServerRequestContext context = new AnetServerRequestContext(new TestServerConnection(), 1, new byte[8], route,
				AnetTracePropagation.NONE);
		return AnetObservationDocumentation.SERVER_REQUEST.observation(null,
				DefaultAnetServerObservationConvention.INSTANCE, () -> context, registry);
	}

	private void stop(Observation observation, String outcome, @Nullable Throwable error) {
		stopStarted(observation.start(), outcome, error);
	}

	private void stopStarted(Observation observation, String outcome, @Nullable Throwable error) {
		this.clock.add(3, TimeUnit.MILLISECONDS);
		if (observation.getContext() instanceof AnetBrokerRequestContext broker) {
			broker.setTaskId(1);
			broker.setAddress(SERVER);
			broker.setOutcome(outcome);
		}
		else {
			((AnetServerRequestContext) observation.getContext()).setOutcome(outcome);
		}
		if (error != null) {
			observation.error(error);
		}
		observation.stop();
	}

	/**
	 * The meters a handler made of the observations, as {@code TYPE name [tags]} (with the base
	 * unit and description, if any) and their counts and times.
	 */
	private Map<String, String> meters(Function<MeterRegistry, MeterObservationHandler<?>> handler,
			Function<ObservationRegistry, ?> observations) {
		this.clock = new MockClock();
		SimpleMeterRegistry meters = new SimpleMeterRegistry(SimpleConfig.DEFAULT, this.clock);
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(handler.apply(meters));
		observations.apply(registry);
		Map<String, String> result = new TreeMap<>();
		for (Meter meter : meters.getMeters()) {
			Meter.Id id = meter.getId();
			String key = id.getType() + " " + id.getName() + " "
					+ id.getTags().toString().replace("tag(", "").replace(")", "")
					+ ((id.getBaseUnit() != null) ? " unit=" + id.getBaseUnit() : "")
					+ ((id.getDescription() != null) ? " description=" + id.getDescription() : "");
			result.put(key, value(meter));
		}
		return result;
	}

	private static String value(Meter meter) {
		if (meter instanceof Timer timer) {
			return "count=" + timer.count() + " total=" + timer.totalTime(TimeUnit.SECONDS);
		}
		if (meter instanceof LongTaskTimer timer) {
			return "active=" + timer.activeTasks() + " duration=" + timer.duration(TimeUnit.SECONDS);
		}
		if (meter instanceof Counter counter) {
			return "count=" + counter.count();
		}
		return meter.getClass().getSimpleName();
	}

}
