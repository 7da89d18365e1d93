package dev.anet.boot.autoconfigure.observation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.anet.boot.AnetHandler;
import dev.anet.boot.autoconfigure.AnetAutoConfiguration;
import dev.anet.broker.Broker;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.exporter.FinishedSpan;
import io.micrometer.tracing.exporter.SpanReporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tracing with a real bridge, Brave, as Spring Boot configures it (its observation and tracing
 * auto-configurations, MDC correlation included) around a real anet server and the
 * auto-configured broker: a handler's log lines carry its server span's trace id in the MDC, and a
 * send made inside a traced scope is a child span of it; the same for a method that answers later
 * while it starts the work.
 */
class AnetBraveTracingIntegrationTests {

	private static final String HANDLER_LOGGER = "dev.anet.test.traced";

	private final Queue<FinishedSpan> spans = new ConcurrentLinkedQueue<>();

	private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

	private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
		@Override
		protected void append(ILoggingEvent event) {
			// the MDC as it is on the logging thread, now (it is read lazily otherwise)
			event.prepareForDeferredProcessing();
			AnetBraveTracingIntegrationTests.this.events.add(event);
		}
	};

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, BraveAutoConfiguration.class,
				MicrometerTracingAutoConfiguration.class, AnetAutoConfiguration.class,
				AnetObservationAutoConfiguration.class))
		.withBean(SpanReporter.class, () -> this.spans::add)
		.withBean(LoggingHandler.class)
		.withPropertyValues("management.tracing.sampling.probability=1.0", "anet.server.address=127.0.0.1",
				"anet.server.port=0", "anet.pool.addresses=127.0.0.1:${local.anet.server.port}");

	private final Logger handlerLogger = (Logger) LoggerFactory.getLogger(HANDLER_LOGGER);

	@BeforeEach
	void captureTheHandlersLog() {
		this.appender.start();
		this.handlerLogger.addAppender(this.appender);
		this.handlerLogger.setLevel(Level.INFO);
	}

	@AfterEach
	void stopCapturing() {
		this.handlerLogger.detachAppender(this.appender);
		this.appender.stop();
	}

	@Test
	void whenAHandlerLogsThenItsMdcHasTheTraceIdOfItsServerSpan() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(Broker.class).send("NC00".getBytes())).asString().isEqualTo("ND00");
			FinishedSpan server = awaitSpan(Span.Kind.SERVER);
			assertThat(server.getName()).isEqualTo("anet handle NC");
			assertThat(server.getRemoteIp()).as("the tracer parsed the client's address").isEqualTo("127.0.0.1");
			assertThat(this.events).singleElement().satisfies((event) -> {
				assertThat(event.getFormattedMessage()).isEqualTo("handling NC00");
				Map<String, String> mdc = event.getMDCPropertyMap();
				assertThat(mdc).containsEntry("traceId", server.getTraceId())
					.containsEntry("spanId", server.getSpanId());
			});
		});
	}

	@Test
	void whenASendIsMadeInsideATracedScopeThenItIsAChildSpan() {
		this.contextRunner.run((context) -> {
			Tracer tracer = context.getBean(Tracer.class);
			Broker broker = context.getBean(Broker.class);
			Span outer = tracer.nextSpan().name("outer").start();
			try (Tracer.SpanInScope scope = tracer.withSpan(outer)) {
				assertThat(broker.send("NC00".getBytes())).asString().isEqualTo("ND00");
			}
			finally {
				outer.end();
			}
			FinishedSpan client = awaitSpan(Span.Kind.CLIENT);
			assertThat(client.getName()).isEqualTo("anet send");
			assertThat(client.getTraceId()).isEqualTo(outer.context().traceId());
			assertThat(client.getParentId()).isEqualTo(outer.context().spanId());
			assertThat(client.getSpanId()).isNotEqualTo(outer.context().spanId());
			assertThat(client.getTags()).containsEntry("client", "default")
				.containsEntry("outcome", "success")
				.containsEntry("anet.task.id", "1")
				.containsEntry("anet.body.size", "4");
			// nothing is propagated by default (the wire has no headers): the server starts a trace
			FinishedSpan server = awaitSpan(Span.Kind.SERVER);
			assertThat(server.getTraceId()).isNotEqualTo(client.getTraceId());
		});
	}

	@Test
	void whenAMethodAnswersLaterThenItLogsAndSendsInsideItsServerSpan() {
		this.contextRunner.withBean(LaterLoggingHandler.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(Broker.class).send("AS1".getBytes())).asString().isEqualTo("AS:ND00");
			FinishedSpan server = awaitSpan((span) -> "anet handle AS".equals(span.getName()));
			assertThat(server.getKind()).isEqualTo(Span.Kind.SERVER);
			assertThat(server.getTags()).containsEntry("outcome", "success");
			// the send the method made while it started the work is a child of its server span
			FinishedSpan child = awaitSpan((span) -> span.getKind() == Span.Kind.CLIENT
					&& server.getSpanId().equals(span.getParentId()));
			assertThat(child.getTraceId()).isEqualTo(server.getTraceId());
			assertThat(this.events).filteredOn((event) -> event.getFormattedMessage().equals("starting AS1"))
				.singleElement()
				.satisfies((event) -> assertThat(event.getMDCPropertyMap()).containsEntry("traceId", server.getTraceId())
					.containsEntry("spanId", server.getSpanId()));
		});
	}

	private FinishedSpan awaitSpan(Span.Kind kind) {
		return awaitSpan((span) -> span.getKind() == kind);
	}

	private FinishedSpan awaitSpan(Predicate<FinishedSpan> which) {
		// the server span ends once its answer is written: maybe after the caller got it
		return await().atMost(Duration.ofSeconds(5))
			.until(() -> this.spans.stream().filter(which).findFirst().orElse(null), (span) -> span != null);
	}

	static class LoggingHandler {

		private static final org.slf4j.Logger logger = LoggerFactory.getLogger(HANDLER_LOGGER);

		@AnetHandler(prefix = "NC")
		String diagnostics(String request) {
			logger.info("handling {}", request);
			return "ND00";
		}

	}

	static class LaterLoggingHandler {

		private static final org.slf4j.Logger logger = LoggerFactory.getLogger(HANDLER_LOGGER);

		private final ObjectProvider<Broker> broker;

		LaterLoggingHandler(ObjectProvider<Broker> broker) {
			this.broker = broker;
		}

		@AnetHandler(prefix = "AS")
		CompletableFuture<String> later(String request) {
			logger.info("starting {}", request);
			return this.broker.getObject()
				.sendAsync("NC00".getBytes())
				.thenApply((answer) -> "AS:" + new String(answer));
		}

	}

}
