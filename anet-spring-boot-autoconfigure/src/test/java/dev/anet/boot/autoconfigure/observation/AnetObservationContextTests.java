package dev.anet.boot.autoconfigure.observation;

import java.net.InetSocketAddress;
import java.util.function.Consumer;

import dev.anet.boot.observation.AnetBrokerRequestContext;
import dev.anet.boot.observation.AnetObservationDocumentation;
import dev.anet.boot.observation.AnetTracePropagation;
import dev.anet.boot.observation.DefaultAnetBrokerObservationConvention;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The anet observation contexts keep their key values in a {@code ContextKeyValues}, not in the
 * maps of {@link Observation.Context}: they behave as Micrometer's, for the convention, the
 * filters and the handlers alike.
 */
class AnetObservationContextTests {

	@Test
	void whenKeyValuesAreAddedReplacedAndRemovedThenTheContextAgreesWithMicrometersOwn() {
		Consumer<Observation.Context> operations = (context) -> {
			context.addLowCardinalityKeyValue(KeyValue.of("b", "1"));
			context.addLowCardinalityKeyValue(KeyValue.of("a", "2"));
			context.addLowCardinalityKeyValue(KeyValue.of("b", "3"));
			context.addLowCardinalityKeyValues(KeyValues.of("c", "4", "a", "5"));
			context.addLowCardinalityKeyValues(KeyValues.of("a", "6", "b", "7", "c", "8", "d", "9"));
			context.removeLowCardinalityKeyValue("c");
			context.removeLowCardinalityKeyValues("x", "d");
			context.addHighCardinalityKeyValues(KeyValues.of("h", "1"));
			context.addHighCardinalityKeyValue(KeyValue.of("g", "2"));
			context.addHighCardinalityKeyValues(KeyValues.empty());
			context.removeHighCardinalityKeyValue("h");
			context.addHighCardinalityKeyValues(KeyValues.of("h", "3"));
		};
		Observation.Context micrometers = new Observation.Context();
		AnetBrokerRequestContext anets = new AnetBrokerRequestContext(new byte[4], AnetTracePropagation.NONE);
		operations.accept(micrometers);
		operations.accept(anets);
		assertThat(anets.getLowCardinalityKeyValues()).isEqualTo(micrometers.getLowCardinalityKeyValues())
			.isEqualTo(KeyValues.of("a", "6", "b", "7"));
		assertThat(anets.getHighCardinalityKeyValues()).isEqualTo(micrometers.getHighCardinalityKeyValues())
			.isEqualTo(KeyValues.of("g", "2", "h", "3"));
		assertThat(anets.getAllKeyValues()).isEqualTo(micrometers.getAllKeyValues());
		assertThat(anets.getLowCardinalityKeyValue("a")).isEqualTo(micrometers.getLowCardinalityKeyValue("a"));
		assertThat(anets.getLowCardinalityKeyValue("c")).isNull();
		assertThat(anets.getHighCardinalityKeyValue("g")).isEqualTo(micrometers.getHighCardinalityKeyValue("g"));
		assertThat(anets.getHighCardinalityKeyValue("x")).isNull();
	}

	@Test
	void whenAFilterAddsACommonKeyThenTheMeterHandlersTimerHasIt() {
		// as Spring Boot's management.observations.key-values.region=eu does
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(new DefaultMeterObservationHandler(meters))
			.observationFilter((context) -> context.addLowCardinalityKeyValue(KeyValue.of("region", "eu")));
		observe(registry, "hsm");
		Timer timer = meters.get("anet.broker.requests").timer();
		assertThat(timer.getId().getTags()).extracting("key", "value")
			.containsExactly(org.assertj.core.groups.Tuple.tuple("client", "hsm"),
					org.assertj.core.groups.Tuple.tuple("error", "none"),
					org.assertj.core.groups.Tuple.tuple("exception", "none"),
					org.assertj.core.groups.Tuple.tuple("outcome", "success"),
					org.assertj.core.groups.Tuple.tuple("region", "eu"));
		LongTaskTimer active = meters.get("anet.broker.requests.active").longTaskTimer();
		assertThat(active.getId().getTags()).extracting("key").containsExactly("client");
	}

	@Test
	void whenTheObservationStopsThenTheHighCardinalityKeysAreSetAndReadable() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		AnetBrokerRequestContext context = observe(registry, "default");
		assertThat(context.getHighCardinalityKeyValues()).extracting(KeyValue::getKey)
			.containsExactly("anet.body.size", "anet.remote.address", "anet.task.id");
		assertThat(context.getHighCardinalityKeyValue("anet.task.id").getValue()).isEqualTo("4294967295");
		assertThat(context.getHighCardinalityKeyValue("anet.body.size").getValue()).isEqualTo("4");
		assertThat(context.getHighCardinalityKeyValue("anet.remote.address").getValue()).isEqualTo("127.0.0.1:7000");
		assertThat(context.getRemoteServiceAddress()).as("a URI, for the tracer").isEqualTo("anet://127.0.0.1:7000");
		assertThat(registry).hasObservationWithNameEqualTo("anet.broker.requests")
			.that()
			.hasHighCardinalityKeyValue("anet.task.id", "4294967295")
			.hasLowCardinalityKeyValue("client", "default");
	}

	private static AnetBrokerRequestContext observe(ObservationRegistry registry, String client) {
		AnetBrokerRequestContext context = new AnetBrokerRequestContext(new byte[4], AnetTracePropagation.NONE, client);
		Observation observation = AnetObservationDocumentation.BROKER_REQUEST
			.observation(null, DefaultAnetBrokerObservationConvention.INSTANCE, () -> context, registry)
			.start();
		assertThat(context.getLowCardinalityKeyValues()).as("at the start").isEqualTo(KeyValues.of("client", client));
		assertThat(context.getHighCardinalityKeyValues()).as("at the start").isEmpty();
		context.setTaskId(-1);
		context.setAddress(new InetSocketAddress("127.0.0.1", 7000));
		context.setOutcome("success");
		observation.stop();
		return context;
	}

}
