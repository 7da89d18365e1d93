package dev.anet.sample;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.anet.broker.Broker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Sends {@code sample.demo.requests} requests through the broker once the application is ready
 * (the anet server is listening by then), so that {@code /actuator/metrics} shows numbers at once.
 */
@Component
class DemoLoad implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(DemoLoad.class);

	private static final String[] COMMANDS = { "NC", "EC hello", "balance inquiry" };

	private final DemoProperties properties;

	private final ObjectProvider<Broker> broker;

	DemoLoad(DemoProperties properties, ObjectProvider<Broker> broker) {
		this.properties = properties;
		this.broker = broker;
	}

	@Override
	public void run(ApplicationArguments args) throws InterruptedException {
		int total = this.properties.getRequests();
		Broker client = this.broker.getIfAvailable();
		if (total <= 0 || client == null) {
			return;
		}
		AtomicInteger next = new AtomicInteger();
		AtomicInteger failed = new AtomicInteger();
		long start = System.nanoTime();
		int threads = Math.max(1, Math.min(this.properties.getConcurrency(), total));
		ExecutorService callers = Executors.newFixedThreadPool(threads);
		for (int t = 0; t < threads; t++) {
			callers.execute(() -> {
				int i;
				while ((i = next.getAndIncrement()) < total) {
					try {
						client.send(COMMANDS[i % COMMANDS.length].getBytes(StandardCharsets.US_ASCII),
								Duration.ofSeconds(5));
					}
					catch (RuntimeException ex) {
						failed.incrementAndGet();
						logger.debug("Demo request failed", ex);
					}
				}
			});
		}
		callers.shutdown();
		callers.awaitTermination(5, TimeUnit.MINUTES);
		logger.info("Demo load: {} requests through the anet broker in {} ms, {} failed", total,
				TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), failed.get());
	}

}
