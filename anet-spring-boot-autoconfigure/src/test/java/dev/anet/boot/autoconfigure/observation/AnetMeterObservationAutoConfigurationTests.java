package dev.anet.boot.autoconfigure.observation;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.anet.boot.observation.AnetBrokerRequestContext;
import dev.anet.boot.observation.AnetMeterObservationHandler;
import dev.anet.boot.observation.AnetObservationDocumentation;
import dev.anet.boot.observation.AnetTracePropagation;
import dev.anet.boot.observation.DefaultAnetBrokerObservationConvention;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AnetMeterObservationAutoConfiguration}: with Spring Boot's observation and
 * metrics auto-configuration, its handler takes anet's observations and Boot's
 * {@code DefaultMeterObservationHandler} every other one.
 */
class AnetMeterObservationAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
				AnetMeterObservationAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class);

	@Test
	void whenBootConfiguresTheMeterHandlersThenAnetsTakesAnetObservationsAndBootsTheOthers() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(AnetMeterObservationHandler.class);
			Observation.Context anet = observeAnet(context);
			Observation.Context other = observeOther(context);
			// Boot's DefaultMeterObservationHandler keeps its sample in the context; anet's does not
			assertThat(sample(anet)).as("anet's observation, by anet's handler").isNull();
			assertThat(sample(other)).as("another observation, by Boot's handler").isNotNull();
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("anet.broker.requests").tag("error", "none").tag("outcome", "success").timer().count())
				.isOne();
			assertThat(meters.get("anet.broker.requests.active").tag("client", "default").longTaskTimer()).isNotNull();
			assertThat(meters.get("other.work").tag("error", "none").timer().count()).isOne();
		});
	}

	@Test
	void whenTheLongTaskTimerIsIgnoredThenAnetsHandlerMakesNone() {
		this.contextRunner.withPropertyValues("management.metrics.observations.ignored-meters=long-task-timer")
			.run((context) -> {
				observeAnet(context);
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.find("anet.broker.requests").timers()).hasSize(1);
				assertThat(meters.find("anet.broker.requests.active").longTaskTimers()).isEmpty();
			});
	}

	@Test
	void whenTheApplicationHasAMeterHandlerOfItsOwnThenItStillComesFirst() {
		this.contextRunner.withBean(RecordingHandler.class).run((context) -> {
			Observation.Context anet = observeAnet(context);
			Observation.Context other = observeOther(context);
			assertThat(context.getBean(RecordingHandler.class).stopped).containsExactly(anet, other);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.find("anet.broker.requests").timers()).as("neither Boot's nor anet's handler").isEmpty();
		});
	}

	@Test
	void whenTheApplicationDeclaresAnAnetMeterHandlerThenTheAutoConfiguredOneBacksOff() {
		AnetMeterObservationHandler mine = new AnetMeterObservationHandler(new SimpleMeterRegistry());
		this.contextRunner.withBean("mine", AnetMeterObservationHandler.class, () -> mine)
			.run((context) -> assertThat(context).getBean(AnetMeterObservationHandler.class).isSameAs(mine));
	}

	@Test
	void whenObservationsAreOffThenThereIsNoAnetMeterHandler() {
		this.contextRunner.withPropertyValues("anet.observations.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(AnetMeterObservationHandler.class));
	}

	@Test
	void whenTheAutoConfigurationIsExcludedThenBootsHandlerTakesAnetObservations() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.run((context) -> {
				assertThat(sample(observeAnet(context))).isNotNull();
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get("anet.broker.requests").tag("error", "none").timer().count()).isOne();
			});
	}

	@Test
	void whenThereIsNoObservationRegistryOrNoMicrometerThenThereIsNoAnetMeterHandler() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AnetMeterObservationAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(AnetMeterObservationHandler.class));
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> assertThat(context).doesNotHaveBean(AnetMeterObservationHandler.class));
	}

	private static Observation.Context observeAnet(ApplicationContext context) {
		AnetBrokerRequestContext request = new AnetBrokerRequestContext(new byte[4], AnetTracePropagation.NONE);
		Observation observation = AnetObservationDocumentation.BROKER_REQUEST
			.observation(null, DefaultAnetBrokerObservationConvention.INSTANCE, () -> request,
					context.getBean(ObservationRegistry.class))
			.start();
		request.setOutcome("success");
		observation.stop();
		return request;
	}

	private static Observation.Context observeOther(ApplicationContext context) {
		Observation.Context other = new Observation.Context();
		Observation.createNotStarted("other.work", () -> other, context.getBean(ObservationRegistry.class))
			.observe(() -> {
			});
		return other;
	}

	/** The sample Boot's DefaultMeterObservationHandler keeps in the contexts it handles. */
	private static Object sample(Observation.Context context) {
		return context.get(Timer.Sample.class);
	}

	/** An application's meter handler of every observation, which only records them. */
	static class RecordingHandler implements MeterObservationHandler<Observation.Context> {

		final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

		@Override
		public void onStop(Observation.Context context) {
			this.stopped.add(context);
		}

	}

}
