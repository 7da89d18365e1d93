package dev.anet.boot.autoconfigure.observation;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.anet.boot.AnetHandler;
import dev.anet.boot.autoconfigure.AnetAutoConfiguration;
import dev.anet.boot.observation.AnetTracePropagation;
import dev.anet.broker.Broker;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of tracing across a broker call to an anet server, with {@code micrometer-tracing-test}'s
 * {@link SimpleTracer}: the send is a child span of the caller's, the handler runs inside its
 * server span, and with an {@link AnetTracePropagation} the server span joins the caller's trace.
 */
class AnetTracingTests {

	private final SimpleTracer tracer = new SimpleTracer();

	private final Queue<String> handlerSpans = new ConcurrentLinkedQueue<>();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AnetAutoConfiguration.class, AnetObservationAutoConfiguration.class))
		.withBean(ObservationRegistry.class, this::tracingRegistry)
		.withBean(TracedHandler.class, () -> new TracedHandler(this.tracer, this.handlerSpans))
		.withPropertyValues("anet.server.address=127.0.0.1", "anet.server.port=0");

	private ObservationRegistry tracingRegistry() {
		TestPropagator propagator = new TestPropagator(this.tracer);
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
					new PropagatingSenderTracingObservationHandler<>(this.tracer, propagator),
					new PropagatingReceiverTracingObservationHandler<>(this.tracer, propagator),
					new DefaultTracingObservationHandler(this.tracer)));
		return registry;
	}

	@Test
	void whenASendIsMadeInsideATracedRequestThenItIsAChildSpanAndTheHandlerRunsInItsServerSpan() {
		this.contextRunner.run((context) -> {
			callInsideTrace(context);
			SimpleSpan outer = span("outer");
			SimpleSpan client = span("anet send");
			SimpleSpan server = span("anet handle default");
			assertThat(client.getKind()).isEqualTo(Span.Kind.CLIENT);
			assertThat(client.getTraceId()).isEqualTo(outer.getTraceId());
			assertThat(client.getParentId()).isEqualTo(outer.context().spanId());
			assertThat(server.getKind()).isEqualTo(Span.Kind.SERVER);
			assertThat(this.handlerSpans).containsExactly(server.context().spanId());
			assertThat(server.getTraceId()).as("nothing propagated by default").isNotEqualTo(client.getTraceId());
		});
	}

	@Test
	void whenAPropagationIsDeclaredThenTheServerSpanJoinsTheCallersTrace() {
		this.contextRunner.withBean(AnetTracePropagation.class, PrefixPropagation::new).run((context) -> {
			callInsideTrace(context);
			SimpleSpan client = span("anet send");
			SimpleSpan server = span("anet handle default");
			assertThat(server.getTraceId()).isEqualTo(client.getTraceId());
			assertThat(server.getParentId()).isEqualTo(client.context().spanId());
			assertThat(this.handlerSpans).containsExactly(server.context().spanId());
		});
	}

	private void callInsideTrace(ConfigurableApplicationContext context) {
		ObservationRegistry registry = context.getBean(ObservationRegistry.class);
		try (Broker broker = AnetObservationAutoConfigurationTests.observedBroker(context)) {
			byte[] answer = Observation.createNotStarted("outer", registry)
				.observe(() -> broker.send("hello".getBytes(StandardCharsets.US_ASCII)));
			assertThat(answer).asString().isEqualTo("HELLO");
		}
	}

	private SimpleSpan span(String name) {
		List<SimpleSpan> spans = this.tracer.getSpans().stream().filter((span) -> name.equals(span.getName())).toList();
		assertThat(spans).as("spans named %s in %s", name, this.tracer.getSpans()).hasSize(1);
		return spans.get(0);
	}

	/** The default route: records the span it runs in, strips the trace field, and upper-cases. */
	static class TracedHandler {

		private final SimpleTracer tracer;

		private final Queue<String> spans;

		TracedHandler(SimpleTracer tracer, Queue<String> spans) {
			this.tracer = tracer;
			this.spans = spans;
		}

		@AnetHandler
		String handle(String request) {
			Span current = this.tracer.currentSpan();
			this.spans.add((current != null) ? current.context().spanId() : "none");
			return request.substring(request.indexOf(';') + 1).toUpperCase();
		}

	}

	/** Carries one field as {@code name=value;} before the body (bodies without one start with {@code ;}). */
	static class PrefixPropagation implements AnetTracePropagation {

		@Override
		public byte[] inject(byte[] request, String field, String value) {
			return (field + "=" + value + ";" + new String(request, StandardCharsets.US_ASCII))
				.getBytes(StandardCharsets.US_ASCII);
		}

		@Override
		public @Nullable String extract(byte[] request, String field) {
			String text = new String(request, StandardCharsets.US_ASCII);
			String prefix = field + "=";
			return text.startsWith(prefix) ? text.substring(prefix.length(), text.indexOf(';')) : null;
		}

	}

	/** One field, {@code trace}: {@code traceId-spanId}. */
	static final class TestPropagator implements Propagator {

		private final SimpleTracer tracer;

		TestPropagator(SimpleTracer tracer) {
			this.tracer = tracer;
		}

		@Override
		public List<String> fields() {
			return List.of("trace");
		}

		@Override
		public <C> void inject(TraceContext context, @Nullable C carrier, Setter<C> setter) {
			setter.set(carrier, "trace", context.traceId() + "-" + context.spanId());
		}

		@Override
		public <C> Span.Builder extract(C carrier, Getter<C> getter) {
			String value = getter.get(carrier, "trace");
			if (value == null) {
				return this.tracer.spanBuilder();
			}
			String[] ids = value.split("-");
			TraceContext parent = this.tracer.traceContextBuilder().traceId(ids[0]).spanId(ids[1]).sampled(true).build();
			return this.tracer.spanBuilder().setParent(parent);
		}

	}

}
